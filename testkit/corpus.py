"""The bad-input corpus of the reliability campaign: pages the mirror serves (each with the one outcome
the crawl must give it) and feed lines the loader is given (each with what the loader must do).

Pages live under ``https://baoquocte.vn/__mirror__/page/<name>/<slug>-<id>.html`` (``MirrorPage``);
``PAGE_URLS`` lists what a crawl requests, including hooks of the mirror itself (status codes, slow
answers, oversized bodies). Text is written for this corpus; nothing is copied from real articles.
"""

from __future__ import annotations

import gzip
import json
import random
import unicodedata
from dataclasses import dataclass
from typing import Any

from testkit.articles import feed_line
from testkit.mirror import MirrorPage

SITE = "https://baoquocte.vn"
HOOKS = f"{SITE}/__mirror__"
VIETNAMESE_PARAGRAPHS = (
    "Hội nghị về hợp tác kinh tế khu vực diễn ra tại Hà Nội với sự tham gia của nhiều đoàn đại biểu.",
    "Các bên nhất trí tăng cường trao đổi thương mại, đầu tư và giao lưu nhân dân trong thời gian tới.",
    "Bộ trưởng nhấn mạnh tầm quan trọng của hòa bình, ổn định và phát triển bền vững ở Đông Nam Á.",
)
ENGLISH_PARAGRAPHS = (
    "The conference on regional economic cooperation opened in Hanoi with delegations from many countries.",
    "Both sides agreed to expand trade, investment and exchanges between their peoples in the coming years.",
    "The minister stressed the importance of peace, stability and sustainable development in the region.",
)
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def article_html(  # noqa: PLR0913 - keyword-only knobs of a synthetic page
    title: str,
    paragraphs: tuple[str, ...] = VIETNAMESE_PARAGRAPHS,
    *,
    date: str | None = "26/11/2026 10:00",
    lang: str = "vi",
    charset: str = "utf-8",
    head: str = "",
    closing: bool = True,
) -> str:
    body = "".join(f"<p>{paragraph}</p>\n" for paragraph in paragraphs)
    dateline = f'<div class="article-date">{date}</div>' if date is not None else ""
    page = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="{charset}"><title>{title}</title>{head}'
        f'</head><body><h1 class="article-detail-title">{title}</h1>{dateline}\n'
        f'<div class="__MASTERCMS_CONTENT">\n{body}</div>'
    )
    return page + ("</body></html>\n" if closing else "")


def to_cp1258(text: str) -> bytes:
    """Vietnamese text as Windows-1258 bytes: base letters precomposed where the code page has them,
    tone marks as its combining characters (the code page has no precomposed toned vowels)."""
    out = []
    for character in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", character)
        tones = "".join(mark for mark in decomposed if mark in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(mark for mark in decomposed if mark not in _TONE_MARKS))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


@dataclass(frozen=True, slots=True)
class PageCase:
    """One URL the crawl requests and the one outcome it must end in (``None``: the page is a
    variant that must collapse into another page's article, ending as ``duplicate``)."""

    name: str
    url: str
    outcome: str
    note: str


def _page_url(name: str, number: int) -> str:
    return f"{HOOKS}/page/{name}/bai-kiem-thu-{name}-{900600 + number}.html"


class _Corpus:
    def __init__(self) -> None:
        self.pages: dict[str, MirrorPage] = {}
        self.cases: list[PageCase] = []

    def add(
        self, name: str, page: MirrorPage | None, outcome: str, note: str, url: str | None = None
    ) -> None:
        if page is not None:
            self.pages[name] = page
        self.cases.append(PageCase(name, url or _page_url(name, len(self.cases)), outcome, note))


