"""``./run ui --port N``: the API server on N, the workers calling the execution API on N (not
on 8080, where another Airflow may listen), log servers on the given ports, and a run triggered from
the command line crawls the local mirror and succeeds."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipeline.main import UiOptions, ui_environment
from warehouse.paths import PROJECT_ROOT

STARTUP_TIMEOUT_SECONDS = 300
RUN_TIMEOUT_SECONDS = 420


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_ui_environment_points_every_component_at_the_chosen_ports(tmp_path):
    options = UiOptions(port=18123, worker_log_port=18124, trigger_log_port=18125)
    env = ui_environment(options, {"AIRFLOW_HOME": str(tmp_path / "airflow")})
    assert env["AIRFLOW__API__PORT"] == "18123"
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://127.0.0.1:18123/execution/"
    assert env["AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT"] == "18124"
    assert env["AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT"] == "18125"
    config = (tmp_path / "airflow" / "airflow.cfg").read_text(encoding="utf-8")
    assert "jwt_secret = " in config
    assert f"sql_alchemy_conn = sqlite:///{tmp_path / 'airflow' / 'airflow.db'}" in config


def _wait(description: str, condition, timeout: float, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the UI exited while waiting for {description}:\n{log.read_text()[-4000:]}")
        if condition():
            return
        time.sleep(3)
    pytest.fail(f"timed out after {timeout} s waiting for {description}:\n{log.read_text()[-4000:]}")


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/version", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _run_state(database: Path) -> str | None:
    if not database.exists():
        return None
    with sqlite3.connect(database) as conn:
        try:
            rows = conn.execute("SELECT state FROM dag_run WHERE dag_id = 'news_ingest'").fetchall()
        except sqlite3.OperationalError:
            return None
    return rows[0][0] if rows else None


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_run_triggered_under_the_ui_crawls_the_mirror_and_succeeds(warehouse_conn, warehouse_url, tmp_path):
    home = tmp_path / "airflow"
    env = {name: value for name, value in os.environ.items() if not name.startswith(("AIRFLOW", "NEWS_"))}
    env.update(
        AIRFLOW_HOME=str(home),
        DATABASE_URL=warehouse_url,
        NEWS_DATA_URI=str(tmp_path / "data"),
        NEWS_SCHEDULE="manual",
        ARGOS_PACKAGES_DIR=str(tmp_path / "packages"),
        PYTHONPATH=str(PROJECT_ROOT),
        HOME=str(tmp_path),
        PYTHONUNBUFFERED="1",
    )
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "testkit.mirrored_run",
        "ui",
        "--port",
        str(port),
        "--mirror-articles",
        "3",
    ]
    command += ["--worker-log-port", str(_free_port()), "--trigger-log-port", str(_free_port())]
    log = tmp_path / "ui.log"
    with log.open("w") as output:
        ui = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait("the API server", lambda: _healthy(port), STARTUP_TIMEOUT_SECONDS, ui, log)
        airflow = str(Path(sys.executable).with_name("airflow"))
        for args in (["dags", "unpause", "news_ingest"], ["dags", "trigger", "news_ingest"]):
            completed = subprocess.run(
                [airflow, *args, *(["--conf", '{"max_articles": 3}'] if "trigger" in args else [])],
                env=env,
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
            assert completed.returncode == 0, completed.stdout + completed.stderr
        database = home / "airflow.db"
        _wait(
            "the run to finish",
            lambda: _run_state(database) in {"success", "failed"},
            RUN_TIMEOUT_SECONDS,
            ui,
            log,
        )
        assert _run_state(database) == "success", log.read_text()[-4000:]
    finally:
        ui.send_signal(signal.SIGTERM)
        ui.wait(timeout=90)
    assert "Runs crawl the local mirror at http://127.0.0.1:" in log.read_text()
    assert warehouse_conn.execute("SELECT count(*) FROM articles").fetchone()[0] >= 1
