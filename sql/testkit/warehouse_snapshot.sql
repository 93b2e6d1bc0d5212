-- The warehouse's content as comparable JSON, one statement per table (its column is named after the
-- table). ingest_runs keeps started_at/finished_at: they are the crawl's start and the load's end, which
-- a re-run of the same DAG run takes from the stored crawl reference and load summary.
SELECT coalesce(
    jsonb_agg(to_jsonb(a) - 'search_folded' - 'search_en_original' - 'search_en_translation' ORDER BY a.article_id),
    '[]'
) AS articles
FROM articles AS a;
SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY r.revision_id), '[]') AS article_revisions
FROM article_revisions AS r;
SELECT coalesce(jsonb_agg(to_jsonb(t) - 'search_en' ORDER BY t.article_id, t.model_id, t.model_version), '[]')
    AS translations
FROM translations AS t;
SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY c.model_id, c.model_version, c.source_hash), '[]')
    AS translation_cache
FROM translation_cache AS c;
SELECT coalesce(jsonb_agg(to_jsonb(q) ORDER BY q.quarantine_id), '[]') AS quarantine
FROM quarantine AS q;
SELECT coalesce(jsonb_agg(to_jsonb(i) ORDER BY i.run_id), '[]') AS ingest_runs
FROM ingest_runs AS i;
