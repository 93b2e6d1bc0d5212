-- Claim up to the given number of claimable articles (the placeholder below is sql/queue/claimable.sql), oldest
-- crawl first.
-- SKIP LOCKED lets any number of workers run this at once without waiting on each other or claiming the
-- same row. Claimed rows carry this worker's claim token, whose lock the worker holds for as long as its
-- session lives.
WITH claimable AS (
    {claimable}
    ORDER BY crawled_at, article_id
    LIMIT %(articles)s
    FOR UPDATE SKIP LOCKED
)
UPDATE articles AS article
SET translation_status = 'in_progress',
    translation_claimed_at = now(),
    translation_claim_token = %(claim_token)s,
    translation_attempts = article.translation_attempts + 1,
    translation_error = NULL
FROM claimable
WHERE article.article_id = claimable.article_id
RETURNING article.article_id, article.title, article.lead, article.body, article.images, article.language,
    article.content_hash, article.translation_claimed_at;
