-- The migration runner's record of what it applied (warehouse/migrate.py); never dropped by resets.
CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('versioned', 'repeatable')),
    checksum text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
    applied_at timestamptz NOT NULL DEFAULT now(),
    execution_ms integer NOT NULL
);
