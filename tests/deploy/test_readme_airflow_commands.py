"""Every ``airflow`` command the README shows works exactly as written after ``./run main``'s set-up:
run from a project folder, with the relative ``AIRFLOW_HOME=var/airflow`` and nothing else set."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from warehouse.paths import PROJECT_ROOT

pytestmark = pytest.mark.slow

COMMAND_PREFIX = "AIRFLOW_HOME=var/airflow .venv/bin/airflow "


def readme_airflow_commands() -> list[str]:
    """The README's shell lines that start with the documented prefix, continuation lines joined."""
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.startswith(COMMAND_PREFIX)]


def clean_environment(home: Path) -> dict[str, str]:
    """A user's shell: none of the test session's Airflow or pipeline variables."""
    kept = {name: value for name, value in os.environ.items() if not name.startswith(("AIRFLOW", "NEWS_"))}
    kept.pop("DATABASE_URL", None)
    kept["HOME"] = str(home)
    return kept


def test_the_readme_documents_the_airflow_commands_a_user_needs():
    commands = readme_airflow_commands()
    assert any(" dags list" in command for command in commands)
    assert any(" dags trigger news_ingest " in command for command in commands)
    assert any(" dags trigger news_retranslate " in command for command in commands)


def test_each_readme_airflow_command_runs_as_written_after_the_main_jobs_setup(warehouse_url, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / ".venv").symlink_to(PROJECT_ROOT / ".venv")
    setup_env = clean_environment(tmp_path)
    setup_env.update(
        AIRFLOW_HOME=str(project / "var" / "airflow"),
        DATABASE_URL=warehouse_url,
        PYTHONPATH=str(PROJECT_ROOT),
    )
    setup = subprocess.run(
        [sys.executable, "-c", "from pipeline.main import prepare_airflow_and_warehouse as p; p()"],
        cwd=PROJECT_ROOT,
        env=setup_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr

    outputs = {}
    for command in readme_airflow_commands():
        completed = subprocess.run(
            ["bash", "-c", command],
            cwd=project,
            env=clean_environment(tmp_path),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert completed.returncode == 0, f"{command}\n{completed.stdout}\n{completed.stderr}"
        outputs[command] = completed.stdout

    listed = next(output for command, output in outputs.items() if " dags list" in command)
    assert {"news_ingest", "news_maintenance", "news_retranslate"} <= set(re.findall(r"\bnews_\w+", listed))
    assert "example_" not in listed
    database = sqlite3.connect(project / "var" / "airflow" / "airflow.db")
    triggered = {dag_id for (dag_id,) in database.execute("SELECT dag_id FROM dag_run")}
    (news_db,) = database.execute("SELECT conn_type FROM connection WHERE conn_id = 'news_db'").fetchone()
    assert triggered == {"news_ingest", "news_retranslate"}
    # A paused DAG's triggered runs stay queued, so the README must unpause what it triggers.
    paused = dict(database.execute("SELECT dag_id, is_paused FROM dag"))
    assert paused["news_ingest"] == 0 and paused["news_retranslate"] == 0, paused
    assert news_db == "postgres"
