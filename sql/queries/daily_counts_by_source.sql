-- New and updated articles, runs and quarantined records per day (UTC) and source.
-- psql -v days=14 -f sql/queries/daily_counts_by_source.sql
\if :{?days} \else \set days 14 \endif
SELECT day, source, new_articles, updated_articles, runs, failed_runs, quarantined
FROM analyst.daily_ingest
WHERE day >= current_date - :days
ORDER BY day DESC, source;
