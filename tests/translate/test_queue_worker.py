import hashlib
import json
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pipeline.settings import PipelineSettings
from testkit.processes import python_process
from testkit.synthetic_models import build_synthetic_package, news_sentences
from translate.engine import DocumentTranslation, Engine, SourceDocument
from translate.packages import install_package
from translate.queue_worker import translate_pending
from translate.settings import EngineSettings
from warehouse import db

LIMITS = PipelineSettings().claim_limits()
ENGLISH = "The minister said on Monday that the talks would continue next week in the capital."


def add_article(
    conn: psycopg.Connection,
    number: int,
    *,
    language: str = "vi",
    body: Sequence[str] | None = None,
    captions: Sequence[str | None] = ("Ảnh: TTXVN", None),
) -> int:
    body = list(body or news_sentences(language, 3, seed=number))
    title = news_sentences(language, 1, seed=100 + number)[0]
    images = [
        {"src": f"https://baoquocte.vn/i/{number}-{index}.jpg", "caption": caption, "credit": None}
        for index, caption in enumerate(captions)
    ]
    now = datetime.now(UTC)
    inserted = conn.execute(
        """INSERT INTO articles (canonical_url, source, url, title, lead, body, images, language, crawled_at,
                                 first_seen, last_seen, content_hash, extraction_layer)
           VALUES (%s, 'baoquocte', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'selector')
           RETURNING article_id""",
        (
            f"https://baoquocte.vn/bai-{number}.html",
            f"https://baoquocte.vn/bai-{number}.html",
            title,
            "Sáng nay, TP.HCM công bố kế hoạch." if language == "vi" else None,
            json.dumps([{"kind": "paragraph", "text": text} for text in body], ensure_ascii=False),
            json.dumps(images, ensure_ascii=False),
            language,
            now,
            now,
            now,
            hashlib.sha256(f"{number}{title}".encode()).hexdigest(),
        ),
    )
    article_id = db.one_value(inserted)
    conn.commit()
    return article_id


def engine_for(packages: Path) -> Engine:
    return Engine(EngineSettings.from_env({}), packages_dir=packages)


def statuses(conn: psycopg.Connection) -> dict[int, str]:
    return dict(conn.execute("SELECT article_id, translation_status FROM articles").fetchall())


def test_translates_pending_articles_paragraph_aligned(
    warehouse_conn: psycopg.Connection, vi_en_dir: Path
) -> None:
    vietnamese = [add_article(warehouse_conn, number) for number in range(3)]
    english = add_article(warehouse_conn, 9, language="en", body=[ENGLISH], captions=())
    counts = translate_pending(warehouse_conn, engine_for(vi_en_dir), LIMITS, articles_per_claim=2)
    # The English article is finished as an original before any claim: it never reaches the engine.
    assert counts["claimed"] == 3 and counts["batches"] == 2
    assert (counts["done"], counts["original"], counts["skipped"], counts["failed"]) == (3, 1, 0, 0)
    assert counts["model_calls"] > 0
    assert statuses(warehouse_conn) == {**dict.fromkeys(vietnamese, "done"), english: "original"}
    rows = warehouse_conn.execute(
        """SELECT t.article_id, jsonb_array_length(t.body), jsonb_array_length(a.body), t.captions,
                  t.model_id, t.source_content_hash = a.content_hash, t.title <> a.title
           FROM translations t JOIN articles a USING (article_id) ORDER BY t.article_id"""
    ).fetchall()
    assert [row[0] for row in rows] == vietnamese
    for _, translated_paragraphs, original_paragraphs, captions, model_id, same_hash, changed in rows:
        assert translated_paragraphs == original_paragraphs == 3
        assert captions[0] and captions[1] is None
        assert model_id == "synthetic-tiny-vi-en" and same_hash and changed
    cached = db.one_value(warehouse_conn.execute("SELECT count(*) FROM translation_cache"))
    assert cached == counts["model_sentences"] > 0


