-- Vietnamese search over the originals that ignores diacritics: 'hoa binh' finds "hòa bình".
-- Syllables are matched as a phrase, since a Vietnamese word is several syllables.
-- psql -v query='hoa binh' -v days=365 -v limit=20 -f sql/queries/vietnamese_unaccented.sql
\if :{?query} \else \set query 'hoa binh' \endif
\if :{?days} \else \set days 365 \endif
\if :{?limit} \else \set limit 20 \endif
SELECT article_id, source, published_at, title, title_en
FROM analyst.articles
WHERE search_folded @@ phraseto_tsquery('simple', public.fold_diacritics(:'query'))
    AND published_at >= now() - make_interval(days => :days)
    AND NOT 'future_date' = ANY (flags)  -- dated after its crawl: outside any real window (README)
ORDER BY published_at DESC NULLS LAST
LIMIT :limit;
