-- How many articles the next translation stage can claim: pending ones, and claims whose worker is gone
-- (the translation worker reclaims or fails them).
SELECT count(*)
FROM articles
WHERE translation_status = 'pending'
   OR (translation_status = 'in_progress'
       AND public.translation_claim_abandoned(translation_claim_token, translation_claimed_at, %(claim_timeout)s))
