-- Each run of an execution now starts its event sequence 1,000,000 above the previous run's (V2's
-- comment on the column said 1,000), so that nothing is written per event.
COMMENT ON COLUMN executions.sequence IS
    'Base of the current run''s event sequence; each run of the execution starts 1,000,000 above the previous one';
