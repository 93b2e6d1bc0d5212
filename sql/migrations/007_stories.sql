-- Stories across outlets (warehouse/stories.py): each article's MinHash signatures, their LSH band
-- hashes, the near-duplicate links between articles, and each article's story. Kept beside articles
-- rather than in it: assigning a story must not rewrite an article row (and its search vector).

CREATE TABLE article_signatures (
    article_id bigint NOT NULL REFERENCES articles ON DELETE CASCADE,
    -- the language of the signed text: the original's, or 'en' for the latest English translation
    language text NOT NULL,
    -- what was signed: the article's content_hash, or the translation's model, version and time
    signed_key text NOT NULL,
    minhash bytea NOT NULL,
    bands bigint[] NOT NULL,
    PRIMARY KEY (article_id, language)
);

-- The LSH index: one row per (band hash, article). An article's candidates are the articles sharing
-- one of its band hashes: equality probes of the primary key. No foreign key (it would need an index on
-- article_id): rows of a deleted article are ignored because its signature is gone.
CREATE TABLE story_buckets (
    bucket bigint NOT NULL,
    article_id bigint NOT NULL,
    PRIMARY KEY (bucket, article_id)
);

CREATE TABLE story_links (
    article_id bigint NOT NULL REFERENCES articles ON DELETE CASCADE,
    linked_article_id bigint NOT NULL REFERENCES articles ON DELETE CASCADE,
    PRIMARY KEY (article_id, linked_article_id),
    CHECK (article_id < linked_article_id)
);

CREATE INDEX story_links_linked_idx ON story_links (linked_article_id);

-- story_id is the article_id of the story's earliest article (published_at, then canonical_url).
CREATE TABLE story_members (
    article_id bigint PRIMARY KEY REFERENCES articles ON DELETE CASCADE,
    story_id bigint NOT NULL
);

CREATE INDEX story_members_story_idx ON story_members (story_id);
