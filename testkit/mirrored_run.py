"""``./run main`` and ``./run ui``: the pipeline's main job (``python -m pipeline main``) or its Airflow
UI (``python -m pipeline ui``) crawling the local mirror of the news sites, which this process serves on
127.0.0.1 for the duration and passes on as ``NEWS_MIRROR_URL``; with ``--live``, the real sites.

    python -m testkit.mirrored_run main [--live] [--mirror-articles N] [python -m pipeline main options]
    python -m testkit.mirrored_run ui [--live] [--mirror-articles N] [python -m pipeline ui options]

The pipeline itself knows only ``NEWS_MIRROR_URL``: the mirror is test support, not part of the runtime.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence

from pipeline.__main__ import main as pipeline_main
from pipeline.__main__ import positive_int
from testkit.mirror import serve_mirror

MIRROR_ARTICLES = 60


@contextlib.contextmanager
def news_sites(*, live: bool = False, mirror_articles: int = MIRROR_ARTICLES) -> Iterator[str]:
    """``NEWS_MIRROR_URL`` unset (``live``), or set to a local mirror that serves the fixture pages and
    ``mirror_articles`` generated articles per source, for the duration; yields the mirror's URL or
    ``""``."""
    os.environ.pop("NEWS_MIRROR_URL", None)
    if live:
        yield ""
        return
    with serve_mirror(port=0, synthetic_articles=mirror_articles) as mirror_url:
        os.environ["NEWS_MIRROR_URL"] = mirror_url
        try:
            yield mirror_url
        finally:
            os.environ.pop("NEWS_MIRROR_URL", None)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m testkit.mirrored_run",
        description=__doc__.split("\n\n")[0],
        add_help=False,
    )
    parser.add_argument("command", choices=("main", "ui"), help="the python -m pipeline command to run")
    parser.add_argument(
        "--live", action="store_true", help="crawl the live sites instead of the local mirror"
    )
    parser.add_argument(
        "--mirror-articles",
        type=positive_int,
        default=MIRROR_ARTICLES,
        help="generated articles per source the local mirror serves besides its fixture pages "
        f"(default {MIRROR_ARTICLES})",
    )
    args, pipeline_args = parser.parse_known_args(argv)
    if {"-h", "--help"} & set(pipeline_args):
        print(parser.format_help())
    with news_sites(live=args.live, mirror_articles=args.mirror_articles):
        return pipeline_main([args.command, *pipeline_args])


if __name__ == "__main__":
    sys.exit(main())
