SELECT article_id, language, minhash, bands, feature_count
FROM article_signatures
WHERE article_id = ANY(%(article_ids)s::bigint[])
ORDER BY article_id, language;
