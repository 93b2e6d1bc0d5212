"""The warehouse's settings, read from the environment in one place (``warehouse.env``). The connection
string is not one of them: ``warehouse.db.database_url`` resolves it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from warehouse.env import EnvReader, SettingError

STORY_THRESHOLD_VARIABLE = "NEWS_STORY_THRESHOLD"


@dataclass(frozen=True, slots=True)
class WarehouseSettings:
    # Feed records parsed, validated and merged per load transaction (NEWS_LOAD_BATCH_SIZE before).
    load_records_per_transaction: int = 1_000
    # Estimated Jaccard similarity at which two articles are one story (tuned on the labelled corpus in
    # testkit/story_corpus.py; after a change, `python -m warehouse stories rebuild`).
    story_threshold: float = 0.5

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> WarehouseSettings:
        env = EnvReader() if environ is None else EnvReader(environ)
        defaults = cls()
        story_threshold = env.number(STORY_THRESHOLD_VARIABLE, defaults.story_threshold)
        if not 0 < story_threshold <= 1:
            raise SettingError(f"{STORY_THRESHOLD_VARIABLE}={story_threshold} must be between 0 and 1")
        return cls(
            load_records_per_transaction=env.integer(
                "NEWS_LOAD_RECORDS_PER_TRANSACTION",
                defaults.load_records_per_transaction,
                minimum=1,
                formerly="NEWS_LOAD_BATCH_SIZE",
            ),
            story_threshold=story_threshold,
        )
