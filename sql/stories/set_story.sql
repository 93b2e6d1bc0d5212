INSERT INTO story_members (article_id, story_id)
SELECT article_id, story_id FROM unnest(%(article_ids)s::bigint[], %(story_ids)s::bigint[]) AS s(article_id, story_id)
ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id
WHERE story_members.story_id IS DISTINCT FROM excluded.story_id;
