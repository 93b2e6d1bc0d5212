SELECT article_id, linked_article_id
FROM story_links
WHERE article_id = ANY(%(article_ids)s::bigint[]) OR linked_article_id = ANY(%(article_ids)s::bigint[]);
