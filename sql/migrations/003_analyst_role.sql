-- A read-only role for analysts: USAGE on schema analyst and SELECT on its views (granted in
-- sql/views/analyst.sql), nothing on the base tables. Roles are cluster-wide, so creation tolerates
-- a role that already exists, including one created concurrently by another database's migration.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analyst') THEN
        CREATE ROLE analyst NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN
        NULL;
END
$$;

CREATE SCHEMA analyst;
REVOKE ALL ON SCHEMA analyst FROM PUBLIC;
GRANT USAGE ON SCHEMA analyst TO analyst;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM analyst;
