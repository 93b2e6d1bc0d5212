"""Planning the translation stage: batches for the queue, none without a model."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from pipeline.settings import PipelineSettings
from pipeline.translation_batches import plan_batches
from tests.pipeline.feeds import article
from warehouse.loader import load_feed


def test_enough_batches_for_the_queue_up_to_the_cap(warehouse_conn, monkeypatch, tmp_path):
    from testkit.synthetic_models import build_synthetic_package
    from translate.packages import install_package

    packages = tmp_path / "packages"
    install_package(build_synthetic_package(tmp_path / "vi_en.argosmodel", "vi", "en", seed=3), packages)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    load_feed(warehouse_conn, [article(number).to_json() for number in range(1, 8)])
    claim = (
        "UPDATE articles SET translation_status = 'in_progress', translation_claimed_at = %s WHERE title = %s"
    )
    # A claim of a worker that died two hours ago is claimable again; a fresh one is not.
    warehouse_conn.execute(claim, (datetime.now(UTC) - timedelta(hours=2), "Bài số 1"))
    warehouse_conn.execute(claim, (datetime.now(UTC), "Bài số 2"))
    settings = replace(PipelineSettings(), articles_per_translation_task=2, max_translation_tasks=10)

    assert plan_batches(warehouse_conn, settings) == [{"batch": index, "articles": 2} for index in range(3)]
    assert plan_batches(warehouse_conn, replace(settings, max_translation_tasks=2)) == [
        {"batch": 0, "articles": 2},
        {"batch": 1, "articles": 2},
    ]
    # Six claimable articles at up to four per batch: two batches of three, not four and two.
    assert plan_batches(warehouse_conn, replace(settings, articles_per_translation_task=4)) == [
        {"batch": 0, "articles": 3},
        {"batch": 1, "articles": 3},
    ]


def test_no_batches_without_a_translation_package(warehouse_conn, monkeypatch, tmp_path):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "empty"))
    load_feed(warehouse_conn, [article(1).to_json()])

    assert plan_batches(warehouse_conn, PipelineSettings()) == []


def test_planning_finishes_pending_english_originals_without_a_package(warehouse_conn, monkeypatch, tmp_path):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "empty"))
    english = replace(article(2), title="Talks continue", language="en")
    load_feed(warehouse_conn, [article(1).to_json(), english.to_json()])
    # Queued the way a pre-'original' loader or a requeue would leave it.
    warehouse_conn.execute("UPDATE articles SET translation_status = 'pending'")
    warehouse_conn.commit()

    assert plan_batches(warehouse_conn, PipelineSettings()) == []
    assert dict(warehouse_conn.execute("SELECT title, translation_status FROM articles").fetchall()) == {
        "Bài số 1": "pending",
        "Talks continue": "original",
    }


def test_planning_counts_what_the_workers_may_claim_under_the_settings_limits(
    warehouse_conn, monkeypatch, tmp_path
):
    from testkit.synthetic_models import build_synthetic_package
    from translate.packages import install_package

    packages = tmp_path / "packages"
    install_package(build_synthetic_package(tmp_path / "vi_en.argosmodel", "vi", "en", seed=3), packages)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    load_feed(warehouse_conn, [article(number).to_json() for number in range(1, 4)])
    # A worker died holding "Bài số 1" on its third attempt and "Bài số 2" an hour ago on its first.
    warehouse_conn.execute(
        "UPDATE articles SET translation_status = 'in_progress', translation_claimed_at = now(), "
        "translation_claim_token = 987654321, translation_attempts = 3 WHERE title = 'Bài số 1'"
    )
    warehouse_conn.execute(
        "UPDATE articles SET translation_status = 'in_progress', translation_attempts = 1, "
        "translation_claimed_at = now() - interval '1 hour' WHERE title = 'Bài số 2'"
    )
    settings = replace(PipelineSettings(), articles_per_translation_task=1)

    assert len(plan_batches(warehouse_conn, settings)) == 2
    assert len(plan_batches(warehouse_conn, replace(settings, translation_max_attempts=4))) == 3
    assert len(plan_batches(warehouse_conn, replace(settings, translation_claim_timeout_seconds=7200))) == 1
