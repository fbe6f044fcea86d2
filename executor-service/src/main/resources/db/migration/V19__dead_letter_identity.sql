-- A letter was the same one when its record's topic, partition and offset were; but a broker whose
-- topics are made again (a new cluster, a topic deleted and created) hands out the same offsets to
-- new records, whose letters were then dropped as duplicates. A redelivered record also has the
-- same bytes, so the identity takes the record's hash too.
ALTER TABLE dead_letters ADD COLUMN payload_sha256 bytea GENERATED ALWAYS AS (sha256(coalesce(payload, ''::bytea))) STORED;
ALTER TABLE dead_letters DROP CONSTRAINT dead_letters_source_topic_source_partition_source_offset_key;
CREATE UNIQUE INDEX dead_letters_source_record ON dead_letters (source_topic, source_partition, source_offset, payload_sha256);
