DELETE FROM article_signatures WHERE article_id = ANY(%(article_ids)s::bigint[]);
