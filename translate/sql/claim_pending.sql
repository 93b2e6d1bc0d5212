-- Claim up to batch_size articles for translation. SKIP LOCKED lets any number of workers run this at
-- once without waiting on each other or claiming the same row. Claimable: 'pending'; an 'in_progress'
-- claim whose worker is gone (its session no longer holds the claim token's advisory lock) while
-- attempts remain; with force, any finished article not already claimed during this run. Claimed rows
-- carry this worker's claim token, whose lock the worker holds for as long as its session lives.
WITH claimable AS (
    SELECT article_id
    FROM articles
    WHERE translation_status = 'pending'
       OR (translation_status = 'in_progress'
           AND translation_attempts < %(max_attempts)s
           AND public.translation_claim_abandoned(
               translation_claim_token, translation_claimed_at, %(claim_timeout)s))
       OR (%(force)s
           AND translation_status IN ('done', 'skipped', 'failed')
           AND (translation_claimed_at IS NULL OR translation_claimed_at < %(run_started_at)s))
    ORDER BY crawled_at, article_id
    LIMIT %(batch_size)s
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
