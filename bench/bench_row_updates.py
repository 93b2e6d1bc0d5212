"""Row-update benchmark: what an UPDATE of an articles row costs before and after migration 009, in one run.

    PYTHONPATH=. .venv/bin/python -m bench.bench_row_updates [--articles 5000] [--rounds 3]

Two databases of its own on the DATABASE_URL / default server, dropped at the end: one migrated up to
008 (search_en kept by a BEFORE row trigger on articles), one fully migrated (009: no such trigger).
Both get the same ``--articles`` synthetic articles (bench/load_corpus.py, 1.5-2.5 KB of body, 1 in 6
an English original) through the warehouse loader. Then, ``--rounds`` times, alternating between the
databases, each statement in ``sql/bench/`` that stands for a small write of the pipeline is run on
every article and rolled back:

- ``refresh_last_seen_all.sql``: the loader's last_seen refresh;
- ``claim_all.sql``: a translation claim's status columns;
- ``translate_all.sql``: storing a translation, whose trigger updates the article's English search
  vector.

None of them changes the text, so none should recompute ``search_folded`` (fold and index the whole
body). The report gives ms per article (best of the rounds) and the ratio before / after.
"""

from __future__ import annotations

import argparse
import secrets
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from bench.load_corpus import ENGLISH_EDITIONS, SOURCES, article_records, corpus_origin, write_feed
from testkit.migrations import migrate_through
from warehouse import db
from warehouse.loader import load_feed
from warehouse.migrate import migrate
from warehouse.sqlfile import statement

STATEMENTS = ("refresh_last_seen_all.sql", "claim_all.sql", "translate_all.sql")
BEFORE = "migrations up to 008"
AFTER = "all migrations (009)"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    server = db.database_url()
    db.start_server(server)
    urls = {
        schema: db.with_database(server, f"news_bench_rows_{secrets.token_hex(3)}")
        for schema in (BEFORE, AFTER)
    }
    best: dict[tuple[str, str], float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-rows-") as scratch:
        feed = Path(scratch) / "feed.jsonl"
        write_feed(feed, corpus(args.articles))
        try:
            for schema, url in urls.items():
                db.create_database(url)
                with db.connect(url=url) as conn:
                    if schema == BEFORE:
                        migrate_through(conn, 8)
                    else:
                        migrate(conn)
                    load_feed(conn, feed, records_per_transaction=1_000, link_stories=False)
                    conn.commit()
                with db.connect(url=url, autocommit=True) as conn:
                    conn.execute("VACUUM ANALYZE articles")
            for _ in range(args.rounds):
                for schema, url in urls.items():
                    with db.connect(url=url) as conn:
                        for name in STATEMENTS:
                            seconds = timed_rollback(conn, name)
                            key = (schema, name)
                            best[key] = min(best.get(key, seconds), seconds)
        finally:
            for url in urls.values():
                db.drop_database(url)
    report(args, best)


def corpus(articles: int) -> Iterator[dict[str, Any]]:
    newest = datetime.now(UTC)
    return article_records(
        articles,
        seed=1,
        body_bytes=(1500, 2500),
        first_id=1,
        sources=SOURCES + ENGLISH_EDITIONS,
        english_sources=ENGLISH_EDITIONS,
        published_from=newest - timedelta(days=30),
        published_span=timedelta(days=29),
    )


def timed_rollback(conn: psycopg.Connection, name: str) -> float:
    started = time.perf_counter()
    with conn.transaction(force_rollback=True):
        conn.execute(statement(f"bench/{name}"))
    return time.perf_counter() - started


def report(args: argparse.Namespace, best: dict[tuple[str, str], float]) -> None:
    print(
        f"Row updates: {args.articles:,} articles ({corpus_origin()}), best of {args.rounds} rounds,"
        " each statement on every article, rolled back"
    )
    print()
    print(f"| statement (sql/bench) | ms/article, {BEFORE} | ms/article, {AFTER} | before / after |")
    print("|---|---:|---:|---:|")
    for name in STATEMENTS:
        before, after = best[(BEFORE, name)], best[(AFTER, name)]
        print(
            f"| {name} | {before * 1000 / args.articles:.3f} | {after * 1000 / args.articles:.3f} |"
            f" {before / after:.1f}× |"
        )


if __name__ == "__main__":
    main()
