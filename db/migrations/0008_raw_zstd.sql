-- 0008_raw_zstd: records.raw compressed, and imports committed in batches.
--
-- raw_codec says how records.raw holds the record's bytes as received:
-- NULL as they are (every row written before this migration, empty
-- records, and those zstd cannot shrink), 1 one zstd frame
-- (db/rawcodec.h), maybe with a dictionary of raw_dicts.  `lsr records show ID --raw` gives the same bytes
-- either way.
ALTER TABLE records ADD COLUMN raw_codec INTEGER;

-- The zstd dictionaries frames name (their header's dictionary ID): one
-- per large run, trained on its first records.
CREATE TABLE raw_dicts (
  id      INTEGER PRIMARY KEY,             -- the zstd dictionary ID
  run_id  INTEGER NOT NULL REFERENCES runs(id),
  dict    BLOB NOT NULL
);

-- An import that has not finished: its records are committed in batches
-- (so that the WAL stays bounded, docs/design.md) but count nowhere until
-- the import's last transaction deletes this row.  A row left by a killed
-- process (pid dead on this host) is cleaned, with the run and everything
-- it wrote, the next time the review is opened.
CREATE TABLE import_pending (
  run_id          INTEGER PRIMARY KEY REFERENCES runs(id),
  source_created  INTEGER NOT NULL DEFAULT 0, -- the run created its source
  pid             INTEGER NOT NULL,
  host            TEXT NOT NULL
);

-- Records that count: not in a withdrawn run nor in an unfinished import,
-- not withdrawn by the source (by a run that has finished).
DROP VIEW live_records;
CREATE VIEW live_records AS
  SELECT r.* FROM records r
  WHERE r.run_id NOT IN (SELECT run_id FROM run_withdrawals)
    AND r.run_id NOT IN (SELECT run_id FROM import_pending)
    AND r.id NOT IN (SELECT record_id FROM record_withdrawals
                     WHERE run_id NOT IN (SELECT run_id FROM import_pending));
