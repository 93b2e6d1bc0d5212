INSERT INTO article_signatures (article_id, language, signed_key, minhash, bands, feature_count)
VALUES (%(article_id)s, %(language)s, %(signed_key)s, %(minhash)s, %(bands)s::bigint[], %(feature_count)s);
