-- The latest articles of one source, original and English side by side. A page dated after its own
-- crawl (flag future_date: the site's mistake, kept as published) is left out: it would head the list
-- until that date comes. Such articles stay in analyst.articles: WHERE 'future_date' = ANY (flags).
-- psql -v source=baoquocte -v limit=20 -f sql/queries/latest_by_source.sql
\if :{?source} \else \set source baoquocte \endif
\if :{?limit} \else \set limit 20 \endif
SELECT article_id, published_at, language, title, title_en, translation_status, canonical_url
FROM analyst.articles
WHERE source = :'source'
    AND NOT 'future_date' = ANY (flags)
ORDER BY published_at DESC NULLS LAST
LIMIT :limit;
