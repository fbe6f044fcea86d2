-- A retry is a new execution that names the one it retries.
ALTER TABLE executions ADD COLUMN retry_of text;
