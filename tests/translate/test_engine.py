from pathlib import Path
from typing import Any

import pytest

from translate.cache import MemorySentenceCache, SqliteSentenceCache
from translate.engine import Engine, SourceDocument
from translate.settings import EngineSettings

VIETNAMESE = [
    "Bộ Ngoại giao đã tiếp đoàn đại biểu cấp cao tại Hà Nội. Hai bên thảo luận về hợp tác song phương.",
    "Thủ tướng Chính phủ khẳng định kế hoạch phát triển kinh tế trong năm 2024.",
    "Ngân hàng Nhà nước công bố thỏa thuận thương mại tự do với tổng vốn 1.000 tỷ đồng.",
]
ENGLISH = "The minister said on Monday that the talks would continue next week in the capital."


def settings(**overrides: object) -> EngineSettings:
    return EngineSettings.from_env({}, **overrides)


def article(key: str, body: list[str], **fields: Any) -> SourceDocument:
    defaults = {"title": "Bộ Ngoại giao tiếp đoàn đại biểu", "lead": "Sáng nay, TP.HCM công bố kế hoạch."}
    return SourceDocument(key=key, body=tuple(body), **{**defaults, "language": "vi", **fields})


def test_translates_through_ctranslate2(installed_dir: Path) -> None:
    engine = Engine(settings(), packages_dir=installed_dir)
    (translated,) = engine.translate_documents([article("a", VIETNAMESE)])
    assert translated.status == "translated"
    assert translated.model_id == "synthetic-tiny-vi-en"
    pairs = zip(translated.body, VIETNAMESE, strict=True)
    assert all(paragraph and paragraph != source for paragraph, source in pairs)
    assert engine.stats.model_calls >= 1
    assert engine.model_counters().sentences == engine.stats.model_sentences


def test_paragraphs_stay_aligned(installed_dir: Path) -> None:
    body = [*VIETNAMESE, "15/3/2024", "", "Dòng một\nDòng hai", VIETNAMESE[0]]
    engine = Engine(settings(), packages_dir=installed_dir)
    (translated,) = engine.translate_documents(
        [article("a", body, captions=(None, "Ảnh minh họa của TTXVN", None))]
    )
    assert len(translated.body) == len(body)
    assert translated.body[3] == "15/3/2024"
    assert translated.body[4] == ""
    assert translated.body[5].count("\n") == 1
    assert translated.body[6] == translated.body[0]
    assert translated.captions[0] is None and translated.captions[2] is None
    assert translated.captions[1]


def test_sentences_are_deduplicated_across_documents(installed_dir: Path) -> None:
    engine = Engine(settings(), packages_dir=installed_dir)
    documents = [article(str(index), VIETNAMESE) for index in range(5)]
    results = engine.translate_documents(documents)
    assert len({result.body for result in results}) == 1
    assert engine.stats.model_sentences == engine.stats.unique_sentences
    assert engine.stats.model_sentences < engine.stats.sentences / 4


def test_cache_answers_a_rerun_without_model_calls(installed_dir: Path, tmp_path: Path) -> None:
    cache = SqliteSentenceCache(tmp_path / "cache.sqlite")
    first = Engine(settings(), cache=cache, packages_dir=installed_dir)
    expected = first.translate_documents([article("a", VIETNAMESE)])
    assert first.stats.model_calls > 0
    rerun = Engine(
        settings(), cache=SqliteSentenceCache(tmp_path / "cache.sqlite"), packages_dir=installed_dir
    )
    assert rerun.translate_documents([article("a", VIETNAMESE)]) == expected
    assert rerun.stats.model_calls == 0
    assert rerun.model_counters().model_calls == 0
    assert rerun.stats.cache_hits == rerun.stats.unique_sentences > 0


