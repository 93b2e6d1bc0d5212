-- Articles whose content changed: keep the stored version as a revision, take the new one, and queue
-- it for translation again ('original' when it is already in the target language). A sighting older
-- than the stored version never replaces it.
WITH changed AS (
    SELECT stored.article_id, staged.*
    FROM load_staging AS staged
    JOIN articles AS stored ON stored.canonical_url = staged.canonical_url
    WHERE stored.content_hash <> staged.content_hash
        AND staged.crawled_at >= stored.crawled_at
    FOR UPDATE OF stored
),
archived AS (
    INSERT INTO article_revisions (
        article_id, content_hash, source_article_id, url, title, lead, body, authors, section, tags,
        images, language, published_at, updated_at, extraction_layer, flags, valid_from, valid_to,
        attributions
    )
    SELECT
        stored.article_id, stored.content_hash, stored.source_article_id, stored.url, stored.title,
        stored.lead, stored.body, stored.authors, stored.section, stored.tags, stored.images,
        stored.language, stored.published_at, stored.updated_at, stored.extraction_layer, stored.flags,
        stored.crawled_at, changed.crawled_at, stored.attributions
    FROM articles AS stored
    JOIN changed USING (article_id)
)
UPDATE articles AS stored
SET
    source = changed.source,
    source_article_id = changed.source_article_id,
    url = changed.url,
    title = changed.title,
    lead = changed.lead,
    body = changed.body,
    authors = changed.authors,
    section = changed.section,
    tags = changed.tags,
    images = changed.images,
    language = changed.language,
    published_at = changed.published_at,
    updated_at = changed.updated_at,
    crawled_at = changed.crawled_at,
    last_seen = greatest(stored.last_seen, changed.crawled_at),
    content_hash = changed.content_hash,
    extraction_layer = changed.extraction_layer,
    flags = changed.flags,
    attributions = changed.attributions,
    translation_status = public.initial_translation_status(changed.language, %(target_language)s),
    translation_claimed_at = NULL,
    translation_attempts = 0,
    translation_error = NULL
FROM changed
WHERE stored.article_id = changed.article_id
RETURNING stored.article_id, stored.canonical_url, stored.content_hash;
