INSERT INTO story_buckets (bucket, article_id)
SELECT DISTINCT band.bucket, signed.article_id
FROM article_signatures AS signed, unnest(signed.bands) AS band (bucket)
WHERE signed.article_id = ANY(%(article_ids)s::bigint[])
ON CONFLICT DO NOTHING;
