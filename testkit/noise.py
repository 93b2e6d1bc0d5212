"""Noisy variants of fixture article pages: each class of noise real pages carry, inserted into the body
at varied positions, for measuring that extraction drops it (body precision and recall against the
expected record) and routes what it carries (bylines to authors, attributions to their field).

The noise goes between the page's own ``<p>`` elements whose text is one of the expected paragraphs, so
it lands inside whatever body container the source uses without knowing its markup."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from spiders.extract.text import clean_text
from spiders.source import Source

from .fixtures import FixturePage

MAX_END_MARK = 4


@dataclass(frozen=True, slots=True)
class NoiseClass:
    name: str
    markup: Callable[[Source], str]
    leaks: tuple[str, ...]
    """Text that must not reach the body."""
    tail_only: bool = False
    """Bylines and attributions are only such at the end of the body."""
    author: str | None = None
    attribution: str | None = None


def _nickname(source: Source) -> str:
    return source.nicknames[0] if source.nicknames else source.display_name


NOISE_CLASSES: tuple[NoiseClass, ...] = (
    NoiseClass(
        "xem_them",
        lambda s: (
            '<p><strong>Xem thêm:</strong> <a href="/bai-lien-quan-900001.html">Bài liên quan một</a></p>'
        ),
        ("Xem thêm", "Bài liên quan một"),
    ),
    NoiseClass(
        "doc_them",
        lambda s: '<p>Đọc thêm: <a href="/bai-lien-quan-900002.html">Bài liên quan hai</a></p>',
        ("Đọc thêm", "Bài liên quan hai"),
    ),
    NoiseClass(
        "read_more",
        lambda s: '<p><em>Read more: <a href="/related-story-900003.html">A related story</a></em></p>',
        ("Read more", "A related story"),
    ),
    NoiseClass(
        "tin_lien_quan_box",
        lambda s: (
            '<div class="box-tin"><p><strong>Tin liên quan</strong></p><ul>'
            '<li><a href="/bai-lien-quan-900004.html">Bài liên quan bốn</a></li>'
            '<li><a href="/bai-lien-quan-900005.html">Bài liên quan năm</a></li></ul></div>'
        ),
        ("Tin liên quan", "Bài liên quan bốn", "Bài liên quan năm"),
    ),
    NoiseClass(
        "related_image_table",
        lambda s: (
            '<table class="MASTERCMS_TPL_TABLE" align="center"><tbody><tr>'
            '<td><a href="/bai-lien-quan-900006.html"><img src="/images/lq-900006.jpg" alt=""></a></td>'
            '<td><a href="/bai-lien-quan-900006.html">Bài liên quan sáu có ảnh</a></td></tr></tbody></table>'
        ),
        ("Bài liên quan sáu",),
    ),
    NoiseClass(
        "follow_line",
        lambda s: f"<p><em>Theo dõi {_nickname(s)} trên Google News</em></p>",
        ("Theo dõi", "Google News"),
    ),
    NoiseClass("photo_credit", lambda s: "<p><em>Ảnh: TTXVN</em></p>", ("Ảnh: TTXVN",)),
    NoiseClass("photo_credit_archive", lambda s: "<p><em>(Ảnh tư liệu)</em></p>", ("Ảnh tư liệu",)),
    NoiseClass("photo_credit_en", lambda s: "<p><em>Photo: VNA</em></p>", ("Photo: VNA",)),
    NoiseClass(
        "byline",
        lambda s: '<p style="text-align: right;"><strong>Thanh Bình - Hà Nội</strong></p>',
        ("Thanh Bình",),
        tail_only=True,
        author="Thanh Bình",
    ),
    NoiseClass(
        "byline_pv", lambda s: '<p align="right"><b>P.V.</b></p>', ("P.V.",), tail_only=True, author="P.V."
    ),
    NoiseClass(
        "attribution",
        lambda s: '<p style="text-align: right;"><em>(Theo TTXVN)</em></p>',
        ("TTXVN",),
        tail_only=True,
        attribution="VNA",
    ),
    NoiseClass(
        "attribution_reuters",
        lambda s: "<p>Theo Reuters</p>",
        ("Reuters",),
        tail_only=True,
        attribution="Reuters",
    ),
)
DATELINE = NoiseClass("dateline", lambda s: f"{_nickname(s)} - ", ())
"""Not an element: prefixed to the first paragraph's text."""


@dataclass(frozen=True, slots=True)
class NoisyPage:
    page: FixturePage
    noise: NoiseClass
    position: str
    html: str


def body_paragraphs(page: FixturePage, tree: etree._Element) -> list[etree._Element]:
    """The page's ``<p>`` elements whose text is one of the expected record's paragraphs, in order (a
    last paragraph may still carry the end mark of wire copy the extractor drops: "./.", "（完）")."""
    record = page.expected_record() or {}
    expected = {block["text"] for block in record.get("body", []) if block["kind"] == "paragraph"}
    return [
        element
        for element in tree.iter("p")
        if _is_expected(clean_text("".join(element.itertext())), expected)
        and all(ancestor.tag not in ("blockquote", "li", "table") for ancestor in element.iterancestors())
    ]


def _is_expected(text: str, expected: set[str]) -> bool:
    if text in expected:
        return True
    return any(text.startswith(want) and len(text) - len(want) <= MAX_END_MARK for want in expected)


def noisy_variants(page: FixturePage) -> list[NoisyPage]:
    """Every noise class at the start, in the middle and at the end of the body (tail-only classes at
    the end), plus the dateline prefixed to the first paragraph. Empty when the page's body paragraphs
    are not ``<p>`` elements of its markup (e.g. a body read from JSON-LD)."""
    html = page.html()
    if not body_paragraphs(page, etree.HTML(html)):
        return []
    variants = []
    for noise in NOISE_CLASSES:
        for position in ("end",) if noise.tail_only else ("start", "middle", "end"):
            variants.append(NoisyPage(page, noise, position, _insert(page, html, noise, position)))
    variants.append(NoisyPage(page, DATELINE, "start", _insert(page, html, DATELINE, "start")))
    return variants


def _insert(page: FixturePage, html: str, noise: NoiseClass, position: str) -> str:
    tree = etree.HTML(html)
    paragraphs = body_paragraphs(page, tree)
    if noise is DATELINE:
        first = paragraphs[0]
        first.text = noise.markup(page.source) + (first.text or "")
        return etree.tostring(tree, method="html", encoding="unicode")
    body = etree.HTML(f"<html><body>{noise.markup(page.source)}</body></html>").find("body")
    if body is None or len(body) == 0:
        raise ValueError(f"the {noise.name} noise markup holds no element to insert")
    fragment = body[0]
    if position == "start":
        paragraphs[0].addprevious(fragment)
    elif position == "middle":
        paragraphs[len(paragraphs) // 2].addprevious(fragment)
    else:
        anchor = paragraphs[-1]
        fragment.tail, anchor.tail = anchor.tail, "\n"
        anchor.addnext(fragment)
    return etree.tostring(tree, method="html", encoding="unicode")


def words(blocks: list[str]) -> Counter[str]:
    return Counter(word for text in blocks for word in text.split())


@dataclass(slots=True)
class BodyScore:
    """Word-level body precision and recall summed over pages."""

    matched: int = 0
    extracted: int = 0
    expected: int = 0

    def add(self, extracted: list[str], expected: list[str]) -> None:
        got, want = words(extracted), words(expected)
        self.matched += sum((got & want).values())
        self.extracted += sum(got.values())
        self.expected += sum(want.values())

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0
