-- One batch of parsed, de-duplicated feed records; session-local and emptied at every commit. The
-- loader fills the placeholder with warehouse.record.ARTICLE_COLUMNS, and every column takes its type
-- from the same-named column of articles. The unique index keeps a batch to one row per canonical URL.
CREATE TEMP TABLE IF NOT EXISTS load_staging ON COMMIT DELETE ROWS AS
SELECT {columns} FROM articles WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS load_staging_canonical_url ON load_staging (canonical_url);
