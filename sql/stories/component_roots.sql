-- The earliest article of each component: first published, then the smallest canonical URL, so the
-- root does not depend on the order in which articles were loaded.
SELECT DISTINCT ON (member.component) member.component, a.article_id
FROM unnest(%(article_ids)s::bigint[], %(components)s::bigint[]) AS member(article_id, component)
JOIN articles AS a USING (article_id)
ORDER BY member.component, a.published_at ASC NULLS LAST, a.canonical_url;
