"""The stock ``argostranslate.translate`` path, kept selectable (``--backend argos``) as the reference
implementation the engine is compared against. It reads its settings from ``ARGOS_*`` environment
variables at import time, so they are set here first: the bundled ``spacy/`` splitter
(``ARGOS_CHUNK_TYPE=SPACY``, which works offline) and one intra-op thread unless the caller chose
otherwise."""

from __future__ import annotations

import os
from collections.abc import Sequence

from translate.packages import ModelNotInstalledError, installed_packages
from translate.settings import default_intra_threads


def _offline_spacy_cache() -> None:
    """With ``ARGOS_CHUNK_TYPE=SPACY``, importing ``argostranslate.sbd`` downloads spaCy's
    ``xx_sent_ud_sm`` (and prints the failure to stdout offline) unless its cache folder exists. A
    blank multilingual pipeline there keeps the import offline; a package's own ``spacy/`` still wins."""
    from argostranslate import settings

    cache = settings.cache_dir / "spacy"
    if not (cache / "senter" / "model").exists():
        import spacy

        spacy.blank("xx").to_disk(cache)
        (cache / "senter" / "model").mkdir(parents=True, exist_ok=True)


class StockArgosTranslator:
    def __init__(self, from_code: str, to_code: str):
        os.environ.setdefault("ARGOS_CHUNK_TYPE", "SPACY")
        os.environ.setdefault("ARGOS_INTRA_THREADS", str(default_intra_threads()))
        _offline_spacy_cache()
        import argostranslate.translate

        languages = {
            language.code: language for language in argostranslate.translate.get_installed_languages()
        }
        source, target = languages.get(from_code), languages.get(to_code)
        self._translation = source.get_translation(target) if source and target else None
        if self._translation is None:
            raise ModelNotInstalledError(
                from_code, to_code, [package.pair for package in installed_packages()]
            )

    def translate_paragraphs(self, paragraphs: Sequence[str]) -> list[str]:
        return [
            self._translation.translate(paragraph) if paragraph.strip() else "" for paragraph in paragraphs
        ]
