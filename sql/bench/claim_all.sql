-- Every waiting article claimed (the columns a translation claim writes, for all rows).
UPDATE articles
SET translation_status = 'in_progress', translation_claimed_at = now(), translation_attempts = translation_attempts + 1
WHERE translation_status = 'pending'
