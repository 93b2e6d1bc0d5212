"""Extraction speed over every registered source's fixture article pages: parse only, one process,
many rounds.

    PYTHONPATH=. .venv/bin/python bench/bench_extract.py [--rounds 40] [--sources baoquocte,...]

Compares, per source, on the same decoded page text in the same run: the source's layered extractor
(parse + every field), ``trafilatura.extract`` (body text only) and a bare ``lxml.html.document_fromstring``.
Prints one Markdown table row per source with median pages/s and the ratios the issue sets targets for
(>= 5x trafilatura, <= 2x the bare parse).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable

import lxml.html

from spiders.registry import all_sources
from spiders.source import Source
from testkit.fixtures import FIXED_CRAWLED_AT, FixturePage, source_pages


def interleaved_rates(
    pages: list[FixturePage], rounds: int, extractors: dict[str, Callable[[FixturePage, str], object]]
) -> dict[str, float]:
    """Median pages per CPU-second of each extractor. The extractors take turns every round and the
    clock is this process's CPU time, so other processes on a shared machine distort them alike (and
    little) and the ratios stay meaningful."""
    texts = [(page, page.html()) for page in pages]
    samples: dict[str, list[float]] = {name: [] for name in extractors}
    for extract in extractors.values():
        for page, text in texts:
            extract(page, text)
    for _ in range(rounds):
        for name, extract in extractors.items():
            gc.collect()
            started = time.process_time()
            for page, text in texts:
                extract(page, text)
            samples[name].append(len(texts) / (time.process_time() - started))
    return {name: statistics.median(rates) for name, rates in samples.items()}


def ours(page: FixturePage, text: str) -> object:
    return page.source.instance.extract(text, page.url, FIXED_CRAWLED_AT)


def trafilatura_extract(page: FixturePage, text: str) -> object:
    import trafilatura

    return trafilatura.extract(text, url=page.url)


def bare_parse(page: FixturePage, text: str) -> object:
    return lxml.html.document_fromstring(text)


def source_rates(source: Source, rounds: int) -> tuple[int, float, dict[str, float]] | None:
    # The dedicated parser's pages: a page that falls back to the generic layer measures trafilatura.
    pages = [
        page
        for page in source_pages(source)
        if (page.expected_record() or {}).get("extraction_layer") in ("selector", "metadata")
    ]
    if not pages:
        return None
    size = sum(len(page.html()) for page in pages) / len(pages)
    rates = interleaved_rates(
        pages, rounds, {"ours": ours, "trafilatura": trafilatura_extract, "bare": bare_parse}
    )
    return len(pages), size, rates


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=40, help="passes over each source's pages (default 40)")
    parser.add_argument("--sources", default="", help="comma list of sources (default: every registered one)")
    arguments = parser.parse_args()
    chosen = [name.strip() for name in arguments.sources.split(",") if name.strip()]
    print(f"{arguments.rounds} rounds, median pages per CPU-second, extractors taking turns each round\n")
    print(TABLE_HEADER)
    for source in all_sources():
        if chosen and source.name not in chosen:
            continue
        measured = source_rates(source, arguments.rounds)
        if measured is None:
            continue
        count, size, rates = measured
        ours_rate, trafilatura_rate, bare_rate = rates["ours"], rates["trafilatura"], rates["bare"]
        print(
            f"| `{source.name}` | {count} | {size / 1024:.1f} | {ours_rate:,.0f} | {trafilatura_rate:,.0f} | "
            f"{bare_rate:,.0f} | {ours_rate / trafilatura_rate:.1f}× | {bare_rate / ours_rate:.2f}× |"
        )


TABLE_HEADER = (
    "| source | pages | mean KiB | ours pages/s | trafilatura pages/s | bare parse pages/s "
    "| ours vs trafilatura (≥ 5×) | ours costs × a bare parse (≤ 2×) |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|"
)


if __name__ == "__main__":
    main()
