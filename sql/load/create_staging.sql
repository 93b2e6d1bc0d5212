-- One batch of parsed, de-duplicated feed records. Session-local; emptied at every commit.
CREATE TEMP TABLE IF NOT EXISTS load_staging (
    canonical_url text PRIMARY KEY,
    source text NOT NULL,
    source_article_id text,
    url text NOT NULL,
    title text NOT NULL,
    lead text,
    body jsonb NOT NULL,
    authors text[] NOT NULL,
    section text,
    tags text[] NOT NULL,
    images jsonb NOT NULL,
    language text NOT NULL,
    published_at timestamptz,
    updated_at timestamptz,
    crawled_at timestamptz NOT NULL,
    content_hash text NOT NULL,
    extraction_layer text NOT NULL,
    flags text[] NOT NULL,
    attributions text[] NOT NULL
) ON COMMIT DELETE ROWS;
