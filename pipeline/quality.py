"""Data-quality checks of one ``news_ingest`` run, and its ``ingest_runs`` records.

Each check compares a measured value with two thresholds from ``PipelineSettings.quality``
(``NEWS_QUALITY_*``): at ``warn`` the finding is logged and stored with the run, at ``fail`` the
quality task fails after storing it, so the DAG run shows red and the "articles updated" asset is not
announced. The checks:

- ``crawl_failed``: a source whose crawl or load did not finish (after its retries). Warn when some
  sources failed, fail when all did.
- ``empty_body_rate`` (per source): pages rejected for a missing body plus articles whose body is
  shorter than ``min_body_chars``, over all article pages seen (at least ``empty_body_min_pages``).
  A selector that stopped matching shows up here first.
- ``extraction_layer_drift`` (per source): total variation distance between this run's mix of
  extraction layers (selector / metadata / generic) and the mean mix of the source's previous
  ``layer_drift_history_runs`` runs; 0 is the same mix, 1 a completely different one. A site redesign
  moves articles from "selector" to the fallbacks. Needs ``layer_drift_min_articles`` articles.
- ``mojibake_rate`` (per source): articles whose title, lead or body carries mojibake ("BĂ i bá»‹") or
  U+FFFD from undecodable bytes, over the articles of the run. Any is worth a warning: the decoding of
  some page went wrong, and its text would be translated as is.
- ``translation_backlog``: articles pending, in progress or failed translation after this run's
  translation stage (and a warning naming the install command when no model is installed).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Literal

import psycopg

from pipeline.load import LoadSummary
from pipeline.settings import PipelineSettings, QualityThresholds
from warehouse.sqlfile import statement

if TYPE_CHECKING:
    from warehouse.runs import RunStatus

log = logging.getLogger(__name__)

Level = Literal["ok", "warn", "fail"]
_SEVERITY: dict[str, int] = {"ok": 0, "warn": 1, "fail": 2}
_RUN_STATUS: dict[Level, RunStatus] = {"ok": "success", "warn": "partial", "fail": "failed"}
EMPTY_BODY_OUTCOMES = frozenset({"missing_body"})


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    level: Level
    value: float | int | None
    message: str
    source: str | None = None


@dataclass(slots=True)
class QualityReport:
    run_key: str
    dry_run: bool
    checks: list[Check] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    backlog: dict[str, int] = field(default_factory=dict)

    @property
    def level(self) -> Level:
        return max((check.level for check in self.checks), key=_SEVERITY.__getitem__, default="ok")

    def source_level(self, source: str) -> Level:
        levels = [check.level for check in self.checks if check.source == source]
        return max(levels, key=_SEVERITY.__getitem__, default="ok")

    @property
    def articles_changed(self) -> int:
        return sum(counts.get("inserted", 0) + counts.get("updated", 0) for counts in self.counts.values())

    def as_dict(self) -> dict:
        return {
            "run_key": self.run_key,
            "dry_run": self.dry_run,
            "level": self.level,
            "articles_changed": self.articles_changed,
            "counts": self.counts,
            "backlog": self.backlog,
            "checks": [asdict(check) for check in self.checks],
        }


def check_run(  # noqa: PLR0913 - keyword-only run context the checks read
    run_key: str,
    summaries: Mapping[str, LoadSummary | None],
    *,
    conn: psycopg.Connection | None,
    dry_run: bool = False,
    translation_note: str | None = None,
    settings: PipelineSettings | None = None,
) -> QualityReport:
    """Run every check. ``summaries`` maps each requested source to its load summary, or to None
    when its crawl or load failed. Without a connection (dry run) the history-based checks and the
    backlog are skipped."""
    thresholds = (settings or PipelineSettings.from_env()).quality
    report = QualityReport(run_key=run_key, dry_run=dry_run)
    failed = sorted(source for source, summary in summaries.items() if summary is None)
    level: Level = "fail" if len(failed) == len(summaries) else "warn"
    report.checks.extend(
        Check("crawl_failed", level, 1, "the crawl or load of this source failed after its retries", source)
        for source in failed
    )
    for source, summary in sorted(summaries.items()):
        if summary is None:
            continue
        report.counts[source] = dict(summary.outcomes)
        report.checks.append(empty_body_check(summary, thresholds))
        report.checks.append(mojibake_check(summary, thresholds))
        if conn is not None:
            history = previous_layer_mixes(conn, source, run_key, thresholds.layer_drift_history_runs)
            report.checks.append(layer_drift_check(summary, history, thresholds))
    if conn is not None:
        report.backlog = translation_backlog(conn)
        report.checks.append(backlog_check(report.backlog, thresholds, translation_note))
    for check in report.checks:
        if check.level != "ok":
            log.warning("quality %s %s%s: %s", check.level, check.name, _for(check.source), check.message)
    return report


def empty_body_check(summary: LoadSummary, thresholds: QualityThresholds) -> Check:
    empty = summary.profile.short_bodies + sum(
        count for outcome, count in summary.crawl_rejects.items() if outcome in EMPTY_BODY_OUTCOMES
    )
    seen = summary.profile.records + sum(summary.crawl_rejects.values())
    if seen < thresholds.empty_body_min_pages:
        return Check(
            "empty_body_rate",
            "ok",
            None,
            f"not evaluated: {seen} article pages (needs {thresholds.empty_body_min_pages})",
            summary.source,
        )
    rate = empty / seen
    level = _level(rate, thresholds.empty_body_warn, thresholds.empty_body_fail)
    return Check(
        "empty_body_rate",
        level,
        round(rate, 4),
        f"{empty} of {seen} article pages had no body or one under {thresholds.min_body_chars} characters "
        f"(warn at {thresholds.empty_body_warn:.0%}, fail at {thresholds.empty_body_fail:.0%})",
        summary.source,
    )


def mojibake_check(summary: LoadSummary, thresholds: QualityThresholds) -> Check:
    articles = summary.profile.records - summary.profile.invalid
    if articles < thresholds.mojibake_min_articles:
        return Check("mojibake_rate", "ok", None, f"not evaluated: {articles} articles", summary.source)
    rate = summary.profile.mojibake / articles
    return Check(
        "mojibake_rate",
        _level(rate, thresholds.mojibake_warn, thresholds.mojibake_fail),
        round(rate, 4),
        f"{summary.profile.mojibake} of {articles} articles carry mojibake or replaced bytes "
        f"(warn above {thresholds.mojibake_warn:.0%}, fail above {thresholds.mojibake_fail:.0%})",
        summary.source,
    )


def layer_drift_check(
    summary: LoadSummary, history: Sequence[Mapping[str, int]], thresholds: QualityThresholds
) -> Check:
    current = _shares(summary.profile.layers)
    articles = sum(summary.profile.layers.values())
    if articles < thresholds.layer_drift_min_articles or not history:
        return Check(
            "extraction_layer_drift",
            "ok",
            None,
            f"not evaluated: {articles} articles (needs {thresholds.layer_drift_min_articles}) and "
            f"{len(history)} earlier runs",
            summary.source,
        )
    earlier = [_shares(mix) for mix in history]
    baseline = {
        layer: sum(shares.get(layer, 0.0) for shares in earlier) / len(earlier)
        for layer in set().union(*earlier, current)
    }
    distance = 0.5 * sum(abs(current.get(layer, 0.0) - baseline[layer]) for layer in baseline)
    level = _level(distance, thresholds.layer_drift_warn, thresholds.layer_drift_fail)
    return Check(
        "extraction_layer_drift",
        level,
        round(distance, 4),
        f"layer mix {_percent(current)} against {_percent(baseline)} over the last {len(history)} runs "
        f"(warn at {thresholds.layer_drift_warn}, fail at {thresholds.layer_drift_fail})",
        summary.source,
    )


def backlog_check(backlog: Mapping[str, int], thresholds: QualityThresholds, note: str | None) -> Check:
    waiting = sum(backlog.values())
    level = _level(waiting, thresholds.backlog_warn, thresholds.backlog_fail)
    message = (
        f"{waiting} articles wait for translation ({json.dumps(dict(backlog), sort_keys=True)}; "
        f"warn above {thresholds.backlog_warn}, fail above {thresholds.backlog_fail})"
    )
    if note and waiting:
        level = max(level, "warn", key=_SEVERITY.__getitem__)
        message += f". {note}"
    return Check("translation_backlog", level, waiting, message)


def translation_backlog(conn: psycopg.Connection) -> dict[str, int]:
    from warehouse.translation_queue import WAITING_STATUSES, status_counts

    return status_counts(conn, WAITING_STATUSES)


def previous_layer_mixes(conn: psycopg.Connection, source: str, run_key: str, runs: int) -> list[dict]:
    rows = conn.execute(
        statement("pipeline/previous_layer_mixes.sql"), {"source": source, "run_key": run_key, "runs": runs}
    )
    return [layers for (layers,) in rows.fetchall()]


def _level(value: float, warn: float, fail: float) -> Level:
    if value > fail:
        return "fail"
    if value > warn:
        return "warn"
    return "ok"


def _shares(mix: Mapping[str, int]) -> dict[str, float]:
    total = sum(mix.values())
    return {layer: count / total for layer, count in mix.items()} if total else {}


def _percent(shares: Mapping[str, float]) -> str:
    return ", ".join(f"{layer} {share:.0%}" for layer, share in sorted(shares.items())) or "empty"


def _for(source: str | None) -> str:
    return f" ({source})" if source else ""


def record_runs(
    conn: psycopg.Connection,
    report: QualityReport,
    summaries: Mapping[str, LoadSummary | None],
    failures: Mapping[str, str] | None = None,
    run_started_at: str | None = None,
) -> dict[str, int]:
    """Write one ``ingest_runs`` row per source of this run (a re-run of the same run rewrites it);
    returns the run ids by source. Status: ``failed`` when the crawl or load failed or a check failed,
    ``partial`` when a check warned, else ``success``. ``started_at``/``finished_at`` are the source's
    crawl start and load end, taken from its stored load summary so a re-run records the same times; a
    failed source gets the DAG run's start (``run_started_at``, ISO 8601) and the time of recording."""
    from warehouse.runs import finish_run, start_run

    run_ids = {}
    for source, summary in sorted(summaries.items()):
        with conn.transaction():
            if summary is None:
                reason = (failures or {}).get(source, "the crawl or load task failed; see its task log")
                run_id = start_run(conn, report.run_key, source, started_at=run_started_at)
                finish_run(conn, run_id, "failed", {}, {}, [{"check": "crawl_failed", "message": reason}])
            else:
                run_id = start_run(conn, report.run_key, source, started_at=summary.crawl_started_at)
                finish_run(
                    conn,
                    run_id,
                    _RUN_STATUS[report.source_level(source)],
                    run_counts(summary),
                    {"crawl": summary.crawl_seconds, "load": summary.load_seconds},
                    _findings(report, source),
                    finished_at=summary.load_finished_at,
                )
        run_ids[source] = run_id
    return run_ids


def _findings(report: QualityReport, source: str) -> list[dict]:
    return [
        {"check": check.name, "level": check.level, "value": check.value, "message": check.message}
        for check in report.checks
        if check.level != "ok" and check.source in (source, None)
    ]


def run_counts(summary: LoadSummary) -> dict[str, int]:
    """The flat ``ingest_runs.counts`` of one source: load outcomes, feed profile, crawl outcomes."""
    counts = dict(summary.outcomes)
    counts["feed_records"] = summary.profile.records
    counts["short_bodies"] = summary.profile.short_bodies
    counts.update({f"layer_{layer}": count for layer, count in summary.profile.layers.items()})
    counts.update({f"crawl_rejected_{outcome}": count for outcome, count in summary.crawl_rejects.items()})
    return counts
