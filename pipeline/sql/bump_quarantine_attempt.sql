UPDATE quarantine
SET attempts = attempts + 1, last_seen = now()
WHERE quarantine_id = %(quarantine_id)s
