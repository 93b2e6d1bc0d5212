"""Noisy variants of every registered source's fixture pages (testkit/noise.py): each leak class real
pages carry, inserted at the start, middle and end of the body. Extraction must drop it (body precision
and recall >= 0.99 per source), never let its text into the body, and route bylines to authors and
attributions to their field."""

from __future__ import annotations

import pytest

from spiders.registry import all_sources
from spiders.source import Source
from testkit.fixtures import source_pages
from testkit.noise import NOISE_CLASSES, BodyScore, noisy_variants

MIN_SCORE = 0.99


@pytest.mark.parametrize("source", all_sources(), ids=lambda source: source.name)
def test_noise_never_leaks_and_body_precision_and_recall_hold(source: Source) -> None:
    score = BodyScore()
    leaks: list[str] = []
    misrouted: list[str] = []
    noisy_pages = set()
    for page in source_pages(source):
        expected = page.expected_record()
        if expected is None:
            continue
        want = [block["text"] for block in expected["body"]]
        for variant in noisy_variants(page):
            noisy_pages.add(page.id)
            article = page.extract(variant.html).article
            label = f"{page.id} {variant.noise.name}@{variant.position}"
            if article is None:
                misrouted.append(f"{label}: rejected")
                continue
            got = [block.text for block in article.body]
            score.add(got, want)
            leaks += [
                f"{label}: {leak!r} in body" for leak in variant.noise.leaks if any(leak in t for t in got)
            ]
            if variant.noise.author and variant.noise.author not in article.authors:
                misrouted.append(f"{label}: authors {article.authors}")
            if variant.noise.attribution and variant.noise.attribution not in article.attributions:
                misrouted.append(f"{label}: attributions {article.attributions}")
            if variant.noise.name == "dateline" and got[0] != want[0]:
                misrouted.append(f"{label}: first block {got[0]!r}")
    assert len(noisy_pages) >= 3, f"{source.name}: too few fixture pages with <p> body paragraphs"
    assert not leaks, "\n".join(leaks[:20])
    assert not misrouted, "\n".join(misrouted[:20])
    assert score.precision >= MIN_SCORE and score.recall >= MIN_SCORE, (score.precision, score.recall)


def test_every_noise_class_is_exercised() -> None:
    assert {noise.name for noise in NOISE_CLASSES} >= {
        "xem_them",
        "doc_them",
        "read_more",
        "tin_lien_quan_box",
        "related_image_table",
        "follow_line",
        "photo_credit",
        "byline",
        "attribution",
    }
