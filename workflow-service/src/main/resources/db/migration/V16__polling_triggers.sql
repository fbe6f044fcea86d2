-- Polling triggers (the Gmail Trigger) are schedules too: at each tick the executor looks for news
-- with the trigger's node (parameters, credential) and its state, and each new item becomes a run.
-- The state is the executor's answer to the last look, written with the runs it started; activating
-- a version again starts it afresh (NULL: the next look only starts the clock).
ALTER TABLE schedules
    ADD COLUMN kind       text  NOT NULL DEFAULT 'tick' CHECK (kind IN ('tick', 'poll')),
    ADD COLUMN node       jsonb,
    ADD COLUMN poll_state jsonb;
