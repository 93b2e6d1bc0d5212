-- Re-starting a run with the same (run_key, source), e.g. an Airflow retry, reuses its row.
INSERT INTO ingest_runs (run_key, source, started_at)
VALUES (%(run_key)s, %(source)s, coalesce(%(started_at)s::timestamptz, clock_timestamp()))
ON CONFLICT (run_key, source) DO UPDATE
SET
    started_at = excluded.started_at,
    finished_at = NULL,
    status = 'running',
    counts = '{}',
    timings = '{}',
    errors = '[]'
RETURNING run_id;
