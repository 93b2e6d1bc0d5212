SELECT source_hash, target_text
FROM translation_cache
WHERE model_id = :model_id AND model_version = :model_version AND source_hash = :source_hash;
