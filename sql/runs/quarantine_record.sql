-- The same record quarantined again at the same stage bumps attempts (and re-opens it if resolved).
INSERT INTO quarantine (source, stage, record, raw, record_hash, reason)
VALUES (%(source)s, %(stage)s, %(record)s, %(raw)s, %(record_hash)s, %(reason)s)
ON CONFLICT (stage, record_hash) DO UPDATE
SET
    attempts = quarantine.attempts + 1,
    last_seen = now(),
    reason = EXCLUDED.reason,
    source = coalesce(EXCLUDED.source, quarantine.source),
    resolved_at = NULL
RETURNING quarantine_id;
