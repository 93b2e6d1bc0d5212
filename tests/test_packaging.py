"""The installed package is complete: its wheel ships the top-level sql/ folder, and an installation
outside the checkout finds it and migrates a database with it."""

import os
import secrets
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

import psycopg
import pytest
from setuptools import find_packages

from warehouse import db
from warehouse.paths import PROJECT_ROOT

SETUPTOOLS = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "setuptools"
]


def test_the_wheel_lists_every_package_of_the_checkout_and_maps_sql_into_warehouse():
    found = find_packages(
        PROJECT_ROOT, include=["pipeline*", "spiders*", "testkit*", "translate*", "warehouse*"]
    )
    assert sorted(SETUPTOOLS["packages"]) == sorted([*found, "warehouse.sql"])
    assert SETUPTOOLS["package-dir"] == {"warehouse.sql": "sql"}


@pytest.mark.slow
def test_the_installed_wheel_runs_the_migrations_from_outside_the_checkout(tmp_path):
    wheel = _build_wheel(tmp_path)
    python = _fresh_venv(tmp_path / "venv", wheel)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _without_pythonpath()
    where = subprocess.run(
        [python, "-c", "import warehouse.sqlfile as s; print(s.__file__); print(s.SQL_DIR)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()
    fresh = (tmp_path / "venv").resolve()
    assert Path(where[0]).resolve().is_relative_to(fresh), where
    assert Path(where[1]).resolve().is_relative_to(fresh), where

    url = db.with_database(db.database_url(), f"news_test_wheel_{os.getpid()}_{secrets.token_hex(4)}")
    try:
        migrated = subprocess.run(
            [python, "-m", "warehouse", "migrate"],
            cwd=elsewhere,
            env={**env, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert migrated.returncode == 0, migrated.stderr
        with psycopg.connect(url) as conn:
            recorded = {name for (name,) in conn.execute("SELECT name FROM schema_migrations")}
    finally:
        db.drop_database(url)
    expected = {path.name for path in (PROJECT_ROOT / "sql" / "migrations").glob("*.sql")}
    expected |= {f"views/{path.name}" for path in (PROJECT_ROOT / "sql" / "views").glob("*.sql")}
    assert len(expected) > 8
    assert recorded == expected


def _build_wheel(tmp_path: Path) -> Path:
    """Build from a copy of what the wheel is made of, so the build leaves nothing in the checkout."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ["pyproject.toml", "README.md"]:
        shutil.copy2(PROJECT_ROOT / name, source / name)
    for folder in {package.split(".")[0] for package in SETUPTOOLS["packages"]} | {"sql"}:
        shutil.copytree(PROJECT_ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    subprocess.run(
        [*build, "-w", str(wheels), str(source)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = wheels.glob("news_ingest-*.whl")
    return wheel


def _fresh_venv(target: Path, wheel: Path) -> str:
    """A virtual environment with only the wheel installed. The shared environment's site-packages is
    appended by a .pth line, for the dependencies: a directory named in a .pth file is not scanned for
    .pth files of its own, so the shared environment's editable install of this project stays off."""
    venv.create(target, with_pip=False)
    python = str(target / "bin" / "python")
    # Without PYTHONPATH: a checkout on it holds the editable install's news_ingest.egg-info, which pip
    # would take for this project already installed in the fresh environment, and install nothing.
    env = _without_pythonpath()
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
    )
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.strip()
    shared = Path(sysconfig.get_paths()["purelib"]).resolve()
    (Path(purelib) / "shared_dependencies.pth").write_text(f"{shared}\n", encoding="utf-8")
    return python


def _without_pythonpath() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
