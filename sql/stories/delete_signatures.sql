-- An article's signatures and its rows in the LSH index, before it is signed again.
WITH old AS (
    DELETE FROM article_signatures WHERE article_id = ANY(%(article_ids)s::bigint[])
    RETURNING article_id, bands
)
DELETE FROM story_buckets AS bucketed
USING old, unnest(old.bands) AS band (bucket)
WHERE bucketed.bucket = band.bucket AND bucketed.article_id = old.article_id;