def test_retranslating_unchanged_articles_makes_no_model_calls(
    warehouse_conn: psycopg.Connection, vi_en_dir: Path
) -> None:
    for number in range(4):
        add_article(warehouse_conn, number)
    first = translate_pending(warehouse_conn, engine_for(vi_en_dir), LIMITS, articles_per_claim=3)
    before = warehouse_conn.execute("SELECT article_id, body FROM translations ORDER BY 1").fetchall()
    again = translate_pending(warehouse_conn, engine_for(vi_en_dir), LIMITS, articles_per_claim=3, force=True)
    assert again["claimed"] == again["done"] == first["done"] == 4
    assert again["model_calls"] == 0 and again["model_sentences"] == 0
    assert again["cache_hits"] == first["model_sentences"] + first["cache_hits"]
    assert warehouse_conn.execute("SELECT article_id, body FROM translations ORDER BY 1").fetchall() == before


def test_new_model_version_misses_the_cache_and_deletes_nothing(
    warehouse_conn: psycopg.Connection, vi_en_dir: Path, tmp_path: Path
) -> None:
    add_article(warehouse_conn, 1)
    translate_pending(warehouse_conn, engine_for(vi_en_dir), LIMITS, articles_per_claim=4)
    cached = db.one_value(warehouse_conn.execute("SELECT count(*) FROM translation_cache"))
    upgraded = tmp_path / "upgraded"
    install_package(
        build_synthetic_package(tmp_path / "v2.argosmodel", package_version="2.0", seed=1), upgraded
    )
    counts = translate_pending(warehouse_conn, engine_for(upgraded), LIMITS, articles_per_claim=4, force=True)
    assert counts["done"] == 1 and counts["cache_hits"] == 0 and counts["model_calls"] > 0
    versions = warehouse_conn.execute(
        "SELECT model_version FROM translations ORDER BY translated_at"
    ).fetchall()
    assert [version[0].split("+")[0] for version in versions] == ["1.0", "2.0"]
    assert db.one_value(warehouse_conn.execute("SELECT count(*) FROM translation_cache")) == 2 * cached


def test_a_broken_model_fails_only_its_articles(
    warehouse_conn: psycopg.Connection, vi_en_dir: Path, tmp_path: Path
) -> None:
    broken = install_package(
        build_synthetic_package(tmp_path / "fr.argosmodel", "fr", "en", seed=3), vi_en_dir
    )
    (broken.model_dir / "model.bin").write_bytes(b"truncated")
    good = add_article(warehouse_conn, 1)
    french = add_article(warehouse_conn, 2, language="fr", body=["Le ministre a parlé lundi."], captions=())
    counts = translate_pending(warehouse_conn, engine_for(vi_en_dir), LIMITS, articles_per_claim=5)
    assert (counts["done"], counts["failed"]) == (1, 1)
    assert statuses(warehouse_conn) == {good: "done", french: "failed"}
    error, attempts = db.one_row(
        warehouse_conn.execute(
            "SELECT translation_error, translation_attempts FROM articles WHERE article_id = %s", (french,)
        )
    )
    assert "TranslationError" in error and "fr->en" in error
    assert attempts == 1


def test_language_without_a_model_is_skipped_with_the_fix(
    warehouse_conn: psycopg.Connection, vi_en_dir: Path
) -> None:
    khmer = add_article(warehouse_conn, 1, language="km", body=["ព័ត៌មាន"], captions=())
    counts = translate_pending(warehouse_conn, engine_for(vi_en_dir), LIMITS, articles_per_claim=5)
    assert counts["skipped"] == 1
    status, error = db.one_row(
        warehouse_conn.execute(
            "SELECT translation_status, translation_error FROM articles WHERE article_id = %s", (khmer,)
        )
    )
    assert status == "skipped" and "python -m translate install km_en.argosmodel" in error


