-- The warehouse's tables (the public schema holds nothing else): the daily ANALYZE covers them all,
-- warehouse.db.reset_data empties all but the migration runner's schema_migrations.
SELECT tablename
FROM pg_tables
WHERE schemaname = 'public'
ORDER BY tablename
