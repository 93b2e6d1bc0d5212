-- Remember one sentence translation; a concurrent worker may have stored it first, which is fine.
INSERT INTO translation_cache (model_id, model_version, source_hash, source_text, target_text)
VALUES (%(model_id)s, %(model_version)s, %(source_hash)s, %(source_text)s, %(target_text)s)
ON CONFLICT (model_id, model_version, source_hash) DO NOTHING;
