-- Claims that timed out after the last allowed attempt: the article keeps crashing its worker.
UPDATE articles
SET translation_status = 'failed',
    translation_error = 'translation claim timed out after ' || translation_attempts || ' attempts'
WHERE translation_status = 'in_progress'
  AND translation_claimed_at < now() - %(claim_timeout)s
  AND translation_attempts >= %(max_attempts)s;
