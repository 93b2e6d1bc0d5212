-- The CLI's local sentence cache: the same key as the warehouse table translation_cache.
CREATE TABLE IF NOT EXISTS translation_cache (
    model_id TEXT NOT NULL,
    model_version TEXT NOT NULL,
    source_hash TEXT NOT NULL,
    source_text TEXT NOT NULL,
    target_text TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (model_id, model_version, source_hash)
) WITHOUT ROWID;