def _charset_pages(corpus: _Corpus) -> None:
    """Declared and real encodings that disagree, damaged UTF-8, legacy code pages."""
    add = corpus.add
    utf8 = article_html("Tin hợp tác kinh tế khu vực").encode()
    add(
        "utf8-one-bad-byte",
        MirrorPage(utf8.replace("kinh tế".encode(), b"kinh t\xe1")),
        "invalid_utf8_replaced",
        "UTF-8 with one invalid byte",
    )
    add(
        "utf8-cut-mid-character",
        MirrorPage((article_html("Tin bị cắt giữa ký tự", closing=False) + "<p>Đông Nam Á").encode()[:-1]),
        "invalid_utf8_replaced",
        "UTF-8 cut in the middle of a character",
    )
    add(
        "utf8-stray-bytes",
        MirrorPage(utf8.replace(b"<p>", b"<p>\x80\xff", 1)),
        "invalid_utf8_replaced",
        "stray invalid bytes",
    )
    add(
        "latin1-paragraph-in-utf8",
        MirrorPage(utf8.replace(b"</div>", "<p>Café crème</p>".encode("latin-1") + b"</div>", 1)),
        "invalid_utf8_replaced",
        "a Latin-1 paragraph inside a UTF-8 page",
    )
    add(
        "bad-byte-declared-latin1",
        MirrorPage(utf8.replace("kinh tế".encode(), b"kinh t\xe1"), "text/html; charset=iso-8859-1"),
        "invalid_utf8_replaced",
        "UTF-8 with a bad byte, declared Latin-1",
    )
    cp1258 = to_cp1258(article_html("Tin tức bằng bảng mã cũ", charset="windows-1258"))
    add(
        "cp1258-declared",
        MirrorPage(cp1258, "text/html; charset=windows-1258"),
        "item",
        "a real Windows-1258 page, declared so",
    )
    add(
        "cp1258-declared-utf8",
        MirrorPage(cp1258, "text/html; charset=utf-8"),
        "bad_charset_recovered",
        "a real Windows-1258 page declared UTF-8",
    )
    add(
        "utf8-declared-latin1",
        MirrorPage(utf8, "text/html; charset=iso-8859-1"),
        "bad_charset_recovered",
        "valid UTF-8 declared Latin-1",
    )
    add(
        "utf8-no-charset",
        MirrorPage(utf8.replace(b'<meta charset="utf-8">', b""), "text/html"),
        "item",
        "UTF-8 with no charset anywhere",
    )
    add(
        "utf16-bom",
        MirrorPage(
            article_html("Tin mã hóa UTF-16", charset="utf-16").encode("utf-16"), "text/html; charset=utf-16"
        ),
        "item",
        "UTF-16 with a byte-order mark",
    )


def _fetch_pages(corpus: _Corpus) -> None:
    """Oversized and compressed bodies, redirects that cannot end well, HTTP errors, slow servers."""
    add, pages = corpus.add, corpus.pages
    bomb = gzip.compress(b"<html>" + b" " * (40 * 1024 * 1024), compresslevel=9)
    add(
        "gzip-bomb",
        MirrorPage(bomb, headers=(("Content-Encoding", "gzip"),)),
        "too_large",
        "40 MiB of spaces in a 40 KiB gzip body",
    )
    add(
        "huge-declared",
        None,
        "too_large",
        "10 MiB with Content-Length",
        f"{HOOKS}/huge/10/trang-lon-900701.html",
    )
    add(
        "huge-streamed",
        None,
        "too_large",
        "10 MiB without Content-Length",
        f"{HOOKS}/stream/10/trang-lon-900702.html",
    )
    self_loop = _page_url("redirect-self", 100)
    add(
        "redirect-self",
        MirrorPage(
            b"", status=302, headers=(("Location", "{mirror}/baoquocte.vn" + self_loop[len(SITE) :]),)
        ),
        "redirect_error",
        "a redirect to itself",
        self_loop,
    )
    loop_a, loop_b = _page_url("redirect-loop-a", 101), _page_url("redirect-loop-b", 102)
    add(
        "redirect-loop-a",
        MirrorPage(b"", status=302, headers=(("Location", "{mirror}/baoquocte.vn" + loop_b[len(SITE) :]),)),
        "redirect_error",
        "a -> b -> a",
        loop_a,
    )
    pages["redirect-loop-b"] = MirrorPage(
        b"", status=302, headers=(("Location", "{mirror}/baoquocte.vn" + loop_a[len(SITE) :]),)
    )
    for hop in range(7):
        target = _page_url(f"redirect-chain-{hop + 1}", 110 + hop + 1)
        pages[f"redirect-chain-{hop}"] = MirrorPage(
            b"", status=301, headers=(("Location", "{mirror}/baoquocte.vn" + target[len(SITE) :]),)
        )
    pages["redirect-chain-7"] = MirrorPage(article_html("Cuối chuỗi chuyển hướng").encode())
    add(
        "redirect-chain-0",
        None,
        "redirect_error",
        "seven redirects, over the limit of five",
        _page_url("redirect-chain-0", 110),
    )
    add(
        "redirect-offsite",
        MirrorPage(b"", status=301, headers=(("Location", "https://trang-khac.example.com/bai-1.html"),)),
        "offsite_redirect",
        "a redirect to another domain",
    )
    add(
        "redirect-to-known",
        MirrorPage(
            b"",
            status=301,
            headers=(("Location", "{mirror}/baoquocte.vn" + _page_url("plain", 200)[len(SITE) :]),),
        ),
        "duplicate",
        "a redirect to a page the crawl also requests directly",
    )
    add(
        "plain",
        MirrorPage(article_html("Bài viết bình thường làm mốc").encode()),
        "item",
        "an ordinary article",
        _page_url("plain", 200),
    )
    add("status-500", None, "http_error", "server error", f"{HOOKS}/status/500/loi-900703.html")
    add("status-503", None, "http_error", "unavailable", f"{HOOKS}/status/503/tam-ngung-900704.html")
    add("status-404", None, "http_404", "gone", f"{HOOKS}/status/404/bai-xoa-900705.html")
    add("status-410", None, "http_410", "removed", f"{HOOKS}/status/410/bai-go-900706.html")
    add("status-403", None, "http_error", "forbidden", f"{HOOKS}/status/403/cam-900707.html")
    add("slow", None, "timeout", "answers after the timeout", f"{HOOKS}/slow/12/cham-900708.html")


