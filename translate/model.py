"""One installed package, loaded: SentencePiece in, ``ctranslate2.Translator`` in the middle, SentencePiece
out. Sentences are sorted by length and cut into token-budget batches; each batch's decode length is
bounded relative to its longest source, so a degenerate input cannot decode for hundreds of steps."""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from translate.cache import ModelKey
from translate.packages import InstalledPackage
from translate.settings import EngineSettings


class TranslationError(RuntimeError):
    """The model failed on a batch; the message names the package and the cause."""


@dataclass(slots=True)
class ModelCounters:
    model_calls: int = 0
    sentences: int = 0
    source_tokens: int = 0
    target_tokens: int = 0


@dataclass(frozen=True, slots=True)
class Decoding:
    beam_size: int
    length_penalty: float


def decoding_for(package: InstalledPackage, settings: EngineSettings) -> Decoding:
    """The settings (``TRANSLATE_BEAM_SIZE``, ``TRANSLATE_LENGTH_PENALTY``) when given, else what the
    package records (an OPUS-MT release's ``decoder.yml``), else argostranslate's beam 4 / 0.2."""
    return Decoding(
        beam_size=package.beam_size if settings.beam_size is None else settings.beam_size,
        length_penalty=package.length_penalty if settings.length_penalty is None else settings.length_penalty,
    )


def model_version(package: InstalledPackage, settings: EngineSettings) -> str:
    """The package's model version; decoding that overrides the package's own is part of it (the same
    weights at another beam give other translations, which must not answer from the cache)."""
    decoding = decoding_for(package, settings)
    if decoding == Decoding(package.beam_size, package.length_penalty):
        return package.model_version
    return f"{package.model_version}+beam{decoding.beam_size}+lp{decoding.length_penalty:g}"


class SourceNormaliser:
    """A release's ``preprocess.sh`` normalisation (as ``build-package`` recorded it in the package's
    ``preprocess``): zero-width characters deleted, other Unicode "Other" characters to spaces,
    full-width and CJK punctuation, curly quotes and ``…`` replaced, spaces folded. Packages that
    record none get the text unchanged."""

    def __init__(self, recorded: Mapping[str, Any] | None):
        recorded = recorded or {}
        replacements = list(recorded.get("replacements") or [])
        self._targets = {item["from"]: item["to"] for item in replacements}
        alternatives = [
            re.escape(item["from"]) + (" *" if item.get("eat_following_spaces") else "")
            for item in sorted(replacements, key=lambda item: -len(item["from"]))
        ]
        self._pattern = re.compile("|".join(alternatives)) if alternatives else None
        self._deleted = {int(code[2:], 16): None for code in recorded.get("deleted_characters") or []}
        self._other_to_space = bool(recorded.get("other_characters_to_space"))
        self.active = bool(self._pattern or self._deleted or self._other_to_space)

    def __call__(self, text: str) -> str:
        if not self.active or text.isascii():
            return text
        text = text.translate(self._deleted)
        if self._other_to_space:
            text = "".join(
                " " if unicodedata.category(character)[0] == "C" else character for character in text
            )
        if self._pattern is not None:
            text = self._pattern.sub(lambda match: self._targets[match.group().rstrip(" ")], text)
        return " ".join(text.split())


class LoadedModel:
    def __init__(self, package: InstalledPackage, settings: EngineSettings):
        import ctranslate2
        import sentencepiece

        self.package = package
        self.settings = settings
        self.counters = ModelCounters()
        self.decoding = decoding_for(package, settings)
        self.normalise = SourceNormaliser(package.metadata.get("preprocess"))
        self._lock = threading.Lock()
        self.source_tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(package.source_tokenizer))
        self.target_tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(package.target_tokenizer))
        try:
            self.translator = ctranslate2.Translator(
                str(package.model_dir),
                device=settings.device,
                compute_type=settings.compute_type,
                inter_threads=settings.inter_threads,
                intra_threads=settings.intra_threads,
            )
        except (RuntimeError, ValueError) as error:
            raise TranslationError(
                f"cannot load the CTranslate2 model of {package.pair} from {package.model_dir}: {error}"
            ) from None

    @property
    def key(self) -> ModelKey:
        """The cache key. A multilingual-target model's target token is part of the identity: the same
        weights with another ``>>xxx<<`` token translate into another language."""
        model_id = self.package.model_id + (self.package.source_prefix or "")
        return ModelKey(model_id, model_version(self.package, self.settings))

    def tokenize(self, sentence: str) -> list[str]:
        tokens = self.source_tokenizer.encode(self.normalise(sentence), out_type=str)
        return [self.package.source_prefix, *tokens] if self.package.source_prefix else tokens

    def detokenize(self, tokens: Sequence[str]) -> str:
        text = self.target_tokenizer.decode_pieces(list(tokens)).replace("▁", " ")
        return text[1:] if text.startswith(" ") else text

    def batches(self, token_lists: Sequence[list[str]]) -> list[list[int]]:
        """Indices of ``token_lists`` grouped so that (sentences x longest source) stays within the
        token budget and no batch exceeds ``batch_sentences``; shortest sentences first."""
        order = sorted(range(len(token_lists)), key=lambda index: len(token_lists[index]))
        groups: list[list[int]] = []
        current: list[int] = []
        for index in order:
            longest = max(len(token_lists[index]), 1)
            fits = (len(current) + 1) * longest <= self.settings.batch_tokens
            if current and (not fits or len(current) >= self.settings.batch_sentences):
                groups.append(current)
                current = []
            current.append(index)
        if current:
            groups.append(current)
        return groups

    def decode_bound(self, longest_source: int) -> int:
        bound = math.ceil(self.settings.decode_ratio * longest_source) + self.settings.decode_margin
        return min(self.settings.max_decoding_length, bound)

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate sentences (no cache here); one ``translate_batch`` call per batch. Batches are
        submitted asynchronously, so with ``inter_threads`` > 1 several run at once."""
        token_lists = [self.tokenize(sentence) for sentence in sentences]
        groups = self.batches(token_lists)
        translations: list[str] = [""] * len(sentences)
        with self._lock:
            try:
                pending = [
                    self.translator.translate_batch(
                        [token_lists[index] for index in group],
                        beam_size=self.decoding.beam_size,
                        length_penalty=self.decoding.length_penalty,
                        replace_unknowns=self.settings.replace_unknowns,
                        max_decoding_length=self.decode_bound(max(map(len, (token_lists[i] for i in group)))),
                        asynchronous=True,
                    )
                    for group in groups
                ]
                for group, results in zip(groups, pending, strict=True):
                    for index, result in zip(group, results, strict=True):
                        hypothesis = result.result().hypotheses[0]
                        self.counters.target_tokens += len(hypothesis)
                        translations[index] = self.detokenize(hypothesis)
            except (RuntimeError, ValueError) as error:
                raise TranslationError(f"{self.package.pair} ({self.package.model_id}): {error}") from None
            self.counters.model_calls += len(groups)
            self.counters.sentences += len(sentences)
            self.counters.source_tokens += sum(len(tokens) for tokens in token_lists)
        return translations
