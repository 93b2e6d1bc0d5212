"""Engine settings: defaults chosen for this kind of machine, overridden by environment variables (read
with ``warehouse.env``, like every area's settings), then by constructor arguments
(``EngineSettings.from_env(beam_size=2)``)."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from warehouse.env import EnvReader


def available_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def default_intra_threads() -> int:
    """One thread per translator on small machines: CTranslate2's own default (0: one per core, capped
    at 4) oversubscribes 2 cores and measured 20-60x slower there. Larger machines get up to 4. (The
    stock argos path's default; the engine plans replicas and threads with ``thread_plan``.)"""
    cores = available_cores()
    return 1 if cores <= 2 else min(4, cores)


def default_concurrency(environ: Mapping[str, str] | None = None) -> int:
    """How many translating processes share this machine's cores: ``TRANSLATE_CONCURRENCY``, else the
    Celery worker's task slots (``AIRFLOW__CELERY__WORKER_CONCURRENCY``), else 1."""
    environ = os.environ if environ is None else environ
    for name in ("TRANSLATE_CONCURRENCY", "AIRFLOW__CELERY__WORKER_CONCURRENCY"):
        raw = (environ.get(name) or "").strip()
        if raw.isdigit() and int(raw) > 0:
            return int(raw)
    return 1


def thread_plan(
    cores: int, concurrency: int, inter_threads: int = 0, intra_threads: int = 0
) -> tuple[int, int]:
    """(translator replicas, threads per replica) for one engine when ``concurrency`` of them share
    ``cores``. Each engine gets ``cores // concurrency`` cores (at least one). Up to 4 cores go to
    replicas of one thread each: batches run in parallel, which scaled best here (inter 2 x intra 1 on 2
    cores: 1.97x one core), and no thread waits on another inside a batch. Beyond 4 cores each of 4
    replicas gets several threads. A given ``inter_threads`` or ``intra_threads`` is kept and the
    other divides the share by it. A lone worker on 2 cores: (2, 1); two Celery slots on 2 cores:
    (1, 1) each, not oversubscribed."""
    share = max(1, cores // max(1, concurrency))
    if inter_threads > 0:
        return inter_threads, intra_threads or max(1, share // inter_threads)
    if intra_threads > 0:
        return max(1, min(4, share // intra_threads)), intra_threads
    replicas = min(share, 4)
    return replicas, max(1, share // replicas)


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """How the engine drives CTranslate2. The environment variable for each field is
    ``TRANSLATE_<FIELD NAME IN UPPER CASE>``, e.g. ``TRANSLATE_BEAM_SIZE=2``."""

    device: str = "cpu"
    compute_type: str = "auto"
    inter_threads: int = 0  # 0: thread_plan() from the cores and the concurrency
    intra_threads: int = 0  # 0: thread_plan() from the cores and the concurrency
    concurrency: int = 0  # 0: default_concurrency() (TRANSLATE_CONCURRENCY, Celery slots, else 1)
    beam_size: int | None = None  # None: the package's (its release's decoder.yml, else argos's 4)
    length_penalty: float | None = None  # None: the package's (decoder.yml normalize, else argos's 0.2)
    # One CTranslate2 call translates at most batch_sentences sentences within a budget of batch_tokens
    # (sentences x longest source sentence).
    batch_tokens: int = 1024
    batch_sentences: int = 32
    decode_ratio: float = 2.0
    decode_margin: int = 10
    max_decoding_length: int = 256
    max_sentence_chars: int = 400
    replace_unknowns: bool = True
    detect_paragraph_language: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> EngineSettings:
        environ = os.environ if environ is None else environ
        env = EnvReader(environ)
        # Each value is parsed to its field's type by _read; mypy cannot follow fields() to match them.
        values: dict[str, Any] = {}
        for field in fields(cls):
            name = f"TRANSLATE_{field.name.upper()}"
            if env.raw(name)[1]:
                values[field.name] = _read(env, name, str(field.type))
        values.update({name: value for name, value in overrides.items() if value is not None})
        settings = cls(**values)
        if settings.concurrency == 0:
            settings = replace(settings, concurrency=default_concurrency(environ))
        if settings.inter_threads == 0 or settings.intra_threads == 0:
            inter, intra = thread_plan(
                available_cores(), settings.concurrency, settings.inter_threads, settings.intra_threads
            )
            settings = replace(settings, inter_threads=inter, intra_threads=intra)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.device not in ("cpu", "cuda", "auto"):
            raise ValueError(f"device {self.device!r} must be cpu, cuda or auto (TRANSLATE_DEVICE)")
        for name in (
            "inter_threads",
            "beam_size",
            "batch_tokens",
            "batch_sentences",
            "max_decoding_length",
            "concurrency",
        ):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1 (TRANSLATE_{name.upper()})")
        if self.intra_threads < 0:
            raise ValueError("intra_threads must be 0 (automatic) or more (TRANSLATE_INTRA_THREADS)")
        if self.decode_ratio <= 0 or self.max_sentence_chars < 20:
            raise ValueError("decode_ratio must be positive and max_sentence_chars at least 20")


def _read(env: EnvReader, name: str, kind: str) -> object:
    """A set variable as its field's type (``kind`` is the annotation); ranges are ``validate``'s."""
    if kind == "bool":
        return env.flag(name, False)
    if kind in ("int", "int | None"):
        return env.integer(name, 0, minimum=-sys.maxsize)
    if kind in ("float", "float | None"):
        return env.number(name, 0.0, minimum=-math.inf)
    return env.string(name, "")
