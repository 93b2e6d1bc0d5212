-- Full-text search over English text: English-language articles as published and the latest English
-- translation of every other article (english_source says which; web-search syntax: "exact phrase",
-- -not, or).
-- psql -v query='peace agreement' -v days=365 -v limit=20 -f sql/queries/english_fulltext.sql
\if :{?query} \else \set query 'peace agreement' \endif
\if :{?days} \else \set days 365 \endif
\if :{?limit} \else \set limit 20 \endif
SELECT
    article_id,
    source,
    published_at,
    english_source,
    title_en,
    ts_headline('english', lead_en, websearch_to_tsquery('english', :'query')) AS lead_en_highlighted
FROM analyst.articles
WHERE search_en @@ websearch_to_tsquery('english', :'query')
    AND published_at >= now() - make_interval(days => :days)
    AND NOT 'future_date' = ANY (flags)  -- dated after its crawl: outside any real window (README)
ORDER BY published_at DESC NULLS LAST
LIMIT :limit;
