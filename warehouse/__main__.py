"""``python -m warehouse``: run the database, apply migrations, load feeds, rebuild stories.

Exit codes: 0 success; 1 error (database unreachable, migration refused, load failed, disk); 2 usage
(bad arguments, a feed file that does not exist); 3 loaded, but some records were quarantined; 4 a
feed file is damaged (truncated or corrupt gzip): the lines before the damage were loaded. Errors are
one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import psycopg

from warehouse import db, stories
from warehouse.env import SettingError
from warehouse.loader import (
    DEFAULT_LAST_SEEN_INTERVAL,
    FeedDamagedError,
    LoadResult,
    load_feed,
)
from warehouse.migrate import MigrationError, migrate
from warehouse.record import DEFAULT_TARGET_LANGUAGE
from warehouse.settings import WarehouseSettings

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_QUARANTINED = 3
EXIT_DAMAGED_FEED = 4


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(parser, args)
    except FeedDamagedError as error:
        print(f"warehouse: {error}", file=sys.stderr)
        return EXIT_DAMAGED_FEED
    except (db.DatabaseUnavailableError, MigrationError, SettingError, psycopg.Error, OSError) as error:
        print(f"warehouse: {_one_line(error)}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as error:  # the CLI promises one line, never a traceback
        print(f"warehouse: unexpected {type(error).__name__}: {_one_line(error)}", file=sys.stderr)
        return EXIT_ERROR


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m warehouse",
        description="The PostgreSQL warehouse. Connects to AIRFLOW_CONN_NEWS_DB, else DATABASE_URL, else to "
        f"{db.DEFAULT_DATABASE_URL} (starting the local cluster and creating the database if needed).",
        epilog="Exit codes: 0 ok, 1 error, 2 usage, 3 loaded but some records were quarantined, "
        "4 a damaged (truncated) feed file: the lines before the damage were loaded.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    server = commands.add_parser("db", help="start, stop, inspect or initialise the database")
    server.add_argument("action", choices=["start", "stop", "status", "init"])
    server.add_argument(
        "--force", action="store_true", help="stop: stop the local cluster even if this tool did not start it"
    )
    server.set_defaults(handler=_db)

    migrations = commands.add_parser("migrate", help="apply pending migrations and changed views")
    migrations.add_argument(
        "--dry-run", action="store_true", help="list what would be applied, change nothing"
    )
    migrations.set_defaults(handler=_migrate)

    load = commands.add_parser(
        "load",
        help="load JSON Lines feeds of articles",
        description="Load JSON Lines feeds (.jsonl or .jsonl.gz, '-' for stdin). Prints a one-line JSON "
        "summary on stdout. Exit 3 when records were quarantined (the valid ones are loaded).",
    )
    load.add_argument("feeds", nargs="+", metavar="FEED")
    load.add_argument(
        "--records-per-transaction",
        "--batch-size",
        metavar="N",
        type=_positive_int,
        help="feed records per merge transaction (default: NEWS_LOAD_RECORDS_PER_TRANSACTION, else "
        f"{WarehouseSettings().load_records_per_transaction})",
    )
    load.add_argument(
        "--last-seen-interval-hours",
        metavar="HOURS",
        type=float,
        default=DEFAULT_LAST_SEEN_INTERVAL.total_seconds() / 3600,
        help="unchanged articles seen again move last_seen forward at most this often (default %(default)s)",
    )
    load.add_argument(
        "--target-language",
        metavar="CODE",
        default=DEFAULT_TARGET_LANGUAGE,
        help="articles already in this language are stored as 'original', needing no translation "
        "(default %(default)s)",
    )
    load.add_argument("--quiet", action="store_true", help="no progress bar")
    load.set_defaults(handler=_load)

    story = commands.add_parser(
        "stories",
        help="rebuild the stories across outlets, or sign new English translations",
        description="rebuild: every signature, link and story from scratch (after changing "
        f"{stories.THRESHOLD_VARIABLE}); translations: sign articles whose English translation is new.",
    )
    story.add_argument("action", choices=["rebuild", "translations"])
    story.add_argument("--quiet", action="store_true", help="no progress bar")
    story.set_defaults(handler=_stories)
    return parser


def _db(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.action == "start":
        print(db.start_server())
    elif args.action == "stop":
        print(db.stop_server(force=args.force))
    elif args.action == "status":
        status = db.server_status()
        print(json.dumps(status))
        return EXIT_OK if status["reachable"] else EXIT_ERROR
    else:
        url = db.ensure_database()
        print(f"database ready: {db.database_name(url)}")
    return EXIT_OK


def _migrate(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    url = db.database_url()
    db.start_server(url)
    db.create_database(url)
    with db.connect(url=url) as conn:
        names = migrate(conn, dry_run=args.dry_run)
    verb = "would apply" if args.dry_run else "applied"
    print(f"{verb} {len(names)} migration(s)" + "".join(f"\n  {name}" for name in names))
    return EXIT_OK


def _load(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    missing = [feed for feed in args.feeds if feed != "-" and not Path(feed).is_file()]
    if missing:
        parser.error(f"feed file not found: {missing[0]}")
    if args.records_per_transaction is None:
        args.records_per_transaction = WarehouseSettings.from_env().load_records_per_transaction
    url = db.ensure_database()
    total = LoadResult()
    with db.connect(url=url) as conn:
        for feed in args.feeds:
            total.add(_load_one(conn, feed, args))
    summary = total.to_dict()
    summary["feeds"] = len(args.feeds)
    summary["quarantine_reasons"] = sorted(set(total.quarantine_reasons))[:20]
    print(json.dumps(summary, ensure_ascii=False))
    return EXIT_QUARANTINED if total.quarantined else EXIT_OK


def _load_one(conn: psycopg.Connection, feed: str, args: argparse.Namespace) -> LoadResult:
    from tqdm import tqdm

    interval = timedelta(hours=args.last_seen_interval_hours)
    if feed == "-":
        return load_feed(
            conn,
            sys.stdin.buffer,
            records_per_transaction=args.records_per_transaction,
            last_seen_interval=interval,
            target_language=args.target_language,
        )
    with tqdm(
        total=Path(feed).stat().st_size,
        unit="B",
        unit_scale=True,
        desc=Path(feed).name,
        file=sys.stderr,
        disable=args.quiet or not sys.stderr.isatty(),
        delay=0.5,
    ) as bar:
        return load_feed(
            conn,
            feed,
            records_per_transaction=args.records_per_transaction,
            last_seen_interval=interval,
            progress=bar.update,
            target_language=args.target_language,
        )


def _stories(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    url = db.ensure_database()
    with db.connect(url=url) as conn:
        if args.action == "translations":
            update = stories.sign_pending_translations(conn)
            conn.commit()
        else:
            with tqdm(
                unit="article", desc="stories", file=sys.stderr, disable=args.quiet or not sys.stderr.isatty()
            ) as bar:

                def advance(done: int, total: int) -> None:
                    bar.total = total
                    bar.update(done - bar.n)

                update = stories.rebuild_stories(conn, progress=advance)
    print(json.dumps(update.as_dict()))
    return EXIT_OK


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


if __name__ == "__main__":
    sys.exit(main())
