-- 0007_import_skips: the entries an import skipped.
--
-- 'lsr import --skip-malformed' stores the good entries of a file and
-- records here each entry it could not read: where it starts and why, as
-- the parser said it ("FILE:LINE: what was expected").  The run's
-- count_records holds only what was stored; these rows are the rest.
-- Append-only, durable: they belong to the run as its records do.

CREATE TABLE import_skips (
  id      INTEGER PRIMARY KEY,
  run_id  INTEGER NOT NULL REFERENCES runs(id),
  line    INTEGER,               -- first line of the skipped entry in the file
  reason  TEXT NOT NULL          -- the parser's message
);
CREATE INDEX import_skips_run ON import_skips(run_id);
CREATE TRIGGER import_skips_no_update BEFORE UPDATE ON import_skips
BEGIN SELECT RAISE(ABORT, 'import_skips is append-only'); END;
CREATE TRIGGER import_skips_no_delete BEFORE DELETE ON import_skips
BEGIN SELECT RAISE(ABORT, 'import_skips is append-only'); END;
