-- How many features each story signature was made from (warehouse/stories.py): with the Jaccard
-- estimate it gives how much of a shorter copy lies inside a longer text, so a copy with its last
-- paragraphs trimmed joins its original. Rows signed before this migration count 0 (unknown) until
-- `python -m warehouse stories rebuild`.
ALTER TABLE article_signatures ADD COLUMN feature_count integer NOT NULL DEFAULT 0 CHECK (feature_count >= 0);
