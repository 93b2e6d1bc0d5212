-- Articles by translation status; statuses (NULL = every status) narrows it, e.g. to what still waits.
SELECT translation_status, count(*) AS articles
FROM articles
WHERE %(statuses)s::text[] IS NULL OR translation_status = ANY (%(statuses)s::text[])
GROUP BY translation_status
ORDER BY translation_status
