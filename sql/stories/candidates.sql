-- Signatures sharing at least one LSH band with the given one (the band hashes carry the language).
SELECT article_id, language, minhash, bands
FROM article_signatures
WHERE bands && %(bands)s::bigint[]
    AND article_id <> %(article_id)s;
