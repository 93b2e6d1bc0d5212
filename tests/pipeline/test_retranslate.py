"""Re-translation puts finished articles back in the queue, selected by model, window or source."""

from dataclasses import replace
from datetime import date

import pytest
from psycopg.types.json import Jsonb

from pipeline.errors import PermanentError
from pipeline.retranslate import RetranslationScope, mark_pending, scope_from_params
from tests.pipeline.feeds import article
from warehouse.loader import load_feed

MODELS = {1: ("opus-mt-vi-en", "1.0"), 2: ("opus-mt-vi-en", "2.0"), 3: ("other-vi-en", "1.0")}


@pytest.fixture
def translated(warehouse_conn):
    """Articles 1-3 translated (by the models above), published on Nov 24, 25, 26; article 4 pending."""
    load_feed(
        warehouse_conn, [article(number, published_day=23 + number).to_json() for number in range(1, 5)]
    )
    for number, (model_id, version) in MODELS.items():
        warehouse_conn.execute(
            "INSERT INTO translations (article_id, target_language, model_id, model_version, "
            "source_language, source_content_hash, title, body) "
            "SELECT article_id, 'en', %s, %s, 'vi', content_hash, 'T', %s FROM articles WHERE title = %s",
            (model_id, version, Jsonb(["p"]), f"Bài số {number}"),
        )
        warehouse_conn.execute(
            "UPDATE articles SET translation_status = 'done' WHERE title = %s", (f"Bài số {number}",)
        )
    warehouse_conn.commit()
    return warehouse_conn


def pending(conn) -> list[str]:
    rows = conn.execute("SELECT title FROM articles WHERE translation_status = 'pending' ORDER BY title")
    return [title for (title,) in rows]


def test_a_model_upgrade_requeues_what_the_old_version_translated(translated):
    assert mark_pending(translated, RetranslationScope(model_id="opus-mt-vi-en", model_version="1.0")) == 1
    assert pending(translated) == ["Bài số 1", "Bài số 4"]


def test_every_version_of_a_model(translated):
    assert mark_pending(translated, RetranslationScope(model_id="opus-mt-vi-en")) == 2
    assert pending(translated) == ["Bài số 1", "Bài số 2", "Bài số 4"]


def test_a_date_window_is_inclusive_and_marking_twice_changes_nothing(translated):
    scope = RetranslationScope(since=date(2026, 11, 25), until=date(2026, 11, 25))
    assert mark_pending(translated, scope) == 1
    assert mark_pending(translated, scope) == 0
    assert pending(translated) == ["Bài số 2", "Bài số 4"]


def test_params_from_the_form_and_their_errors(translated):
    scope = scope_from_params(since="2026-11-26", sources=["baoquocte"])
    assert scope == RetranslationScope(since=date(2026, 11, 26), sources=("baoquocte",))
    assert mark_pending(translated, scope) == 1
    with pytest.raises(PermanentError, match="needs its model id"):
        scope_from_params(model_version="2.0")
    with pytest.raises(PermanentError, match="everything=True"):
        scope_from_params()
    assert mark_pending(translated, scope_from_params(everything=True)) == 2


def test_originals_are_never_queued_for_translation(translated):
    english = replace(article(5), title="Talks continue", language="en")
    load_feed(translated, [english.to_json()])
    assert mark_pending(translated, RetranslationScope(everything=True)) == 3
    status = translated.execute("SELECT translation_status FROM articles WHERE title = 'Talks continue'")
    assert status.fetchone() == ("original",)
