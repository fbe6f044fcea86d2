-- Each execution event is stored once in the fleet (issue 18): logs-service keeps the history (every
-- node transition, on its timeline). This service keeps the executions and nodes projection, and its
-- streams replay from it (what changed since a Last-Event-ID), so the copy of every event goes.
DROP TABLE execution_events;
