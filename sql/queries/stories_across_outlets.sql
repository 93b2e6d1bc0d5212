-- Stories carried by at least :min_outlets outlets (default 3) whose first article was published in
-- the last 7 days, most widely carried first.
--   psql -v min_outlets=3 -f sql/queries/stories_across_outlets.sql
\if :{?min_outlets} \else \set min_outlets 3 \endif
SELECT
    first_published_at,
    first_source,
    outlet_count,
    copy_count,
    outlets,
    title,
    title_en,
    first_url
FROM analyst.stories
WHERE first_published_at >= now() - interval '7 days'
    AND outlet_count >= :min_outlets
ORDER BY outlet_count DESC, copy_count DESC, first_published_at DESC
LIMIT 50;