def test_new_model_version_misses_the_cache(installed_dir: Path, tmp_path: Path) -> None:
    from testkit.synthetic_models import build_synthetic_package
    from translate.packages import install_package

    cache = MemorySentenceCache()
    Engine(settings(), cache=cache, packages_dir=installed_dir).translate_paragraphs(VIETNAMESE, "vi")
    entries = len(cache)
    upgraded_dir = tmp_path / "upgraded"
    install_package(
        build_synthetic_package(tmp_path / "v2.argosmodel", package_version="2.0", seed=1), upgraded_dir
    )
    upgraded = Engine(settings(), cache=cache, packages_dir=upgraded_dir)
    upgraded.translate_paragraphs(VIETNAMESE, "vi")
    assert upgraded.stats.cache_hits == 0
    assert upgraded.stats.model_calls > 0
    assert len(cache) == 2 * entries


def test_english_passes_through(installed_dir: Path) -> None:
    engine = Engine(settings(), packages_dir=installed_dir)
    english = SourceDocument(key="en", title="Talks continue", body=(ENGLISH,), language="en")
    undeclared = SourceDocument(key="guess", title="Talks continue", body=(ENGLISH, ENGLISH))
    results = engine.translate_documents([english, undeclared])
    assert [result.status for result in results] == ["passthrough", "passthrough"]
    assert results[1].source_language == "en"
    assert results[0].body == (ENGLISH,)
    assert engine.stats.model_calls == 0


def test_english_paragraph_inside_vietnamese_article_passes_through(installed_dir: Path) -> None:
    engine = Engine(settings(), packages_dir=installed_dir)
    (translated,) = engine.translate_documents([article("a", [VIETNAMESE[0], ENGLISH])])
    assert translated.body[1] == ENGLISH
    assert translated.body[0] != VIETNAMESE[0]
    assert engine.stats.passthrough_paragraphs == 1


def test_paragraph_detection_can_be_switched_off(installed_dir: Path) -> None:
    engine = Engine(settings(detect_paragraph_language=False), packages_dir=installed_dir)
    (translated,) = engine.translate_documents([article("a", [ENGLISH])])
    assert translated.body[0] != ENGLISH


def test_pivots_through_english(installed_dir: Path) -> None:
    engine = Engine(settings(), packages_dir=installed_dir)
    assert [package.pair for package in engine.route("vi", "fr")] == ["vi->en", "en->fr"]
    (translated,) = engine.translate_documents([article("a", VIETNAMESE)], "fr")
    assert translated.status == "translated"
    assert translated.model_id == "synthetic-tiny-vi-en>synthetic-tiny-en-fr"
    via_english = engine.translate_sentences(
        engine.translate_sentences([VIETNAMESE[1]], "vi", "en"), "en", "fr"
    )
    assert engine.translate_sentences([VIETNAMESE[1]], "vi", "fr") == via_english


def test_unsupported_language_is_reported_not_raised(vi_en_dir: Path) -> None:
    engine = Engine(settings(), packages_dir=vi_en_dir)
    khmer = article("km", ["ព័ត៌មាន"], title="ព័ត៌មានថ្មី", lead=None, language="km")
    (result,) = engine.translate_documents([khmer])
    assert result.status == "unsupported"
    assert "python -m translate install km_en.argosmodel" in (result.note or "")
    assert result.body == ("ព័ត៌មាន",)


@pytest.mark.parametrize(
    "segment",
    [
        "15/3/2024",
        "1.000,5",
        "10:30 - 12:00",
        "https://baoquocte.vn/bai-viet-123.html",
        "toasoan@baoquocte.vn",
        "(2)",
    ],
)
def test_nothing_to_translate_bypasses_the_model(installed_dir: Path, segment: str) -> None:
    engine = Engine(settings(), packages_dir=installed_dir)
    assert engine.translate_paragraphs([segment], "vi") == [segment]
    assert engine.stats.model_calls == 0
    assert engine.stats.bypassed == 1


@pytest.mark.parametrize(
    "paragraph",
    [
        "",
        "   \t ",
        "\n\n",
        "x" * 100_000,
        "Hà Nội 东京 Москва القاهرة",
        "Xin chào \ud800 thế giới \udfff",
        "\x00\x07",
    ],
    ids=["empty", "whitespace", "newlines", "100k", "mixed-scripts", "lone-surrogates", "controls"],
)
def test_bad_input_gives_a_clean_result(installed_dir: Path, paragraph: str) -> None:
    engine = Engine(settings(), packages_dir=installed_dir)
    (translated,) = engine.translate_paragraphs([paragraph], "vi", detect_paragraph_language=False)
    assert isinstance(translated, str)
    translated.encode("utf-8")
    if not paragraph.strip() or not paragraph.strip("\x00\x07"):
        assert translated == ""


