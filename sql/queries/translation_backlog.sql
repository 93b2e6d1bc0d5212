-- What still waits for translation, per source and original language, oldest first.
-- psql -f sql/queries/translation_backlog.sql
SELECT source, language, pending, in_progress, failed, oldest_pending_age
FROM analyst.translation_backlog
ORDER BY oldest_pending_age DESC NULLS LAST, source, language;
