-- Views for analysts (schema analyst). Re-applied by the migration runner whenever this file changes.
-- The "latest English translation" of an article is the one with the greatest
-- (translated_at, model_id, model_version) (public.latest_english_translation_vector agrees); it is
-- selected with NOT EXISTS rather than LATERAL ... LIMIT 1 so that a filter on articles (e.g. full-text
-- search) drives the plan through the articles indexes.

DROP VIEW IF EXISTS analyst.articles, analyst.paragraphs, analyst.daily_ingest, analyst.translation_backlog;

-- English text comes from the article itself when it is written in English (english_source
-- 'original') and from its latest English translation otherwise ('machine_translation', with the
-- model id and version); english_source is NULL while a translation is still to come. search_en is
-- the vector of exactly that English text: the article's own (a generated column) for an English
-- original, else its latest translation's (kept by a trigger on translations); migration 009 indexes
-- this very expression, so English search over originals and translations alike is one index scan.
CREATE VIEW analyst.articles AS
SELECT
    a.article_id,
    a.source,
    a.language,
    a.canonical_url,
    a.published_at,
    a.updated_at,
    a.section,
    a.authors,
    a.tags,
    a.attributions,
    a.title,
    CASE WHEN public.primary_language(a.language) = 'en' THEN a.title ELSE t.title END AS title_en,
    a.lead,
    CASE WHEN public.primary_language(a.language) = 'en' THEN a.lead ELSE t.lead END AS lead_en,
    public.jsonb_array_text(a.body, 'text') AS body_text,
    CASE
        WHEN public.primary_language(a.language) = 'en' THEN public.jsonb_array_text(a.body, 'text')
        ELSE public.jsonb_array_text(t.body)
    END AS body_text_en,
    jsonb_array_length(a.body) AS paragraph_count,
    jsonb_array_length(a.images) AS image_count,
    a.translation_status,
    CASE
        WHEN public.primary_language(a.language) = 'en' THEN 'original'
        WHEN t.article_id IS NOT NULL THEN 'machine_translation'
    END AS english_source,
    t.model_id AS translation_model_id,
    t.model_version AS translation_model_version,
    t.translated_at,
    public.primary_language(a.language) <> 'en'
        AND t.source_content_hash IS DISTINCT FROM a.content_hash AS translation_outdated,
    a.first_seen,
    a.last_seen,
    a.extraction_layer,
    a.flags,
    a.search_folded,
    coalesce(a.search_en_original, a.search_en_translation) AS search_en,
    story.story_id
FROM public.articles AS a
LEFT JOIN public.story_members AS story ON story.article_id = a.article_id
LEFT JOIN public.translations AS t
    ON t.article_id = a.article_id
    AND t.target_language = 'en'
    AND public.primary_language(a.language) <> 'en'
    AND NOT EXISTS (
        SELECT FROM public.translations AS newer
        WHERE newer.article_id = t.article_id
            AND newer.target_language = 'en'
            AND (newer.translated_at, newer.model_id, newer.model_version)
                > (t.translated_at, t.model_id, t.model_version)
    );

-- english: the paragraph itself in an English article, else its latest English translation (where a
-- Vietnamese article quotes English, the engine passed that paragraph through unchanged).
CREATE VIEW analyst.paragraphs AS
SELECT
    a.article_id,
    a.source,
    a.language,
    paragraph.position::integer - 1 AS position,
    paragraph.block ->> 'kind' AS kind,
    paragraph.block ->> 'text' AS original,
    CASE
        WHEN public.primary_language(a.language) = 'en' THEN paragraph.block ->> 'text'
        ELSE t.body ->> (paragraph.position::integer - 1)
    END AS english,
    CASE
        WHEN public.primary_language(a.language) = 'en' THEN 'original'
        WHEN t.article_id IS NOT NULL THEN 'machine_translation'
    END AS english_source,
    t.model_id AS translation_model_id,
    t.model_version AS translation_model_version
FROM public.articles AS a
CROSS JOIN LATERAL jsonb_array_elements(a.body) WITH ORDINALITY AS paragraph(block, position)
LEFT JOIN public.translations AS t
    ON t.article_id = a.article_id
    AND t.target_language = 'en'
    AND public.primary_language(a.language) <> 'en'
    AND NOT EXISTS (
        SELECT FROM public.translations AS newer
        WHERE newer.article_id = t.article_id
            AND newer.target_language = 'en'
            AND (newer.translated_at, newer.model_id, newer.model_version)
                > (t.translated_at, t.model_id, t.model_version)
    );

-- Per UTC day and source: articles first seen, content changes (new revisions), ingest runs and what
-- they counted. Built from UNION ALL branches so a filter on day reaches each branch's day index.
CREATE VIEW analyst.daily_ingest AS
SELECT
    day,
    source,
    sum(new_articles)::bigint AS new_articles,
    sum(updated_articles)::bigint AS updated_articles,
    sum(runs)::bigint AS runs,
    sum(failed_runs)::bigint AS failed_runs,
    sum(quarantined)::bigint AS quarantined
FROM (
    SELECT (first_seen AT TIME ZONE 'UTC')::date AS day, source,
        1 AS new_articles, 0 AS updated_articles, 0 AS runs, 0 AS failed_runs, 0 AS quarantined
    FROM public.articles
    UNION ALL
    SELECT (r.valid_to AT TIME ZONE 'UTC')::date, a.source, 0, 1, 0, 0, 0
    FROM public.article_revisions AS r
    JOIN public.articles AS a USING (article_id)
    UNION ALL
    SELECT (started_at AT TIME ZONE 'UTC')::date, source, 0, 0, 1,
        (status = 'failed')::integer, coalesce((counts ->> 'quarantined')::integer, 0)
    FROM public.ingest_runs
) AS events
GROUP BY day, source;

-- Articles waiting for translation per source and original language. The age is measured from the
-- crawl that produced the content waiting to be translated. Originals (already in the target
-- language, status 'original') wait for nothing and are not counted.
CREATE VIEW analyst.translation_backlog AS
SELECT
    source,
    language,
    count(*) FILTER (WHERE translation_status = 'pending') AS pending,
    count(*) FILTER (WHERE translation_status = 'in_progress') AS in_progress,
    count(*) FILTER (WHERE translation_status = 'failed') AS failed,
    min(crawled_at) FILTER (WHERE translation_status = 'pending') AS oldest_pending_crawled_at,
    now() - min(crawled_at) FILTER (WHERE translation_status = 'pending') AS oldest_pending_age
FROM public.articles
WHERE translation_status IN ('pending', 'in_progress', 'failed')
GROUP BY source, language;

GRANT SELECT ON analyst.articles, analyst.paragraphs, analyst.daily_ingest, analyst.translation_backlog
    TO analyst;
