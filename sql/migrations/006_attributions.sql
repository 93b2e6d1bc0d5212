-- Wire and source attributions ("Theo TTXVN", "(Nguồn: Reuters)") as their own field (issue 8): the
-- agencies or outlets an article credits, normalised by the spiders (TTXVN and VNA are both 'VNA').
-- Source display names need no column: sql/load/register_sources.sql keeps sources.name in step with
-- each source module's declaration.
ALTER TABLE articles ADD COLUMN attributions text[] NOT NULL DEFAULT '{}';
ALTER TABLE article_revisions ADD COLUMN attributions text[] NOT NULL DEFAULT '{}';
CREATE INDEX articles_attributions_idx ON articles USING gin (attributions);
