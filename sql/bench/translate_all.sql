-- A one-paragraph English translation stored for every waiting article, one translations row each,
-- through the search trigger (the row the translation stage stores).
INSERT INTO translations (article_id, target_language, model_id, model_version, source_language,
    source_content_hash, title, body)
SELECT article_id, 'en', 'opus-mt-vi-en', 'bench', 'vi', content_hash, 'Talks continue in Hanoi',
    '["The ministers met on Monday."]'
FROM articles
WHERE translation_status = 'pending'
