COPY load_staging (
    canonical_url, source, source_article_id, url, title, lead, body, authors, section, tags, images,
    language, published_at, updated_at, crawled_at, content_hash, extraction_layer, flags,
    attributions
) FROM STDIN
