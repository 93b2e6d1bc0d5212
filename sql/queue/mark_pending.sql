-- Put finished articles back in the translation queue. Every filter is optional (NULL = any):
-- sources, a published_at window [since, until), and articles whose current translation came from
-- a given model id (and version). Rows being translated right now ('in_progress') are left alone, and
-- rows already pending are not touched again, so running this twice changes nothing the second time.
UPDATE articles AS a
SET translation_status = 'pending',
    translation_attempts = 0,
    translation_error = NULL,
    translation_claimed_at = NULL
WHERE a.translation_status IN ('done', 'failed', 'skipped')
  AND (%(sources)s::text[] IS NULL OR a.source = ANY (%(sources)s::text[]))
  AND (%(since)s::timestamptz IS NULL OR a.published_at >= %(since)s::timestamptz)
  AND (%(until)s::timestamptz IS NULL OR a.published_at < %(until)s::timestamptz)
  AND (
      %(model_id)s::text IS NULL
      OR EXISTS (
          SELECT 1
          FROM translations AS t
          WHERE t.article_id = a.article_id
            AND t.target_language = %(target_language)s
            AND t.model_id = %(model_id)s::text
            AND (%(model_version)s::text IS NULL OR t.model_version = %(model_version)s::text)
      )
  )
