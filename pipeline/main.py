"""The README's main job: the whole chain once, end to end, on embedded defaults.

``python -m pipeline main`` makes the warehouse ready (local PostgreSQL, database, migrations), prepares
a project-local SQLite Airflow home (``var/airflow``), runs the ``news_ingest`` DAG once in this process
(``dag.test()``), then prints a summary and the result of an example analyst query. ``python -m pipeline
ui`` opens the Airflow UI on the same setup. Both crawl the live sites, or the mirror at
``NEWS_MIRROR_URL`` when it is set (``./run main`` and ``./run ui`` start the local mirror and set it).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from airflow.models.dagrun import DagRun

from pipeline.airflow_home import migrate_and_register_dags, warehouse_connection_url, write_airflow_cfg
from pipeline.first_run import ensure_translation_model
from pipeline.settings import DEFAULT_AIRFLOW_HOME, PipelineSettings
from warehouse import sqlfile
from warehouse.db import database_url
from warehouse.paths import PROJECT_ROOT

ANALYST_QUERY = "queries/latest_by_source.sql"  # under sql/
UI_PARALLELISM = "4"
# What an ingest_runs status other than success means, printed under the summary when it occurs.
STATUS_MEANINGS = {
    "partial": "the source loaded, but a data-quality check warned (the warnings are listed above; "
    "thresholds in NEWS_QUALITY_*)",
    "failed": "the source's crawl or load failed after its retries, or a data-quality check failed",
    "skipped": "nothing was crawled for the source in this run",
}
UI_STOP_GRACE_SECONDS = 30
PROXY_VARIABLES = ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY")
EXIT_NO_SITE_RESOLVES = 2


@dataclass(frozen=True, slots=True)
class MainOptions:
    max_articles: int | None = None
    sources: tuple[str, ...] = ()
    # Download, build and install the recommended vi->en package when none is installed.
    install_model: bool = True
    downloads: Path = PROJECT_ROOT / "var" / "downloads"


def prepare_environment(environ: MutableMapping[str, str] | None = None) -> MutableMapping[str, str]:
    """Point Airflow (and the tools it imports) at folders inside the project before anything imports
    airflow; values already set in the environment win. Changes ``environ`` (default ``os.environ``) in
    place and returns it."""
    env = os.environ if environ is None else environ
    var = PROJECT_ROOT / "var"
    defaults = {
        "AIRFLOW_HOME": str(DEFAULT_AIRFLOW_HOME),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "ARGOS_PACKAGES_DIR": str(var / "argos" / "packages"),
        "XDG_DATA_HOME": str(var / "xdg" / "data"),
        "XDG_CACHE_HOME": str(var / "xdg" / "cache"),
        "XDG_CONFIG_HOME": str(var / "xdg" / "config"),
        "NEWS_DATA_URI": PipelineSettings().data_uri,
    }
    for name, value in defaults.items():
        env.setdefault(name, value)
    env["AIRFLOW_HOME"] = str(Path(env["AIRFLOW_HOME"]).resolve())
    write_airflow_cfg(Path(env["AIRFLOW_HOME"]), Path(env["AIRFLOW__CORE__DAGS_FOLDER"]))
    return env


def crawl_target(mirror_url: str | None) -> str:
    """What the crawls reach: the live sites, or the mirror at ``NEWS_MIRROR_URL``."""
    return f"local mirror at {mirror_url}" if mirror_url else "live sites"


def run_news_ingest(run_conf: dict) -> DagRun:
    """Run ``news_ingest`` once in this process; returns Airflow's DagRun."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    if bag.import_errors:
        raise RuntimeError(f"the DAG files do not import: {bag.import_errors}")
    return bag.dags["news_ingest"].test(run_conf=run_conf)


def prepare_airflow_and_warehouse() -> str:
    """The main job's and the UI's set-up: the Airflow home, its migrated metadata database with the
    DAGs registered, the Airflow connection news_db (created from DATABASE_URL or the local default
    when Airflow has none: the tasks read the warehouse from it, so the main job does too), and the
    migrated warehouse. Returns the warehouse URL."""
    prepare_environment()
    migrate_and_register_dags()
    url = warehouse_connection_url(database_url())
    migrate_warehouse(url)
    return url


