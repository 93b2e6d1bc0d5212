-- Reliability and least privilege (issue 10).

-- 1. Search vectors index a bounded prefix. PostgreSQL refuses a tsvector over 1 MB ("string is too
-- long for tsvector"), which aborted a whole load batch for one giant article. search_folded folds
-- title, lead and body through this function, so each field now contributes at most its first 40,000
-- characters (worst case measured at 6 bytes of tsvector per character: 3 x 40,000 x 6 < 1 MB). The
-- text itself is stored whole. Replacing the body of an IMMUTABLE function keeps the generated column;
-- rows stored before were all under the limit already.
CREATE OR REPLACE FUNCTION public.fold_diacritics(input text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN public.unaccent('public.unaccent'::regdictionary, lower(left(input, 40000)));

-- 2. Translation claims belong to the claiming database session. A worker takes a session-level
-- advisory lock on a random claim token and writes that token on every row it claims; PostgreSQL
-- releases the lock the moment the session ends (worker killed, machine gone, connection dropped), so
-- the next worker recovers those rows at once, while a live worker's rows, however slow, stay its own.
ALTER TABLE articles ADD COLUMN translation_claim_token bigint;

-- 3. The analyst role reads the analyst views and nothing else: no temporary objects (temporary
-- functions and tables are the usual way to smuggle code or data into a read-only session), no
-- CONNECT to this cluster's other databases. PUBLIC loses TEMP and CONNECT here; the roles that need
-- them get them by name (the migrating role owns the schema and the loader's staging table is TEMP).
DO $$
DECLARE
    other_database name;
BEGIN
    EXECUTE format('REVOKE TEMPORARY, CONNECT ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO analyst', current_database());
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), current_user);
    -- Databases are cluster objects: a member of analyst could otherwise connect to any database
    -- whose ACL still grants CONNECT to PUBLIC (the default). Databases created later must be created
    -- the same way (REVOKE CONNECT ... FROM PUBLIC), or pg_hba.conf must confine the analysts.
    FOR other_database IN
        SELECT datname FROM pg_database
        WHERE datallowconn AND datname <> current_database()
            AND has_database_privilege('analyst', oid, 'CONNECT')
    LOOP
        -- A database dropped (or re-granted) by another session meanwhile must not fail the migration.
        BEGIN
            EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', other_database);
        EXCEPTION
            WHEN OTHERS THEN
                RAISE NOTICE 'analyst hardening skipped database %: %', other_database, SQLERRM;
        END;
    END LOOP;
END
$$;

-- Whether a translation claim's worker is gone: the session holding the advisory lock on its token
-- has ended (the lock is keyed by the token as one bigint: classid = high 32 bits, objid = low 32
-- bits). A claim without a token (made before this migration) is abandoned after the timeout.
CREATE FUNCTION public.translation_claim_abandoned(
    claim_token bigint, claimed_at timestamptz, claim_timeout interval
) RETURNS boolean
LANGUAGE sql STABLE PARALLEL RESTRICTED
RETURN CASE
    WHEN claim_token IS NULL THEN claimed_at < now() - claim_timeout
    ELSE NOT EXISTS (
        SELECT FROM pg_catalog.pg_locks AS held
        WHERE held.locktype = 'advisory'
            AND held.granted
            AND held.objsubid = 1
            AND held.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
            AND held.classid = (claim_token >> 32)::oid
            AND held.objid = (claim_token & 4294967295)::oid
    )
END;
