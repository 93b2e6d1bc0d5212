-- The translation queue by status: what the next translation stages still have to do.
SELECT translation_status, count(*) AS articles, min(crawled_at) AS oldest_crawled_at
FROM articles
WHERE translation_status IN ('pending', 'in_progress', 'failed')
GROUP BY translation_status
