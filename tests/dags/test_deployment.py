"""The docker-compose stack, the image and the documented configuration stay consistent."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from warehouse.paths import PROJECT_ROOT

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
AIRFLOW_SERVICES = {
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
    "airflow-init",
}
INTERNAL_VARIABLES = {"NEWS_STATS_FILE", "NEWS_REJECTS_FILE", "NEWS_CRAWL_COUNTERS_FILE"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def test_the_compose_file_follows_the_compose_specification():
    checker = Path(sys.executable).with_name("check-jsonschema")
    completed = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_the_stack_has_the_official_airflow_layout_and_a_warehouse_of_its_own(compose):
    services = compose["services"]
    assert set(services) >= AIRFLOW_SERVICES | {"postgres", "redis", "warehouse-db", "warehouse-init"}
    for name in AIRFLOW_SERVICES:
        environment = services[name]["environment"]
        assert environment["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert "news-feeds:/opt/news-data" in services[name]["volumes"], name
    # Only the containers that run pipeline code reach the warehouse.
    for name in ("airflow-worker", "warehouse-init"):
        connection = services[name]["environment"]["AIRFLOW_CONN_NEWS_DB"]
        assert connection == "postgres://news@warehouse-db:5432/news_ingest", name
    assert services["warehouse-db"]["environment"]["POSTGRES_DB"] == "news_ingest"
    assert services["warehouse-db"]["volumes"] != services["postgres"]["volumes"]


def test_workers_scale_with_docker_compose_scale(compose):
    worker = compose["services"]["airflow-worker"]
    assert worker["command"] == "celery worker"
    assert "container_name" not in worker
    assert "ports" not in worker
    assert worker["depends_on"]["warehouse-init"]["condition"] == "service_completed_successfully"


def test_no_secret_is_written_in_the_compose_file():
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    for variable in ("AIRFLOW_DB_PASSWORD", "NEWS_DB_PASSWORD", "AIRFLOW_ADMIN_PASSWORD"):
        assert re.search(rf"\$\{{{variable}:\?", text), variable
    assert not re.search(r"PASSWORD: (?!\$\{)", text)


def test_the_image_pins_cpu_torch_first_and_builds_the_translation_package():
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    torch = dockerfile.index('pip install --no-cache-dir "torch==${TORCH_VERSION}"')
    assert (
        torch
        < dockerfile.index("-r /tmp/requirements.txt")
        < dockerfile.index("pip install --no-cache-dir --no-deps -e")
    )
    assert "ARG TORCH_VERSION=2.13.0" in dockerfile
    assert "ARG ARGOS_PACKAGE=" in dockerfile
    assert "python -m translate build-package --opus-mt" in dockerfile
    assert 'python -m translate install "/build-context/${ARGOS_PACKAGE}"' in dockerfile
    # The model stage is built before the code is copied, so a code change does not rebuild it.
    model_stage = dockerfile.index("AS translation-model")
    assert model_stage < dockerfile.index("COPY --chown=airflow:0 . /opt/news-ingest")
    assert "COPY --from=translation-model" in dockerfile
    assert dockerfile.index("curl -fsSL") < dockerfile.index("COPY --chown=airflow:0 translate ")
    ignored = (PROJECT_ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert not [line for line in ignored if "argosmodel" in line and not line.startswith("#")]


def test_env_example_documents_every_setting_and_compose_variable():
    documented = set(
        re.findall(
            r"^#? ?([A-Z][A-Z0-9_]+)=", (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8"), re.M
        )
    )
    # Every current name; a renamed variable's former name (formerly=...) is still read but not advertised.
    settings = {
        name
        for area in ("pipeline", "warehouse")
        for name in re.findall(
            r'(?<!formerly=)"(NEWS_[A-Z0-9_]+)"',
            (PROJECT_ROOT / area / "settings.py").read_text(encoding="utf-8"),
        )
    }
    compose_variables = set(
        re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]+)", COMPOSE_FILE.read_text(encoding="utf-8"))
    )

    assert settings - INTERNAL_VARIABLES <= documented
    assert compose_variables <= documented
    assert {"AIRFLOW_CONN_NEWS_DB", "DATABASE_URL"} <= documented
