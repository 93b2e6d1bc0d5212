-- Articles (not already English) whose latest English translation of their current content is not
-- the one their English signature was made from.
SELECT a.article_id
FROM articles AS a
JOIN LATERAL (
    SELECT model_id || ' ' || model_version || ' ' || translated_at::text AS signed_key
    FROM translations
    WHERE translations.article_id = a.article_id
        AND translations.target_language = 'en'
        AND translations.source_content_hash = a.content_hash
    ORDER BY translated_at DESC, model_id DESC, model_version DESC
    LIMIT 1
) AS latest ON true
LEFT JOIN article_signatures AS s ON s.article_id = a.article_id AND s.language = 'en'
WHERE a.language <> 'en'
    AND s.signed_key IS DISTINCT FROM latest.signed_key
ORDER BY a.article_id;
