-- English search without a BEFORE UPDATE row trigger on articles.
--
-- Migration 004 kept articles.search_en with a BEFORE INSERT OR UPDATE row trigger. PostgreSQL skips
-- recomputing a stored generated column on UPDATE only when none of its inputs is assigned AND the
-- table has no BEFORE UPDATE row trigger (the trigger could change any column). So from 004 on, every
-- UPDATE of an articles row, however small (a queue claim, a finish, the loader's last_seen refresh,
-- the search update a stored translation causes), recomputed search_folded: fold_diacritics and
-- to_tsvector over the whole body. Measured on 20,000 rows of 2 KB: 0.5 s for a status update without
-- such a trigger, 10 s with one.
--
-- The English text's vector is now two columns, neither needing a row trigger on articles:
--   search_en_original     generated from the article itself when it is written in English;
--   search_en_translation  its latest English translation's vector, kept by the AFTER trigger on
--                          translations (as before, now for articles in any language).
-- analyst.articles.search_en is coalesce(search_en_original, search_en_translation): the original
-- when there is one. The index is on that very expression, so English search stays one index scan.
-- At a million articles the ADD COLUMN rewrites the table and its indexes once (minutes).

DROP TRIGGER articles_search_en ON articles;
DROP FUNCTION public.articles_search_en();
DROP INDEX articles_search_en_idx;

ALTER TABLE articles RENAME COLUMN search_en TO search_en_translation;

-- English originals held their own vector in this column; it now holds translations only.
UPDATE articles
SET search_en_translation = public.latest_english_translation_vector(article_id)
WHERE public.primary_language(language) = 'en';

ALTER TABLE articles ADD COLUMN search_en_original tsvector GENERATED ALWAYS AS (
    CASE
        WHEN public.primary_language(language) = 'en'
            THEN public.english_original_vector(title, lead, body, images)
    END
) STORED;

CREATE OR REPLACE FUNCTION public.translations_search_en() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.article_id ELSE NEW.article_id END;
BEGIN
    UPDATE public.articles
    SET search_en_translation = public.latest_english_translation_vector(changed)
    WHERE article_id = changed;
    RETURN NULL;
END
$$;

-- The same expression as analyst.articles.search_en (sql/views/analyst.sql), which is what lets the
-- planner use this index for a search on the view.
CREATE INDEX articles_search_en_idx ON articles
USING gin ((coalesce(search_en_original, search_en_translation)))
WHERE coalesce(search_en_original, search_en_translation) IS NOT NULL;
