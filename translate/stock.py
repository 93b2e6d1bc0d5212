"""The stock ``argostranslate.translate`` path, kept selectable (``--backend argos``) as the reference
implementation the engine is compared against. It reads its settings from ``ARGOS_*`` environment
variables and its ``settings.json`` at import time; ``python -m translate install`` records the
offline spaCy splitter there (``translate.packages.prepare_stock_argos``), and this module also sets
one intra-op thread unless the caller chose otherwise.

A package whose release needs a ``>>xxx<<`` token in front of every source sentence (``source_prefix``)
gets it here: argostranslate itself only knows a *target* prefix, so its tokenizer for that package is
wrapped to put the token first."""

from __future__ import annotations

import os
from collections.abc import Sequence

from translate.packages import (
    ModelNotInstalledError,
    PackageError,
    installed_packages,
    prepare_stock_argos,
)
from translate.settings import default_intra_threads


class StockArgosTranslator:
    def __init__(self, from_code: str, to_code: str):
        os.environ.setdefault("ARGOS_INTRA_THREADS", str(default_intra_threads()))
        packages = installed_packages()
        for package in packages:
            prepare_stock_argos(package)
        import argostranslate.translate

        languages = {
            language.code: language for language in argostranslate.translate.get_installed_languages()
        }
        source, target = languages.get(from_code), languages.get(to_code)
        translation = source.get_translation(target) if source and target else None
        if translation is None:
            raise ModelNotInstalledError(from_code, to_code, [package.pair for package in packages])
        self._translation = translation
        prefix = next(
            (
                package.source_prefix
                for package in packages
                if (package.from_code, package.to_code) == (from_code, to_code)
            ),
            "",
        )
        if prefix:
            _prepend_source_token(self._translation, prefix)

    def translate_paragraphs(self, paragraphs: Sequence[str]) -> list[str]:
        return [
            self._translation.translate(paragraph) if paragraph.strip() else "" for paragraph in paragraphs
        ]


def _prepend_source_token(translation: object, token: str) -> None:
    """Make argostranslate's tokenizer for this package emit ``token`` before every sentence's pieces."""
    while not hasattr(translation, "pkg") and hasattr(translation, "underlying"):  # CachedTranslation
        translation = translation.underlying
    tokenizer = getattr(getattr(translation, "pkg", None), "tokenizer", None)
    if tokenizer is None or not hasattr(tokenizer, "encode"):
        raise PackageError(
            f"this package needs {token} in front of every source sentence, and argostranslate's "
            f"{type(translation).__name__} offers no tokenizer to add it to; use --backend engine"
        )
    encode = tokenizer.encode

    def encode_with_token(sentence: str) -> list[str]:
        return [token, *encode(sentence)]

    tokenizer.encode = encode_with_token
