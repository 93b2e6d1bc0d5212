-- Pages the crawl rejected (a timeout, an HTTP error, a page it could not extract) that have now
-- loaded as an article, under their own URL or their canonical one: their crawl quarantine is resolved.
UPDATE quarantine
SET resolved_at = now()
WHERE stage = 'crawl'
  AND resolved_at IS NULL
  AND record ->> 'url' = ANY (%(urls)s::text[])
