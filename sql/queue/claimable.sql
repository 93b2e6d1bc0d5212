-- The articles a translation worker may claim now: the one definition of "claimable", which claim.sql
-- and claimable_count.sql both embed, so planning counts exactly what the workers will claim.
-- Claimable: 'pending'; an 'in_progress' claim whose worker is gone (its session no longer holds the
-- claim token's advisory lock; a claim without a token after claim_timeout) while attempts remain;
-- with force, any finished article not already claimed during this run (since run_started_at).
SELECT article_id, crawled_at
FROM articles
WHERE translation_status = 'pending'
   OR (translation_status = 'in_progress'
       AND translation_attempts < %(max_attempts)s
       AND public.translation_claim_abandoned(
           translation_claim_token, translation_claimed_at, %(claim_timeout)s))
   OR (%(force)s
       AND translation_status IN ('done', 'skipped', 'failed')
       AND (translation_claimed_at IS NULL OR translation_claimed_at < %(run_started_at)s))
