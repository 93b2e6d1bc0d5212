"""The docker compose stack, run as local processes: airflow-init, warehouse-init, the API server, the
scheduler, the DAG processor and two Celery workers, each with its own AIRFLOW_HOME and exactly the
environment docker-compose.yml gives its container (through the image's entry point, which inserts the
URL-encoded passwords), on a PostgreSQL metadata database and a Redis broker. One ``news_ingest`` run
must succeed with tasks on both workers and fill the warehouse.

``./run smoke`` runs this test alone. It needs Redis on 127.0.0.1:6379 (``.ci/run`` starts it)."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from pipeline.deploy_env import generated_env_file
from tests.deploy.compose_local import LocalDeployment, LocalStack, load_compose, read_env_file
from warehouse.paths import PROJECT_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

REDIS = ("127.0.0.1", 6379)
# Characters that break a URL unless encoded: the stack must cope with any generated or chosen password.
HOSTILE_PASSWORD = "p@ss:w/rd%#?&"
STARTUP_TIMEOUT_SECONDS = 300
RUN_TIMEOUT_SECONDS = 600
WORKERS = ("worker-1", "worker-2")
MIRROR_ARTICLES = 8
HOSTNAME_MODULE_DIR = Path(__file__).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_is_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def local_databases() -> Iterator[dict[str, str]]:
    """The metadata and warehouse databases of this run, owned by the roles compose's servers create
    (POSTGRES_USER is a superuser there, so it is here)."""
    admin_url = os.environ.get("NEWS_TEST_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    suffix = f"{os.getpid()}_{secrets.token_hex(3)}"
    names = {"airflow": f"smoke_airflow_{suffix}", "news": f"smoke_news_{suffix}"}
    with psycopg.connect(admin_url, autocommit=True) as conn:
        for role, database in names.items():
            conn.execute(
                f"DO $$ BEGIN CREATE ROLE {role} LOGIN SUPERUSER; "
                "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
            )
            conn.execute(f'CREATE DATABASE "{database}" OWNER {role}')
    try:
        yield names
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            for database in names.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _query(url: str, statement: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(statement).fetchall()


@pytest.fixture
def stack(local_databases: dict[str, str], tmp_path: Path) -> Iterator[LocalStack]:
    """The compose file with a freshly generated .env (hostile passwords), its volumes and image
    folders under tmp_path, its host names pointing at this machine's servers."""
    if not _redis_is_up():
        pytest.fail(
            "Redis is not answering on 127.0.0.1:6379; start it (.ci/run does: redis-server --daemonize yes)"
        )
    from testkit.mirror import serve_mirror
    from testkit.synthetic_models import build_synthetic_package
    from translate.packages import install_package

    dotenv = read_env_file(generated_env_file((PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")))
    dotenv["AIRFLOW_DB_PASSWORD"] = HOSTILE_PASSWORD
    dotenv["NEWS_DB_PASSWORD"] = HOSTILE_PASSWORD[::-1]
    # One task at a time per worker, so the run's parallel tasks must spread over both workers.
    dotenv["AIRFLOW_WORKER_CONCURRENCY"] = "1"
    redis_db = 10 + 2 * secrets.randbelow(3)
    paths = {
        "/opt/news-data": tmp_path / "news-feeds",
        "/opt/airflow/logs": tmp_path / "airflow-logs",
        "/opt/news-ingest": PROJECT_ROOT,
        "/opt/argos/packages": tmp_path / "image-argos-packages",
        "/opt/airflow/.local/share": tmp_path / "xdg-data",
        "/opt/airflow/.cache": tmp_path / "xdg-cache",
    }
    for folder in paths.values():
        folder.mkdir(parents=True, exist_ok=True)
    # The image's translation layer: a tiny generated vi->en package instead of the OPUS-MT one.
    install_package(
        build_synthetic_package(tmp_path / "vi_en.argosmodel", "vi", "en", seed=3),
        paths["/opt/argos/packages"],
    )
    api_port = _free_port()
    deployment = LocalDeployment(
        folder=tmp_path,
        paths=paths,
        hosts={
            "@postgres/airflow": f"@127.0.0.1:5432/{local_databases['airflow']}",
            "@warehouse-db:5432/news_ingest": f"@127.0.0.1:5432/{local_databases['news']}",
            "redis:6379/0": f"127.0.0.1:6379/{redis_db}",
            "redis:6379/1": f"127.0.0.1:6379/{redis_db + 1}",
            "airflow-apiserver:8080": f"127.0.0.1:{api_port}",
        },
    )
    local_stack = LocalStack(load_compose(dotenv), deployment, api_port)
    with serve_mirror(port=0, synthetic_articles=MIRROR_ARTICLES) as mirror_url:
        # news.env, the stack's pipeline settings: the mirror, small batches so translation fans out.
        deployment.news_env = {
            "NEWS_SCHEDULE": "manual",
            "NEWS_MIRROR_URL": mirror_url,
            "NEWS_MAX_ARTICLES": str(MIRROR_ARTICLES),
            "NEWS_ARTICLES_PER_TRANSLATION_TASK": "2",
            "NEWS_RETRY_DELAY_SECONDS": "2",
            "NEWS_CRAWL_TIMEOUT_SECONDS": "240",
            "TRANSLATE_INTRA_THREADS": "1",
        }
        try:
            yield local_stack
        finally:
            local_stack.stop()


def test_the_compose_stack_runs_news_ingest_on_two_celery_workers(stack, local_databases):
    metadata_url = f"postgresql://postgres@127.0.0.1:5432/{local_databases['airflow']}"
    warehouse_url = f"postgresql://postgres@127.0.0.1:5432/{local_databases['news']}"
    started = time.monotonic()
    # airflow-init's job (the official entry point runs `airflow db migrate` for _AIRFLOW_DB_MIGRATE).
    assert stack.compose["services"]["airflow-init"]["environment"]["_AIRFLOW_DB_MIGRATE"] == "true"
    stack.run_to_completion("airflow-init", STARTUP_TIMEOUT_SECONDS, command=["airflow", "db", "migrate"])
    stack.run_to_completion("warehouse-init", STARTUP_TIMEOUT_SECONDS)

    stack.start("airflow-apiserver", "api-server", {"AIRFLOW__API__PORT": str(stack.api_port)})
    health_port = str(_free_port())
    stack.start(
        "airflow-scheduler",
        "scheduler",
        {"AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT": health_port},
    )
    stack.start("airflow-dag-processor", "dag-processor")
    for worker in WORKERS:
        # Containers have host names and network namespaces of their own; processes on one machine
        # need distinct ones, and distinct log-server ports.
        worker_only = {
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(_free_port()),
            "AIRFLOW__CORE__HOSTNAME_CALLABLE": "container_hostname.hostname",
            "SMOKE_CONTAINER_HOSTNAME": worker,
            "PYTHONPATH": f"{PROJECT_ROOT}{os.pathsep}{HOSTNAME_MODULE_DIR}",
        }
        stack.start("airflow-worker", worker, worker_only, ("--celery-hostname", f"{worker}@%h"))

    stack.wait_for(
        "the DAG processor to parse news_ingest",
        lambda: bool(_query(metadata_url, "SELECT 1 FROM dag WHERE dag_id = 'news_ingest'")),
        STARTUP_TIMEOUT_SECONDS,
    )
    cli = stack.environment("airflow-scheduler", "cli")
    for command in (["dags", "unpause", "news_ingest"], ["dags", "trigger", "news_ingest"]):
        subprocess.run(
            [sys.executable, "-m", "pipeline.deploy_env", "exec", "--", "airflow", *command],
            env=cli,
            cwd=stack.deployment.folder,
            check=True,
            capture_output=True,
            timeout=180,
        )

    def run_state() -> str | None:
        states = _query(metadata_url, "SELECT state FROM dag_run WHERE dag_id = 'news_ingest'")
        return states[0][0] if states else None

    stack.wait_for("news_ingest to finish", lambda: run_state() in {"success", "failed"}, RUN_TIMEOUT_SECONDS)
    elapsed = time.monotonic() - started
    tasks = _query(
        metadata_url,
        "SELECT task_id, map_index, state, hostname FROM task_instance WHERE dag_id = 'news_ingest'",
    )
    assert run_state() == "success", (tasks, stack.tails())
    print(f"distributed news_ingest run: {elapsed:.0f} s from airflow-init to success")

    assert {hostname for _, _, state, hostname in tasks if state == "success"} == set(WORKERS), tasks
    articles, translated = _query(
        warehouse_url, "SELECT count(*), count(*) FILTER (WHERE translation_status = 'done') FROM articles"
    )[0]
    # Some mirror pages are deliberately broken and end in quarantine.
    assert articles >= MIRROR_ARTICLES // 2
    assert translated > 0
    assert _query(warehouse_url, "SELECT count(*) FROM ingest_runs")[0][0] >= 1
