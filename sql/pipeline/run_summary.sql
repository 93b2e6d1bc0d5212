-- The ingest_runs rows of one DAG run, one per source; seconds from the crawl's start to the load's end.
SELECT source, status, counts, errors, started_at, extract(epoch FROM finished_at - started_at) AS seconds
FROM ingest_runs
WHERE run_key = %(run_key)s
ORDER BY source
