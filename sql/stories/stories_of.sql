SELECT DISTINCT story_id FROM story_members WHERE article_id = ANY(%(article_ids)s::bigint[]);
