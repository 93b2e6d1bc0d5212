-- One applied migration; a re-applied view file replaces its row.
INSERT INTO schema_migrations (name, kind, checksum, execution_ms)
VALUES (%s, %s, %s, %s)
ON CONFLICT (name) DO UPDATE
SET checksum = EXCLUDED.checksum, applied_at = now(), execution_ms = EXCLUDED.execution_ms
