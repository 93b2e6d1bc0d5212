"""Engine settings: defaults chosen for this kind of machine, overridden by environment variables, then
by constructor arguments (``EngineSettings.from_env(beam_size=2)``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace


def available_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def default_intra_threads() -> int:
    """One thread per worker on small machines: CTranslate2's own default (0: one per core, capped at
    4) oversubscribes 2 cores and measured 20-60x slower there. Larger machines get up to 4."""
    cores = available_cores()
    return 1 if cores <= 2 else min(4, cores)


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """How the engine drives CTranslate2. The environment variable for each field is
    ``TRANSLATE_<FIELD NAME IN UPPER CASE>``, e.g. ``TRANSLATE_BEAM_SIZE=2``."""

    device: str = "cpu"
    compute_type: str = "auto"
    inter_threads: int = 1
    intra_threads: int = 0  # 0: default_intra_threads()
    beam_size: int | None = None  # None: the package's (its release's decoder.yml, else argos's 4)
    length_penalty: float | None = None  # None: the package's (decoder.yml normalize, else argos's 0.2)
    batch_tokens: int = 1024
    batch_sentences: int = 32
    decode_ratio: float = 2.0
    decode_margin: int = 10
    max_decoding_length: int = 256
    max_sentence_chars: int = 400
    replace_unknowns: bool = True
    detect_paragraph_language: bool = True

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> EngineSettings:
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = environ.get(f"TRANSLATE_{field.name.upper()}")
            if raw is None or raw == "":
                continue
            values[field.name] = _parse(field.name, field.type, raw)
        values.update({name: value for name, value in overrides.items() if value is not None})
        settings = cls(**values)
        if settings.intra_threads == 0:
            settings = replace(settings, intra_threads=default_intra_threads())
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.device not in ("cpu", "cuda", "auto"):
            raise ValueError(f"device {self.device!r} must be cpu, cuda or auto (TRANSLATE_DEVICE)")
        for name in ("inter_threads", "beam_size", "batch_tokens", "batch_sentences", "max_decoding_length"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1 (TRANSLATE_{name.upper()})")
        if self.intra_threads < 0:
            raise ValueError("intra_threads must be 0 (automatic) or more (TRANSLATE_INTRA_THREADS)")
        if self.decode_ratio <= 0 or self.max_sentence_chars < 20:
            raise ValueError("decode_ratio must be positive and max_sentence_chars at least 20")


def _parse(name: str, kind: object, raw: str) -> object:
    text = raw.strip()
    try:
        if kind in ("bool", bool):
            if text.lower() not in ("1", "0", "true", "false", "yes", "no"):
                raise ValueError(text)
            return text.lower() in ("1", "true", "yes")
        if kind in ("int", int, "int | None"):
            return int(text)
        if kind in ("float", float, "float | None"):
            return float(text)
    except ValueError:
        raise ValueError(f"TRANSLATE_{name.upper()}={raw!r} is not a valid {kind}") from None
    return text