def migrate_warehouse(url: str | None = None) -> int:
    from warehouse.db import ensure_database

    url = ensure_database(url or database_url())
    print(f"warehouse ready: {_redacted(url)}")
    return 0


def run_main(options: MainOptions) -> int:
    # Task logs go to the console in an in-process run; the summary below is what matters here (it
    # repeats every warning a check recorded), so only errors are logged.
    os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "ERROR")
    # Libraries' deprecation notices are for their developers, not for the person running the job.
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    settings = PipelineSettings.from_env()
    if not live_sites_resolve(options.sources or settings.sources, settings.mirror_url):
        return EXIT_NO_SITE_RESOLVES
    url = prepare_airflow_and_warehouse()
    print(f"Airflow home: {os.environ['AIRFLOW_HOME']}")
    if options.install_model:
        ensure_translation_model(settings, options.downloads)
    run_conf: dict = {}
    if options.sources:
        run_conf["sources"] = list(options.sources)
    if options.max_articles:
        run_conf["max_articles"] = options.max_articles
    started = time.monotonic()
    print(f"crawling {crawl_target(settings.mirror_url)}")
    dag_run = run_news_ingest(run_conf)
    wall = time.monotonic() - started
    print_summary(dag_run, wall, url)
    print_analyst_query(url)
    return 0 if str(dag_run.state) == "success" else 1


def live_sites_resolve(sources: Sequence[str], mirror_url: str | None) -> bool:
    """Before a live crawl (no mirror, no HTTP proxy): False, with the error printed, when none of the
    sources' host names resolves (all sources when ``sources`` is empty); a warning for some."""
    from spiders.registry import source_names

    if mirror_url or any(os.environ.get(name) for name in PROXY_VARIABLES):
        return True
    sources = tuple(sources) or tuple(source_names())
    unresolved = unresolvable_sources(sources)
    if unresolved and set(unresolved) == set(sources):
        print(
            "error: no news site's host name resolves from this machine "
            f"({', '.join(unresolved)}): there is no network or no DNS here. A live crawl would only "
            "fail after its retries; crawl the local mirror instead (./run main without --live) or set "
            "NEWS_MIRROR_URL.",
            file=sys.stderr,
        )
        return False
    if unresolved:
        print(f"warning: these sources' host names do not resolve, their crawls will fail: {unresolved}")
    return True


def unresolvable_sources(
    names: Sequence[str], resolve: Callable[[str], object] = lambda host: socket.getaddrinfo(host, 443)
) -> list[str]:
    """The sources among ``names`` none of whose edition hosts resolves. Only a definite "no such
    name" or "name resolution unavailable" answer counts; any other failure is left to the crawl."""
    from spiders.registry import all_sources

    hosts = {source.name: source.hosts for source in all_sources()}
    return [
        name for name in names if name in hosts and not any(_resolves(host, resolve) for host in hosts[name])
    ]


def _resolves(host: str, resolve: Callable[[str], object]) -> bool:
    try:
        resolve(host)
    except socket.gaierror as error:
        return error.errno not in (socket.EAI_NONAME, socket.EAI_AGAIN, getattr(socket, "EAI_NODATA", -5))
    except OSError:
        return True
    return True


def print_summary(dag_run: DagRun, wall_seconds: float, url: str) -> None:
    from warehouse.db import connect
    from warehouse.translation_queue import status_counts

    print(f"\nnews_ingest run {dag_run.run_id}: {dag_run.state} in {wall_seconds:.1f} s")
    task_order = {task_id: index for index, task_id in enumerate(dag_run.dag.task_ids)} if dag_run.dag else {}
    for ti in sorted(
        dag_run.get_task_instances(), key=lambda ti: (task_order.get(ti.task_id, 0), ti.map_index)
    ):
        index = f"[{ti.map_index}]" if ti.map_index >= 0 else ""
        print(f"  {ti.task_id}{index}: {ti.state} (try {ti.try_number})")
    with connect(url=url) as conn:
        rows = conn.execute(
            sqlfile.statement("pipeline/run_summary.sql"), {"run_key": dag_run.run_id}
        ).fetchall()
        backlog = status_counts(conn)
    for source, status, counts, errors, started_at, seconds in rows:
        loaded = {
            key: counts[key] for key in ("records", "inserted", "updated", "unchanged") if key in counts
        }
        print(f"  ingest_runs {source}: {status} {loaded}, started {started_at:%H:%M:%S}, {seconds:.1f} s")
        for error in errors:
            print(f"    {error.get('level', 'error')}: {error.get('check')}: {error.get('message')}")
    for line in status_legend(status for _, status, *_ in rows):
        print(line)
    print(
        "  articles by translation status: "
        + ", ".join(f"{status} {count}" for status, count in backlog.items())
    )


