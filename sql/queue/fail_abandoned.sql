-- Abandoned claims (their worker is gone) after the last allowed attempt: the article keeps crashing
-- its worker.
UPDATE articles
SET translation_status = 'failed',
    translation_error = 'translation worker died holding the claim after ' || translation_attempts || ' attempts'
WHERE translation_status = 'in_progress'
  AND translation_attempts >= %(max_attempts)s
  AND public.translation_claim_abandoned(translation_claim_token, translation_claimed_at, %(claim_timeout)s);
