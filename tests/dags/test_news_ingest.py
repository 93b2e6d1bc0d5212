"""news_ingest end to end, in-process (dag.test()), against real PostgreSQL, the local mirror and a tiny
generated vi->en package."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.slow

SITE_TIME = ZoneInfo("Asia/Ho_Chi_Minh")


def registered() -> list[str]:
    from spiders.registry import source_names

    return source_names()


def all_mapped(state: str, tries: int = 1) -> list[tuple[int, str, int]]:
    """Every registered source's mapped task instance in ``state``."""
    return [(index, state, tries) for index in range(len(registered()))]


def task_states(dag_run) -> dict[str, list[tuple[int, str, int]]]:
    """task_id -> [(map_index, state, try_number)] of a finished DAG run."""
    states: dict[str, list[tuple[int, str, int]]] = {}
    for ti in dag_run.get_task_instances():
        states.setdefault(ti.task_id, []).append((ti.map_index, str(ti.state), ti.try_number))
    return {task_id: sorted(entries) for task_id, entries in states.items()}


def assert_each_source_ran(first, runs, times, names, articles) -> None:
    """One ingest run per registered source, each loading its own articles, with the source's display
    name from its module and the times of its own crawl and load."""
    assert [source for source, *_ in runs] == sorted(registered())
    assert sum(counts["inserted"] for *_, counts in runs) == articles
    for source, run_key, status, counts in runs:
        layers = (
            counts.get("layer_selector", 0) + counts.get("layer_metadata", 0) + counts.get("layer_generic", 0)
        )
        assert layers == counts["inserted"] > 0, source
        assert run_key == first.run_id
        assert status in {"success", "partial"}
    from spiders.registry import display_names

    assert {source: names[source] for source in registered()} == display_names()
    # The run's times are the source's crawl start and load end, not when check_quality wrote the row.
    quality_ti = first.get_task_instance("check_quality")
    for index, (started_at, finished_at) in enumerate(times):
        crawl_ti = first.get_task_instance("ingest_source.crawl", map_index=index)
        load_ti = first.get_task_instance("ingest_source.load", map_index=index)
        assert crawl_ti.start_date <= started_at <= crawl_ti.end_date
        assert load_ti.start_date <= finished_at <= load_ti.end_date
        assert finished_at < quality_ti.start_date


def assert_english_articles_are_originals(conn) -> None:
    """The English edition's articles are finished at load as originals (never translated) and are
    their own English text."""
    english, originals = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE translation_status = 'original'"
        " AND english_source = 'original' AND title_en = title AND NOT translation_outdated)"
        " FROM analyst.articles WHERE language = 'en'"
    ).fetchone()
    assert english >= 1
    assert originals == english


