-- For the candidate lookup only (reset right after): a nested loop of GIN probes is the right plan at
-- any table size, but on a freshly loaded table without statistics the planner picks a merge join that
-- compares every pair of band arrays.
SELECT
    set_config('enable_seqscan', 'off', true),
    set_config('enable_mergejoin', 'off', true),
    set_config('enable_hashjoin', 'off', true);
