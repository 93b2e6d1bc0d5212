SELECT pg_advisory_unlock(%(claim_token)s);
