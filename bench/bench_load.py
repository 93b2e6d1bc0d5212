"""Load benchmark: the warehouse loader vs a naive per-article pipeline vs raw COPY, in one run.

    PYTHONPATH=. .venv/bin/python -m bench.bench_load [--articles 20000] [--naive-sample 2000]

Works in a database of its own (``news_bench_load_<pid>`` on the DATABASE_URL / default server),
dropped at the end. The corpus: ``--articles`` records with 5-8 KB of Vietnamese body text each
(see bench/load_corpus.py), 1-4 images with captions, 2-6 tags. Methods, each into empty tables:

- loader: ``warehouse.loader.load_feed`` on the JSON Lines file (parse, validate, COPY to staging,
  one merge transaction per batch);
- naive: per article, parse and validate the same way, SELECT by canonical_url, INSERT, COMMIT; run on
  the first ``--naive-sample`` articles and reported as a rate;
- raw COPY: the already-parsed rows COPYed into a table with the same columns and no index,
  constraint or generated column (the floor of what getting the bytes into PostgreSQL costs).

Then loader and naive again with the Vietnamese full-text column (``articles.search_folded``) and its
index dropped, to show how much of the per-article cost both pay for it.

Last, a per-article breakdown (ms, wall clock): the naive pipeline's parse/validate, SELECT, INSERT and
COMMIT; the loader's parse (in a background thread, overlapping the database), COPY and merge; and the
ceiling any batching loader could reach against this naive pipeline. Batching can only remove the
naive pipeline's per-item round trips and commits; parsing/validating every record and the server's
work of storing it (row, TOAST, indexes, the search vector) remain. With Python and PostgreSQL on two
cores the best a loader can do is max(parse, store) per article, so the ratio cannot exceed
naive total / max(parse, store). The CPU seconds per article of the Python process and of the
PostgreSQL backend (read from /proc when the server is local) are printed too: on a shared machine
they are the figures other load does not inflate.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from bench.load_corpus import article_records, corpus_origin, write_feed
from warehouse import db
from warehouse.loader import load_feed, staging_row
from warehouse.migrate import migrate
from warehouse.record import ARTICLE_COLUMNS, Article

# Both follow the record's one column list, the order of every row staging_row builds.
_COLUMNS = sql.SQL(", ").join(map(sql.Identifier, ARTICLE_COLUMNS))
NAIVE_INSERT = sql.SQL("INSERT INTO articles ({}, first_seen, last_seen) VALUES ({})").format(
    _COLUMNS, sql.SQL(", ").join(sql.Placeholder() * (len(ARTICLE_COLUMNS) + 2))
)
# The same columns and types as articles, without its indexes, constraints and generated columns.
RAW_TABLE = sql.SQL("CREATE TABLE raw_articles AS SELECT {} FROM articles WITH NO DATA").format(_COLUMNS)
RAW_COPY = sql.SQL("COPY raw_articles ({}) FROM STDIN").format(_COLUMNS)
_CRAWLED_AT = ARTICLE_COLUMNS.index("crawled_at")


@dataclass
class Pass:
    """One pass (with or without the search column): table rows and per-article phase seconds."""

    rows: list[tuple[str, int, float]]
    naive: dict[str, float]
    naive_count: int
    loader: dict[str, float]
    loader_count: int


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--naive-sample", type=int, default=2_000)
    parser.add_argument("--batch-size", type=int, default=1_000)
    args = parser.parse_args()

    url = db.with_database(db.database_url(), f"news_bench_load_{os.getpid()}_{secrets.token_hex(3)}")
    db.start_server(url)
    db.create_database(url)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-load-") as scratch, db.connect(url=url) as conn:
            migrate(conn)
            feed = Path(scratch) / "baoquocte.jsonl"
            size = write_feed(feed, article_records(args.articles))
            print(
                f"corpus: {args.articles} articles, {size / args.articles / 1024:.1f} KiB of JSON each "
                f"({corpus_origin()}), batch size {args.batch_size}"
            )
            with_search = run(conn, feed, args)
            conn.execute("ALTER TABLE articles DROP COLUMN search_folded CASCADE")
            conn.commit()
            without_search = run_loader_and_naive(conn, feed, args, " (no full-text column)")
    finally:
        db.drop_database(url)
    print_table(with_search.rows)
    print_table(without_search.rows)
    print_breakdown(with_search, without_search)


def run(conn: psycopg.Connection, feed: Path, args: argparse.Namespace) -> Pass:
    measured = run_loader_and_naive(conn, feed, args, "")
    rows = measured.rows
    parsed = [staging_row(Article.from_json(line)) for line in feed.read_text(encoding="utf-8").splitlines()]
    conn.execute(RAW_TABLE)
    conn.commit()
    started = time.perf_counter()
    with conn.cursor().copy(RAW_COPY) as copy:
        for row in parsed:
            copy.write_row(row)
    conn.commit()
    rows.append(
        ("raw COPY into an unindexed table (pre-parsed rows)", args.articles, time.perf_counter() - started)
    )
    return measured


def run_loader_and_naive(
    conn: psycopg.Connection, feed: Path, args: argparse.Namespace, variant: str
) -> Pass:
    started, cpu_started = time.perf_counter(), cpu_seconds(conn)
    result = load_feed(conn, feed, records_per_transaction=args.batch_size)
    loader_seconds = time.perf_counter() - started
    loader_cpu = [end - start for start, end in zip(cpu_started, cpu_seconds(conn), strict=True)]
    assert result.inserted == args.articles, result.counts()
    phases = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in result.timings.items())
    print(f"loader phases{variant}: {phases}")

    started = time.perf_counter()
    again = load_feed(conn, feed, records_per_transaction=args.batch_size)
    rerun_seconds = time.perf_counter() - started
    assert again.unchanged == args.articles, again.counts()

    db.reset_data(conn)
    lines = feed.read_text(encoding="utf-8").splitlines()
    sample = lines[: args.naive_sample]
    naive_phases = dict.fromkeys(("parse", "select", "insert", "commit"), 0.0)
    started, cpu_started = time.perf_counter(), cpu_seconds(conn)
    for line in sample:
        naive_load(conn, line, naive_phases)
    naive_seconds = time.perf_counter() - started
    naive_cpu = [end - start for start, end in zip(cpu_started, cpu_seconds(conn), strict=True)]

    db.reset_data(conn)
    rows = [
        (f"naive: SELECT + INSERT + COMMIT per article{variant}", len(sample), naive_seconds),
        (f"warehouse loader: COPY + merge per batch{variant}", args.articles, loader_seconds),
        (f"warehouse loader, same feed again (all unchanged){variant}", args.articles, rerun_seconds),
    ]
    naive_phases.update(total=naive_seconds, python_cpu=naive_cpu[0], backend_cpu=naive_cpu[1])
    loader_phases = dict(
        result.timings, total=loader_seconds, python_cpu=loader_cpu[0], backend_cpu=loader_cpu[1]
    )
    return Pass(rows, naive_phases, len(sample), loader_phases, args.articles)


def cpu_seconds(conn: psycopg.Connection) -> tuple[float, float]:
    """CPU seconds used so far by this process and by the connection's backend (0 when the server is
    not local): unlike wall time, not inflated by whatever else the machine runs."""
    backend = 0.0
    if conn.info.host in ("127.0.0.1", "localhost", "::1") or conn.info.host.startswith("/"):
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{conn.info.backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
            backend = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    return time.process_time(), backend


def naive_load(conn: psycopg.Connection, line: str, phases: dict[str, float]) -> None:
    """One article the naive way; adds the seconds of each step to ``phases``."""
    started = time.perf_counter()
    article = Article.from_json(line)
    row = staging_row(article)
    selected = time.perf_counter()
    existing = conn.execute(
        "SELECT article_id, content_hash FROM articles WHERE canonical_url = %s", (article.canonical_url,)
    ).fetchone()
    inserting = time.perf_counter()
    if existing is None:
        conn.execute(NAIVE_INSERT, (*row, row[_CRAWLED_AT], row[_CRAWLED_AT]))
    committing = time.perf_counter()
    conn.commit()
    done = time.perf_counter()
    phases["parse"] += selected - started
    phases["select"] += inserting - selected
    phases["insert"] += committing - inserting
    phases["commit"] += done - committing


def print_table(rows: list[tuple[str, int, float]]) -> None:
    """Rates relative to the first row (naive) and, when present, to the raw COPY row."""
    naive = rows[0][1] / rows[0][2]
    raw = rows[3][1] / rows[3][2] if len(rows) > 3 else None
    print()
    print("| Load method | Articles | Seconds | Articles/s | × naive | % of raw COPY rate |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, count, seconds in rows:
        rate = count / seconds
        share = f"{rate / raw:.0%}" if raw else "–"
        print(f"| {name} | {count:,} | {seconds:.1f} | {rate:,.0f} | {rate / naive:.1f}× | {share} |")


def print_breakdown(with_search: Pass, without_search: Pass) -> None:
    """Milliseconds per article of each step, and the ceiling of the loader/naive ratio they imply."""

    def naive(measured: Pass, phase: str) -> float:
        return measured.naive[phase] * 1000 / measured.naive_count

    def loader(measured: Pass, *phases: str) -> float:
        return sum(measured.loader[phase] for phase in phases) * 1000 / measured.loader_count

    print()
    print("| ms per article | naive | loader | naive, no full-text column | loader, no full-text column |")
    print("|---|---:|---:|---:|---:|")
    lines = [
        ("parse + validate (Python; the loader's runs in a background thread)", "parse", ("parse",)),
        ("SELECT the stored hash (naive) / COPY into staging (loader)", "select", ("copy",)),
        ("INSERT (naive) / merge statements (loader): store row, TOAST, indexes", "insert", ("merge",)),
        ("COMMIT (loader: included in the merge, once per batch)", "commit", ()),
        ("total (1 / rate)", "total", ("total",)),
        ("CPU: Python process (parse, validate, send)", "python_cpu", ("python_cpu",)),
        ("CPU: PostgreSQL backend", "backend_cpu", ("backend_cpu",)),
    ]
    for label, naive_phase, loader_phases in lines:
        cells = [naive(with_search, naive_phase), loader(with_search, *loader_phases)]
        cells += [naive(without_search, naive_phase), loader(without_search, *loader_phases)]
        print(f"| {label} | " + " | ".join(f"{cell:.3f}" for cell in cells) + " |")
    naive_search = naive(with_search, "insert") - naive(without_search, "insert")
    loader_search = loader(with_search, "merge") - loader(without_search, "merge")
    print()
    print(
        "The Vietnamese search vector (to_tsvector over the folded text, its GIN entries) costs "
        f"{naive_search:.3f} ms of each naive INSERT and {loader_search:.3f} ms per article of the "
        "loader's merge (with the column minus without)."
    )
    for name, measured in (("with", with_search), ("without", without_search)):
        naive_cpu = naive(measured, "python_cpu") + naive(measured, "backend_cpu")
        loader_cpu = loader(measured, "python_cpu") + loader(measured, "backend_cpu")
        if naive_cpu and loader_cpu:
            print(
                f"CPU {name} the full-text column: naive {naive_cpu:.3f} ms, loader {loader_cpu:.3f} ms per "
                f"article ({naive_cpu / loader_cpu:.1f}×), not inflated by other load on the machine."
            )
        total, parse, store = (
            naive(measured, "total"),
            naive(measured, "parse"),
            loader(measured, "copy", "merge"),
        )
        print(
            f"Ceiling {name} the full-text column: naive {total:.3f} ms / max(parse {parse:.3f}, loader's "
            f"COPY + merge {store:.3f}) = {total / max(parse, store):.1f}× naive, parsing fully overlapped; "
            f"{total / ((parse + store) / 2):.1f}× if both cores were busy all the time; "
            f"measured {total / loader(measured, 'total'):.1f}×."
        )


if __name__ == "__main__":
    main()
