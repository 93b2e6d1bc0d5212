-- Without statistics the planner would join a big articles table by sequential scan; the row count and
-- the join key are all it needs.
ANALYZE load_staging (canonical_url)
