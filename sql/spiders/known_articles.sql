-- Articles a source already holds, for incremental crawls (spiders/known.py).
SELECT canonical_url, content_hash, updated_at FROM articles WHERE source = %s
