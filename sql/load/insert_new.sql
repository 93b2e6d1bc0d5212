-- New articles: pending translation, or 'original' when already in the target language.
INSERT INTO articles (
    canonical_url, source, source_article_id, url, title, lead, body, authors, section, tags, images,
    language, published_at, updated_at, crawled_at, first_seen, last_seen, content_hash,
    extraction_layer, flags, translation_status, attributions
)
SELECT
    staged.canonical_url, staged.source, staged.source_article_id, staged.url, staged.title,
    staged.lead, staged.body, staged.authors, staged.section, staged.tags, staged.images,
    staged.language, staged.published_at, staged.updated_at, staged.crawled_at, staged.crawled_at,
    staged.crawled_at, staged.content_hash, staged.extraction_layer, staged.flags,
    public.initial_translation_status(staged.language, %(target_language)s), staged.attributions
FROM load_staging AS staged
WHERE NOT EXISTS (SELECT FROM articles WHERE articles.canonical_url = staged.canonical_url)
ON CONFLICT (canonical_url) DO NOTHING
RETURNING article_id, canonical_url, content_hash;
