"""Stories benchmark: clustering quality on the labelled corpus against trafilatura's simhash, and the
cost of a full rebuild against an incremental add, in one run.

    PYTHONPATH=. .venv/bin/python -m bench.bench_stories [--articles 100000] [--increment 1000]

Works in a database of its own on the DATABASE_URL / default server, dropped at the end.

1. Quality (needs FLORES; skipped without it): the labelled corpus of ``testkit/story_corpus.py``
   (seed 7, which the threshold was tuned on, and seed 11, held out) loaded through the warehouse
   loader; pairwise precision and recall of the stories it assigns. Beside it, trafilatura's
   ``Simhash`` (64-bit, its own tokenisation) over the same texts, all pairs, linked at a similarity of
   0.9 (Hamming distance 6 of 64, the usual near-duplicate setting) and at its best-F1 threshold on
   the set, clustered the same way (connected components).
2. Translate once (needs FLORES): the same labelled corpus translated by the engine with a tiny
   generated vi->en model, in 16-article batches in publication order as the translation stage
   claims them, with a sentence cache; the sentences that reached the model against translating every
   article on its own with no cache (the model calls that copies would cost without the cache).
3. Scale: ``--articles`` synthetic articles (bench/load_corpus.py, 5-8 KB of body each) loaded; then
   a full ``rebuild_stories`` (time, and peak memory of the process that ran it); then
   ``--increment`` new articles loaded into that warehouse, and the time their signing and story
   assignment took (the loader's ``sign`` and ``stories`` timings) as a share of the full rebuild.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import resource
import secrets
import tempfile
import time
from pathlib import Path

from bench.load_corpus import article_records, write_feed
from testkit.flores import flores_dir
from testkit.story_corpus import (
    build_corpus,
    flores_sentences,
    precision_recall,
    predicted_pairs,
    true_pairs,
)
from warehouse import db, stories
from warehouse.loader import load_feed
from warehouse.migrate import migrate
from warehouse.settings import WarehouseSettings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--increment", type=int, default=1_000)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    args = parser.parse_args()

    url = db.with_database(db.database_url(), f"news_bench_stories_{os.getpid()}_{secrets.token_hex(3)}")
    db.start_server(url)
    db.create_database(url)
    try:
        with db.connect(url=url) as conn:
            migrate(conn)
        if not args.skip_quality:
            quality(url)
            translate_once()
        if not args.skip_scale:
            scale(url, args.articles, args.increment)
    finally:
        db.drop_database(url)


def quality(url: str) -> None:
    folder = flores_dir()
    if not (folder / "dev.vi").is_file():
        print(f"quality: skipped, no FLORES data in {folder}")
        return
    from trafilatura.deduplication import Simhash

    sentences = flores_sentences(folder)
    print("| labelled set | articles | true pairs | method | precision | recall |")
    print("|---|---|---|---|---|---|")
    for seed in (7, 11):
        corpus = build_corpus(sentences, seed=seed)
        truth = true_pairs(corpus)
        with db.connect(url=url) as conn:
            db.reset_data(conn)
            load_feed(conn, [_json(article.record) for article in corpus])
            roots: dict[str, int] = dict(conn.execute(ROOTS).fetchall())
        label = f"seed {seed}" + (" (tuning)" if seed == 7 else " (held out)")
        precision, recall = precision_recall(predicted_pairs(roots), truth)
        row = f"| {label} | {len(corpus)} | {len(truth)} |"
        threshold = WarehouseSettings().story_threshold
        print(f"{row} MinHash/LSH, threshold {threshold} | {precision:.3f} | {recall:.3f} |")
        texts = {
            article.record["canonical_url"]: " ".join(
                [article.record["title"], article.record["lead"] or ""]
                + [block["text"] for block in article.record["body"]]
            )
            for article in corpus
        }
        hashes = {url_: Simhash(text) for url_, text in texts.items()}
        similarity = {
            frozenset((a, b)): hashes[a].similarity(hashes[b]) for a, b in itertools.combinations(hashes, 2)
        }
        best = max(
            (
                (precision_recall(predicted_pairs(_components(hashes, similarity, t / 100)), truth), t / 100)
                for t in range(70, 100, 2)
            ),
            key=lambda scored: _f1(*scored[0]),
        )
        at_default = precision_recall(predicted_pairs(_components(hashes, similarity, 0.9)), truth)
        print(f"{row} trafilatura Simhash, 0.9 | {at_default[0]:.3f} | {at_default[1]:.3f} |")
        (best_p, best_r), best_t = best
        print(f"{row} trafilatura Simhash, best F1 ({best_t:.2f}) | {best_p:.3f} | {best_r:.3f} |")


def translate_once() -> None:
    folder = flores_dir()
    if not (folder / "dev.vi").is_file():
        print(f"translate once: skipped, no FLORES data in {folder}")
        return
    from testkit.synthetic_models import build_synthetic_package
    from translate.cache import MemorySentenceCache
    from translate.engine import Engine, SourceDocument
    from translate.packages import install_package
    from translate.settings import EngineSettings

    corpus = sorted(
        build_corpus(flores_sentences(folder), seed=11), key=lambda article: article.record["published_at"]
    )
    documents = [
        SourceDocument(
            key=article.record["canonical_url"],
            title=article.record["title"],
            lead=article.record["lead"],
            body=tuple(block["text"] for block in article.record["body"]),
            language="vi",
        )
        for article in corpus
    ]
    with tempfile.TemporaryDirectory(prefix="bench-stories-model-") as scratch:
        packages = Path(scratch) / "packages"
        install_package(
            build_synthetic_package(Path(scratch) / "vi_en.argosmodel", "vi", "en", seed=1), packages
        )
        settings = EngineSettings.from_env({})
        alone = Engine(settings, packages_dir=packages)
        for document in documents:
            alone.translate_documents([document])
        shared = Engine(settings, cache=MemorySentenceCache(), packages_dir=packages)
        for start in range(0, len(documents), 16):
            shared.translate_documents(documents[start : start + 16])
    saved = alone.stats.model_sentences - shared.stats.model_sentences
    print(
        f"\ntranslate once: {len(documents)} articles, {alone.stats.sentences} sentences; model sentences "
        f"{alone.stats.model_sentences} article by article without a cache, {shared.stats.model_sentences} "
        f"in batches with the sentence cache ({shared.stats.cache_hits} cache hits): {saved} model "
        f"sentences saved ({saved / alone.stats.model_sentences:.0%})"
    )


def scale(url: str, articles: int, increment: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-stories-") as scratch:
        feed = Path(scratch) / "corpus.jsonl"
        write_feed(feed, article_records(articles, sources=("baoquocte", "vnexpress", "tuoitre")))
        with db.connect(url=url) as conn:
            db.reset_data(conn)
            started = time.perf_counter()
            loaded = load_feed(conn, feed)
            load_seconds = time.perf_counter() - started
        print(
            f"\nscale: {articles} articles loaded in {load_seconds:.1f} s; signing "
            f"{loaded.timings['sign']:.1f} s (in the parse thread, overlapping the database), "
            f"story assignment {loaded.timings['stories']:.1f} s"
        )
        context = multiprocessing.get_context("fork")
        with context.Pool(1) as pool:
            rebuild_seconds = pool.apply(_timed_rebuild, (url,))
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        extra = Path(scratch) / "increment.jsonl"
        write_feed(
            extra,
            article_records(increment, seed=99, first_id=articles + 1, sources=("thanhnien", "nhandan")),
        )
        with db.connect(url=url) as conn:
            added = load_feed(conn, extra)
            counts = db.one_row(conn.execute(COUNTS))
    # The increment's cost: signing (in the loader's parse thread) plus assigning (in its transaction).
    increment_seconds = added.timings["sign"] + added.timings["stories"]
    share = increment_seconds / rebuild_seconds
    print(f"| full rebuild, {articles} articles | {rebuild_seconds:.1f} s | peak RSS {peak_mib:.0f} MiB |")
    print(
        f"| incremental add of {increment} to {articles} | {increment_seconds:.2f} s | "
        f"{share:.1%} of the full rebuild |"
    )
    print(f"stories: {counts[0]} stories over {counts[1]} articles, {counts[2]} links")


def _timed_rebuild(url: str) -> float:
    with db.connect(url=url) as conn:
        started = time.perf_counter()
        stories.rebuild_stories(conn)
        return time.perf_counter() - started


def _components(hashes: dict, similarity: dict, threshold: float) -> dict[str, str]:
    parent = {url: url for url in hashes}

    def find(url: str) -> str:
        while parent[url] != url:
            parent[url] = parent[parent[url]]
            url = parent[url]
        return url

    for pair, value in similarity.items():
        if value >= threshold:
            first, second = tuple(pair)
            parent[find(first)] = find(second)
    return {url: find(url) for url in hashes}


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _json(record: dict) -> str:
    import json

    return json.dumps(record, ensure_ascii=False)


ROOTS = """
SELECT a.canonical_url, m.story_id FROM story_members AS m JOIN articles AS a USING (article_id)
"""
COUNTS = "SELECT count(DISTINCT story_id), count(*), (SELECT count(*) FROM story_links) FROM story_members"

if __name__ == "__main__":
    main()
