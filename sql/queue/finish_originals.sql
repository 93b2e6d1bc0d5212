-- Pending articles already in the target language need no model: finish them as 'original'. The
-- loader stores such articles as 'original' already; this catches rows queued another way (inserted
-- directly, requeued, or loaded for another target language), even when no package is installed.
UPDATE articles
SET translation_status = 'original',
    translation_error = NULL,
    translation_claimed_at = NULL
WHERE translation_status = 'pending'
  AND public.initial_translation_status(language, %(target_language)s) = 'original';
