-- Articles already in the target language need no model: translation status 'original'. English
-- originals get their own English full-text vector, so English search covers originals and
-- translations alike (analyst.articles.search_en takes it for English articles).

-- The primary subtag of a BCP 47 code, lower-cased: 'en-GB' -> 'en' (the engine compares the same way).
CREATE FUNCTION public.primary_language(code text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN lower(split_part(code, '-', 1));

-- The status new or changed content starts with: 'original' when it is already in the target
-- language (nothing to translate), else 'pending'. The loader and the translation stage both use it.
CREATE FUNCTION public.initial_translation_status(language text, target_language text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN CASE
    WHEN public.primary_language(language) = public.primary_language(target_language) THEN 'original'
    ELSE 'pending'
END;

ALTER TABLE articles DROP CONSTRAINT articles_translation_status_check;
ALTER TABLE articles ADD CONSTRAINT articles_translation_status_check
    CHECK (translation_status IN ('pending', 'in_progress', 'done', 'failed', 'skipped', 'original'));

-- English text of English articles, weighted like translations.search_en (captions weigh least).
-- NULL for every other language, so the partial index below holds English originals only. Adding a
-- stored generated column rewrites the table once (minutes at a million articles, reads blocked).
ALTER TABLE articles ADD COLUMN search_en tsvector GENERATED ALWAYS AS (
    CASE WHEN public.primary_language(language) = 'en' THEN
        setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', coalesce(lead, '')), 'B')
        || setweight(to_tsvector('english', coalesce(public.jsonb_array_text(body, 'text'), '')), 'C')
        || setweight(to_tsvector('english', coalesce(public.jsonb_array_text(images, 'caption'), '')), 'D')
    END
) STORED;

CREATE INDEX articles_search_en_idx ON articles USING gin (search_en) WHERE search_en IS NOT NULL;

-- English articles loaded before this migration waited as 'pending' for a vi->en model they do not
-- need, or were 'skipped' without a translation: they are originals. Rows a worker holds right now
-- ('in_progress') are left to it; it finishes them as 'original' too.
UPDATE articles
SET translation_status = 'original',
    translation_error = NULL,
    translation_claimed_at = NULL
WHERE public.primary_language(language) = 'en'
  AND translation_status IN ('pending', 'skipped', 'failed');
