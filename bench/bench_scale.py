"""Scale benchmark: load 1,000,000 synthetic articles, then time every example analyst query.

    nohup env PYTHONPATH=. .venv/bin/python -m bench.bench_scale > scale.txt 2>&1 &

Works in a database of its own (``news_bench_scale_<pid>``), dropped at the end unless ``--keep``.
Steps, each timed:

1. write the corpus as JSON Lines feeds (not part of the load time): ``--articles`` records over 10
   Vietnamese sources and 2 English editions (1 article in 6 is an English original, needing no
   translation), published over the last two years, body text of ``--body-bytes`` (default 1.5-2.5 KB);
2. load the feeds with ``warehouse.loader.load_feed``, ``--loaders`` processes in parallel (as the
   ingestion DAG's per-source load tasks run), each on its share of the feeds;
3. bring the warehouse to a steady state the queries can be judged on: every Vietnamese article crawled
   more than two days before the newest crawl is marked translated and gets a synthetic English translation
   (one FLORES English sentence per paragraph, paragraph-aligned), written with COPY; then VACUUM
   ANALYZE. The first ``--trigger-sample`` translated articles (default 5,000) are copied as every writer
   does, through the ``translations_search_en`` trigger that updates each one's ``articles`` row, and
   their time is reported per article; the rest are copied with that trigger disabled (this database is
   the benchmark's own), followed by one set-based update (``sql/bench/refresh_search_en.sql``) calling
   the trigger's own function: the same rows without one ``articles`` update per translation (that
   update made this step 1,011 s at 200,000 articles on the shared machine);
4. run each ``sql/queries/*.sql`` ``--runs`` times as the analyst role with varying parameters (one
   warm-up run each, not counted) and report p50/p95.

Python processes run at ``--nice`` (default 10) and renice their PostgreSQL backends alike, to leave
the machine usable. On a shared machine the wall time then depends on what else runs, so the load step
also reports the CPU seconds the loaders and their PostgreSQL backends used (from /proc, when the
server is local): divided by the cores, that is the load time on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import psycopg
from psycopg import sql

from bench.load_corpus import (
    ENGLISH_EDITIONS,
    SOURCES,
    article_records,
    corpus_origin,
    english_sentences,
    write_feed,
)
from warehouse import db
from warehouse.loader import LoadResult, load_feed
from warehouse.migrate import migrate
from warehouse.sqlfile import SQL_DIR, statement
from warehouse.translation_queue import status_counts

T = TypeVar("T")
QUERIES_DIR = SQL_DIR / "queries"
NEWEST_CRAWL = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
HISTORY = timedelta(days=730)
FEEDS_PER_LOADER = 10
CORPUS_SOURCES = SOURCES + ENGLISH_EDITIONS
QUERY_PARAMETERS: dict[str, list[dict[str, object]]] = {
    "latest_by_source.sql": [{"source": source} for source in CORPUS_SOURCES],
    "english_fulltext.sql": [
        {"query": query}
        for query in (
            "scientists",
            "hurricane",
            "election",
            "museum",
            "football",
            "president",
            "police",
            "earthquake",
            '"climate change"',
            "tourists -beach",
        )
    ],
    "vietnamese_unaccented.sql": [
        {"query": query}
        for query in (
            "hoa binh",
            "khoa hoc",
            "chinh phu",
            "nguoi dan",
            "the thao",
            "dong dat",
            "bau cu",
            "tong thong",
            "du lich",
            "benh vien",
        )
    ],
    "daily_counts_by_source.sql": [{"days": days} for days in (7, 14, 30)],
    "translation_backlog.sql": [{}],
    "stories_across_outlets.sql": [{"min_outlets": outlets} for outlets in (2, 3, 4)],
}
TRANSLATION_COLUMNS = (
    "article_id, target_language, model_id, model_version, source_language, source_content_hash, "
    "title, lead, body, captions, translated_at"
)
SEARCH_TRIGGER = "translations_search_en"


@dataclass(frozen=True)
class TranslationTimes:
    """Time to store the synthetic translations, per path: the first ``trigger_articles`` through the
    per-row search trigger, the other ``bulk_articles`` by COPY without it plus one set-based update."""

    trigger_articles: int
    trigger_seconds: float
    bulk_articles: int
    bulk_seconds: float

    def ms_per_article(self) -> tuple[float | None, float | None]:
        return (
            self.trigger_seconds * 1000 / self.trigger_articles if self.trigger_articles else None,
            self.bulk_seconds * 1000 / self.bulk_articles if self.bulk_articles else None,
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--loaders", type=int, default=2)
    parser.add_argument("--body-bytes", type=int, nargs=2, default=(1500, 2500), metavar=("MIN", "MAX"))
    parser.add_argument("--batch-size", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--trigger-sample",
        type=int,
        default=5_000,
        help="translated articles stored through the per-row search trigger, timed apart (the rest in bulk)",
    )
    parser.add_argument(
        "--no-stories",
        action="store_true",
        help="load without signing or linking stories (a bulk backfill; the queries then find no stories)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--nice", type=int, default=10, help="niceness of the benchmark and its backends")
    args = parser.parse_args()
    os.nice(args.nice)

    url = db.with_database(db.database_url(), f"news_bench_scale_{os.getpid()}_{secrets.token_hex(3)}")
    db.start_server(url)
    db.create_database(url)
    print(f"database: {db.database_name(url)}", flush=True)
    timings: dict[str, float] = {}
    try:
        with db.connect(url=url) as conn:
            migrate(conn)
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
            feeds = timed(timings, "write feeds", write_feeds, Path(scratch), args)
            size = sum(path.stat().st_size for share in feeds for path in share)
            print(
                f"corpus: {args.articles:,} articles in {sum(map(len, feeds))} feeds, "
                f"{size / args.articles / 1024:.1f} KiB of JSON each ({corpus_origin()})",
                flush=True,
            )
            result, cpu = timed(
                timings, "load", load_in_parallel, url, feeds, args.batch_size, not args.no_stories
            )
        print(f"load counts: {json.dumps(result.counts())}", flush=True)
        print(
            f"load CPU seconds: {json.dumps({name: round(value, 1) for name, value in cpu.items()})}",
            flush=True,
        )
        translation_times = timed(
            timings,
            "steady state: mark translated + English translations",
            translate_history,
            url,
            args.loaders,
            args.trigger_sample,
        )
        print_translation_times(translation_times)
        with db.connect(url=url) as conn:
            statuses = status_counts(conn)
        print(f"translation statuses: {json.dumps(statuses)}", flush=True)
        timed(timings, "VACUUM ANALYZE", vacuum, url)
        load_averages = [os.getloadavg()]
        latencies = measure_queries(url, args.runs)
        load_averages.append(os.getloadavg())
        with db.connect(url=url) as conn:
            sizes = conn.execute(
                "SELECT pg_size_pretty(pg_database_size(current_database())),"
                " pg_size_pretty(pg_total_relation_size('articles')),"
                " pg_size_pretty(pg_total_relation_size('translations'))"
            ).fetchone()
    finally:
        if not args.keep:
            db.drop_database(url)
    report(
        args, timings, cpu, latencies, sizes, translation_times=translation_times, load_averages=load_averages
    )


def timed(timings: dict[str, float], name: str, function: Callable[..., T], *arguments: object) -> T:
    started = time.perf_counter()
    value = function(*arguments)
    timings[name] = time.perf_counter() - started
    print(f"{name}: {timings[name]:.1f} s", flush=True)
    return value


def write_feeds(scratch: Path, args: argparse.Namespace) -> list[list[Path]]:
    """One list of feed files per loader; feed k covers consecutive ids and a slice of the history."""
    count = args.loaders * FEEDS_PER_LOADER
    per_feed = -(-args.articles // count)
    jobs = []
    for index in range(count):
        first_id = 1 + index * per_feed
        articles = min(per_feed, args.articles - index * per_feed)
        jobs.append(
            (scratch / f"feed-{index:03d}.jsonl", first_id, articles, tuple(args.body_bytes), index, count)
        )
    with ProcessPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        paths = list(pool.map(_write_feed, jobs))
    return [paths[loader :: args.loaders] for loader in range(args.loaders)]


def _write_feed(job: tuple[Path, int, int, tuple[int, int], int, int]) -> Path:
    path, first_id, articles, body_bytes, index, count = job
    start = NEWEST_CRAWL - HISTORY
    write_feed(
        path,
        article_records(
            articles,
            seed=first_id,
            body_bytes=body_bytes,
            first_id=first_id,
            sources=CORPUS_SOURCES,
            english_sources=ENGLISH_EDITIONS,
            published_from=start + HISTORY * index / count,
            published_span=HISTORY / count - timedelta(hours=12),
        ),
    )
    return path


def load_in_parallel(
    url: str, feeds: list[list[Path]], batch_size: int, link_stories: bool
) -> tuple[LoadResult, dict[str, float]]:
    """The summed load result and the CPU seconds of the loader processes and of their backends."""
    total = LoadResult()
    cpu = {"python": 0.0, "postgresql": 0.0}
    with ProcessPoolExecutor(max_workers=len(feeds)) as pool:
        for result, python_cpu, backend_cpu in pool.map(
            _load_share,
            [url] * len(feeds),
            feeds,
            [batch_size] * len(feeds),
            [link_stories] * len(feeds),
        ):
            total.add(result)
            cpu["python"] += python_cpu
            cpu["postgresql"] += backend_cpu
    return total, cpu


def _load_share(
    url: str, feeds: list[Path], batch_size: int, link_stories: bool
) -> tuple[LoadResult, float, float]:
    total = LoadResult()
    started = time.process_time()
    with db.connect(url=url) as conn:
        _renice_backend(conn)
        backend_started = _backend_cpu(conn)
        for feed in feeds:
            total.add(load_feed(conn, feed, records_per_transaction=batch_size, link_stories=link_stories))
        backend_cpu = _backend_cpu(conn) - backend_started
    return total, time.process_time() - started, backend_cpu


def _backend_cpu(conn: psycopg.Connection) -> float:
    """CPU seconds (user + system) this connection's backend has used; 0 when it is not local."""
    if not _is_local(conn):
        return 0.0
    try:
        stat = Path(f"/proc/{conn.info.backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


def translate_history(url: str, loaders: int, trigger_sample: int) -> TranslationTimes:
    """Mark the older Vietnamese articles translated and store an English translation of each: the
    first ``trigger_sample`` of them through the search trigger, the rest in bulk (same end state)."""
    cutoff = NEWEST_CRAWL - timedelta(days=2)
    with db.connect(url=url) as conn:
        _renice_backend(conn)
        conn.execute(
            "UPDATE articles SET translation_status = 'done' WHERE translation_status = 'pending'"
            " AND crawled_at < %s",
            (cutoff,),
        )
        conn.commit()
        translated = [
            article_id
            for (article_id,) in conn.execute(
                "SELECT article_id FROM articles WHERE translation_status = 'done' ORDER BY article_id"
            )
        ]
    if not translated:
        return TranslationTimes(0, 0.0, 0, 0.0)
    sample = translated[:trigger_sample]
    bulk_first = sample[-1] + 1 if sample else translated[0]
    started = time.perf_counter()
    if sample:
        _copy_translations(url, (translated[0], bulk_first), bulk=False)
    trigger_seconds = time.perf_counter() - started
    started = time.perf_counter()
    if len(translated) > len(sample):
        bulk_end = translated[-1] + 1
        step = -(-(bulk_end - bulk_first) // loaders)
        ranges = [
            (bulk_first + index * step, min(bulk_first + (index + 1) * step, bulk_end))
            for index in range(loaders)
        ]
        with db.connect(url=url) as conn:
            conn.execute(
                sql.SQL("ALTER TABLE translations DISABLE TRIGGER {}").format(sql.Identifier(SEARCH_TRIGGER))
            )
            conn.commit()
            try:
                with ProcessPoolExecutor(max_workers=loaders) as pool:
                    list(pool.map(_copy_translations, [url] * len(ranges), ranges, [True] * len(ranges)))
            finally:
                conn.execute(
                    sql.SQL("ALTER TABLE translations ENABLE TRIGGER {}").format(
                        sql.Identifier(SEARCH_TRIGGER)
                    )
                )
                conn.commit()
    return TranslationTimes(
        len(sample), trigger_seconds, len(translated) - len(sample), time.perf_counter() - started
    )


def _copy_translations(url: str, id_range: tuple[int, int], bulk: bool) -> None:
    """COPY a synthetic English translation of every translated article in ``[start, end)``; in bulk
    (the search trigger disabled) then bring their ``articles.search_en_translation`` up to date in
    one statement."""
    sentences = english_sentences()
    with db.connect(url=url) as conn:
        _renice_backend(conn)
        articles = conn.execute(
            "SELECT article_id, content_hash, jsonb_array_length(body), images, crawled_at FROM articles"
            " WHERE translation_status = 'done' AND article_id >= %s AND article_id < %s",
            id_range,
        ).fetchall()
        copy_statement = sql.SQL("COPY translations ({}) FROM STDIN").format(sql.SQL(TRANSLATION_COLUMNS))
        with conn.cursor().copy(copy_statement) as copy:
            for article_id, content_hash, paragraphs, images, crawled_at in articles:
                # Seeded per article, so a translation does not depend on how the ids were split up.
                rng = random.Random(article_id)
                body = [rng.choice(sentences) for _ in range(paragraphs)]
                captions = [rng.choice(sentences) if image.get("caption") else None for image in images]
                copy.write_row(
                    (
                        article_id,
                        "en",
                        "opus-mt-vi-en",
                        "2024-01",
                        "vi",
                        content_hash,
                        rng.choice(sentences),
                        " ".join(rng.sample(sentences, 2)),
                        json.dumps(body, ensure_ascii=False),
                        json.dumps(captions, ensure_ascii=False),
                        crawled_at + timedelta(minutes=rng.randint(10, 240)),
                    )
                )
        if bulk:
            conn.execute(statement("bench/refresh_search_en.sql"), {"first": id_range[0], "end": id_range[1]})
        conn.commit()


def print_translation_times(times: TranslationTimes) -> None:
    trigger_ms, bulk_ms = times.ms_per_article()
    if trigger_ms is not None:
        print(
            f"translations through the search trigger: {times.trigger_articles:,} articles in "
            f"{times.trigger_seconds:.1f} s, {trigger_ms:.2f} ms/article",
            flush=True,
        )
    if bulk_ms is not None:
        print(
            f"translations in bulk (COPY without the trigger + one update): {times.bulk_articles:,} articles"
            f" in {times.bulk_seconds:.1f} s, {bulk_ms:.2f} ms/article",
            flush=True,
        )


def vacuum(url: str) -> None:
    with db.connect(url=url, autocommit=True) as conn:
        _renice_backend(conn)
        conn.execute("VACUUM (ANALYZE) articles, translations, article_revisions, ingest_runs")


def measure_queries(url: str, runs: int) -> dict[str, list[float]]:
    latencies: dict[str, list[float]] = {}
    with db.connect(url=url, autocommit=True) as conn:
        _renice_backend(conn)
        conn.execute("SET ROLE analyst")
        for path in sorted(QUERIES_DIR.glob("*.sql")):
            parameter_sets = QUERY_PARAMETERS[path.name]
            conn.execute(render(conn, path, parameter_sets[0])).fetchall()
            samples = []
            for run in range(runs):
                query = render(conn, path, parameter_sets[run % len(parameter_sets)])
                started = time.perf_counter()
                conn.execute(query).fetchall()
                samples.append((time.perf_counter() - started) * 1000)
            latencies[path.name] = samples
            print(f"{path.name}: p50 {percentile(samples, 50):.1f} ms", flush=True)
    return latencies


def render(conn: psycopg.Connection, path: Path, variables: dict[str, object]) -> bytes:
    """The query file as psql would run it: ``\\set`` defaults, then ``:'name'`` and ``:name``
    substituted, meta-commands dropped."""
    text = path.read_text(encoding="utf-8")
    values = {name: value.strip("'") for name, value in re.findall(r"\\set (\w+) (.+?) \\endif", text)}
    values.update({name: str(value) for name, value in variables.items()})
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("\\"))
    body = re.sub(r":'(\w+)'", lambda match: sql.Literal(values[match[1]]).as_string(conn), body)
    body = re.sub(r"(?<![:\w]):(\w+)", lambda match: values[match[1]], body)
    return body.encode("utf-8")


def percentile(samples: list[float], rank: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[rank - 1]


def report(  # noqa: PLR0913 - every measurement the report prints
    args: argparse.Namespace,
    timings: dict[str, float],
    cpu: dict[str, float],
    latencies: dict[str, list[float]],
    sizes: tuple[str, str, str] | None,
    *,
    translation_times: TranslationTimes,
    load_averages: list[tuple[float, float, float]],
) -> None:
    load_seconds = timings["load"]
    print()
    print(
        f"Scale: {args.articles:,} articles ({args.body_bytes[0]}-{args.body_bytes[1]} bytes of body text, "
        f"{len(SOURCES)} Vietnamese sources and {len(ENGLISH_EDITIONS)} English editions, 2 years), "
        f"{args.loaders} loader processes, batch {args.batch_size}"
        + (", loaded without stories (--no-stories)" if args.no_stories else "")
    )
    if sizes:
        print(f"database {sizes[0]}, articles {sizes[1]}, translations {sizes[2]}")
    print()
    print("| Step | Seconds | Articles/s |")
    print("|---|---:|---:|")
    for name, seconds in timings.items():
        rate = f"{args.articles / seconds:,.0f}" if name == "load" else "–"
        print(f"| {name} | {seconds:,.1f} | {rate} |")
    print()
    print(f"Load of {args.articles:,} articles: {load_seconds / 60:.1f} min (target < 10 min)")
    cpu_seconds = cpu["python"] + cpu["postgresql"]
    if cpu["postgresql"]:
        cores = os.cpu_count() or 1
        print(
            f"CPU used by the load: {cpu_seconds:,.0f} s ({cpu['python']:,.0f} s Python, "
            f"{cpu['postgresql']:,.0f} s PostgreSQL backends), {cpu_seconds * 1000 / args.articles:.2f} ms "
            f"per article: {cpu_seconds / cores / 60:.1f} min on {cores} otherwise idle cores (autovacuum, "
            "checkpointer and WAL writer not counted)"
        )
    print()
    print_translation_times(translation_times)
    print(
        "load average (1, 5, 15 min) at the start and end of the queries: "
        + " / ".join(", ".join(f"{value:.2f}" for value in averages) for averages in load_averages)
    )
    print()
    print(f"| Query (sql/queries, as analyst, {args.runs} runs) | p50 ms | p95 ms |")
    print("|---|---:|---:|")
    for name, samples in latencies.items():
        print(f"| {name} | {percentile(samples, 50):.1f} | {percentile(samples, 95):.1f} |")


def _renice_backend(conn: psycopg.Connection) -> None:
    """Give this connection's PostgreSQL backend our own niceness when it runs on this machine."""
    if not _is_local(conn):
        return
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, conn.info.backend_pid, os.getpriority(os.PRIO_PROCESS, 0))


def _is_local(conn: psycopg.Connection) -> bool:
    host = conn.info.host
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("/")


if __name__ == "__main__":
    main()
