-- Articles already in the target language need no model: translation status 'original'. English
-- search covers English originals and translations alike through one column and one index:
-- articles.search_en holds the English text's vector of every article that has English text (its own
-- text when it is written in English, else its latest English translation). One index on one table
-- keeps analyst.articles a plain join, so ORDER BY ... LIMIT queries on it still walk an index.

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

-- An English original's search vector, weighted like translations.search_en (captions weigh least).
CREATE FUNCTION public.english_original_vector(title text, lead text, body jsonb, images jsonb)
RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN setweight(to_tsvector('english', coalesce(title, '')), 'A')
    || setweight(to_tsvector('english', coalesce(lead, '')), 'B')
    || setweight(to_tsvector('english', coalesce(public.jsonb_array_text(body, 'text'), '')), 'C')
    || setweight(to_tsvector('english', coalesce(public.jsonb_array_text(images, 'caption'), '')), 'D');

-- The search vector of an article's latest English translation (the one analyst.articles shows).
CREATE FUNCTION public.latest_english_translation_vector(article bigint) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (
    SELECT t.search_en
    FROM public.translations AS t
    WHERE t.article_id = article AND t.target_language = 'en'
    ORDER BY t.translated_at DESC, t.model_id DESC, t.model_version DESC
    LIMIT 1
);

-- Adding a column without a default rewrites nothing; the UPDATE below fills it once.
ALTER TABLE articles ADD COLUMN search_en tsvector;

-- Kept by triggers, so every writer (loader, translation worker, a bulk COPY) keeps it right.
CREATE FUNCTION public.articles_search_en() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF public.primary_language(NEW.language) = 'en' THEN
        NEW.search_en := public.english_original_vector(NEW.title, NEW.lead, NEW.body, NEW.images);
    ELSIF TG_OP = 'UPDATE' AND public.primary_language(OLD.language) = 'en' THEN
        NEW.search_en := public.latest_english_translation_vector(NEW.article_id);
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER articles_search_en
BEFORE INSERT OR UPDATE OF title, lead, body, images, language ON articles
FOR EACH ROW EXECUTE FUNCTION public.articles_search_en();

CREATE FUNCTION public.translations_search_en() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.article_id ELSE NEW.article_id END;
BEGIN
    UPDATE public.articles
    SET search_en = public.latest_english_translation_vector(changed)
    WHERE article_id = changed
      AND public.primary_language(language) <> 'en';
    RETURN NULL;
END
$$;

CREATE TRIGGER translations_search_en
AFTER INSERT OR UPDATE OR DELETE ON translations
FOR EACH ROW EXECUTE FUNCTION public.translations_search_en();

-- English articles loaded before this migration waited as 'pending' for a vi->en model they do not
-- need, or were 'skipped' without a translation: they are originals. Rows a worker holds right now
-- ('in_progress') are left to it; it finishes them as 'original' too.
UPDATE articles
SET translation_status = 'original',
    translation_error = NULL,
    translation_claimed_at = NULL
WHERE public.primary_language(language) = 'en'
  AND translation_status IN ('pending', 'skipped', 'failed');

-- One pass over the existing rows (at a million articles: minutes, once).
UPDATE articles
SET search_en = CASE
    WHEN public.primary_language(language) = 'en' THEN public.english_original_vector(title, lead, body, images)
    ELSE public.latest_english_translation_vector(article_id)
END;

CREATE INDEX articles_search_en_idx ON articles USING gin (search_en) WHERE search_en IS NOT NULL;
-- English search goes through articles.search_en now; this index would only slow down every write.
DROP INDEX translations_search_en_idx;