def test_stale_claims_are_reclaimed_until_attempts_run_out(
    warehouse_conn: psycopg.Connection, vi_en_dir: Path
) -> None:
    stale, exhausted, fresh = (add_article(warehouse_conn, number) for number in range(3))
    warehouse_conn.execute(
        """UPDATE articles SET translation_status = 'in_progress',
               translation_claimed_at = now() - CASE WHEN article_id = %(fresh)s THEN interval '1 minute'
                                                     ELSE interval '2 hours' END,
               translation_attempts = CASE WHEN article_id = %(exhausted)s THEN 3 ELSE 1 END""",
        {"fresh": fresh, "exhausted": exhausted},
    )
    warehouse_conn.commit()
    counts = translate_pending(warehouse_conn, engine_for(vi_en_dir), LIMITS, articles_per_claim=5)
    assert (counts["claimed"], counts["done"], counts["failed"]) == (1, 1, 1)
    assert statuses(warehouse_conn) == {stale: "done", exhausted: "failed", fresh: "in_progress"}
    assert db.one_row(
        warehouse_conn.execute("SELECT translation_attempts FROM articles WHERE article_id = %s", (stale,))
    ) == (2,)


def test_a_claimed_english_article_is_finished_as_original_without_a_translation(
    warehouse_conn: psycopg.Connection, vi_en_dir: Path
) -> None:
    english = add_article(warehouse_conn, 9, language="en-GB", body=[ENGLISH], captions=())
    # A claim left behind by a worker that died (e.g. across the upgrade that added 'original').
    warehouse_conn.execute(
        "UPDATE articles SET translation_status = 'in_progress',"
        " translation_claimed_at = now() - interval '2 hours', translation_attempts = 1"
    )
    warehouse_conn.commit()
    counts = translate_pending(warehouse_conn, engine_for(vi_en_dir), LIMITS)
    assert (counts["claimed"], counts["original"], counts["done"], counts["skipped"]) == (1, 1, 0, 0)
    assert counts["model_calls"] == 0
    assert statuses(warehouse_conn) == {english: "original"}
    assert db.one_row(warehouse_conn.execute("SELECT count(*) FROM translations")) == (0,)


def test_an_english_quote_in_a_vietnamese_article_is_routed_per_paragraph(
    warehouse_conn: psycopg.Connection, vi_en_dir: Path
) -> None:
    vietnamese = "Bộ Ngoại giao đã tiếp đoàn đại biểu cấp cao tại Hà Nội. Hai bên thảo luận về hợp tác."
    mixed = add_article(warehouse_conn, 1, body=[vietnamese, ENGLISH])
    counts = translate_pending(warehouse_conn, engine_for(vi_en_dir), LIMITS)
    assert (counts["done"], counts["original"]) == (1, 0)
    rows = warehouse_conn.execute(
        "SELECT original, english, english_source FROM analyst.paragraphs WHERE article_id = %s"
        " ORDER BY position",
        (mixed,),
    ).fetchall()
    # The whole article is a machine translation; its English paragraph passed through unchanged.
    assert [row[2] for row in rows] == ["machine_translation"] * 2
    assert rows[0][1] != vietnamese
    assert rows[1][1] == ENGLISH
    assert statuses(warehouse_conn) == {mixed: "done"}


def test_limit_caps_the_claims(warehouse_conn: psycopg.Connection, vi_en_dir: Path) -> None:
    for number in range(5):
        add_article(warehouse_conn, number)
    counts = translate_pending(warehouse_conn, engine_for(vi_en_dir), LIMITS, articles_per_claim=2, limit=3)
    assert counts["claimed"] == counts["done"] == 3
    assert sorted(statuses(warehouse_conn).values()) == ["done"] * 3 + ["pending"] * 2


class RecordingEngine(Engine):
    """The real engine, remembering which articles it was asked to translate."""

    def __init__(self, packages: Path, start: threading.Barrier):
        super().__init__(EngineSettings.from_env({}), packages_dir=packages)
        self.keys: list[str] = []
        self._start = start

    def translate_documents(
        self, documents: Sequence[SourceDocument], *args: Any, **kwargs: Any
    ) -> list[DocumentTranslation]:
        if not self.keys:
            self._start.wait(timeout=30)
        self.keys.extend(document.key for document in documents)
        return super().translate_documents(documents, *args, **kwargs)


