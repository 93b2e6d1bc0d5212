-- The batch's canonical URLs whose content is not stored yet (new articles or changed content). Only
-- these rows are COPYed to staging, so a record seen again unchanged costs one index probe.
SELECT batch.canonical_url
FROM unnest(%(canonical_urls)s::text[], %(content_hashes)s::text[]) AS batch (canonical_url, content_hash)
WHERE NOT EXISTS (
    SELECT FROM articles AS stored
    WHERE stored.canonical_url = batch.canonical_url AND stored.content_hash = batch.content_hash
);
