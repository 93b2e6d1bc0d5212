"""The story tasks of the DAGs, run without Airflow: English translations are signed after the
translation stage (not in a dry run), and maintenance rebuilds stories only when asked."""

from __future__ import annotations

import json
import random

from pipeline import stages
from testkit.story_corpus import republish
from warehouse.loader import load_feed
from warehouse.paths import PROJECT_ROOT

ORIGINAL = (
    PROJECT_ROOT
    / "tests/fixtures/expected/baoquocte.vn/quan-he-viet-nam-hoa-ky-buoc-vao-giai-doan-moi-235003.json"
)


def test_link_stories_signs_new_translations_and_rebuild_runs_only_when_asked(settings, warehouse_conn):
    original = json.loads(ORIGINAL.read_text(encoding="utf-8"))
    copy = republish(
        original, outlet="tuoitre", slug="ban-sao", spare=[], rng=random.Random(2), edits=("byline",)
    )
    load_feed(
        warehouse_conn, [json.dumps(original, ensure_ascii=False), json.dumps(copy, ensure_ascii=False)]
    )
    warehouse_conn.execute(
        """
        INSERT INTO translations (article_id, target_language, model_id, model_version, source_language,
            source_content_hash, title, lead, body, captions)
        SELECT article_id, 'en', 'opus-mt-vi-en', '1', 'vi', content_hash, 'Peace', NULL, '["Peace."]', '[]'
        FROM articles WHERE source = 'baoquocte'
        """
    )
    warehouse_conn.commit()

    assert stages.link_stories({"dry_run": True}) == {"skipped": "dry run"}
    assert stages.link_stories({})["signed"] == 1
    assert stages.link_stories({})["signed"] == 0

    assert stages.rebuild_stories({}) == {"skipped": "rebuild_stories is off"}
    rebuilt = stages.rebuild_stories({"rebuild_stories": True})
    assert rebuilt["signed"] == 2
    stories = warehouse_conn.execute(
        "SELECT count(DISTINCT story_id), count(*) FROM story_members"
    ).fetchone()
    assert stories == (1, 2)