def test_a_run_loads_translates_and_records_and_running_again_changes_nothing(chain):
    logical_date = datetime.now(UTC).replace(microsecond=0)
    first = chain.run(logical_date=logical_date)

    assert str(first.state) == "success"
    states = task_states(first)
    assert states["ingest_source.crawl"] == all_mapped("success")
    assert states["ingest_source.load"] == all_mapped("success")
    assert {state for _, state, _ in states["translate"]} == {"success"}
    assert states["check_quality"] == [(-1, "success", 1)]
    assert states["report_failures"] == [(-1, "skipped", 0)]

    with chain.connect() as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        statuses = dict(
            conn.execute("SELECT translation_status, count(*) FROM articles GROUP BY 1").fetchall()
        )
        runs = conn.execute(
            "SELECT source, run_key, status, counts FROM ingest_runs ORDER BY source"
        ).fetchall()
        misaligned = conn.execute(
            "SELECT count(*) FROM translations t JOIN articles a USING (article_id) "
            "WHERE jsonb_array_length(t.body) <> jsonb_array_length(a.body)"
        ).fetchone()[0]
        translations = conn.execute("SELECT count(*) FROM translations").fetchone()[0]
        english_titles = conn.execute(
            "SELECT count(*) FROM analyst.articles WHERE translation_status = 'done' AND title_en IS NOT NULL"
        ).fetchone()[0]
        backlog = conn.execute(
            "SELECT coalesce(sum(pending), 0) FROM analyst.translation_backlog"
        ).fetchone()[0]
        assert_english_articles_are_originals(conn)
        daily_runs = conn.execute("SELECT sum(runs) FROM analyst.daily_ingest").fetchone()[0]
        times = conn.execute("SELECT started_at, finished_at FROM ingest_runs ORDER BY source").fetchall()
        names = dict(conn.execute("SELECT source, name FROM sources").fetchall())
        skipped_languages = {
            language
            for (language,) in conn.execute(
                "SELECT DISTINCT language FROM articles WHERE translation_status = 'skipped'"
            )
        }

    assert articles >= 30
    # Chinese (zh.vietnamplus.vn) has no installed pair: skipped with a note, never fed to vi->en.
    assert {"done", "original"} <= set(statuses) <= {"done", "original", "skipped"}
    assert skipped_languages <= {"zh"}
    assert statuses["done"] >= 30
    assert translations == statuses["done"] == english_titles
    assert misaligned == backlog == 0
    assert daily_runs == len(registered())
    assert_each_source_ran(first, runs, times, names, articles)

    snapshot = chain.snapshot()
    rerun = chain.run(logical_date=logical_date)
    assert rerun.run_id == first.run_id
    assert str(rerun.state) == "success"
    assert chain.snapshot() == snapshot

    second = chain.run()
    assert str(second.state) == "success"
    after = chain.snapshot()
    for table in ("articles", "article_revisions", "translations", "translation_cache"):
        assert after[table] == snapshot[table], table
    # Pages rejected again are the same quarantine records, seen once more.
    assert [row["quarantine_id"] for row in after["quarantine"][0]] == [
        row["quarantine_id"] for row in snapshot["quarantine"][0]
    ]
    with chain.connect() as conn:
        second_counts = conn.execute(
            "SELECT counts FROM ingest_runs WHERE run_key = %s", (second.run_id,)
        ).fetchall()
    assert len(second_counts) == len(registered())
    for (counts,) in second_counts:
        assert counts.get("inserted", 0) == 0
        assert counts.get("updated", 0) == 0


def test_manual_params_crawl_only_the_chosen_sources_window_and_cap(chain):
    chain.monkeypatch.setenv("NEWS_SOURCES", "baoquocte,broken")
    yesterday = (datetime.now(SITE_TIME) - timedelta(days=1)).date()
    today = datetime.now(SITE_TIME).date()
    dag_run = chain.run(
        run_conf={
            "sources": ["baoquocte"],
            "since": yesterday.isoformat(),
            "until": today.isoformat(),
            "max_articles": 4,
        }
    )

    assert str(dag_run.state) == "success"
    assert task_states(dag_run)["ingest_source.crawl"] == [(0, "success", 1)]
    with chain.connect() as conn:
        published = [published for (published,) in conn.execute("SELECT published_at FROM articles")]
        sources = [source for (source,) in conn.execute("SELECT source FROM ingest_runs").fetchall()]
    # Pages without a readable date cannot be placed in the window, so the spider keeps them (flagged).
    days = [moment.astimezone(SITE_TIME).date() for moment in published if moment is not None]
    assert 1 <= len(published) <= 4
    assert days
    assert all(yesterday <= day <= today for day in days)
    assert sources == ["baoquocte"]


def test_a_dry_run_crawls_and_validates_but_writes_nothing(chain):
    empty = chain.snapshot()
    dag_run = chain.run(run_conf={"dry_run": True, "max_articles": 5})

    assert str(dag_run.state) == "success"
    assert chain.snapshot() == empty
    for source in registered():
        feeds = list((chain.data_uri / "raw" / source).glob("*.jsonl"))
        assert len([feed for feed in feeds if not feed.name.endswith(".rejects.jsonl")]) == 1, source
    assert "translate" not in task_states(dag_run) or all(
        state == "skipped" for _, state, _ in task_states(dag_run)["translate"]
    )