def _content_pages(corpus: _Corpus) -> None:
    """Impossible dates, giant and damaged markup, pages that are no article, languages, URL variants."""
    add, cases = corpus.add, corpus.cases
    add(
        "year-0001",
        MirrorPage(article_html("Ngày không thể có", date="01/01/0001 00:10").encode()),
        "unparsable_date_flagged",
        "a date that leaves the years 1..9999 in UTC",
    )
    add(
        "jsonld-year-0001",
        MirrorPage(
            article_html(
                "Ngày JSON-LD không thể có",
                date=None,
                head=(
                    '<script type="application/ld+json">{"@type":"NewsArticle",'
                    '"datePublished":"0001-01-01T00:00:00+07:00"}</script>'
                ),
            ).encode()
        ),
        "unparsable_date_flagged",
        "an impossible JSON-LD date",
    )
    add(
        "february-31",
        MirrorPage(article_html("Ngày ba mốt tháng hai", date="31/02/2026 10:00").encode()),
        "unparsable_date_flagged",
        "a day that does not exist",
    )
    add(
        "far-future",
        MirrorPage(article_html("Bài đăng từ tương lai", date="01/01/2999 10:00").encode()),
        "future_date_flagged",
        "a publication date centuries ahead",
    )
    add("giant-title", MirrorPage(article_html("Tiêu đề dài " * 20_000).encode()), "item", "a 240 KB title")
    add(
        "control-characters",
        MirrorPage(
            article_html(
                "Ký tự\x01điều\x1bkhiển", tuple(p + "\x07\x0b" for p in VIETNAMESE_PARAGRAPHS)
            ).encode()
        ),
        "item",
        "control characters in title and text",
    )
    add(
        "nul-bytes",
        MirrorPage(
            article_html(
                "Có byte NUL", tuple(p.replace(" ", "\x00", 3) for p in VIETNAMESE_PARAGRAPHS)
            ).encode()
        ),
        "item",
        "NUL bytes inside the text",
    )
    add(
        "nested-markup",
        MirrorPage(
            article_html(
                "Thẻ lồng nhau rất sâu", ("<div>" * 5000 + VIETNAMESE_PARAGRAPHS[0] + "</div>" * 5000,)
            ).encode()
        ),
        "missing_body",
        "5,000 nested elements: libxml2 reads 256 levels, the text below them is not read",
    )
    add(
        "unclosed-markup",
        MirrorPage(
            article_html(
                "Thẻ không đóng", tuple("<b><i><span>" + p for p in VIETNAMESE_PARAGRAPHS), closing=False
            ).encode()
        ),
        "truncated_recovered",
        "unclosed tags and no </html>",
    )
    add(
        "listing-page",
        MirrorPage(
            b'<html lang="vi"><body><ul>'
            + b"".join(f'<li><a href="/a-{n}.html">Tin {n}</a></li>'.encode() for n in range(50))
            + b"</ul></body></html>"
        ),
        "not_article",
        "a listing, not an article",
    )
    add(
        "consent-wall",
        MirrorPage(
            '<html lang="vi"><body><div class="consent"><h2>Chúng tôi dùng cookie</h2>'
            "<button>Đồng ý</button></div></body></html>".encode()
        ),
        "not_article",
        "a cookie wall instead of the article",
    )
    add("empty-200", MirrorPage(b""), "not_article", "an empty 200 answer")
    add("whitespace-only", MirrorPage(b"   \n\t  "), "not_article", "only whitespace")
    add(
        "binary-garbage",
        MirrorPage(random.Random(7).randbytes(20_000), "text/html"),
        "not_article",
        "random bytes served as HTML",
    )
    add(
        "image-not-html",
        MirrorPage(b"\x89PNG\r\n\x1a\n" + bytes(500), "image/png"),
        "not_article",
        "an image",
    )
    add(
        "json-not-html",
        MirrorPage(b'{"error": "not found"}', "application/json"),
        "not_article",
        "a JSON error body",
    )
    add(
        "missing-title",
        MirrorPage(article_html("").replace('<h1 class="article-detail-title"></h1>', "").encode()),
        "missing_title",
        "no title element",
    )
    add(
        "empty-body",
        MirrorPage(article_html("Bài không có nội dung", ()).encode()),
        "missing_body",
        "an empty content container",
    )
    add("whitespace-title", MirrorPage(article_html("   ").encode()), "missing_title", "a title of spaces")
    add(
        "english-declared-vi",
        MirrorPage(article_html("Regional cooperation conference opens", ENGLISH_PARAGRAPHS).encode()),
        "unexpected_language_routed",
        "English text on the Vietnamese edition under lang=vi: detected English wins, flagged",
    )
    add(
        "vietnamese-declared-en",
        MirrorPage(article_html("Hội nghị hợp tác khu vực khai mạc", lang="en").encode()),
        "item",
        "Vietnamese text under lang=en on the Vietnamese edition: stored as vi, the edition's and the text's",
    )
    add(
        "broken-json-ld",
        MirrorPage(
            article_html(
                "JSON-LD hỏng", head='<script type="application/ld+json">{"@type": "NewsArticle",</script>'
            ).encode()
        ),
        "item",
        "malformed JSON-LD beside good markup",
    )
    add(
        "many-paragraphs",
        MirrorPage(article_html("Rất nhiều đoạn văn", VIETNAMESE_PARAGRAPHS * 1500).encode()),
        "item",
        "4,500 paragraphs",
    )
    add(
        "emoji-and-rtl",
        MirrorPage(
            article_html("Biểu tượng 🌏 và chữ العربية", (*VIETNAMESE_PARAGRAPHS, "😀 مرحبا 👍")).encode()
        ),
        "item",
        "emoji and right-to-left text",
    )
    variant_base = _page_url("variant", 300)
    add(
        "variant",
        MirrorPage(article_html("Một bài, nhiều địa chỉ").encode()),
        "item",
        "the article",
        variant_base,
    )
    for number, variant in enumerate(
        (
            variant_base + "?utm_source=zalo&utm_medium=social",
            variant_base + "#binh-luan",
            variant_base + "/",
            variant_base.replace("https://", "http://www."),
            variant_base + "?print=1",
        )
    ):
        cases.append(PageCase(f"variant-{number}", variant, "", "a URL variant of the same article"))


