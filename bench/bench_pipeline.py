"""Pipeline benchmark: the wall-time breakdown of one ``news_ingest`` run, and Airflow's overhead.

    PYTHONPATH=. .venv/bin/python -m bench.bench_pipeline [--articles 250] [--model tiny|opus-mt]
        [--batch-size N] [--runs direct,cold,warm]

In one process: the local mirror serves ``--articles`` generated articles (plus the fixture pages),
a generated vi->en package is installed, and the chain runs up to three times into fresh databases of
its own (``news_bench_pipeline_<pid>_*`` on the DATABASE_URL / default server, dropped at the end):

- direct (the baseline): the same step functions the DAG tasks call, one after the other, no Airflow;
- news_ingest, cold: the DAG run in-process with ``dag.test()`` on a temporary SQLite Airflow home, the
  first in this process (it pays Airflow's one-time start-up: the in-process execution API, imports);
- news_ingest, warm: the same again into another fresh database, as a long-running worker would see it.

Each step function is timed inside every run; overhead = wall time - the sum of the step timings, i.e.
what Airflow (scheduling loop, task start-up, XCom, state updates) or the plain loop adds, also shown
per task instance that ran. Target: overhead under 20 % of the wall time.

``--model tiny`` (1+1 layers, d 32) makes translation nearly free, so the table shows the pipeline's own
cost around the model: the worst case for the overhead share. ``--model opus-mt`` builds a model of a
real vi->en OPUS-MT's size (6+6 layers, d 512, FFN 2048, 8 heads, 32k vocabulary, int8, random weights
whose outputs run about as long as real vi->en translations (see testkit.synthetic_models), source
SentencePiece trained on the FLORES sentences the mirror's articles are made of), so translation costs
about what a real model's does on this machine. The generated articles draw their sentences
from the same ~1,000 FLORES lines, so the sentence cache answers many of them after the first batch;
real news repeats far less, so translation is again a lower bound and the overhead share an upper one.
The batch size is ``NEWS_ARTICLES_PER_TRANSLATION_TASK`` (the deployment default) unless ``--batch-size`` is
given.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from warehouse.paths import PROJECT_ROOT

SCRATCH = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
os.environ.setdefault("AIRFLOW_HOME", str(SCRATCH / "airflow"))
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(PROJECT_ROOT / "dags")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["ARGOS_PACKAGES_DIR"] = str(SCRATCH / "argos" / "packages")
os.environ.setdefault("XDG_DATA_HOME", str(SCRATCH / "xdg-data"))
os.environ.setdefault("XDG_CACHE_HOME", str(SCRATCH / "xdg-cache"))
os.environ.setdefault("TRANSLATE_INTRA_THREADS", "1")

MODELS = ("tiny", "opus-mt")
RUNS = ("direct", "cold", "warm")
STEPS = ("select_sources", "crawl", "load", "plan_translation", "translate", "check_quality")
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
        self.calls: Counter[str] = Counter()

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
                self.calls[name] += 1

        return timed


@contextmanager
def fresh_database(label: str) -> Iterator[str]:
    from warehouse import db

    url = db.with_database(
        db.database_url(), f"news_bench_pipeline_{os.getpid()}_{label}_{secrets.token_hex(3)}"
    )
    db.ensure_database(url)
    try:
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


def run_direct(clock: StepClock) -> tuple[float, int, int]:
    """The chain without Airflow: the same step functions, called in order; returns the wall time, the
    articles loaded and the step calls."""
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
    wall = time.perf_counter() - started
    articles = sum(counts.get("inserted", 0) for counts in report["counts"].values())
    return wall, articles, sum(clock.calls.values())


def run_dag(clock: StepClock) -> tuple[float, int, int, str]:
    """One ``news_ingest`` run; returns the wall time, the articles loaded, the task instances that ran
    (skipped ones do not count) and the run's state."""
    from airflow.dag_processing.dagbag import DagBag

    from warehouse.db import connect, one_value

    dag = DagBag(os.environ["AIRFLOW__CORE__DAGS_FOLDER"]).dags["news_ingest"]
    started = time.perf_counter()
    with clock.timing():
        dag_run = dag.test(run_conf={})
    wall = time.perf_counter() - started
    with connect() as conn:
        articles = one_value(conn.execute("SELECT count(*) FROM articles"))
    ran = sum(1 for ti in dag_run.get_task_instances() if str(ti.state) != "skipped")
    return wall, articles, ran, str(dag_run.state)


