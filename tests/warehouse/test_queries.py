"""Every example query in sql/queries runs in psql, as the analyst role, and returns what it should."""

import csv
import io
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from warehouse.loader import load_feed
from warehouse.runs import finish_run, start_run
from warehouse.sqlfile import SQL_DIR

QUERIES_DIR = SQL_DIR / "queries"
PSQL = shutil.which("psql")
pytestmark = pytest.mark.skipif(PSQL is None, reason="psql (the PostgreSQL client) is not installed")


def run_query(url, name, **variables):
    command = [PSQL, url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--csv", "-c", "SET ROLE analyst"]
    for key, value in variables.items():
        command += ["-v", f"{key}={value}"]
    command += ["-f", str(QUERIES_DIR / name)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    assert completed.returncode == 0, completed.stderr
    return list(csv.DictReader(io.StringIO(completed.stdout)))


@pytest.fixture
def seeded(warehouse_conn, warehouse_url, feed_line):
    now = datetime.now(UTC).replace(microsecond=0)
    yesterday = now - timedelta(days=1)

    def at(hours_ago):
        return (now - timedelta(hours=hours_ago)).isoformat()

    load_feed(
        warehouse_conn,
        [
            feed_line(1, published_at=at(30), crawled_at=yesterday.isoformat()),
            feed_line(
                2,
                title="Bão lớn đổ bộ vào miền Trung",
                lead="Mưa to kéo dài.",
                body=[{"kind": "paragraph", "text": "Người dân Quảng Ngãi sơ tán khỏi vùng lũ."}],
                published_at=at(5),
                crawled_at=yesterday.isoformat(),
            ),
            feed_line(3, title="Tin cũ", published_at=at(200), crawled_at=yesterday.isoformat()),
            feed_line(
                4,
                source="vnexpress",
                url="https://vnexpress.net/a-4.html",
                canonical_url="https://vnexpress.net/a-4.html",
                published_at=at(2),
                crawled_at=yesterday.isoformat(),
            ),
        ],
    )
    load_feed(warehouse_conn, [feed_line(3, title="Tin cũ, đã sửa", published_at=at(200), crawled_at=at(1))])
    warehouse_conn.execute(
        """
        INSERT INTO translations (article_id, target_language, model_id, model_version, source_language,
            source_content_hash, title, lead, body, captions)
        SELECT article_id, 'en', 'opus-mt-vi-en', '1', 'vi', content_hash, 'Storm makes landfall',
            'Heavy rain continues.', '["Quang Ngai residents evacuated from flooded areas."]', '[]'
        FROM articles WHERE source_article_id = '2'
        """
    )
    warehouse_conn.execute("UPDATE articles SET translation_status = 'done' WHERE source_article_id = '2'")
    warehouse_conn.execute("UPDATE articles SET translation_status = 'failed' WHERE source_article_id = '4'")
    warehouse_conn.commit()
    run_id = start_run(warehouse_conn, "manual__today", "baoquocte")
    finish_run(warehouse_conn, run_id, "success", {"inserted": 3, "quarantined": 2}, {"load": 0.1})
    return warehouse_url, now


def test_every_query_file_is_covered_here():
    assert sorted(path.name for path in QUERIES_DIR.glob("*.sql")) == [
        "daily_counts_by_source.sql",
        "english_fulltext.sql",
        "latest_by_source.sql",
        "stories_across_outlets.sql",
        "translation_backlog.sql",
        "vietnamese_unaccented.sql",
    ]


def test_latest_by_source(seeded):
    url, _ = seeded
    rows = run_query(url, "latest_by_source.sql", limit=2)
    assert [row["title"] for row in rows] == [
        "Bão lớn đổ bộ vào miền Trung",
        "Việt Nam thúc đẩy hòa bình và hợp tác khu vực, bài 1",
    ]
    assert rows[0]["title_en"] == "Storm makes landfall"
    assert [row["article_id"] for row in run_query(url, "latest_by_source.sql", source="vnexpress")] == ["4"]


def test_the_lists_and_windows_leave_out_pages_dated_after_their_crawl(seeded, warehouse_conn, feed_line):
    url, now = seeded
    future = {"published_at": (now + timedelta(days=1800)).isoformat(), "flags": ["future_date"]}
    load_feed(
        warehouse_conn,
        [
            feed_line(5, title="Kỷ niệm ngày thành lập ASEAN", crawled_at=now.isoformat(), **future),
            feed_line(
                6, title="ASEAN marks its anniversary", language="en", crawled_at=now.isoformat(), **future
            ),
            feed_line(
                7,
                title="ASEAN ministers meet in Hanoi",
                language="en",
                published_at=now.isoformat(),
                crawled_at=now.isoformat(),
            ),
            feed_line(
                8,
                title="Hội nghị thành lập hiệp hội",
                published_at=now.isoformat(),
                crawled_at=now.isoformat(),
            ),
        ],
    )
    warehouse_conn.commit()
    rows = run_query(url, "latest_by_source.sql", limit=3)
    assert [row["title"] for row in rows] == [
        "ASEAN ministers meet in Hanoi",
        "Hội nghị thành lập hiệp hội",
        "Bão lớn đổ bộ vào miền Trung",
    ]
    assert [row["title_en"] for row in run_query(url, "english_fulltext.sql", query="ASEAN")] == [
        "ASEAN ministers meet in Hanoi"
    ]
    assert [row["title"] for row in run_query(url, "vietnamese_unaccented.sql", query="thanh lap")] == [
        "Hội nghị thành lập hiệp hội"
    ]
    warehouse_conn.execute("SET ROLE analyst")
    flagged = warehouse_conn.execute(
        "SELECT title FROM analyst.articles WHERE 'future_date' = ANY (flags) ORDER BY article_id"
    )
    assert [row[0] for row in flagged] == ["Kỷ niệm ngày thành lập ASEAN", "ASEAN marks its anniversary"]
    warehouse_conn.execute("RESET ROLE")


def test_english_fulltext(seeded):
    url, _ = seeded
    rows = run_query(url, "english_fulltext.sql", query="evacuation")
    assert [row["title_en"] for row in rows] == ["Storm makes landfall"]
    assert run_query(url, "english_fulltext.sql", query="evacuation", days=0) == []
    assert run_query(url, "english_fulltext.sql") == []


def test_vietnamese_without_diacritics(seeded):
    url, _ = seeded
    assert [row["article_id"] for row in run_query(url, "vietnamese_unaccented.sql")] == ["4", "1", "3"]
    assert [row["title"] for row in run_query(url, "vietnamese_unaccented.sql", query="quang ngai")] == [
        "Bão lớn đổ bộ vào miền Trung"
    ]
    assert [row["article_id"] for row in run_query(url, "vietnamese_unaccented.sql", query="da sua")] == ["3"]


def test_daily_counts_by_source(seeded):
    url, now = seeded
    rows = run_query(url, "daily_counts_by_source.sql")
    by_day_source = {(row["day"], row["source"]): row for row in rows}
    yesterday = (now - timedelta(days=1)).date().isoformat()
    today = now.date().isoformat()
    assert by_day_source[(yesterday, "baoquocte")]["new_articles"] == "3"
    assert by_day_source[(yesterday, "vnexpress")]["new_articles"] == "1"
    revision_day = (now - timedelta(hours=1)).date().isoformat()
    assert by_day_source[(revision_day, "baoquocte")]["updated_articles"] == "1"
    assert by_day_source[(today, "baoquocte")]["runs"] == "1"
    assert by_day_source[(today, "baoquocte")]["quarantined"] == "2"
    assert sum(int(row["new_articles"]) for row in rows) == 4


def test_stories_across_outlets(warehouse_conn, warehouse_url, feed_line):
    now = datetime.now(UTC).replace(microsecond=0)
    body = [
        {"kind": "paragraph", "text": "Chủ tịch nước tiếp Tổng thống Pháp tại Phủ Chủ tịch sáng thứ Hai."},
        {
            "kind": "paragraph",
            "text": "Hai nhà lãnh đạo nhất trí nâng cấp quan hệ lên tầm đối tác chiến lược toàn diện.",
        },
        {
            "kind": "paragraph",
            "text": "Hai bên ký kết mười văn kiện hợp tác về năng lượng, giáo dục và quốc phòng.",
        },
    ]
    copies = [
        feed_line(
            number,
            source=source,
            url=f"https://{source}.vn/tiep-tong-thong-{number}.html",
            canonical_url=f"https://{source}.vn/tiep-tong-thong-{number}.html",
            title="Chủ tịch nước tiếp Tổng thống Pháp",
            body=body,
            published_at=(now - timedelta(hours=number)).isoformat(),
        )
        for number, source in enumerate(["vnexpress", "tuoitre", "baoquocte"], start=1)
    ]
    old = feed_line(9, published_at=(now - timedelta(days=30)).isoformat())
    load_feed(warehouse_conn, [*copies, old])
    rows = run_query(warehouse_url, "stories_across_outlets.sql")
    assert [(row["first_source"], row["outlet_count"], row["copy_count"]) for row in rows] == [
        ("baoquocte", "3", "3")
    ]
    assert rows[0]["outlets"] == "{baoquocte,tuoitre,vnexpress}"
    assert run_query(warehouse_url, "stories_across_outlets.sql", min_outlets=4) == []


def test_translation_backlog(seeded):
    url, _ = seeded
    rows = run_query(url, "translation_backlog.sql")
    assert [(row["source"], row["language"], row["pending"], row["failed"]) for row in rows] == [
        ("baoquocte", "vi", "2", "0"),
        ("vnexpress", "vi", "0", "1"),
    ]
    assert rows[0]["oldest_pending_age"].startswith("1 day")


def test_english_fulltext_and_backlog_with_an_english_original(seeded, warehouse_conn, feed_line):
    url, now = seeded
    load_feed(
        warehouse_conn,
        [
            feed_line(
                5,
                url="https://en.baoquocte.vn/japan-248130.html",
                canonical_url="https://en.baoquocte.vn/japan-248130.html",
                title="Vietnam and Japan deepen Comprehensive Strategic Partnership",
                lead="Residents of both countries welcomed the evacuation drills.",
                body=[{"kind": "paragraph", "text": "Japan pledged support for flood evacuation."}],
                language="en",
                published_at=(now - timedelta(hours=3)).isoformat(),
            )
        ],
    )
    rows = run_query(url, "english_fulltext.sql", query="Japan")
    assert [(row["title_en"], row["english_source"]) for row in rows] == [
        ("Vietnam and Japan deepen Comprehensive Strategic Partnership", "original")
    ]
    evacuation = run_query(url, "english_fulltext.sql", query="evacuation")
    assert [(row["title_en"], row["english_source"]) for row in evacuation] == [
        ("Vietnam and Japan deepen Comprehensive Strategic Partnership", "original"),
        ("Storm makes landfall", "machine_translation"),
    ]
    assert "<b>evacuation</b>" in evacuation[0]["lead_en_highlighted"]
    backlog = run_query(url, "translation_backlog.sql")
    assert [(row["source"], row["language"], row["pending"]) for row in backlog] == [
        ("baoquocte", "vi", "2"),
        ("vnexpress", "vi", "0"),
    ]
