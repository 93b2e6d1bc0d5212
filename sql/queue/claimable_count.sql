-- How many articles the workers can claim now (the placeholder below is sql/queue/claimable.sql), for
-- planning the translation stage's batches.
SELECT count(*)
FROM (
    {claimable}
) AS claimable;
