import json
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest

from warehouse.record import Article, Block, RecordError, normalize_text

SITE_TIME = timezone(timedelta(hours=7))


def minimal_record(**overrides):
    record = {
        "source": "baoquocte",
        "url": "https://baoquocte.vn/viet-nam-hoa-binh-123456.html?utm_source=x",
        "canonical_url": "https://baoquocte.vn/viet-nam-hoa-binh-123456.html",
        "title": "Việt Nam và hòa bình",
        "body": [
            {"kind": "heading", "text": "Bối cảnh"},
            {"kind": "paragraph", "text": "Đoạn thứ nhất."},
        ],
        "language": "vi",
        "crawled_at": "2026-11-28T10:00:00+07:00",
        "extraction_layer": "selector",
    }
    record.update(overrides)
    return record


def test_round_trip_through_json_lines_is_lossless():
    article = Article.from_dict(
        minimal_record(
            authors=["Minh Anh", "Thu Hà"],
            tags=["ASEAN"],
            images=[{"src": "https://img.baoquocte.vn/a.jpg", "caption": "Ảnh", "credit": "TTXVN"}],
            published_at="2026-11-27T08:30:00+07:00",
        )
    )
    line = article.to_json()
    assert "\n" not in line
    assert Article.from_json(line) == article
    assert json.loads(line)["published_at"] == "2026-11-27T01:30:00+00:00"


def test_text_is_nfc_with_folded_whitespace():
    decomposed = "Ho\u0300a\u00a0 bi\u0300nh\u200b"
    assert normalize_text(decomposed) == "Hòa bình"
    article = Article.from_dict(minimal_record(title=decomposed, lead="  \n "))
    assert article.title == "Hòa bình"
    assert article.lead is None


def test_normalize_text_matches_its_definition_for_every_whitespace_character():
    # The definition: NFC, zero-width space and BOM dropped, every regex \s run folded to one space.
    def reference(text):
        text = unicodedata.normalize("NFC", text).replace("\u200b", "").replace("\ufeff", "")
        return re.sub(r"\s+", " ", text).strip()

    whitespace = [chr(code) for code in range(0x3100) if re.match(r"\s", chr(code))]
    assert "\u00a0" in whitespace and "\x1f" in whitespace and "\u3000" in whitespace
    samples = [f"a{space}b{space}{space}c{space}" for space in whitespace]
    samples += ["", "\u200b", " Ho\u0300a\u200b\u0301 bi\u0300nh ", "e\ufeff\u0301", "Đã  NFC\n"]
    for sample in samples:
        assert normalize_text(sample) == reference(sample), repr(sample)


def test_table_blocks_keep_their_rows():
    article = Article.from_dict(minimal_record(body=[{"kind": "table", "text": "A | B\n\n 1 |  2 "}]))
    assert article.body == (Block("table", "A | B\n1 | 2"),)


def test_content_hash_ignores_crawl_metadata_but_not_content():
    first = Article.from_dict(minimal_record())
    recrawled = Article.from_dict(
        minimal_record(crawled_at="2026-11-29T00:00:00+00:00", url="https://baoquocte.vn/x-123456.html")
    )
    edited = Article.from_dict(minimal_record(body=[{"kind": "paragraph", "text": "Đoạn đã sửa."}]))
    assert first.content_hash == recrawled.content_hash
    assert first.content_hash != edited.content_hash


def test_equal_instants_in_different_offsets_hash_alike():
    in_site_time = Article.from_dict(minimal_record(published_at="2026-11-27T08:30:00+07:00"))
    in_utc = Article.from_dict(minimal_record(published_at="2026-11-27T01:30:00+00:00"))
    assert in_site_time.content_hash == in_utc.content_hash


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": None}, "title"),
        ({"body": []}, "body"),
        ({"body": [{"kind": "paragraph", "text": " "}]}, "body[0].text"),
        ({"body": [{"kind": "aside", "text": "x"}]}, "body[0].kind"),
        ({"body": "text"}, "body"),
        ({"url": "/relative-1.html"}, "url"),
        ({"language": "Vietnamese"}, "language"),
        ({"crawled_at": "2026-11-28T10:00:00"}, "crawled_at"),
        ({"published_at": "28/11/2026 10:00"}, "published_at"),
        ({"extraction_layer": "guess"}, "extraction_layer"),
        ({"images": [{"caption": "no src"}]}, "images[0]"),
        ({"authors": [1]}, "authors[0]"),
        ({"surprise": True}, "surprise"),
        ({"source": "Bao Quoc Te"}, "source"),
    ],
)
def test_invalid_records_name_the_field(overrides, field):
    with pytest.raises(RecordError) as raised:
        Article.from_dict(minimal_record(**overrides))
    assert raised.value.field == field


def test_invalid_json_is_a_record_error():
    with pytest.raises(RecordError, match="not valid JSON"):
        Article.from_json('{"title": ')
    with pytest.raises(RecordError, match="JSON object"):
        Article.from_json("[1, 2]")


def test_naive_datetimes_are_refused_in_code_too():
    with pytest.raises(RecordError, match="naive"):
        Article(
            source="baoquocte",
            url="https://baoquocte.vn/a-1.html",
            canonical_url="https://baoquocte.vn/a-1.html",
            title="t",
            body=(Block("paragraph", "p"),),
            language="vi",
            crawled_at=datetime(2026, 1, 1),
            extraction_layer="selector",
        )
    aware = datetime(2026, 1, 1, tzinfo=SITE_TIME)
    assert aware.astimezone(UTC).hour == 17


def test_duplicate_authors_and_tags_are_collapsed_in_order():
    article = Article.from_dict(minimal_record(authors=["B", "A", "B "], tags=["x", "x", "y"]))
    assert article.authors == ("B", "A")
    assert article.tags == ("x", "y")


def test_attributions_round_trip_and_count_as_content_only_when_present():
    plain = Article.from_dict(minimal_record())
    assert plain.attributions == () and plain.to_dict()["attributions"] == []
    credited = Article.from_dict(minimal_record(attributions=["VNA", "Reuters", "VNA"]))
    assert credited.attributions == ("VNA", "Reuters")
    assert Article.from_json(credited.to_json()) == credited
    assert credited.content_hash != plain.content_hash
    assert Article.from_dict(minimal_record(attributions=[])).content_hash == plain.content_hash
    with pytest.raises(RecordError, match=r"attributions\[0\]"):
        Article.from_dict(minimal_record(attributions=[7]))
