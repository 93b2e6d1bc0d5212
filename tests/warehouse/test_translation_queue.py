"""The translation queue: every operation, the one claimable definition behind claim and count, and
the limits from settings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from pipeline.settings import PipelineSettings
from tests.pipeline.feeds import article
from warehouse import db
from warehouse import translation_queue as queue
from warehouse.env import SettingError
from warehouse.loader import load_feed
from warehouse.translation_queue import ArticleTranslation, ClaimLimits

DEFAULT_LIMITS = PipelineSettings().claim_limits()
# A token no session holds: the claim of a worker that died.
DEAD_TOKEN = 987_654_321


@pytest.fixture
def live_token(warehouse_url: str) -> Iterator[int]:
    """A claim token held by another session: a live worker, however slow."""
    with db.connect(url=warehouse_url) as other, queue.claim_token(other) as token:
        yield token


def load_articles(conn: psycopg.Connection, names: list[str]) -> dict[str, int]:
    load_feed(conn, [article(number).to_json() for number in range(1, len(names) + 1)])
    ids: dict[str, int] = dict(conn.execute("SELECT title, article_id FROM articles").fetchall())
    return {name: ids[f"Bài số {number}"] for number, name in enumerate(names, start=1)}


def set_state(conn: psycopg.Connection, article_id: int, status: str, **columns: object) -> None:
    assignments = ", ".join(f"translation_{name} = %({name})s" for name in columns)
    conn.execute(
        f"UPDATE articles SET translation_status = %(status)s{', ' if columns else ''}{assignments} "
        "WHERE article_id = %(article_id)s",
        {"status": status, "article_id": article_id, **columns},
    )
    conn.commit()


def crafted_mix(conn: psycopg.Connection, live_token: int) -> dict[str, int]:
    """One article in each state the claimable definition tells apart."""
    ids = load_articles(
        conn,
        [
            "pending",
            "live_claim",
            "dead_claim",
            "dead_claim_out_of_attempts",
            "tokenless_claim_2h_old",
            "tokenless_claim_fresh",
            "done",
            "failed",
            "skipped",
            "original",
        ],
    )
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    now = datetime.now(UTC)
    set_state(conn, ids["live_claim"], "in_progress", claim_token=live_token, claimed_at=now, attempts=1)
    set_state(conn, ids["dead_claim"], "in_progress", claim_token=DEAD_TOKEN, claimed_at=now, attempts=2)
    set_state(
        conn,
        ids["dead_claim_out_of_attempts"],
        "in_progress",
        claim_token=DEAD_TOKEN,
        claimed_at=now,
        attempts=3,
    )
    set_state(conn, ids["tokenless_claim_2h_old"], "in_progress", claimed_at=two_hours_ago, attempts=1)
    set_state(conn, ids["tokenless_claim_fresh"], "in_progress", claimed_at=now, attempts=1)
    for status in ("done", "failed", "skipped", "original"):
        set_state(conn, ids[status], status)
    return ids


@pytest.mark.parametrize(
    ("limits", "claimable"),
    [
        (DEFAULT_LIMITS, {"pending", "dead_claim", "tokenless_claim_2h_old"}),
        (
            ClaimLimits(claim_timeout=timedelta(hours=3), max_attempts=4),
            {"pending", "dead_claim", "dead_claim_out_of_attempts"},
        ),
        (
            ClaimLimits(claim_timeout=timedelta(0), max_attempts=2),
            {"pending", "tokenless_claim_2h_old", "tokenless_claim_fresh"},
        ),
    ],
    ids=["defaults", "longer-timeout-more-attempts", "no-timeout-two-attempts"],
)
def test_count_is_exactly_what_claim_hands_out(warehouse_conn, live_token, limits, claimable):
    ids = crafted_mix(warehouse_conn, live_token)

    counted = queue.claimable_count(warehouse_conn, limits)
    with queue.claim_token(warehouse_conn) as token:
        claimed = queue.claim(warehouse_conn, 100, limits, token=token)
        assert queue.claimable_count(warehouse_conn, limits) == 0

    assert {article.article_id for article in claimed} == {ids[name] for name in claimable}
    assert counted == len(claimed) == len(claimable)


def test_a_claim_takes_the_oldest_first_and_marks_the_row(warehouse_conn):
    ids = load_articles(warehouse_conn, ["first", "second", "third"])
    with queue.claim_token(warehouse_conn) as token:
        claimed = queue.claim(warehouse_conn, 2, DEFAULT_LIMITS, token=token)
        rows = warehouse_conn.execute(
            "SELECT article_id, translation_status, translation_claim_token, translation_attempts "
            "FROM articles WHERE translation_status = 'in_progress' ORDER BY article_id"
        ).fetchall()

    assert [article.article_id for article in claimed] == [ids["first"], ids["second"]]
    assert claimed[0].title == "Bài số 1" and claimed[0].language == "vi"
    assert claimed[0].body[0]["text"].startswith("Nội dung bài số 1.")
    assert rows == [(ids["first"], "in_progress", token, 1), (ids["second"], "in_progress", token, 1)]


def test_a_forced_claim_takes_finished_articles_once_per_run(warehouse_conn):
    ids = load_articles(warehouse_conn, ["done", "pending"])
    set_state(warehouse_conn, ids["done"], "done")
    run_started_at = warehouse_conn.execute("SELECT clock_timestamp()").fetchone()[0]
    warehouse_conn.commit()
    with queue.claim_token(warehouse_conn) as token:
        first = queue.claim(
            warehouse_conn, 10, DEFAULT_LIMITS, token=token, force=True, run_started_at=run_started_at
        )
        for claimed in first:
            queue.finish(warehouse_conn, claimed, "done", None)
        warehouse_conn.commit()
        again = queue.claim(
            warehouse_conn, 10, DEFAULT_LIMITS, token=token, force=True, run_started_at=run_started_at
        )

    assert {claimed.article_id for claimed in first} == set(ids.values())
    assert again == []
    with pytest.raises(ValueError, match="run_started_at"):
        queue.claim(warehouse_conn, 10, DEFAULT_LIMITS, token=1, force=True)


def test_a_dead_workers_claims_are_claimable_the_moment_its_token_is_released(warehouse_conn, warehouse_url):
    load_articles(warehouse_conn, ["a", "b"])
    with db.connect(url=warehouse_url) as worker, queue.claim_token(worker) as token:
        assert len(queue.claim(worker, 2, DEFAULT_LIMITS, token=token)) == 2
        assert queue.claimable_count(warehouse_conn, DEFAULT_LIMITS) == 0

    assert queue.claimable_count(warehouse_conn, DEFAULT_LIMITS) == 2


def test_stale_claims_out_of_attempts_fail_and_the_others_are_left_to_claim(warehouse_conn, live_token):
    ids = crafted_mix(warehouse_conn, live_token)
    set_state(
        warehouse_conn,
        ids["live_claim"],
        "in_progress",
        claim_token=live_token,
        claimed_at=datetime.now(UTC),
        attempts=3,
    )

    assert queue.fail_abandoned_claims(warehouse_conn, DEFAULT_LIMITS) == 1

    rows = {
        article_id: (status, error)
        for article_id, status, error in warehouse_conn.execute(
            "SELECT article_id, translation_status, translation_error FROM articles"
        )
    }
    assert rows[ids["dead_claim_out_of_attempts"]] == (
        "failed",
        "translation worker died holding the claim after 3 attempts",
    )
    assert rows[ids["live_claim"]][0] == rows[ids["dead_claim"]][0] == "in_progress"
    assert queue.fail_abandoned_claims(warehouse_conn, ClaimLimits(timedelta(minutes=30), 2)) == 1
    assert warehouse_conn.execute(
        "SELECT translation_status FROM articles WHERE article_id = %s", (ids["dead_claim"],)
    ).fetchone() == ("failed",)


def translation_of(title: str) -> ArticleTranslation:
    return ArticleTranslation(
        target_language="en",
        model_id="opus-mt-vi-en",
        model_version="1.0",
        source_language="vi",
        title=title,
        lead=None,
        body=("Content.",),
        captions=(),
    )


def test_results_are_written_only_while_the_claim_holds(warehouse_conn):
    ids = load_articles(warehouse_conn, ["kept", "recrawled"])
    with queue.claim_token(warehouse_conn) as token:
        kept, recrawled = queue.claim(warehouse_conn, 2, DEFAULT_LIMITS, token=token)
        # A re-crawl changed the second article meanwhile: the loader made it pending again.
        warehouse_conn.execute(
            "UPDATE articles SET content_hash = md5('new') || md5('new'), translation_status = 'pending' "
            "WHERE article_id = %s",
            (ids["recrawled"],),
        )
        queue.store_translation(warehouse_conn, kept, translation_of("Article 1"))
        queue.store_translation(warehouse_conn, recrawled, translation_of("Article 2"))
        assert queue.finish(warehouse_conn, kept, "done", "body 2 (zh) left untranslated")
        assert not queue.finish(warehouse_conn, recrawled, "done", None)
        warehouse_conn.commit()

    assert warehouse_conn.execute("SELECT article_id, title, body FROM translations").fetchall() == [
        (ids["kept"], "Article 1", ["Content."])
    ]
    assert queue.status_counts(warehouse_conn) == {"done": 1, "pending": 1}
    assert warehouse_conn.execute(
        "SELECT translation_error FROM articles WHERE article_id = %s", (ids["kept"],)
    ).fetchone() == ("body 2 (zh) left untranslated",)


def test_pending_articles_already_in_the_target_language_finish_as_original(warehouse_conn):
    ids = load_articles(warehouse_conn, ["vietnamese", "english"])
    warehouse_conn.execute("UPDATE articles SET language = 'en' WHERE article_id = %s", (ids["english"],))
    warehouse_conn.commit()

    assert queue.finish_originals(warehouse_conn, "en") == 1
    assert queue.finish_originals(warehouse_conn, "en") == 0
    assert queue.status_counts(warehouse_conn) == {"original": 1, "pending": 1}


def test_mark_pending_requeues_finished_articles_with_a_fresh_budget(warehouse_conn, live_token):
    ids = crafted_mix(warehouse_conn, live_token)
    warehouse_conn.execute(
        "UPDATE articles SET translation_attempts = 3, translation_error = 'boom' WHERE article_id = %s",
        (ids["failed"],),
    )
    warehouse_conn.commit()

    assert queue.mark_pending(warehouse_conn, target_language="en", sources=["baoquocte"]) == 3
    assert queue.mark_pending(warehouse_conn, target_language="en") == 0
    assert queue.mark_pending(warehouse_conn, target_language="en", sources=["elsewhere"]) == 0

    rows = {
        article_id: state
        for article_id, *state in warehouse_conn.execute(
            "SELECT article_id, translation_status, translation_attempts, translation_error FROM articles"
        )
    }
    for name in ("done", "failed", "skipped"):
        assert rows[ids[name]] == ["pending", 0, None]
    assert rows[ids["original"]][0] == "original"
    assert rows[ids["live_claim"]][0] == "in_progress"


def test_status_counts_all_or_only_the_waiting_ones(warehouse_conn, live_token):
    crafted_mix(warehouse_conn, live_token)

    assert queue.status_counts(warehouse_conn) == {
        "done": 1,
        "failed": 1,
        "in_progress": 5,
        "original": 1,
        "pending": 1,
        "skipped": 1,
    }
    assert queue.status_counts(warehouse_conn, queue.WAITING_STATUSES) == {
        "failed": 1,
        "in_progress": 5,
        "pending": 1,
    }


def test_the_limits_come_from_the_settings():
    assert ClaimLimits(claim_timeout=timedelta(minutes=30), max_attempts=3) == DEFAULT_LIMITS
    settings = PipelineSettings.from_env(
        {"NEWS_TRANSLATION_CLAIM_TIMEOUT_SECONDS": "60", "NEWS_TRANSLATION_MAX_ATTEMPTS": "5"}
    )
    assert settings.claim_limits() == ClaimLimits(claim_timeout=timedelta(seconds=60), max_attempts=5)
    with pytest.raises(SettingError, match="NEWS_TRANSLATION_MAX_ATTEMPTS"):
        PipelineSettings.from_env({"NEWS_TRANSLATION_MAX_ATTEMPTS": "0"})
    with pytest.raises(ValueError, match="max_attempts"):
        ClaimLimits(claim_timeout=timedelta(0), max_attempts=0)