def _pages() -> tuple[dict[str, MirrorPage], list[PageCase]]:
    corpus = _Corpus()
    for group in (_charset_pages, _fetch_pages, _content_pages):
        group(corpus)
    return corpus.pages, corpus.cases


MIRROR_PAGES, PAGE_CASES = _pages()


@dataclass(frozen=True, slots=True)
class FeedCase:
    """One feed line and what the loader must make of it: ``loaded`` or ``quarantined`` (with a
    reason containing ``reason``)."""

    name: str
    line: str
    expect: str
    reason: str = ""


def _line(number: int, **overrides: Any) -> str:
    return feed_line(number, ensure_ascii=True, **overrides)


def _feed_cases() -> list[FeedCase]:
    cases = [
        FeedCase("valid", _line(1), "loaded"),
        FeedCase(
            "offset +20:00", _line(2, published_at="2026-11-20T08:00:00+20:00"), "quarantined", "UTC offset"
        ),
        FeedCase(
            "offset -23:59", _line(3, updated_at="2026-11-20T08:00:00-23:59"), "quarantined", "UTC offset"
        ),
        FeedCase(
            "year 0 in UTC", _line(4, published_at="0001-01-01T00:30:00+05:00"), "quarantined", "1..9999"
        ),
        FeedCase(
            "year 10000 in UTC", _line(5, published_at="9999-12-31T23:30:00-05:00"), "quarantined", "1..9999"
        ),
        FeedCase(
            "crawled_at year 0", _line(6, crawled_at="0001-01-01T00:00:00+01:00"), "quarantined", "1..9999"
        ),
        FeedCase("surrogate in title", _line(7, title="Tin \ud800"), "quarantined", "surrogate"),
        FeedCase(
            "surrogate in body",
            _line(8, body=[{"kind": "paragraph", "text": "\udc00"}]),
            "quarantined",
            "surrogate",
        ),
        FeedCase("surrogate in author", _line(9, authors=["\udbff"]), "quarantined", "surrogate"),
        FeedCase(
            "surrogate in an image caption",
            _line(10, images=[{"src": f"{SITE}/a.jpg", "caption": "\ud834"}]),
            "quarantined",
            "surrogate",
        ),
        FeedCase(
            "surrogate in an unknown nested key",
            _line(11, images=[{"src": f"{SITE}/a.jpg", "x": {"y": "\ud800"}}]),
            "quarantined",
            "surrogate",
        ),
        FeedCase("NUL in lead", _line(12, lead="a\u0000b"), "quarantined", "NUL"),
        FeedCase("literal backslash-u-0000", _line(13, title="Mã \\u0000 là chữ"), "loaded"),
        FeedCase("integer beyond 64 bits", _line(14, source_article_id=2**64), "quarantined", "64-bit"),
        FeedCase(
            "integer literal of 5000 digits",
            _line(15)[:-1] + ', "source_article_id": ' + "9" * 5000 + "}",
            "quarantined",
            "storable",
        ),
        FeedCase(
            "NaN", _line(16, images=[{"src": f"{SITE}/a.jpg", "w": float("nan")}]), "quarantined", "finite"
        ),
        FeedCase(
            "Infinity",
            _line(17, images=[{"src": f"{SITE}/a.jpg", "w": float("inf")}]),
            "quarantined",
            "finite",
        ),
        FeedCase(
            "nesting 20 deep",
            _line(18, images=[{"src": f"{SITE}/a.jpg", "x": json.loads("[" * 20 + "]" * 20)}]),
            "quarantined",
            "nested",
        ),
        FeedCase(
            "nesting 100,000 deep",
            '{"source": "baoquocte", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "quarantined",
            "nested",
        ),
        FeedCase(
            "text beyond the tsvector limit",
            _line(
                19,
                body=[
                    {
                        "kind": "paragraph",
                        "text": " ".join(
                            chr(0x4E00 + n % 20_000) + chr(0x4E00 + n // 20_000) for n in range(200_000)
                        ),
                    }
                ],
            ),
            "loaded",
        ),
        FeedCase("far-future crawled_at", _line(20, crawled_at="2999-01-01T00:00:00+00:00"), "loaded"),
        FeedCase(
            "URL of 3 KB in UTF-8", _line(21, canonical_url=f"{SITE}/" + "đ" * 1500), "quarantined", "bytes"
        ),
        FeedCase(
            "source_article_id of 5000 characters",
            _line(22, source_article_id="9" * 5000),
            "quarantined",
            "at most",
        ),
        FeedCase("not JSON", "{broken", "quarantined", "not valid JSON"),
        FeedCase("a JSON array", "[1, 2, 3]", "quarantined", "JSON object"),
        FeedCase("a JSON string", '"text"', "quarantined", "JSON object"),
        FeedCase("naive crawled_at", _line(23, crawled_at="2026-11-20T08:00:00"), "quarantined", "timezone"),
        FeedCase("empty body", _line(24, body=[]), "quarantined", "no paragraphs"),
        FeedCase("body is a string", _line(25, body="văn bản"), "quarantined", "list"),
        FeedCase("unknown field", _line(26, popularity=5), "quarantined", "not a field"),
        FeedCase("bad language code", _line(27, language="Vietnamese!"), "quarantined", "BCP 47"),
        FeedCase("relative URL", _line(28, url="/bai-nap-28.html"), "quarantined", "absolute"),
        FeedCase("source with capitals", _line(29, source="BaoQuocTe"), "quarantined", "source name"),
        FeedCase("title of spaces", _line(30, title="   "), "quarantined", "title"),
    ]
    return cases


FEED_CASES = _feed_cases()
INVALID_UTF8_LINE = _line(40, title="Tin hợp tác số 40").encode().replace(b"Tin h", b"Tin \xe1\xbb h")


def generated_feed_lines(count: int, *, first: int = 1000) -> list[str]:
    """``count`` valid, distinct feed lines with generated Vietnamese text (a feed long enough for a
    fault to land in the middle of its load)."""
    from testkit.synthetic_models import news_sentences

    lines = []
    for number in range(first, first + count):
        sentences = news_sentences("vi", 4, seed=number)
        body = [{"kind": "paragraph", "text": " ".join(sentences[index : index + 2])} for index in (0, 2)]
        lines.append(_line(number, title=sentences[0], body=body))
    return lines