def test_long_paragraph_decodes_in_bounded_batches(installed_dir: Path) -> None:
    paragraph = " ".join(f"từ{index}" for index in range(20_000))[:100_000]
    engine = Engine(settings(batch_tokens=512), packages_dir=installed_dir)
    (translated,) = engine.translate_paragraphs([paragraph], "vi")
    model = next(iter(engine._models.values()))
    pieces = engine.stats.sentences
    assert pieces >= 100_000 // 400
    assert model.counters.sentences == pieces
    assert model.counters.model_calls > 1
    assert model.counters.target_tokens <= pieces * model.decode_bound(400)
    assert "\n" not in translated


def test_decode_length_is_bounded_by_the_source_length(installed_dir: Path) -> None:
    engine = Engine(settings(decode_ratio=1.0, decode_margin=2), packages_dir=installed_dir)
    engine.translate_sentences(["Hà Nội"], "vi", "en")
    model = next(iter(engine._models.values()))
    assert model.decode_bound(5) == 7
    assert model.decode_bound(1000) == 256
    assert model.counters.target_tokens <= model.decode_bound(model.counters.source_tokens)


def test_token_budget_batches(installed_dir: Path) -> None:
    engine = Engine(settings(batch_tokens=64, batch_sentences=8), packages_dir=installed_dir)
    engine.route("vi", "en")
    model = engine._model(engine.route("vi", "en")[0])
    token_lists = [["▁a"] * length for length in (3, 30, 5, 7, 2, 31, 9, 4, 6, 8, 10, 12)]
    batches = model.batches(token_lists)
    assert sorted(index for batch in batches for index in batch) == list(range(len(token_lists)))
    for batch in batches:
        longest = max(len(token_lists[index]) for index in batch)
        assert len(batch) <= 8
        assert len(batch) == 1 or len(batch) * longest <= 64


@pytest.mark.parametrize(
    ("cores", "concurrency", "inter", "plan"),
    [
        (2, 1, 0, (2, 1)),  # a lone worker on 2 cores uses both, as two replicas
        (2, 2, 0, (1, 1)),  # two Celery slots on 2 cores do not oversubscribe
        (2, 4, 0, (1, 1)),  # more slots than cores: one thread each, never zero
        (1, 1, 0, (1, 1)),
        (4, 1, 0, (4, 1)),
        (8, 1, 0, (4, 2)),
        (16, 2, 0, (4, 2)),
        (2, 1, 1, (1, 2)),  # a chosen replica count keeps its share of the cores
    ],
)
def test_thread_plan_follows_cores_and_concurrency(
    cores: int, concurrency: int, inter: int, plan: tuple[int, int]
) -> None:
    from translate.settings import thread_plan

    assert thread_plan(cores, concurrency, inter) == plan
    replicas, threads = plan
    assert replicas * threads * concurrency <= max(cores, concurrency)


def test_engine_settings_plan_threads_from_the_celery_slots(monkeypatch: pytest.MonkeyPatch) -> None:
    from translate import settings as settings_module

    monkeypatch.setattr(settings_module, "available_cores", lambda: 2)
    lone = EngineSettings.from_env({})
    assert (lone.concurrency, lone.inter_threads, lone.intra_threads) == (1, 2, 1)
    shared = EngineSettings.from_env({"AIRFLOW__CELERY__WORKER_CONCURRENCY": "2"})
    assert (shared.concurrency, shared.inter_threads, shared.intra_threads) == (2, 1, 1)
    chosen = EngineSettings.from_env({"TRANSLATE_CONCURRENCY": "1", "TRANSLATE_INTRA_THREADS": "2"})
    assert (chosen.inter_threads, chosen.intra_threads) == (1, 2)


