-- Write one article's translation, only while this worker's claim on that version of the article still
-- holds (a re-crawl that changed the article in the meantime has made it pending again).
INSERT INTO translations (article_id, target_language, model_id, model_version, source_language,
                          source_content_hash, title, lead, body, captions)
SELECT article_id, %(target_language)s, %(model_id)s, %(model_version)s, %(source_language)s,
       content_hash, %(title)s, %(lead)s, %(body)s, %(captions)s
FROM articles
WHERE article_id = %(article_id)s
  AND content_hash = %(content_hash)s
  AND translation_status = 'in_progress'
  AND translation_claimed_at = %(claimed_at)s
ON CONFLICT (article_id, target_language, model_id, model_version) DO UPDATE
SET source_language = EXCLUDED.source_language,
    source_content_hash = EXCLUDED.source_content_hash,
    title = EXCLUDED.title,
    lead = EXCLUDED.lead,
    body = EXCLUDED.body,
    captions = EXCLUDED.captions,
    translated_at = now();
