-- Re-starting a run with the same (run_key, source), e.g. an Airflow retry, reuses its row.
INSERT INTO ingest_runs (run_key, source)
VALUES (%(run_key)s, %(source)s)
ON CONFLICT (run_key, source) DO UPDATE
SET
    started_at = now(),
    finished_at = NULL,
    status = 'running',
    counts = '{}',
    timings = '{}',
    errors = '[]'
RETURNING run_id;
