"""``python -m pipeline``: run the whole chain once (``main``) or open the Airflow UI (``ui``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.main import MainOptions, UiOptions, migrate_warehouse, run_main, run_ui


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "main",
        help="run news_ingest once end to end on embedded defaults and print a summary",
        description="Make the warehouse ready, run the news_ingest DAG once in this process on a SQLite "
        "Airflow home in var/airflow, then print a summary and an example analyst query. It crawls the "
        "live sites, or the mirror at NEWS_MIRROR_URL when set.",
    )
    run.add_argument("--max-articles", type=positive_int, help="stop each source's crawl after N articles")
    run.add_argument("--sources", default="", help="comma-separated sources to crawl (default: all)")
    run.add_argument("--downloads", type=Path, default=MainOptions().downloads, help=argparse.SUPPRESS)
    run.add_argument(
        "--no-model",
        action="store_true",
        help="do not download and install the vi->en translation package when none is installed",
    )
    ui = commands.add_parser(
        "ui",
        help="open the Airflow UI on the main job's setup (airflow standalone; Ctrl-C stops it)",
        description="airflow standalone on var/airflow: the API server and UI on --port (the workers "
        "call its execution API there), runs crawling the live sites, or the mirror at NEWS_MIRROR_URL.",
    )
    defaults = UiOptions()
    ui.add_argument("--port", type=positive_int, default=defaults.port, help="API server and UI port")
    ui.add_argument(
        "--worker-log-port", type=positive_int, default=defaults.worker_log_port, help="task log server port"
    )
    ui.add_argument(
        "--trigger-log-port",
        type=positive_int,
        default=defaults.trigger_log_port,
        help="triggerer log server port",
    )
    commands.add_parser(
        "migrate-warehouse",
        help="create and migrate the warehouse database the pipeline is configured for "
        "(AIRFLOW_CONN_NEWS_DB, else DATABASE_URL, else the local default)",
    )
    args = parser.parse_args(argv)
    if args.command == "ui":
        return run_ui(
            UiOptions(
                port=args.port,
                worker_log_port=args.worker_log_port,
                trigger_log_port=args.trigger_log_port,
            )
        )
    if args.command == "migrate-warehouse":
        return migrate_warehouse()
    return run_main(
        MainOptions(
            max_articles=args.max_articles,
            sources=tuple(name.strip() for name in args.sources.split(",") if name.strip()),
            install_model=not args.no_model,
            downloads=args.downloads,
        )
    )


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return value


if __name__ == "__main__":
    sys.exit(main())
