-- Cached translations of the given source sentences for one model version.
SELECT source_hash, target_text
FROM translation_cache
WHERE model_id = %(model_id)s
  AND model_version = %(model_version)s
  AND source_hash = ANY(%(source_hashes)s);
