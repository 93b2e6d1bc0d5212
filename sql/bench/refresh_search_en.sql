-- Set-based stand-in for the translations_search_en trigger (migrations 004 and 009) after a bulk COPY
-- of translations with that trigger disabled: every article in [first, end) that has a translation
-- gets articles.search_en_translation from the very function the trigger calls, in one statement
-- instead of one articles update per translation row. Only the scale benchmark uses it.
UPDATE articles AS a
SET search_en_translation = public.latest_english_translation_vector(a.article_id)
WHERE a.article_id >= %(first)s
    AND a.article_id < %(end)s
    AND EXISTS (SELECT FROM translations AS t WHERE t.article_id = a.article_id);
