-- For each given article's signatures, the other articles' signatures of the same language that share
-- at least one LSH band with it. LATERAL keeps it one index probe per signature (bands && ...), whatever
-- the statistics say about a freshly loaded table.
SELECT own.article_id, other.language, other.article_id, other.minhash, other.bands
FROM article_signatures AS own
CROSS JOIN LATERAL (
    SELECT candidate.language, candidate.article_id, candidate.minhash, candidate.bands
    FROM article_signatures AS candidate
    WHERE candidate.bands && own.bands
        AND candidate.language = own.language
        AND candidate.article_id <> own.article_id
) AS other
WHERE own.article_id = ANY(%(article_ids)s::bigint[]);
