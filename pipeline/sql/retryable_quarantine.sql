-- Open quarantined records that a maintenance run may retry: load-stage records (re-validated and
-- loaded again, e.g. after a loader fix) and translate-stage records, below the attempts limit.
SELECT quarantine_id, stage, source, raw, record
FROM quarantine
WHERE resolved_at IS NULL
  AND stage IN ('load', 'translate')
  AND attempts < %(max_attempts)s
ORDER BY quarantine_id