@dataclass(frozen=True, slots=True)
class MeasuredRun:
    label: str
    wall: float
    clock: StepClock
    articles: int
    tasks: int
    state: str


def row(run: MeasuredRun, title: str, *, baseline: float | None) -> str:
    wall, seconds = run.wall, run.clock.seconds
    steps = {name: sum(seconds[part] for part in parts) for name, parts in REPORTED}
    overhead = wall - sum(seconds.values())
    cells = [
        f"{steps[name]:.1f} s ({steps[name] / wall:.0%})"
        for name in ("crawl", "load", "translate", "quality")
    ]
    return (
        f"| {title} ({run.state}) | {run.articles} | {wall:.1f} s | {' | '.join(cells)} | "
        f"{run.clock.calls['translate']} | {overhead:.1f} s ({overhead / wall:.0%}) | "
        f"{overhead / run.tasks:.2f} s ({run.tasks}) | {f'{wall / baseline:.2f}x' if baseline else '-'} |"
    )


def mirror_sentences() -> list[str]:
    """The sentences the mirror's generated articles are made of, to train the source SentencePiece."""
    from testkit.synthetic_pages import FLORES_SENTENCES

    if not FLORES_SENTENCES.exists():
        raise SystemExit(f"--model opus-mt needs {FLORES_SENTENCES} (the mirror's article sentences)")
    lines = FLORES_SENTENCES.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=250, help="generated articles the mirror serves")
    parser.add_argument(
        "--batch-size",
        type=int,
        help="articles per translation task (default: NEWS_ARTICLES_PER_TRANSLATION_TASK)",
    )
    parser.add_argument("--model", choices=MODELS, default="tiny", help="the generated vi->en model's size")
    parser.add_argument(
        "--runs",
        default=",".join(RUNS),
        help="comma-separated runs out of direct,cold,warm (without direct, no wall-vs-direct ratio)",
    )
    args = parser.parse_args()
    runs = [label for label in RUNS if label in args.runs.split(",")]

    from airflow.utils.db import resetdb

    from pipeline.settings import PipelineSettings
    from testkit.mirror import serve_mirror
    from testkit.synthetic_models import build_synthetic_package
    from translate.packages import install_package

    batch_size = args.batch_size or PipelineSettings.from_env().articles_per_translation_task
    resetdb()
    install_package(
        build_synthetic_package(
            SCRATCH / "vi_en.argosmodel",
            "vi",
            "en",
            size=args.model,
            seed=7,
            source_lines=mirror_sentences() if args.model == "opus-mt" else None,
        )
    )
    # Imported up front, so no run pays these one-time costs inside its timings.
    import translate.engine
    import translate.queue_worker  # noqa: F401

    results: list[MeasuredRun] = []
    with serve_mirror(port=0, synthetic_articles=args.articles) as mirror_url:
        for label in runs:
            clock = StepClock()
            with (
                fresh_database(label) as url,
                environment(
                    DATABASE_URL=url,
                    NEWS_MIRROR_URL=mirror_url,
                    NEWS_DATA_URI=str(SCRATCH / f"data-{label}"),
                    NEWS_ARTICLES_PER_TRANSLATION_TASK=str(batch_size),
                    NEWS_MAX_TRANSLATION_TASKS="64",
                ),
            ):
                if label == "direct":
                    wall, articles, tasks = run_direct(clock)
                    state = "success"
                else:
                    wall, articles, tasks, state = run_dag(clock)
            results.append(MeasuredRun(label, wall, clock, articles, tasks, state))

    baseline = results[0].wall if runs[0] == "direct" else None
    print(
        f"news_ingest over the mirror ({args.articles} generated articles + fixture pages), {args.model} "
        f"model, {batch_size} articles per translation task, 2 cores"
    )
    print(
        "| run | articles | wall | crawl | load | translate | quality | translate tasks | overhead "
        "| overhead per task (tasks) | wall vs direct |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    names = {
        "direct": "direct calls (baseline)",
        "cold": "news_ingest dag.test(), first in process",
        "warm": "news_ingest dag.test(), warm process",
    }
    for run in results:
        print(row(run, names[run.label], baseline=baseline))


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
