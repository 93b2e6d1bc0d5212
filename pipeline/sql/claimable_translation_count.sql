-- How many articles the next translation stage can claim: pending ones, and claims older than the
-- worker's claim timeout (their worker died; the translation worker reclaims or fails them).
SELECT count(*)
FROM articles
WHERE translation_status = 'pending'
   OR (translation_status = 'in_progress' AND translation_claimed_at < now() - %(claim_timeout)s)