def status_legend(statuses: Iterable[str]) -> list[str]:
    """One line per ingest_runs status in the summary that needs explaining."""
    return [
        f"  ({status}: {STATUS_MEANINGS[status]})" for status in sorted(set(statuses) & set(STATUS_MEANINGS))
    ]


def print_analyst_query(url: str, source: str = "baoquocte", limit: int = 5) -> None:
    from warehouse.db import connect

    example = psql_to_psycopg(sqlfile.text(ANALYST_QUERY))
    with connect(url=url) as conn:
        cursor = conn.execute(example, {"source": source, "limit": limit})
        columns = [column.name for column in cursor.description or ()]
        rows = cursor.fetchall()
    print(f"\nsql/{ANALYST_QUERY} (source={source}, limit={limit}):")
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join(_cell(value) for value in row))


def psql_to_psycopg(text: str) -> str:
    """An example query written for psql (``\\set`` defaults, ``:'name'`` and ``:name`` variables) as
    a psycopg statement with named parameters."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("\\")]
    statement = "\n".join(lines).strip().rstrip(";")
    statement = re.sub(r":'(\w+)'", r"%(\1)s", statement)
    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", statement)


def _cell(value: object, width: int = 60) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _redacted(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


@dataclass(frozen=True, slots=True)
class UiOptions:
    port: int = 8080
    worker_log_port: int = 8793
    trigger_log_port: int = 8794


def ui_environment(options: UiOptions, environ: dict[str, str]) -> dict[str, str]:
    """``airflow standalone``'s environment: the main job's Airflow home, the API server on the chosen
    port and the workers calling the execution API there, the log servers on the chosen ports."""
    env = environ
    prepare_environment(env)
    env.setdefault("AIRFLOW__CORE__PARALLELISM", UI_PARALLELISM)
    env["AIRFLOW__API__PORT"] = str(options.port)
    env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] = f"http://127.0.0.1:{options.port}/execution/"
    env["AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT"] = str(options.worker_log_port)
    env["AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT"] = str(options.trigger_log_port)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    # airflow standalone starts its components as `airflow ...` from PATH.
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(filter(None, [bin_dir, env.get("PATH")]))
    return env


def run_ui(options: UiOptions) -> int:
    """``airflow standalone`` on the main job's Airflow home, in its own process group so that
    Ctrl-C (or SIGTERM) stops the scheduler, API server and every worker it started."""
    prepare_airflow_and_warehouse()
    env = ui_environment(options, dict(os.environ))
    print(f"starting the Airflow UI on http://127.0.0.1:{options.port} (AIRFLOW_HOME={env['AIRFLOW_HOME']}).")
    print(f"Runs crawl the {crawl_target(env.get('NEWS_MIRROR_URL', ''))}.")
    print(
        "Log in as admin; the password is in "
        f"{env['AIRFLOW_HOME']}/simple_auth_manager_passwords.json.generated. Ctrl-C stops everything."
    )
    return _run_process_group([str(Path(sys.executable).parent / "airflow"), "standalone"], env)


def _run_process_group(command: list[str], env: dict[str, str]) -> int:
    process = subprocess.Popen(command, env=env, start_new_session=True)
    stop_requested: list[float] = []

    def request_stop(_signum: int, _frame: object) -> None:
        if not stop_requested:
            stop_requested.append(time.monotonic())
            _signal_group(process, signal.SIGTERM)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, request_stop)
    while True:
        try:
            returncode = process.wait(timeout=1)
            break
        except subprocess.TimeoutExpired:
            if stop_requested and time.monotonic() - stop_requested[0] > UI_STOP_GRACE_SECONDS:
                _signal_group(process, signal.SIGKILL)
    # Components that outlive airflow standalone itself.
    _signal_group(process, signal.SIGKILL)
    return returncode


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)
