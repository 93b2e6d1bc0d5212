TRUNCATE story_links, article_signatures, story_members;
