TRUNCATE story_links, article_signatures, story_buckets, story_members;
