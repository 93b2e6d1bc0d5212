-- Row counts and content hashes of the tables the reliability campaign compares between runs. Only
-- content: canonical URLs, content hashes, translation status and translated text, never timestamps
-- or generated ids.
SELECT 'articles', count(*), md5(string_agg(canonical_url || ' ' || content_hash || ' ' || translation_status, ',' ORDER BY canonical_url))
FROM articles
UNION ALL
SELECT 'revisions', count(*), md5(string_agg(a.canonical_url || ' ' || r.content_hash, ',' ORDER BY a.canonical_url, r.content_hash))
FROM article_revisions AS r
JOIN articles AS a USING (article_id)
UNION ALL
SELECT 'translations', count(*), md5(string_agg(
    a.canonical_url || ' ' || t.target_language || ' ' || t.model_id || ' ' || t.source_content_hash || ' '
    || t.title || ' ' || coalesce(t.lead, '') || ' ' || t.body::text || ' ' || t.captions::text,
    ',' ORDER BY a.canonical_url, t.target_language, t.model_id))
FROM translations AS t
JOIN articles AS a USING (article_id);
