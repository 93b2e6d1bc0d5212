-- The extraction-layer mix (counts.layer_<layer>) of a source's latest finished runs before this one,
-- newest first; the baseline of the extraction_layer_drift check.
SELECT (
    SELECT coalesce(jsonb_object_agg(substr(c.key, length('layer_') + 1), c.value::integer), '{}'::jsonb)
    FROM jsonb_each_text(r.counts) AS c (key, value)
    WHERE starts_with(c.key, 'layer_')
) AS layers
FROM ingest_runs AS r
WHERE r.source = %(source)s
  AND r.run_key <> %(run_key)s
  AND r.status IN ('success', 'partial')
  AND EXISTS (SELECT 1 FROM jsonb_object_keys(r.counts) AS k (key) WHERE starts_with(k.key, 'layer_'))
ORDER BY r.started_at DESC
LIMIT %(runs)s
