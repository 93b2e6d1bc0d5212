-- Set-based stand-in for the translations_search_en trigger (migration 004) after a bulk COPY of
-- translations with that trigger disabled: every non-English article in [first, end) that has a
-- translation gets articles.search_en from the very function the trigger calls, in one statement
-- instead of one articles update per translation row. Only the scale benchmark uses it.
UPDATE articles AS a
SET search_en = public.latest_english_translation_vector(a.article_id)
WHERE a.article_id >= %(first)s
    AND a.article_id < %(end)s
    AND public.primary_language(a.language) <> 'en'
    AND EXISTS (SELECT FROM translations AS t WHERE t.article_id = a.article_id);
