SELECT translation_status, count(*) AS articles
FROM articles
GROUP BY translation_status
ORDER BY translation_status
