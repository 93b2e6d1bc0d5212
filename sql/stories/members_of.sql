SELECT article_id FROM story_members WHERE story_id = ANY(%(story_ids)s::bigint[]);
