"""A labelled corpus for story clustering: originals, their copies with the edits republication
really makes, and the hard negatives that must stay apart.

Text comes from the Vietnamese side of FLORES (real news-style sentences, read where
``testkit.flores.flores_dir`` finds it; nothing of it is stored in the project). Every article is a
feed record (``warehouse.record.Article`` fields) labelled with the group it truly belongs to:

- originals: 8 consecutive FLORES sentences (title, lead, body paragraphs of one or two sentences);
- copies of an original on other outlets, each with one to three edits: a different lead, the last
  paragraphs trimmed, an added byline or wire attribution (in ``authors`` and ``attributions``, where
  the extractor puts them), a new title, new captions, photos in another order, typo fixes;
- hard negatives: an independent report of the same event (same title, one shared quoted sentence,
  otherwise other sentences) and daily bulletins written from one template (gold price, exchange rate,
  weather, stock index) that differ only in their figures; a bulletin republished the same day by
  another outlet is a true copy.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from testkit.articles import article_record

OUTLETS = ("baoquocte", "vnexpress", "tuoitre", "thanhnien", "vietnamplus", "nhandan")
ORIGINAL_SENTENCES = 8
BASE_TIME = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
CRAWLED_AT = datetime(2026, 11, 29, 0, 0, tzinfo=UTC)

BYLINES = ("Minh Anh - Hà Nội", "P.V.", "Nhóm PV", "Thu Trang", "Hoàng Long (từ TP.HCM)")
# What a copy credits, as the extractor records it (``attributions``: TTXVN = VNA), not as body text.
ATTRIBUTIONS = ("VNA", "Reuters", "AFP")
TYPO_PAIRS = (("ư", "u"), ("ơ", "o"), ("ă", "a"), ("ê", "e"), ("ô", "o"))

BULLETINS = {
    "vang": (
        "Giá vàng hôm nay {day}/11: vàng miếng SJC {trend} {delta} đồng mỗi lượng",
        [
            "Sáng {day}/11, Công ty Vàng bạc Đá quý Sài Gòn niêm yết giá vàng miếng SJC ở mức {a},{b} triệu "
            "đồng mỗi lượng mua vào và {c},{b} triệu đồng mỗi lượng bán ra.",
            "So với phiên hôm qua, giá vàng miếng {trend} {delta} đồng mỗi lượng ở cả hai chiều mua và bán.",
            "Giá vàng nhẫn tròn trơn 9999 được giao dịch quanh mức {d},{e} triệu đồng mỗi lượng mua vào, "
            "{f},{e} triệu đồng mỗi lượng bán ra.",
            "Trên thị trường thế giới, giá vàng giao ngay ở mức {g} USD mỗi ounce, quy đổi khoảng {h} "
            "triệu đồng mỗi lượng chưa gồm thuế và phí.",
            "Các chuyên gia khuyến nghị nhà đầu tư thận trọng khi giá vàng biến động mạnh trong ngắn hạn.",
        ],
    ),
    "ty-gia": (
        "Tỷ giá USD hôm nay {day}/11: ngân hàng {trend} giá bán {delta} đồng",
        [
            "Ngân hàng Nhà nước công bố tỷ giá trung tâm của đồng Việt Nam với đô la Mỹ ở mức {a}.{b}0 đồng, "
            "{trend} {delta} đồng so với phiên trước.",
            "Tại các ngân hàng thương mại, giá mua vào phổ biến ở mức {c}.{d}0 đồng, giá bán ra ở mức "
            "{e}.{f}0 đồng mỗi đô la.",
            "Trên thị trường tự do, đồng đô la được giao dịch quanh mức {g}.{h}0 đồng mua vào.",
            "Chỉ số DXY đo sức mạnh đồng bạc xanh với sáu đồng tiền chủ chốt ở mức {i},{j} điểm.",
            "Giới phân tích cho rằng tỷ giá sẽ tiếp tục dao động trong biên độ hẹp đến cuối năm.",
        ],
    ),
    "thoi-tiet": (
        "Thời tiết ngày {day}/11: Hà Nội {trend} nhiệt, thấp nhất {a} độ C",
        [
            "Theo Trung tâm Dự báo khí tượng thủy văn quốc gia, ngày {day}/11 Hà Nội có mây, đêm và sáng "
            "sớm trời rét, nhiệt độ thấp nhất {a} đến {b} độ C, cao nhất {c} đến {d} độ C.",
            "Khu vực vùng núi phía Bắc có nơi rét đậm dưới {e} độ C, độ ẩm không khí từ {f} đến {g} "
            "phần trăm.",
            "Nam Bộ ngày nắng, chiều tối có mưa rào rải rác, nhiệt độ cao nhất {h} đến {i} độ C.",
            "Trên biển, vùng biển phía bắc Biển Đông có gió đông bắc mạnh cấp {j}, sóng cao {k} mét.",
            "Cơ quan khí tượng khuyến cáo người dân theo dõi các bản tin dự báo tiếp theo.",
        ],
    ),
    "chung-khoan": (
        "Chứng khoán phiên {day}/11: VN-Index {trend} {delta} điểm",
        [
            "Kết thúc phiên giao dịch ngày {day}/11, chỉ số VN-Index {trend} {delta} điểm, lên mức "
            "{a}.{b},{c} điểm.",
            "Thanh khoản toàn thị trường đạt {d}.{e} tỷ đồng, với {f} mã tăng giá và {g} mã giảm giá.",
            "Khối ngoại bán ròng {h} tỷ đồng trên sàn HOSE, tập trung ở nhóm cổ phiếu ngân hàng.",
            "Chỉ số HNX-Index đóng cửa ở mức {i},{j} điểm, UPCoM-Index ở mức {k},{l} điểm.",
            "Các công ty chứng khoán nhận định thị trường có thể tiếp tục giằng co trong các phiên tới.",
        ],
    ),
}


@dataclass(frozen=True, slots=True)
class LabelledArticle:
    """A feed record and the group of articles that truly carry the same story."""

    record: dict[str, Any]
    group: str


def build_corpus(  # noqa: PLR0913 - keyword-only corpus knobs, each with a default
    sentences: list[str],
    *,
    seed: int = 7,
    originals: int = 200,
    copied: int = 120,
    independent: int = 40,
    bulletin_days: int = 15,
    bulletin_copies: int = 10,
) -> list[LabelledArticle]:
    """The labelled corpus, deterministic for a seed; needs ``originals * 8`` sentences plus a spare
    pool for leads and independent reports."""
    rng = random.Random(seed)
    needed = originals * ORIGINAL_SENTENCES
    if len(sentences) < needed + independent * 6:
        raise ValueError(f"need at least {needed + independent * 6} sentences, got {len(sentences)}")
    spare = sentences[needed:]
    corpus: list[LabelledArticle] = []
    for number in range(originals):
        chunk = sentences[number * ORIGINAL_SENTENCES : (number + 1) * ORIGINAL_SENTENCES]
        group = f"story-{number}"
        published = BASE_TIME + timedelta(hours=number * 3)
        original = _article(
            outlet=OUTLETS[number % len(OUTLETS)],
            slug=f"goc-{number}",
            title=_title(chunk[0]),
            lead=chunk[0],
            body=_paragraphs(chunk[1:], rng),
            published=published,
            rng=rng,
        )
        corpus.append(LabelledArticle(original, group))
        if number < copied:
            for copy_number in range(rng.randint(1, 3)):
                outlet = OUTLETS[(number + copy_number + 1) % len(OUTLETS)]
                copy = republish(
                    original, outlet=outlet, slug=f"ban-sao-{number}-{copy_number}", spare=spare, rng=rng
                )
                corpus.append(LabelledArticle(copy, group))
        elif number < copied + independent:
            own = spare[(number - copied) * 6 : (number - copied + 1) * 6]
            body = _paragraphs([*own[1:4], chunk[3], *own[4:]], rng)
            report = _article(
                outlet=OUTLETS[(number + 2) % len(OUTLETS)],
                slug=f"doc-lap-{number}",
                title=original["title"],
                lead=own[0],
                body=body,
                published=published + timedelta(minutes=40),
                rng=rng,
            )
            corpus.append(LabelledArticle(report, f"independent-{number}"))
    corpus.extend(bulletins(rng, days=bulletin_days, copies=bulletin_copies, spare=spare))
    return corpus


def bulletins(rng: random.Random, *, days: int, copies: int, spare: list[str]) -> list[LabelledArticle]:
    """Daily bulletins of every template family for ``days`` days; the first ``copies`` of them are also
    republished the same day by another outlet (true copies)."""
    corpus: list[LabelledArticle] = []
    for day in range(1, days + 1):
        for family_index, (family, (title, template)) in enumerate(BULLETINS.items()):
            values = _bulletin_values(rng, day)
            bulletin = _article(
                outlet=OUTLETS[day % len(OUTLETS)],
                slug=f"{family}-{day}",
                title=title.format(**values),
                lead=None,
                body=[{"kind": "paragraph", "text": line.format(**values)} for line in template],
                published=BASE_TIME + timedelta(days=day - 1),
                rng=rng,
            )
            group = f"{family}-{day}"
            corpus.append(LabelledArticle(bulletin, group))
            if (day - 1) * len(BULLETINS) + family_index < copies:
                copy = republish(
                    bulletin,
                    outlet=OUTLETS[(day + 1) % len(OUTLETS)],
                    slug=f"{family}-{day}-ban-sao",
                    spare=spare,
                    rng=rng,
                    edits=("byline",),
                )
                corpus.append(LabelledArticle(copy, group))
    return corpus


def true_pairs(corpus: list[LabelledArticle]) -> set[frozenset[str]]:
    """The unordered pairs of canonical URLs that belong to the same labelled group."""
    by_group: dict[str, list[str]] = {}
    for article in corpus:
        by_group.setdefault(article.group, []).append(article.record["canonical_url"])
    return {frozenset(pair) for urls in by_group.values() for pair in combinations(urls, 2)}


def predicted_pairs(story_of: dict[str, Any]) -> set[frozenset[str]]:
    """The unordered pairs of canonical URLs a clustering puts in the same story."""
    by_story: dict[Any, list[str]] = {}
    for url, story in story_of.items():
        by_story.setdefault(story, []).append(url)
    return {frozenset(pair) for urls in by_story.values() for pair in combinations(sorted(urls), 2)}


def precision_recall(predicted: set[frozenset[str]], truth: set[frozenset[str]]) -> tuple[float, float]:
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall


def flores_sentences(flores: Path) -> list[str]:
    lines: list[str] = []
    for name in ("dev.vi", "devtest.vi"):
        lines.extend(line.strip() for line in (flores / name).read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def republish(  # noqa: PLR0913 - keyword-only: where the copy goes and how it is edited
    original: dict[str, Any],
    *,
    outlet: str,
    slug: str,
    spare: list[str],
    rng: random.Random,
    edits: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """A copy of ``original`` on another outlet, with one to three of the edits republication makes
    (or exactly ``edits``), published 5 to 55 minutes later."""
    chosen = edits or tuple(
        rng.sample(
            ["lead", "trim", "byline", "attribution", "title", "captions", "photos", "typos"],
            rng.randint(1, 3),
        )
    )
    body = [dict(block) for block in original["body"]]
    title, lead, images = original["title"], original["lead"], [dict(image) for image in original["images"]]
    if "lead" in chosen:
        lead = rng.choice(spare)
    if "trim" in chosen and len(body) > 3:
        body = body[: len(body) - rng.randint(1, 2)]
    authors, attributions = list(original["authors"]), list(original.get("attributions", []))
    if "byline" in chosen:
        authors.append(rng.choice(BYLINES))
    if "attribution" in chosen:
        attributions.append(rng.choice(ATTRIBUTIONS))
    if "title" in chosen:
        title = f"{title.split(':')[0]}: {rng.choice(['toàn cảnh', 'chi tiết mới', 'cập nhật'])}"
    if "captions" in chosen:
        for image in images:
            image["caption"] = f"Ảnh minh họa {rng.randint(1, 99)}."
            image["credit"] = rng.choice(["TTXVN", "Reuters", "AFP"])
    if "photos" in chosen:
        images.reverse()
    if "typos" in chosen:
        body = [{"kind": block["kind"], "text": _typo(block["text"], rng)} for block in body]
    published = datetime.fromisoformat(original["published_at"]) + timedelta(minutes=rng.randint(5, 55))
    record = _article(
        outlet=outlet, slug=slug, title=title, lead=lead, body=body, published=published, rng=rng
    )
    record.update(images=images, authors=authors, attributions=sorted(set(attributions)))
    return record


def _article(  # noqa: PLR0913 - one keyword per record field
    *,
    outlet: str,
    slug: str,
    title: str,
    lead: str | None,
    body: list[dict[str, str]],
    published: datetime,
    rng: random.Random,
) -> dict[str, Any]:
    url = f"https://{outlet}.example.vn/{slug}.html"
    return article_record(
        0,
        source=outlet,
        url=url,
        canonical_url=url,
        source_article_id=slug,
        title=title,
        lead=lead,
        body=body,
        authors=[],
        section=None,
        tags=[],
        images=[
            {"src": f"https://{outlet}.example.vn/anh/{slug}-{index}.jpg", "caption": None, "credit": None}
            for index in range(rng.randint(1, 3))
        ],
        published_at=published.isoformat(),
        crawled_at=CRAWLED_AT.isoformat(),
    )


def _title(sentence: str) -> str:
    words = sentence.rstrip(".").split()
    return " ".join(words[:12])


def _paragraphs(sentences: list[str], rng: random.Random) -> list[dict[str, str]]:
    paragraphs, index = [], 0
    while index < len(sentences):
        size = rng.choice((1, 2))
        paragraphs.append({"kind": "paragraph", "text": " ".join(sentences[index : index + size])})
        index += size
    return paragraphs


def _typo(text: str, rng: random.Random) -> str:
    words = text.split()
    for _ in range(2):
        position = rng.randrange(len(words))
        accented, plain = rng.choice(TYPO_PAIRS)
        words[position] = (
            words[position].replace(accented, plain, 1)
            if accented in words[position]
            else words[position][::-1]
            if len(words[position]) < 4
            else words[position]
        )
    return " ".join(words)


def _bulletin_values(rng: random.Random, day: int) -> dict[str, Any]:
    values: dict[str, Any] = {
        "day": day,
        "trend": rng.choice(["tăng", "giảm"]),
        "delta": f"{rng.randint(1, 9)}{rng.choice(['0', '5'])}0.000",
    }
    for key in "abcdefghijkl":
        values[key] = rng.randint(10, 99) if key not in "gh" else rng.randint(1000, 2999)
    return values
