"""Translate each story once: a wire copy's sentences that its original already had come from the
sentence cache, so only the copy's own new sentences reach the model."""

from pathlib import Path

from translate.cache import MemorySentenceCache
from translate.engine import Engine, SourceDocument
from translate.settings import EngineSettings

ORIGINAL = (
    "Bộ Ngoại giao đã tiếp đoàn đại biểu cấp cao tại Hà Nội.",
    "Hai bên thảo luận về hợp tác song phương trong lĩnh vực thương mại.",
    "Thủ tướng Chính phủ khẳng định kế hoạch phát triển kinh tế trong năm tới.",
)


def test_a_copy_reaches_the_model_only_with_its_new_sentences(vi_en_dir: Path) -> None:
    engine = Engine(EngineSettings.from_env({}), cache=MemorySentenceCache(), packages_dir=vi_en_dir)
    original = SourceDocument(key="original", title="Tiếp đoàn đại biểu", body=ORIGINAL, language="vi")
    engine.translate_documents([original])
    first = engine.stats.model_sentences
    assert first >= len(ORIGINAL)

    copy = SourceDocument(
        key="copy",
        title="Tiếp đoàn đại biểu",
        body=(*ORIGINAL[:2], "Bài viết có thêm một câu mới của tòa soạn đăng lại."),
        language="vi",
    )
    translated = engine.translate_documents([copy])
    assert engine.stats.model_sentences - first == 1, "only the copy's new sentence is translated"
    assert translated[0].body[:2] == engine.translate_documents([original])[0].body[:2]
