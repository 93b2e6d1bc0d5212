-- Close this worker's claim: 'done', 'original', 'skipped' or 'failed' (with the reason).
UPDATE articles
SET translation_status = %(status)s,
    translation_error = %(error)s
WHERE article_id = %(article_id)s
  AND content_hash = %(content_hash)s
  AND translation_status = 'in_progress'
  AND translation_claimed_at = %(claimed_at)s;
