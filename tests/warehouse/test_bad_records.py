"""Every value PostgreSQL would reject is caught per record: the record is quarantined with a clear
reason, the rest of the batch loads, and the CLI answers in one line with a documented exit code."""

import gzip
import json
from datetime import UTC, datetime, timedelta

import pytest

from warehouse.loader import FUTURE_CRAWLED_AT, FeedDamagedError, load_feed

# Each bad record beside valid ones in ONE batch: before the fix, any of these aborted the whole batch
# (or the process) with a database or Python error.
BAD_RECORDS = {
    "offset beyond PostgreSQL's range": ({"published_at": "2026-11-20T08:00:00+20:00"}, "UTC offset"),
    "year 0 after conversion": ({"published_at": "0001-01-01T00:30:00+05:00"}, "years 1..9999"),
    "year 10000 after conversion": ({"updated_at": "9999-12-31T23:30:00-05:00"}, "years 1..9999"),
    "lone surrogate in title": ({"title": "Tin \ud800 mới"}, "surrogate"),
    "lone surrogate in a tag": ({"tags": ["ASEAN", "\udfff"]}, "surrogate"),
    "lone surrogate in an unknown nested key": (
        {"images": [{"src": "https://media.baoquocte.vn/1.jpg", "extra": ["\ud83d"]}]},
        "surrogate",
    ),
    "NUL in the body": ({"body": [{"kind": "paragraph", "text": "a\x00b"}]}, "NUL"),
    "integer beyond 64 bits": ({"source_article_id": 2**70}, "64-bit"),
    "NaN in an image": (
        {"images": [{"src": "https://media.baoquocte.vn/1.jpg", "w": float("nan")}]},
        "finite",
    ),
    "deep nesting": (
        {"images": [{"src": "https://media.baoquocte.vn/1.jpg", "x": [[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]}]},
        "nested",
    ),
    "multi-byte URL over the index limit": ({"canonical_url": "https://baoquocte.vn/" + "đ" * 1500}, "bytes"),
    "giant source article id": ({"source_article_id": "9" * 5000}, "at most"),
}


@pytest.mark.parametrize("case", sorted(BAD_RECORDS))
def test_a_record_postgresql_would_reject_is_quarantined_and_the_batch_loads(warehouse_conn, feed_line, case):
    overrides, reason = BAD_RECORDS[case]
    bad = json.dumps({**json.loads(feed_line(2)), **overrides}, ensure_ascii=True)

    result = load_feed(warehouse_conn, [feed_line(1), bad, feed_line(3)])

    assert (result.inserted, result.quarantined) == (2, 1)
    assert reason in result.quarantine_reasons[0]
    stored = warehouse_conn.execute("SELECT reason, raw FROM quarantine").fetchall()
    assert len(stored) == 1 and reason in stored[0][0]


def test_json_nested_beyond_the_parser_and_huge_integer_literals_are_quarantined(warehouse_conn, feed_line):
    deep = '{"source": "baoquocte", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    huge = feed_line(2)[:-1] + ', "source_article_id": ' + "9" * 5000 + "}"

    result = load_feed(warehouse_conn, [feed_line(1), deep, huge])

    assert (result.inserted, result.quarantined) == (1, 2)
    assert "nested" in result.quarantine_reasons[0]
    assert "storable JSON" in result.quarantine_reasons[1]


def test_a_line_that_is_not_utf8_is_quarantined_and_the_rest_of_the_file_loads(
    warehouse_conn, feed_line, tmp_path
):
    feed = tmp_path / "mixed.jsonl"
    bad = feed_line(2).encode("utf-8").replace("Việt".encode(), b"Vi\xe1\xbb")
    feed.write_bytes(feed_line(1).encode() + b"\n" + bad + b"\n" + feed_line(3).encode() + b"\n")

    result = load_feed(warehouse_conn, feed)

    assert (result.inserted, result.quarantined) == (2, 1)
    assert "not valid UTF-8" in result.quarantine_reasons[0]
    (raw,) = warehouse_conn.execute("SELECT raw FROM quarantine").fetchone()
    assert "\\xe1\\xbb" in raw  # the undecodable bytes are kept, visibly


def test_literal_backslash_u0000_is_text_and_loads(warehouse_conn, feed_line):
    text = "Mã lỗi \\u0000 trong tài liệu"
    result = load_feed(warehouse_conn, [feed_line(1, body=[{"kind": "paragraph", "text": text}], title=text)])

    assert (result.inserted, result.quarantined) == (1, 0)
    title, body = warehouse_conn.execute("SELECT title, body FROM articles").fetchone()
    assert title == text and body[0]["text"] == text


def test_text_beyond_the_tsvector_limit_is_kept_whole_and_its_prefix_indexed(warehouse_conn, feed_line):
    # One-character words of distinct CJK characters: the densest tsvector per character of text.
    words = " ".join(chr(0x4E00 + index % 20_000) + chr(0x4E00 + index // 20_000) for index in range(200_000))
    body = [{"kind": "paragraph", "text": words}, {"kind": "paragraph", "text": "Hoà bình cuối bài"}]

    result = load_feed(
        warehouse_conn, [feed_line(1, body=body, lead=words, title="Hoà bình " + words[:5000])]
    )

    assert (result.inserted, result.quarantined) == (1, 0)
    stored, found_early, found_late = warehouse_conn.execute(
        "SELECT length(body -> 0 ->> 'text'),"
        " search_folded @@ to_tsquery('simple', fold_diacritics('hoa & binh')),"
        " search_folded @@ to_tsquery('simple', fold_diacritics('cuoi'))"
        " FROM articles"
    ).fetchone()
    assert stored == len(words)
    assert found_early and not found_late


def test_far_future_crawled_at_is_clamped_and_flagged_so_later_updates_apply(warehouse_conn, feed_line):
    future = "2999-01-01T00:00:00+00:00"
    before = datetime.now(UTC)
    load_feed(warehouse_conn, [feed_line(1, crawled_at=future)])
    crawled_at, flags = warehouse_conn.execute("SELECT crawled_at, flags FROM articles").fetchone()
    assert before <= crawled_at <= datetime.now(UTC) and FUTURE_CRAWLED_AT in flags

    later = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    result = load_feed(warehouse_conn, [feed_line(1, crawled_at=later, title="Tiêu đề đã sửa")])

    assert result.updated == 1
    assert warehouse_conn.execute("SELECT title FROM articles").fetchone()[0] == "Tiêu đề đã sửa"


def test_truncated_gzip_feed_loads_the_lines_before_the_damage(warehouse_conn, feed_line, tmp_path):
    whole = gzip.compress("".join(feed_line(number) + "\n" for number in range(200)).encode())
    feed = tmp_path / "cut.jsonl.gz"
    feed.write_bytes(whole[: len(whole) * 2 // 3])

    with pytest.raises(FeedDamagedError, match=r"cut\.jsonl\.gz") as damage:
        load_feed(warehouse_conn, feed, records_per_transaction=7)

    loaded = warehouse_conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 0 < loaded < 200 and damage.value.result.inserted == loaded


def test_cli_answers_bad_input_in_one_line_with_the_documented_exit_code(
    warehouse_cli, warehouse_conn, feed_line, tmp_path
):
    whole = gzip.compress("".join(feed_line(number) + "\n" for number in range(50)).encode())
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    garbage = tmp_path / "garbage.jsonl.gz"
    garbage.write_bytes(b"\x1f\x8b not gzip at all")
    binary_stdin = feed_line(99).encode() + b"\n\xff\xfe\x00garbage\n"

    damaged = warehouse_cli("load", str(cut))
    not_gzip = warehouse_cli("load", str(garbage))
    from_stdin = warehouse_cli("load", "-", stdin=binary_stdin)

    for completed in (damaged, not_gzip):
        assert completed.returncode == 4, completed.stderr
        assert "Traceback" not in completed.stderr and len(completed.stderr.strip().splitlines()) == 1
    assert "cut.jsonl.gz" in damaged.stderr and "garbage.jsonl.gz" in not_gzip.stderr
    assert from_stdin.returncode == 3 and "Traceback" not in from_stdin.stderr
    assert json.loads(from_stdin.stdout)["inserted"] == 1


def test_crawl_quarantine_is_resolved_when_the_article_later_loads(warehouse_conn, feed_line):
    from warehouse.runs import quarantine_record

    for url in (
        "https://baoquocte.vn/bai-viet-1.html",
        "https://baoquocte.vn/bai-viet-2.html?utm_source=rss",
    ):
        quarantine_record(warehouse_conn, "crawl", "baoquocte", {"url": url, "outcome": "timeout"}, "timeout")
    quarantine_record(
        warehouse_conn, "crawl", "baoquocte", {"url": "https://baoquocte.vn/khac.html"}, "http_404"
    )

    load_feed(warehouse_conn, [feed_line(1), feed_line(2)])

    open_urls = [
        url
        for (url,) in warehouse_conn.execute(
            "SELECT record ->> 'url' FROM quarantine WHERE resolved_at IS NULL ORDER BY 1"
        )
    ]
    assert open_urls == ["https://baoquocte.vn/khac.html"]
