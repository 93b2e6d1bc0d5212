-- The true span of one source's ingest (its crawl's start to its load's end) instead of the time the
-- quality task wrote the row; without a known start the row keeps its own.
UPDATE ingest_runs
SET
    started_at = coalesce(%(started_at)s::timestamptz, started_at),
    finished_at = %(finished_at)s::timestamptz
WHERE run_id = %(run_id)s
