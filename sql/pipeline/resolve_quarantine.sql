UPDATE quarantine
SET resolved_at = now()
WHERE quarantine_id = %(quarantine_id)s
