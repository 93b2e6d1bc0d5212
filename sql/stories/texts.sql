-- The text to sign for each article: the original, and the latest English translation of its current
-- content (none for an outdated translation).
SELECT
    a.article_id, a.language, a.content_hash, a.title, a.lead, a.body,
    t.model_id || ' ' || t.model_version || ' ' || t.translated_at::text, t.title, t.lead, t.body
FROM articles AS a
LEFT JOIN LATERAL (
    SELECT model_id, model_version, translated_at, title, lead, body
    FROM translations
    WHERE translations.article_id = a.article_id
        AND translations.target_language = 'en'
        AND translations.source_content_hash = a.content_hash
    ORDER BY translated_at DESC, model_id DESC, model_version DESC
    LIMIT 1
) AS t ON true
WHERE a.article_id = ANY(%(article_ids)s::bigint[])
ORDER BY a.article_id;
