-- Tie this worker's claims to its database session: a session-level advisory lock on the claim token,
-- released by PostgreSQL when the session ends however it ends (see translation_claim_abandoned).
SELECT pg_advisory_lock(%(claim_token)s);
