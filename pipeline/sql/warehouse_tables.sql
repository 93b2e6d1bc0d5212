-- The warehouse's tables (the public schema holds nothing else), for the daily ANALYZE.
SELECT tablename
FROM pg_tables
WHERE schemaname = 'public'
ORDER BY tablename
