-- The latest articles of one source, original and English side by side.
-- psql -v source=baoquocte -v limit=20 -f sql/queries/latest_by_source.sql
\if :{?source} \else \set source baoquocte \endif
\if :{?limit} \else \set limit 20 \endif
SELECT article_id, published_at, language, title, title_en, translation_status, canonical_url
FROM analyst.articles
WHERE source = :'source'
ORDER BY published_at DESC NULLS LAST
LIMIT :limit;
