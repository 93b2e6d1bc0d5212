UPDATE ingest_runs
SET
    finished_at = coalesce(%(finished_at)s::timestamptz, clock_timestamp()),
    status = %(status)s,
    counts = %(counts)s,
    timings = %(timings)s,
    errors = %(errors)s
WHERE run_id = %(run_id)s
RETURNING run_id;
