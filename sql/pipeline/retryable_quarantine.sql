-- Open quarantined load-stage records that a maintenance run may retry (re-validated and loaded again,
-- e.g. after a loader fix), below the attempts limit.
SELECT quarantine_id, raw
FROM quarantine
WHERE resolved_at IS NULL
  AND stage = 'load'
  AND attempts < %(max_attempts)s
ORDER BY quarantine_id
