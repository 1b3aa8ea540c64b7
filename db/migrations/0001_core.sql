-- 0001_core: sources, runs, records with provenance, the audit log.
--
-- Durable tables (never rewritten): sources, runs, records, the withdrawal
-- and removal tables, audit.  Corrections are new rows (a run withdrawn, a
-- record removed), never UPDATEs of what was received.

-- A database, register or other method, as PRISMA 2020 separates them.
CREATE TABLE sources (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,        -- the name PRISMA shows
  kind        TEXT NOT NULL DEFAULT 'database'
              CHECK (kind IN ('database', 'register', 'other')),
  created_at  TEXT NOT NULL
);

-- One search or one import: everything that brought records in.
CREATE TABLE runs (
  id              INTEGER PRIMARY KEY,
  source_id       INTEGER NOT NULL REFERENCES sources(id),
  kind            TEXT NOT NULL CHECK (kind IN ('import', 'search')),
  file_name       TEXT,                    -- import: the file as named
  file_hash       TEXT,                    -- import: SHA-256 of its bytes
  file_size       INTEGER,
  format          TEXT,                    -- pubmed-xml, ris, ...
  query           TEXT,                    -- search: the query as sent
  started_at      TEXT NOT NULL,
  finished_at     TEXT,
  status          TEXT NOT NULL DEFAULT 'running'
                  CHECK (status IN ('running', 'complete', 'incomplete', 'failed')),
  status_reason   TEXT,
  count_reported  INTEGER,                 -- search: what the service said
  count_records   INTEGER,                 -- records stored by this run
  count_deleted   INTEGER NOT NULL DEFAULT 0, -- DeleteCitation entries seen
  notes           TEXT,                    -- encoding repairs and the like
  actor           TEXT NOT NULL
);
CREATE INDEX runs_hash ON runs(file_hash);

-- A run taken out of every count (imported by mistake).  Its records stay.
CREATE TABLE run_withdrawals (
  run_id  INTEGER PRIMARY KEY REFERENCES runs(id),
  reason  TEXT NOT NULL,
  actor   TEXT NOT NULL,
  at      TEXT NOT NULL
);

-- One bibliographic record exactly as one run received it.
-- Lists are JSON arrays of strings; other_ids is a JSON object.
CREATE TABLE records (
  id                INTEGER PRIMARY KEY,
  run_id            INTEGER NOT NULL REFERENCES runs(id),
  position          INTEGER NOT NULL,      -- 1-based ordinal in the run
  line              INTEGER,               -- first line in the file
  byte_offset       INTEGER,               -- first byte in the (decompressed) file
  source_record_id  TEXT,                  -- the identifier the source gave it
  ref_type          TEXT,                  -- as the source typed it (JOUR, Journal Article, ...)
  title             TEXT,
  abstract          TEXT,                  -- sections kept, one "LABEL: text" per line
  authors           TEXT NOT NULL DEFAULT '[]', -- ordered; "Surname, Given" or a collective name
  year              INTEGER,
  pub_date          TEXT,                  -- ISO 8601 as far as known (YYYY, YYYY-MM, YYYY-MM-DD)
  journal           TEXT,
  journal_abbrev    TEXT,
  volume            TEXT,
  issue             TEXT,
  pages             TEXT,
  doi               TEXT,
  pmid              TEXT,
  pmcid             TEXT,
  other_ids         TEXT NOT NULL DEFAULT '{}', -- {"embase": "...", "wos": "...", "nct": ["NCT..."]}
  issn              TEXT,
  language          TEXT,                  -- codes or names as given, ';'-separated
  publication_types TEXT NOT NULL DEFAULT '[]',
  mesh              TEXT NOT NULL DEFAULT '[]',
  keywords          TEXT NOT NULL DEFAULT '[]',
  relations         TEXT NOT NULL DEFAULT '[]', -- ["ErratumIn 123", "RetractionIn 456", ...]
  url               TEXT,
  raw               BLOB NOT NULL          -- the bytes as received
);
CREATE INDEX records_run ON records(run_id);
CREATE INDEX records_pmid ON records(pmid) WHERE pmid IS NOT NULL;
CREATE INDEX records_doi ON records(doi) WHERE doi IS NOT NULL;

-- Records the source itself withdrew (a PubMed DeleteCitation): kept, but
-- out of screening and of the counts.
CREATE TABLE record_withdrawals (
  record_id  INTEGER PRIMARY KEY REFERENCES records(id),
  run_id     INTEGER NOT NULL REFERENCES runs(id),  -- the run that said so
  at         TEXT NOT NULL
);

-- Records removed before screening for a stated reason (PRISMA's "records
-- removed for other reasons").
CREATE TABLE record_removals (
  record_id  INTEGER PRIMARY KEY REFERENCES records(id),
  reason     TEXT NOT NULL,
  actor      TEXT NOT NULL,
  at         TEXT NOT NULL
);

-- Append-only audit log: who did what, when, and why.
CREATE TABLE audit (
  id       INTEGER PRIMARY KEY,
  at       TEXT NOT NULL,
  actor    TEXT NOT NULL,
  command  TEXT NOT NULL,
  action   TEXT NOT NULL,
  object   TEXT,
  detail   TEXT                            -- JSON
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Records that count: not in a withdrawn run, not withdrawn by the source.
CREATE VIEW live_records AS
  SELECT r.* FROM records r
  WHERE r.run_id NOT IN (SELECT run_id FROM run_withdrawals)
    AND r.id NOT IN (SELECT record_id FROM record_withdrawals);
