-- 0003_search: online searches (lsr search).
--
-- A search is a run (runs.kind = 'search').  These tables keep what PRISMA-S
-- asks to document (the query as sent, the service's own translation and
-- version, the date window, every request minus secrets) and what an
-- interrupted search needs to finish without gaps or duplicates (the id list
-- or the paging cursor, and which records are stored).  Durable: rows are
-- added as the search advances; search_runs holds the run's current state
-- (phase, cursor) much as runs.status does.

-- One row per search run.
CREATE TABLE search_runs (
  run_id            INTEGER PRIMARY KEY REFERENCES runs(id),
  api               TEXT NOT NULL CHECK (api IN ('pubmed', 'europepmc', 'ctgov')),
  base_url          TEXT NOT NULL,           -- the service as reached
  date_field        TEXT,                    -- crdt, FIRST_IDATE, LastUpdatePostDate
  date_from         TEXT,                    -- --since, YYYY-MM-DD
  date_to           TEXT,                    -- --until, YYYY-MM-DD
  query_sent        TEXT,                    -- the query with the window, as the service got it
  query_translation TEXT,                    -- PubMed ESearch QueryTranslation
  service_version   TEXT,                    -- PubMed DbBuild, Europe PMC version, CT.gov apiVersion
  service_date      TEXT,                    -- PubMed LastUpdate, CT.gov dataTimestamp
  phase             TEXT NOT NULL DEFAULT 'ids'
                    CHECK (phase IN ('ids', 'records', 'done')),
  cursor            TEXT,                    -- next page: cursorMark / pageToken (NULL: first page)
  pages             INTEGER NOT NULL DEFAULT 0,  -- pages or batches stored
  count_first       INTEGER,                 -- the count reported first (it may change)
  ids_found         INTEGER,                 -- PubMed: distinct PMIDs the searches returned
  searches          INTEGER NOT NULL DEFAULT 0,  -- PubMed: ESearch calls (cap splitting)
  duplicates        INTEGER NOT NULL DEFAULT 0,  -- records served again, stored once
  missing           INTEGER NOT NULL DEFAULT 0,  -- ids the service returned no record for
  resumed           INTEGER NOT NULL DEFAULT 0,  -- times continued with --resume
  pid               INTEGER,                 -- the process working on it
  host              TEXT
);

-- Every identifier of a run: for PubMed the full PMID list, written before
-- any record is fetched; for paged services each id as its record arrives.
-- (run_id, source_id) is unique, so a record served twice is stored once.
CREATE TABLE search_ids (
  run_id     INTEGER NOT NULL REFERENCES runs(id),
  source_id  TEXT NOT NULL,                  -- PMID, MED:123, NCT01234567
  ord        INTEGER NOT NULL,               -- the record's position in the run (1-based)
  state      TEXT NOT NULL DEFAULT 'pending'
             CHECK (state IN ('pending', 'stored', 'missing')),
  record_id  INTEGER REFERENCES records(id),
  PRIMARY KEY (run_id, source_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX search_ids_ord ON search_ids(run_id, ord);

-- One row per committed batch (page): the progress of a run.
CREATE TABLE search_batches (
  run_id     INTEGER NOT NULL REFERENCES runs(id),
  batch      INTEGER NOT NULL,               -- 1-based
  at         TEXT NOT NULL,
  records    INTEGER NOT NULL,               -- stored by this batch
  duplicates INTEGER NOT NULL DEFAULT 0,
  missing    INTEGER NOT NULL DEFAULT 0,
  stored     INTEGER NOT NULL,               -- records of the run after it
  cursor     TEXT,                           -- the page after it
  PRIMARY KEY (run_id, batch)
) WITHOUT ROWID;

-- Every HTTP attempt, with the parameters sent (secrets such as api_key
-- replaced by ***): PRISMA-S search documentation and fault diagnosis.
CREATE TABLE search_requests (
  id        INTEGER PRIMARY KEY,
  run_id    INTEGER NOT NULL REFERENCES runs(id),
  at        TEXT NOT NULL,
  method    TEXT NOT NULL,
  url       TEXT NOT NULL,                   -- without secrets
  params    TEXT NOT NULL DEFAULT '{}',      -- JSON object of what was sent
  attempt   INTEGER NOT NULL,                -- 1 for the first try
  status    INTEGER,                         -- HTTP status, NULL when none came
  bytes     INTEGER,
  seconds   REAL,
  error     TEXT                             -- why it was retried or failed
);
CREATE INDEX search_requests_run ON search_requests(run_id);
