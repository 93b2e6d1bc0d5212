-- A translation that failed goes back to the queue with a fresh attempts budget.
UPDATE articles
SET translation_status = 'pending',
    translation_attempts = 0,
    translation_error = NULL,
    translation_claimed_at = NULL
WHERE article_id = %(article_id)s AND translation_status = 'failed'
