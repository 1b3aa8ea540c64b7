-- 0006_update: the living review - its updates, what each update found
-- about the included studies (retractions, errata), and the pooled results
-- stored per update.
--
-- UPDATE 0 is the review as first done: every run before the first 'lsr
-- update'.  Update N (N >= 1) begins with 'lsr update' and holds the runs
-- from first_run_id on, up to the next update's first run: a search or
-- import made while update N is the latest belongs to update N.  A
-- citation belongs to the update of its earliest counted record (view
-- citation_updates): a record of update 2 that joins a citation of update
-- 0 is a duplicate removed in update 2.
--
-- Append-only: updates (closed_at is the only column ever set later, once),
-- update_flags, pool_results.

CREATE TABLE updates (
  no           INTEGER PRIMARY KEY CHECK (no >= 1),
  started_at   TEXT NOT NULL,
  first_run_id INTEGER NOT NULL,          -- runs with id >= this belong here
  since        TEXT,                      -- search window start (YYYY-MM-DD)
  until        TEXT,                      -- search window end
  actor        TEXT NOT NULL,
  summary      TEXT,                      -- JSON: what the update added
  closed_at    TEXT                       -- set once by 'lsr update --close'
);
CREATE TRIGGER updates_no_delete BEFORE DELETE ON updates
BEGIN SELECT RAISE(ABORT, 'updates are append-only'); END;
CREATE TRIGGER updates_update_once BEFORE UPDATE ON updates
WHEN OLD.no <> NEW.no OR OLD.started_at <> NEW.started_at
  OR OLD.first_run_id <> NEW.first_run_id OR OLD.closed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an update is changed only to close it, once'); END;

-- The update each run belongs to.
CREATE VIEW run_updates AS
  SELECT u.id AS run_id,
         coalesce((SELECT max(p.no) FROM updates p WHERE p.first_run_id <= u.id), 0) AS update_no
  FROM runs u;

-- The update each counted citation belongs to: that of its earliest
-- counted member record.
CREATE VIEW citation_updates AS
  SELECT m.citation_id, min(ru.update_no) AS update_no
  FROM citation_members m
  JOIN dedup_records r ON r.id = m.record_id
  JOIN run_updates ru ON ru.run_id = r.run_id
  GROUP BY m.citation_id;

-- What an update found about a report of an included study: kind
-- 'retracted' (publication type Retracted Publication, or a RetractionIn
-- link), 'retraction-notice', 'erratum' (an ErratumIn link),
-- 'expression-of-concern'.  detail: the relation as the source gave it.
CREATE TABLE update_flags (
  id           INTEGER PRIMARY KEY,
  update_no    INTEGER NOT NULL,          -- 0 when found outside an update
  citation_id  INTEGER NOT NULL REFERENCES citations(id),
  record_id    INTEGER NOT NULL REFERENCES records(id),
  kind         TEXT NOT NULL,
  detail       TEXT,
  at           TEXT NOT NULL,
  UNIQUE (citation_id, record_id, kind, detail)
);
CREATE TRIGGER update_flags_no_update BEFORE UPDATE ON update_flags
BEGIN SELECT RAISE(ABORT, 'update flags are append-only'); END;
CREATE TRIGGER update_flags_no_delete BEFORE DELETE ON update_flags
BEGIN SELECT RAISE(ABORT, 'update flags are append-only'); END;

-- Pooled results of the protocol's analyses, one row per run of an
-- analysis; the latest row of (update_no, analysis) is current.
--   spec    JSON: the analysis as run (protocol entry with defaults resolved)
--   data    JSON: the studies' input rows (label, subgroup, arm data)
--   result  JSON: the engine's result (pool_result_json)
--   input_hash  SHA-256 of spec and data: a rerun on unchanged data is
--               not stored again
CREATE TABLE pool_results (
  id          INTEGER PRIMARY KEY,
  update_no   INTEGER NOT NULL,
  analysis    TEXT NOT NULL,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  input_hash  TEXT NOT NULL,
  spec        TEXT NOT NULL,
  data        TEXT NOT NULL,
  result      TEXT NOT NULL
);
CREATE INDEX pool_results_analysis ON pool_results(analysis, update_no);
CREATE TRIGGER pool_results_no_update BEFORE UPDATE ON pool_results
BEGIN SELECT RAISE(ABORT, 'pooled results are append-only'); END;
CREATE TRIGGER pool_results_no_delete BEFORE DELETE ON pool_results
BEGIN SELECT RAISE(ABORT, 'pooled results are append-only'); END;

CREATE VIEW pool_results_current AS
  SELECT p.* FROM pool_results p
  WHERE p.id = (SELECT max(x.id) FROM pool_results x
                WHERE x.analysis = p.analysis AND x.update_no = p.update_no);