def test_settings_come_from_the_environment_and_arguments() -> None:
    environ = {"TRANSLATE_BEAM_SIZE": "2", "TRANSLATE_INTRA_THREADS": "3", "TRANSLATE_DEVICE": "cpu"}
    configured = EngineSettings.from_env(environ, beam_size=5)
    assert configured.beam_size == 5
    assert configured.intra_threads == 3
    assert EngineSettings.from_env({}).intra_threads >= 1
    with pytest.raises(ValueError, match="TRANSLATE_BEAM_SIZE"):
        EngineSettings.from_env({"TRANSLATE_BEAM_SIZE": "four"})
    with pytest.raises(ValueError, match="device"):
        EngineSettings.from_env({"TRANSLATE_DEVICE": "tpu"})


CHINESE = "中国外交部发言人表示欢迎。"


class _RecordingTranslator:
    def __init__(self, translator) -> None:
        self.translator = translator
        self.sources: list[list[str]] = []

    def translate_batch(self, tokens, **options):
        self.sources.extend(tokens)
        return self.translator.translate_batch(tokens, **options)


def recording(engine: Engine) -> _RecordingTranslator:
    model = engine._model(engine.route("vi", "en")[0])
    model.translator = recorder = _RecordingTranslator(model.translator)
    return recorder


def test_paragraph_without_an_installed_pair_passes_through_flagged(vi_en_dir: Path) -> None:
    engine = Engine(settings(), packages_dir=vi_en_dir)
    recorder = recording(engine)
    (result,) = engine.translate_documents([article("a", [VIETNAMESE[1], CHINESE, VIETNAMESE[2]])])
    assert result.status == "translated"
    assert result.body[1] == CHINESE
    assert result.body[0] != VIETNAMESE[1] and result.body[2] != VIETNAMESE[2]
    assert result.untranslated == (("body", 1, "zh"),)
    assert "body 1 (zh)" in (result.note or "")
    assert engine.stats.untranslated_paragraphs == 1
    model = engine._model(engine.route("vi", "en")[0])
    fed = [model.source_tokenizer.decode_pieces(tokens) for tokens in recorder.sources]
    assert fed and not any("中" in text for text in fed), "the Chinese line must never reach the vi->en model"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Photo: Reuters", "en"),
        ("Read more: Vietnam's economy grows fast", "en"),
        ("The talks went well, he said.", "en"),
        ("Ảnh: TTXVN", "vi"),
        ("Theo Bộ Y tế, số ca mắc giảm.", "vi"),
        ("TP.HCM", "vi"),
        ("15/3/2024", "vi"),
        (CHINESE, "zh"),
        ("中国", "zh"),
    ],
)
def test_short_lines_in_a_vietnamese_article_are_routed_by_diacritics_and_the_identifier(
    line: str, expected: str
) -> None:
    from translate.text import paragraph_language

    assert paragraph_language(line, "vi") == expected


def test_short_english_lines_in_a_vietnamese_article_pass_through(vi_en_dir: Path) -> None:
    engine = Engine(settings(), packages_dir=vi_en_dir)
    body = [VIETNAMESE[1], "Photo: Reuters", "Ảnh: TTXVN"]
    (result,) = engine.translate_documents([article("a", body, captions=("Photo: AFP",))])
    assert result.body[1] == "Photo: Reuters"
    assert result.captions == ("Photo: AFP",)
    assert result.body[2] != "Ảnh: TTXVN"
    assert result.untranslated == ()


def test_article_is_routed_by_its_text_when_the_declared_language_disagrees(vi_en_dir: Path) -> None:
    engine = Engine(settings(), packages_dir=vi_en_dir)
    english = SourceDocument(
        key="en", title="Talks continue in Hanoi", body=(ENGLISH, ENGLISH), language="vi"
    )
    vietnamese = article("vi", VIETNAMESE, language="en")
    as_english, as_vietnamese = engine.translate_documents([english, vietnamese])
    assert (as_english.status, as_english.source_language) == ("passthrough", "en")
    assert as_english.body == (ENGLISH, ENGLISH)
    assert "declared vi" in (as_english.note or "")
    assert (as_vietnamese.status, as_vietnamese.source_language) == ("translated", "vi")
    assert as_vietnamese.body[0] != VIETNAMESE[0]
    assert "declared en" in (as_vietnamese.note or "")
    agreeing = engine.translate_documents([article("ok", VIETNAMESE)])[0]
    assert agreeing.note is None
