-- The articles sharing at least one LSH band hash with the given (article, band hash) pairs; the hashes
-- carry the language of the signed text.
SELECT DISTINCT mine.article_id, other.article_id
FROM unnest(%(article_ids)s::bigint[], %(buckets)s::bigint[]) AS mine (article_id, bucket)
JOIN story_buckets AS other ON other.bucket = mine.bucket AND other.article_id <> mine.article_id;
