INSERT OR IGNORE INTO translation_cache (model_id, model_version, source_hash, source_text, target_text)
VALUES (:model_id, :model_version, :source_hash, :source_text, :target_text);