def test_two_concurrent_workers_never_translate_the_same_article(
    warehouse_conn: psycopg.Connection, warehouse_url: str, vi_en_dir: Path
) -> None:
    articles = {str(add_article(warehouse_conn, number)) for number in range(16)}
    start = threading.Barrier(2)
    engines = [RecordingEngine(vi_en_dir, start), RecordingEngine(vi_en_dir, start)]
    results: list[dict[str, int]] = []
    failures: list[BaseException] = []

    def work(engine: Engine) -> None:
        try:
            with db.connect(url=warehouse_url) as conn:
                results.append(translate_pending(conn, engine, LIMITS, articles_per_claim=2))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    first, second = (set(engine.keys) for engine in engines)
    assert first and second, "both workers should have claimed work"
    assert not first & second
    assert first | second == articles
    assert sum(result["done"] for result in results) == 16
    assert set(statuses(warehouse_conn).values()) == {"done"}
    assert db.one_value(warehouse_conn.execute("SELECT count(*) FROM translations")) == 16


@pytest.mark.parametrize("articles_per_claim", [0, -1])
def test_articles_per_claim_must_be_positive(
    warehouse_conn: psycopg.Connection, vi_en_dir: Path, articles_per_claim: int
) -> None:
    with pytest.raises(ValueError, match="articles_per_claim"):
        translate_pending(
            warehouse_conn, engine_for(vi_en_dir), LIMITS, articles_per_claim=articles_per_claim
        )


def test_paragraph_left_untranslated_is_noted_on_the_article(
    warehouse_conn: psycopg.Connection, vi_en_dir: Path
) -> None:
    chinese = "中国外交部发言人表示欢迎。"
    article = add_article(warehouse_conn, 1, body=[*news_sentences("vi", 2, seed=1), chinese])
    counts = translate_pending(warehouse_conn, engine_for(vi_en_dir), LIMITS, articles_per_claim=5)
    assert counts["done"] == 1
    status, note = db.one_row(
        warehouse_conn.execute(
            "SELECT translation_status, translation_error FROM articles WHERE article_id = %s", (article,)
        )
    )
    assert status == "done" and "body 2 (zh)" in note
    (body,) = db.one_row(
        warehouse_conn.execute("SELECT body FROM translations WHERE article_id = %s", (article,))
    )
    assert body[2] == chinese


def _start_worker(url: str, packages: Path, *, stall_seconds: float, batch_size: int) -> subprocess.Popen:
    worker = python_process(
        [
            *("-m", "testkit.translation_worker", "--batch-size", str(batch_size)),
            *("--stall-seconds", str(stall_seconds), "--packages-dir", str(packages)),
        ],
        {"DATABASE_URL": url},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    line = worker.stdout.readline()
    assert line.startswith("claimed "), f"worker did not claim: {line!r} (exit {worker.poll()})"
    return worker


def test_a_killed_workers_claims_are_recovered_at_once_a_live_slow_workers_never(
    warehouse_conn: psycopg.Connection, warehouse_url: str, vi_en_dir: Path
) -> None:
    ids = [add_article(warehouse_conn, number) for number in range(4)]
    slow = _start_worker(warehouse_url, vi_en_dir, stall_seconds=3600, batch_size=2)
    try:
        held = {
            article_id
            for (article_id,) in warehouse_conn.execute(
                "SELECT article_id FROM articles WHERE translation_status = 'in_progress'"
            )
        }
        assert len(held) == 2
        warehouse_conn.commit()
        # Even with no timeout at all, a live worker's claims are not taken: only the two free rows.
        first = translate_pending(
            warehouse_conn, engine_for(vi_en_dir), replace(LIMITS, claim_timeout=timedelta(0))
        )
        assert first["claimed"] == first["done"] == 2
        assert {i for i, status in statuses(warehouse_conn).items() if status == "in_progress"} == held

        slow.send_signal(signal.SIGKILL)
        slow.wait(timeout=10)
        killed_at = time.monotonic()
        recovered = {"claimed": 0}
        while recovered["claimed"] == 0 and time.monotonic() - killed_at < 5:
            recovered = translate_pending(
                warehouse_conn, engine_for(vi_en_dir), LIMITS
            )  # the default 30-min timeout
        assert recovered["claimed"] == recovered["done"] == 2
        assert time.monotonic() - killed_at < 5
        assert statuses(warehouse_conn) == dict.fromkeys(ids, "done")
    finally:
        slow.kill()
        slow.wait(timeout=10)
