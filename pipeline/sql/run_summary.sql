-- The ingest_runs rows of one DAG run, one per source.
SELECT source, status, counts, errors
FROM ingest_runs
WHERE run_key = %(run_key)s
ORDER BY source