def test_a_failing_source_is_retried_then_failed_while_the_others_finish(chain):
    """Every registered source plus one whose crawl cannot start: that one alone fails."""
    broken = len(registered())
    chain.monkeypatch.setenv("NEWS_SOURCES", ",".join([*registered(), "broken"]))
    dag_run = chain.run()

    assert str(dag_run.state) == "failed"
    states = task_states(dag_run)
    assert states["ingest_source.crawl"] == [*all_mapped("success"), (broken, "failed", 3)]
    assert states["ingest_source.load"] == [*all_mapped("success"), (broken, "upstream_failed", 0)]
    assert {state for _, state, _ in states["translate"]} == {"success"}
    assert states["check_quality"] == [(-1, "success", 1)]
    assert states["report_failures"] == [(-1, "failed", 1)]
    with chain.connect() as conn:
        runs = dict(conn.execute("SELECT source, status FROM ingest_runs").fetchall())
        translated = conn.execute("SELECT count(*) FROM translations").fetchone()[0]
    assert runs["broken"] == "failed"
    assert all(runs[source] in {"success", "partial"} for source in registered())
    assert translated > 0


def test_without_a_translation_package_articles_wait_with_the_install_command(chain, tmp_path):
    chain.monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    dag_run = chain.run(run_conf={"max_articles": 5})

    assert str(dag_run.state) == "success"
    with chain.connect() as conn:
        statuses = set(conn.execute("SELECT language = 'en', translation_status FROM articles").fetchall())
        errors = conn.execute("SELECT errors FROM ingest_runs").fetchone()[0]
    # Everything waits for the package except English-edition articles (when the capped crawl reached
    # any): they need none and are finished at load.
    assert {status for english, status in statuses if not english} == {"pending"}
    assert {status for english, status in statuses if english} <= {"original"}
    backlog = [error for error in errors if error["check"] == "translation_backlog"]
    assert backlog and "python -m translate" in backlog[0]["message"]


def test_retranslation_by_model_and_by_force_reach_the_next_translation_stage(chain):
    chain.run(run_conf={"max_articles": 5})
    with chain.connect() as conn:
        before = dict(conn.execute("SELECT article_id, translated_at FROM translations").fetchall())
        model_id, model_version = conn.execute(
            "SELECT model_id, model_version FROM translations LIMIT 1"
        ).fetchone()

    retranslate = chain.run("news_retranslate", {"model_id": model_id, "model_version": model_version})
    assert str(retranslate.state) == "success"
    with chain.connect() as conn:
        pending = conn.execute(
            "SELECT count(*) FROM articles WHERE translation_status = 'pending'"
        ).fetchone()[0]
    assert pending == len(before)

    assert str(chain.run(run_conf={"max_articles": 5}).state) == "success"
    with chain.connect() as conn:
        after = dict(conn.execute("SELECT article_id, translated_at FROM translations").fetchall())
        statuses = {
            status
            for (status,) in conn.execute(
                "SELECT DISTINCT translation_status FROM articles WHERE language <> 'zh'"
            )
        }
    assert after.keys() >= before.keys()
    assert all(after[article_id] > before[article_id] for article_id in before)
    # Chinese (zh.vietnamplus.vn) has no installed pair and ends skipped; every other article is finished.
    assert statuses <= {"done", "original"}

    forced = chain.run(run_conf={"max_articles": 1, "force_retranslate": True})
    assert str(forced.state) == "success"
    with chain.connect() as conn:
        again = dict(conn.execute("SELECT article_id, translated_at FROM translations").fetchall())
    assert again.keys() >= after.keys()
    assert all(again[article_id] > after[article_id] for article_id in after)

    maintenance = chain.run("news_maintenance")
    assert str(maintenance.state) == "success"
    assert {state for entries in task_states(maintenance).values() for _, state, _ in entries} == {"success"}

    with chain.connect() as conn:
        stories_before = conn.execute("SELECT article_id, story_id FROM story_members ORDER BY 1").fetchall()
    assert stories_before, "every loaded article joined a story at load time"
    rebuilt = chain.run("news_maintenance", run_conf={"rebuild_stories": True})
    assert str(rebuilt.state) == "success"
    with chain.connect() as conn:
        assert conn.execute("SELECT article_id, story_id FROM story_members ORDER BY 1").fetchall() == (
            stories_before
        )
