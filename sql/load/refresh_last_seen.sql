-- Unchanged content seen again: move last_seen forward, but at most once per interval, so that
-- re-loading feeds of the same day writes nothing.
UPDATE articles AS stored
SET last_seen = staged.crawled_at
FROM load_staging AS staged
WHERE stored.canonical_url = staged.canonical_url
    AND stored.content_hash = staged.content_hash
    AND staged.crawled_at > stored.last_seen
    AND staged.crawled_at >= stored.last_seen + %(interval)s;
