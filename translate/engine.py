"""The translation engine the pipeline and the CLI use.

It takes whole batches of documents (title, lead, body paragraphs, captions), decides per document and
per paragraph what language each text is in, splits paragraphs into sentences, de-duplicates sentences
across the whole batch, answers what it can from the sentence cache and sends only the rest to
CTranslate2, then puts every paragraph back together: output paragraph i is the translation of input
paragraph i. English (the target) passes through; a language without a direct package pivots through
English; segments with nothing to translate (numbers, dates, URLs, e-mail addresses) bypass the model.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from translate.cache import CacheEntry, SentenceCache, source_hash
from translate.model import LoadedModel, ModelCounters, TranslationError, model_version
from translate.packages import InstalledPackage, ModelNotInstalledError, installed_packages
from translate.segment import Segment, join_segments, segment_paragraph
from translate.settings import EngineSettings
from translate.text import clean_text, identify_language, needs_model, paragraph_language
from warehouse.record import DEFAULT_TARGET_LANGUAGE, normalize_text

PIVOT_LANGUAGE = "en"

__all__ = [
    "DocumentTranslation",
    "Engine",
    "EngineStats",
    "ModelNotInstalledError",
    "SourceDocument",
    "TranslationError",
]


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """What gets translated for one article. ``language`` is the declared language (the spider's);
    ``None`` means identify it. ``captions`` align with the article's images (``None``: no caption)."""

    key: str
    title: str
    body: tuple[str, ...]
    lead: str | None = None
    captions: tuple[str | None, ...] = ()
    language: str | None = None


DocumentStatus = Literal["translated", "passthrough", "unsupported"]


@dataclass(frozen=True, slots=True)
class DocumentTranslation:
    """``body[i]`` translates ``SourceDocument.body[i]``, ``captions[i]`` its ``captions[i]``.
    ``passthrough``: already in the target language; ``unsupported``: no installed pair (the texts are
    the originals and ``note`` says which command installs one). ``source_language`` is the language
    the text was routed by: the declared one unless the text says otherwise (``note`` then says so).
    ``untranslated`` flags texts left as they were inside a translated article because they are in a
    language without an installed pair (``("body", 3, "zh")``: body paragraph 3 is Chinese)."""

    key: str
    status: DocumentStatus
    source_language: str
    target_language: str
    title: str
    lead: str | None
    body: tuple[str, ...]
    captions: tuple[str | None, ...]
    model_id: str | None = None
    model_version: str | None = None
    note: str | None = None
    untranslated: tuple[tuple[str, int, str], ...] = ()


@dataclass(slots=True)
class EngineStats:
    documents: int = 0
    paragraphs: int = 0
    sentences: int = 0
    unique_sentences: int = 0
    bypassed: int = 0
    cache_hits: int = 0
    model_sentences: int = 0
    model_calls: int = 0
    passthrough_paragraphs: int = 0
    untranslated_paragraphs: int = 0

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(slots=True)
class _Unit:
    """One text to translate (a title, a lead, a paragraph or a caption) and where its result goes."""

    document: int
    slot: tuple[str, int]
    text: str
    language: str
    segments: list[Segment] = field(default_factory=list)


class Engine:
    """Translate through installed Argos packages with ``ctranslate2.Translator`` directly.

    ``cache``: any ``SentenceCache`` (PostgreSQL in the pipeline, SQLite in the CLI), or ``None``.
    Models load lazily, once per engine. ``stats`` accumulates over the engine's life.
    """

    def __init__(
        self,
        settings: EngineSettings | None = None,
        *,
        cache: SentenceCache | None = None,
        packages_dir: Path | None = None,
    ):
        self.settings = settings or EngineSettings.from_env()
        self.cache = cache
        self.packages_dir = packages_dir
        self.stats = EngineStats()
        self._packages = installed_packages(packages_dir)
        self._models: dict[Path, LoadedModel] = {}

    @property
    def packages(self) -> list[InstalledPackage]:
        return list(self._packages)

    def refresh(self) -> None:
        """Re-read the packages folder (after an install)."""
        self._packages = installed_packages(self.packages_dir)

    def model_counters(self) -> ModelCounters:
        total = ModelCounters()
        for model in self._models.values():
            total.model_calls += model.counters.model_calls
            total.sentences += model.counters.sentences
            total.source_tokens += model.counters.source_tokens
            total.target_tokens += model.counters.target_tokens
        return total

    def route(self, from_code: str, to_code: str) -> tuple[InstalledPackage, ...]:
        """The packages that take ``from_code`` to ``to_code``: one direct package, or two through
        English. Raises ``ModelNotInstalledError`` naming the install command."""
        direct = self._find(from_code, to_code)
        if direct:
            return (direct,)
        if PIVOT_LANGUAGE not in (from_code, to_code):
            first, second = self._find(from_code, PIVOT_LANGUAGE), self._find(PIVOT_LANGUAGE, to_code)
            if first and second:
                return (first, second)
        raise ModelNotInstalledError(from_code, to_code, [package.pair for package in self._packages])

    def can_translate(self, from_code: str, to_code: str) -> bool:
        try:
            self.route(from_code, to_code)
        except ModelNotInstalledError:
            return False
        return True

    def _find(self, from_code: str, to_code: str) -> InstalledPackage | None:
        for package in self._packages:
            if package.from_code == from_code and package.to_code == to_code:
                return package
        return None

    def _model(self, package: InstalledPackage) -> LoadedModel:
        model = self._models.get(package.path)
        if model is None:
            model = self._models[package.path] = LoadedModel(package, self.settings)
        return model

    def translate_sentences(
        self,
        sentences: Sequence[str],
        from_code: str,
        to_code: str,
        *,
        cache: SentenceCache | None = None,
    ) -> list[str]:
        """Translate sentences as given (no segmentation, no language identification), through the
        cache (``cache`` overrides the engine's for this call), de-duplicated, pivoting if needed.
        Output i translates input i."""
        texts = [normalize_text(clean_text(sentence)) for sentence in sentences]
        for package in self.route(from_code, to_code):
            texts = self._translate_hop(self._model(package), texts, cache or self.cache)
        return texts

    def _translate_hop(
        self, model: LoadedModel, sentences: list[str], cache: SentenceCache | None
    ) -> list[str]:
        keys = [
            source_hash(sentence) if sentence and needs_model(sentence) else None for sentence in sentences
        ]
        unique: dict[str, str] = {}
        for key, sentence in zip(keys, sentences, strict=True):
            if key is not None:
                unique.setdefault(key, sentence)
        self.stats.unique_sentences += len(unique)
        known = cache.lookup(model.key, list(unique)) if cache is not None and unique else {}
        self.stats.cache_hits += len(known)
        missing = [(key, sentence) for key, sentence in unique.items() if key not in known]
        if missing:
            calls_before = model.counters.model_calls
            translated = model.translate([sentence for _, sentence in missing])
            self.stats.model_calls += model.counters.model_calls - calls_before
            self.stats.model_sentences += len(missing)
            fresh = {key: target for (key, _), target in zip(missing, translated, strict=True)}
            if cache is not None:
                cache.store(
                    model.key,
                    [CacheEntry(key, sentence, fresh[key]) for key, sentence in missing],
                )
            known = {**known, **fresh}
        return [
            sentence if key is None else known[key] for key, sentence in zip(keys, sentences, strict=True)
        ]

    def translate_paragraphs(
        self,
        paragraphs: Sequence[str],
        from_code: str | None,
        to_code: str = DEFAULT_TARGET_LANGUAGE,
        *,
        detect_paragraph_language: bool | None = None,
    ) -> list[str]:
        """Translate paragraphs of one text (``from_code=None``: identify it; a given ``from_code`` is
        trusted for the text as a whole, paragraphs are still routed one by one). Output i translates
        paragraph i; an empty paragraph stays empty."""
        document = SourceDocument(key="text", title="", body=tuple(paragraphs), language=from_code)
        result = self.translate_documents(
            [document],
            to_code,
            detect_paragraph_language=detect_paragraph_language,
            strict=True,
            route_by_text=from_code is None,
        )[0]
        return list(result.body)

    def translate_documents(  # noqa: PLR0913 - keyword-only options of one batch
        self,
        documents: Sequence[SourceDocument],
        target_language: str = DEFAULT_TARGET_LANGUAGE,
        *,
        detect_paragraph_language: bool | None = None,
        strict: bool = False,
        cache: SentenceCache | None = None,
        route_by_text: bool = True,
    ) -> list[DocumentTranslation]:
        """Translate a batch of documents together, sentences de-duplicated across all of them.
        ``route_by_text=False`` trusts each declared language even when the text disagrees.

        A document whose language has no installed pair comes back ``unsupported`` (or, with
        ``strict``, raises ``ModelNotInstalledError``); a model failure raises ``TranslationError``.
        """
        per_paragraph = (
            self.settings.detect_paragraph_language
            if detect_paragraph_language is None
            else detect_paragraph_language
        )
        candidates = frozenset(
            {target_language}
            | {
                package.from_code
                for package in self._packages
                if self.can_translate(package.from_code, target_language)
            }
        )
        languages = [self._document_language(document, candidates, route_by_text) for document in documents]
        units: list[_Unit] = []
        for position, (document, language) in enumerate(zip(documents, languages, strict=True)):
            if language == target_language:
                continue
            if not self.can_translate(language, target_language):
                if strict:
                    self.route(language, target_language)
                continue
            for slot, text in _slots(document):
                cleaned = clean_text(text)
                unit_language = (
                    paragraph_language(cleaned, language, candidates) if per_paragraph else language
                )
                units.append(_Unit(position, slot, cleaned, unit_language))
        self.stats.documents += len(documents)
        self.stats.paragraphs += len(units)
        untranslated: dict[int, list[tuple[str, int, str]]] = {}
        results = self._translate_units(units, target_language, cache, untranslated)
        return [
            self._assemble(
                position,
                document,
                language,
                target_language,
                results,
                untranslated=untranslated.get(position),
            )
            for position, (document, language) in enumerate(zip(documents, languages, strict=True))
        ]

    @staticmethod
    def _document_language(document: SourceDocument, candidates: frozenset[str], route_by_text: bool) -> str:
        """The declared language unless the article's text says otherwise (then the text's)."""
        declared = declared_language(document)
        if declared and not route_by_text:
            return declared
        sample = clean_text(" ".join([document.title, document.lead or "", *document.body])[:4000])
        if not declared:
            return identify_language(sample).language
        return paragraph_language(sample, declared, candidates)

    def _translate_units(
        self,
        units: list[_Unit],
        target: str,
        cache: SentenceCache | None,
        untranslated: dict[int, list[tuple[str, int, str]]],
    ) -> dict[tuple[int, tuple[str, int]], str]:
        """Translations keyed by (document position, slot); texts in a language without an installed
        pair are kept as they are and listed in ``untranslated`` by document."""
        results: dict[tuple[int, tuple[str, int]], str] = {}
        by_language: dict[str, list[_Unit]] = {}
        for unit in units:
            if unit.language == target:
                self.stats.passthrough_paragraphs += 1
                results[(unit.document, unit.slot)] = unit.text
            elif not self.can_translate(unit.language, target):
                self.stats.untranslated_paragraphs += 1
                results[(unit.document, unit.slot)] = unit.text
                untranslated.setdefault(unit.document, []).append((*unit.slot, unit.language))
            else:
                by_language.setdefault(unit.language, []).append(unit)
        for language, group in by_language.items():
            sentences: list[str] = []
            for unit in group:
                unit.segments = segment_paragraph(unit.text, self.settings.max_sentence_chars)
                sentences.extend(segment.text for segment in unit.segments)
            self.stats.sentences += len(sentences)
            self.stats.bypassed += sum(1 for sentence in sentences if not needs_model(sentence))
            translated = iter(self.translate_sentences(sentences, language, target, cache=cache))
            for unit in group:
                pieces = [next(translated) for _ in unit.segments]
                results[(unit.document, unit.slot)] = join_segments(pieces, unit.segments)
        return results

    def _assemble(  # noqa: PLR0913 - the pieces of one document's translation, all needed
        self,
        position: int,
        document: SourceDocument,
        language: str,
        target: str,
        results: dict[tuple[int, tuple[str, int]], str],
        *,
        untranslated: list[tuple[str, int, str]] | None,
    ) -> DocumentTranslation:
        declared = declared_language(document)
        routed = (
            f"declared {declared}, but the text is {language}: routed by the text"
            if declared and declared != language
            else None
        )
        if language == target:
            return _unchanged(document, "passthrough", language, target, note=routed)
        try:
            route = self.route(language, target)
        except ModelNotInstalledError as missing:
            note = f"{routed}. {missing}" if routed else str(missing)
            return _unchanged(document, "unsupported", language, target, note=note)
        if untranslated:
            kept = ", ".join(f"{kind} {index} ({code})" for kind, index, code in untranslated)
            routed = "; ".join(
                filter(None, [routed, f"left untranslated (no installed pair to {target}): {kept}"])
            )

        def result(slot: tuple[str, int], original: str | None) -> str | None:
            return None if original is None else results.get((position, slot), "")

        return DocumentTranslation(
            key=document.key,
            status="translated",
            source_language=language,
            target_language=target,
            title=result(("title", 0), document.title) or "",
            lead=result(("lead", 0), document.lead),
            body=tuple(result(("body", index), text) or "" for index, text in enumerate(document.body)),
            captions=tuple(result(("caption", index), text) for index, text in enumerate(document.captions)),
            model_id=">".join(package.model_id + package.source_prefix for package in route),
            model_version=">".join(model_version(package, self.settings) for package in route),
            note=routed,
            untranslated=tuple(untranslated or ()),
        )


def declared_language(document: SourceDocument) -> str | None:
    """The declared language as a bare lower-case code (``vi-VN`` → ``vi``), or None."""
    return document.language.split("-")[0].lower() if document.language else None


def _slots(document: SourceDocument) -> Iterable[tuple[tuple[str, int], str]]:
    yield ("title", 0), document.title
    if document.lead is not None:
        yield ("lead", 0), document.lead
    for index, text in enumerate(document.body):
        yield ("body", index), text
    for index, caption in enumerate(document.captions):
        if caption is not None:
            yield ("caption", index), caption


def _unchanged(
    document: SourceDocument,
    status: DocumentStatus,
    language: str,
    target: str,
    note: str | None = None,
) -> DocumentTranslation:
    return DocumentTranslation(
        key=document.key,
        status=status,
        source_language=language,
        target_language=target,
        title=document.title,
        lead=document.lead,
        body=tuple(document.body),
        captions=tuple(document.captions),
        note=note,
    )
