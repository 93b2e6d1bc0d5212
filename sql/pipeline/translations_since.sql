-- Translations stored since a moment (a DAG run's start): what that run's translation stage added.
SELECT count(*) FROM translations WHERE translated_at >= %(since)s;
