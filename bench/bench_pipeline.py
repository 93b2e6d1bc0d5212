"""Pipeline benchmark: the wall-time breakdown of one ``news_ingest`` run, and Airflow's overhead.

    PYTHONPATH=. .venv/bin/python -m bench.bench_pipeline [--articles 250] [--batch-size 50]

In one process: the local mirror serves ``--articles`` generated articles (plus the fixture pages),
a tiny generated vi->en package is installed, and the chain runs twice into fresh databases of its own
(``news_bench_pipeline_<pid>_*`` on the DATABASE_URL / default server, dropped at the end):

- direct (the baseline): the same step functions the DAG tasks call, one after the other, no Airflow;
- news_ingest, cold: the DAG run in-process with ``dag.test()`` on a temporary SQLite Airflow home, the
  first in this process (it pays Airflow's one-time start-up: the in-process execution API, imports);
- news_ingest, warm: the same again into another fresh database, as a long-running worker would see it.

Each step function is timed inside both runs; overhead = wall time - the sum of the step timings, i.e.
what Airflow (scheduling loop, task start-up, XCom, state updates) or the plain loop adds. The
translation model is tiny, so translation here measures the pipeline's own cost around the model, not
real model speed (see translate's benchmark for that). Target: overhead under 20 % of the wall time.
"""

from __future__ import annotations

import argparse
import os
import secrets
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

SCRATCH = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
os.environ.setdefault("AIRFLOW_HOME", str(SCRATCH / "airflow"))
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(Path(__file__).resolve().parent.parent / "dags")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["ARGOS_PACKAGES_DIR"] = str(SCRATCH / "argos" / "packages")
os.environ.setdefault("XDG_DATA_HOME", str(SCRATCH / "xdg-data"))
os.environ.setdefault("XDG_CACHE_HOME", str(SCRATCH / "xdg-cache"))
os.environ.setdefault("TRANSLATE_INTRA_THREADS", "1")

STEPS = ("crawl", "load", "plan_translation", "translate", "check_quality")
REPORTED = (
    ("crawl", ("crawl",)),
    ("load", ("load",)),
    ("translate", ("plan_translation", "translate")),
    ("quality", ("check_quality",)),
)


class StepClock:
    """Wraps the ``pipeline.stages`` functions the DAG tasks call and adds up their wall time."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def timing(self) -> Iterator[None]:
        from pipeline import stages

        originals = {name: getattr(stages, name) for name in STEPS}
        for name, function in originals.items():
            setattr(stages, name, self._timed(name, function))
        try:
            yield
        finally:
            for name, function in originals.items():
                setattr(stages, name, function)

    def _timed(self, name: str, function: Callable) -> Callable:
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started

        return timed


@contextmanager
def fresh_database(label: str) -> Iterator[str]:
    from warehouse import db
    from warehouse.migrate import migrate

    server_url = db.database_url()
    db.start_server(server_url)
    url = db.with_database(server_url, f"news_bench_pipeline_{os.getpid()}_{label}_{secrets.token_hex(3)}")
    db.create_database(url)
    try:
        with db.connect(url=url) as conn:
            migrate(conn)
        yield url
    finally:
        db.drop_database(url)


@contextmanager
def environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_direct(clock: StepClock) -> tuple[float, int]:
    """The chain without Airflow: the same step functions, called in order."""
    from pipeline import stages

    params: dict = {}
    started = time.perf_counter()
    with clock.timing():
        requests = stages.select_sources(params, "bench__direct")
        for request in requests:
            stages.load(stages.crawl(request), params)
        for batch in stages.plan_translation(params):
            stages.translate(batch)
        report = stages.check_quality(params, "bench__direct")
    return time.perf_counter() - started, sum(
        counts.get("inserted", 0) for counts in report["counts"].values()
    )


def run_dag(clock: StepClock) -> tuple[float, int, str]:
    from airflow.dag_processing.dagbag import DagBag

    from pipeline.settings import connect_warehouse

    dag = DagBag(os.environ["AIRFLOW__CORE__DAGS_FOLDER"]).dags["news_ingest"]
    started = time.perf_counter()
    with clock.timing():
        dag_run = dag.test(run_conf={})
    wall = time.perf_counter() - started
    with connect_warehouse() as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    return wall, articles, str(dag_run.state)


def row(label: str, wall: float, clock: StepClock, articles: int, baseline: float) -> str:
    steps = {name: sum(clock.seconds[part] for part in parts) for name, parts in REPORTED}
    overhead = wall - sum(clock.seconds.values())
    cells = [
        f"{steps[name]:.1f} s ({steps[name] / wall:.0%})"
        for name in ("crawl", "load", "translate", "quality")
    ]
    return (
        f"| {label} | {articles} | {wall:.1f} s | {' | '.join(cells)} | "
        f"{overhead:.1f} s ({overhead / wall:.0%}) | {wall / baseline:.2f}x |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=250, help="generated articles the mirror serves")
    parser.add_argument("--batch-size", type=int, default=50, help="articles per translation task")
    args = parser.parse_args()

    from airflow.utils.db import resetdb

    from spiders.mirror import serve_mirror
    from translate.packages import install_package
    from translate.synthetic import build_synthetic_package

    resetdb()
    install_package(build_synthetic_package(SCRATCH / "vi_en.argosmodel", "vi", "en", seed=7))
    # Imported up front, so no run pays these one-time costs inside its timings.
    import translate.engine
    import translate.worker  # noqa: F401

    results = []
    with serve_mirror(port=0, synthetic_articles=args.articles) as mirror_url:
        for label in ("direct", "cold", "warm"):
            clock = StepClock()
            with (
                fresh_database(label) as url,
                environment(
                    DATABASE_URL=url,
                    NEWS_MIRROR_URL=mirror_url,
                    NEWS_DATA_URI=str(SCRATCH / f"data-{label}"),
                    NEWS_TRANSLATION_BATCH_SIZE=str(args.batch_size),
                    NEWS_TRANSLATION_MAX_BATCHES="64",
                ),
            ):
                if label == "direct":
                    wall, articles = run_direct(clock)
                    state = "success"
                else:
                    wall, articles, state = run_dag(clock)
            results.append((label, wall, clock, articles, state))

    baseline = results[0][1]
    print(f"news_ingest over the mirror ({args.articles} generated articles + fixture pages), 2 cores")
    print("| run | articles | wall | crawl | load | translate | quality | overhead | wall vs direct |")
    print("|---|---|---|---|---|---|---|---|---|")
    names = {
        "direct": "direct calls (baseline)",
        "cold": "news_ingest dag.test(), first in process",
        "warm": "news_ingest dag.test(), warm process",
    }
    for label, wall, clock, articles, state in results:
        print(row(f"{names[label]} ({state})", wall, clock, articles, baseline))


if __name__ == "__main__":
    main()
