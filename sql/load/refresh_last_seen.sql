-- Unchanged content seen again: move last_seen forward, but at most once per interval, so that
-- re-loading feeds of the same day writes nothing. Reads the whole batch (unchanged rows are not
-- staged), as arrays.
UPDATE articles AS stored
SET last_seen = batch.crawled_at
FROM unnest(
    %(canonical_urls)s::text[], %(content_hashes)s::text[], %(crawled_ats)s::timestamptz[]
) AS batch (canonical_url, content_hash, crawled_at)
WHERE stored.canonical_url = batch.canonical_url
    AND stored.content_hash = batch.content_hash
    AND batch.crawled_at > stored.last_seen
    AND batch.crawled_at >= stored.last_seen + %(interval)s;
