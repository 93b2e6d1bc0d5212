"""Extraction speed over the spider fixture article pages: parse only, one process, many rounds.

    PYTHONPATH=. .venv/bin/python bench/bench_extract.py [--rounds 40]

Compares, on the same decoded page text in the same run: our layered baoquocte extractor (parse +
every field), ``trafilatura.extract`` (body text only) and a bare ``lxml.html.document_fromstring``.
Prints Markdown table rows with median pages/s and the ratios the issue sets targets for
(>= 5x trafilatura, <= 2x the bare parse).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable

import lxml.html

from testkit.fixtures import FIXED_CRAWLED_AT, FixturePage, article_pages


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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=40, help="passes over all fixture pages (default 40)")
    arguments = parser.parse_args()
    pages = [page for page in article_pages() if page.expected_record() is not None]
    size = sum(len(page.html()) for page in pages) / len(pages)
    rates = interleaved_rates(
        pages,
        arguments.rounds,
        {
            "baoquocte layered extractor (all fields)": ours,
            "trafilatura.extract (body only)": trafilatura_extract,
            "bare lxml.html parse (no extraction)": bare_parse,
        },
    )
    ours_rate, trafilatura_rate, bare_rate = rates.values()
    print(
        f"{len(pages)} fixture article pages, mean {size / 1024:.1f} KiB of text, {arguments.rounds} rounds, "
        "median pages per CPU-second\n"
    )
    print("| extractor | pages/s | ms/page | vs ours |")
    print("|---|---:|---:|---:|")
    for name, rate in rates.items():
        print(f"| {name} | {rate:,.0f} | {1000 / rate:.2f} | {ours_rate / rate:.2f}x |")
    print(
        f"\nours is {ours_rate / trafilatura_rate:.1f}x faster than trafilatura (target >= 5x) and costs "
        f"{bare_rate / ours_rate:.2f}x a bare parse (target <= 2x)"
    )


if __name__ == "__main__":
    main()
