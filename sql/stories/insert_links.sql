INSERT INTO story_links (article_id, linked_article_id)
SELECT low, high FROM unnest(%(lows)s::bigint[], %(highs)s::bigint[]) AS link(low, high)
ON CONFLICT DO NOTHING;
