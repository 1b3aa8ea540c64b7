-- 0002_dedup: deduplication - records grouped into citations.
--
-- A citation is one distinct publication; every record that takes part in
-- grouping is a member of exactly one citation.  Nothing is deleted: a
-- record stays a record, a merge retires one citation id (never reused), a
-- split gives the parts new ids.  Citation ids are STABLE: screening and
-- extraction decisions reference citations.id, so groups are stored and
-- updated in place by each 'lsr dedup' run, never rebuilt with new numbers.
--
-- Which records take part in grouping (view dedup_records): live records
-- (not in a withdrawn run, not withdrawn by the source) that were not
-- removed before screening (record_removals).  Removed records still count
-- as identified (PRISMA), but they are "removed for other reasons", not
-- duplicates, so they are kept out of grouping.  A record grouped earlier
-- and withdrawn or removed later keeps its membership row (history) but no
-- longer counts; a citation left without such members is not counted.
--
-- Durable, append-only: dedup_decisions (what people decided) and
-- citation_events (merges and splits, for the screening stage).  Stored but
-- maintained by lsr dedup: citations, citation_members, dedup_links,
-- dedup_queue, dedup_runs.

-- One run of 'lsr dedup' (or a decision applied by 'lsr dedup decide/split').
CREATE TABLE dedup_runs (
  id            INTEGER PRIMARY KEY,
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  actor         TEXT NOT NULL,
  rules         TEXT NOT NULL,            -- version of the matching rules
  records_new   INTEGER NOT NULL DEFAULT 0, -- records grouped for the first time
  records_total INTEGER NOT NULL DEFAULT 0, -- records taking part
  comparisons   INTEGER NOT NULL DEFAULT 0, -- candidate pairs compared
  merges        INTEGER NOT NULL DEFAULT 0, -- links made
  queued        INTEGER NOT NULL DEFAULT 0, -- uncertain pairs added to the queue
  citations_new INTEGER NOT NULL DEFAULT 0,
  citations_retired INTEGER NOT NULL DEFAULT 0
);

-- One distinct publication.  AUTOINCREMENT: an id, once given, is never
-- given again, even after the citation was merged away.
CREATE TABLE citations (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  representative_id INTEGER REFERENCES records(id), -- member with the most complete metadata
  created_at        TEXT NOT NULL,
  created_run       INTEGER REFERENCES dedup_runs(id),
  retired_at        TEXT,                 -- set when merged into another citation
  retired_into      INTEGER REFERENCES citations(id) -- the citation that absorbed it
);

-- Membership: each grouped record belongs to exactly one citation.
-- pass/rule/score say what put the record there: pass is 'identifier'
-- (same DOI/PMID/PMCID), 'fields' (field-by-field similarity), 'manual'
-- (a person's decision) or 'new' (rule 'unique': it matched nothing);
-- scores holds the per-field similarities of that link as JSON, and
-- matched_id the member it was linked to.
CREATE TABLE citation_members (
  record_id    INTEGER PRIMARY KEY REFERENCES records(id),
  citation_id  INTEGER NOT NULL REFERENCES citations(id),
  pass         TEXT NOT NULL CHECK (pass IN ('new', 'identifier', 'fields', 'manual')),
  rule         TEXT NOT NULL,
  score        REAL,
  scores       TEXT,                      -- JSON object, per-field scores
  matched_id   INTEGER REFERENCES records(id),
  at           TEXT NOT NULL,             -- when the record got this membership
  run_id       INTEGER REFERENCES dedup_runs(id)
);
CREATE INDEX citation_members_citation ON citation_members(citation_id);

-- Every link (pair of records judged the same) that joined two groups:
-- the spanning forest of the citations, with the rule and per-field scores
-- that made it.  A link cut by a split or a 'different' decision keeps its
-- row with cut_by set.
CREATE TABLE dedup_links (
  id           INTEGER PRIMARY KEY,
  record_a     INTEGER NOT NULL REFERENCES records(id),
  record_b     INTEGER NOT NULL REFERENCES records(id),
  pass         TEXT NOT NULL,
  rule         TEXT NOT NULL,
  score        REAL,
  scores       TEXT,                      -- JSON object
  run_id       INTEGER REFERENCES dedup_runs(id),
  decision_id  INTEGER REFERENCES dedup_decisions(id), -- a person's 'same'
  at           TEXT NOT NULL,
  cut_by       INTEGER REFERENCES dedup_decisions(id)
);
CREATE INDEX dedup_links_a ON dedup_links(record_a);
CREATE INDEX dedup_links_b ON dedup_links(record_b);

-- Pairs neither clearly the same nor clearly different: a person decides
-- ('lsr dedup decide').  record_a < record_b.  A pair is open while no
-- decision names it and its records are in different citations.
CREATE TABLE dedup_queue (
  id           INTEGER PRIMARY KEY,
  record_a     INTEGER NOT NULL REFERENCES records(id),
  record_b     INTEGER NOT NULL REFERENCES records(id),
  rule         TEXT NOT NULL,             -- why it is uncertain
  score        REAL,
  scores       TEXT,                      -- JSON object
  run_id       INTEGER REFERENCES dedup_runs(id),
  created_at   TEXT NOT NULL,
  UNIQUE (record_a, record_b)
);

-- What people decided, append-only.  'same' and 'different' name a pair of
-- records (record_a < record_b); 'split' names the citation and its parts
-- (JSON array of arrays of record ids; the records not listed form one more
-- part).  A later decision on the same pair overrides an earlier one; no
-- automatic run ever undoes a decision.
CREATE TABLE dedup_decisions (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('same', 'different', 'split')),
  record_a     INTEGER REFERENCES records(id),
  record_b     INTEGER REFERENCES records(id),
  citation_id  INTEGER REFERENCES citations(id),
  parts        TEXT,                      -- split: JSON [[id,...],...]
  queue_id     INTEGER REFERENCES dedup_queue(id),
  actor        TEXT NOT NULL,             -- --by NAME
  at           TEXT NOT NULL,
  reason       TEXT
);
CREATE INDEX dedup_decisions_pair ON dedup_decisions(record_a, record_b);
CREATE TRIGGER dedup_decisions_no_update BEFORE UPDATE ON dedup_decisions
BEGIN SELECT RAISE(ABORT, 'dedup decisions are append-only'); END;
CREATE TRIGGER dedup_decisions_no_delete BEFORE DELETE ON dedup_decisions
BEGIN SELECT RAISE(ABORT, 'dedup decisions are append-only'); END;

-- Merges and splits of citations, append-only, for the stages whose
-- decisions attach to citations (screen_citations_merged and
-- screen_citation_split in screen/screen.h write them).
--   merge: citation_id survives, other_id was absorbed (and retired);
--          decisions of both now belong to citation_id, and where they
--          differ the screening stage raises a conflict.
--   split: citation_id was split, other_id is one new part (one row per
--          new part; citation_id keeps the largest part); every part keeps
--          the decisions made on the whole, flagged for a second look.
CREATE TABLE citation_events (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
  citation_id  INTEGER NOT NULL REFERENCES citations(id),
  other_id     INTEGER NOT NULL REFERENCES citations(id),
  at           TEXT NOT NULL,
  actor        TEXT NOT NULL              -- the person deciding, or who ran lsr dedup
);
CREATE INDEX citation_events_citation ON citation_events(citation_id);
CREATE INDEX citation_events_other ON citation_events(other_id);
CREATE TRIGGER citation_events_no_update BEFORE UPDATE ON citation_events
BEGIN SELECT RAISE(ABORT, 'citation events are append-only'); END;
CREATE TRIGGER citation_events_no_delete BEFORE DELETE ON citation_events
BEGIN SELECT RAISE(ABORT, 'citation events are append-only'); END;

-- Records that take part in grouping: live and not removed before screening.
CREATE VIEW dedup_records AS
  SELECT r.* FROM live_records r
  WHERE r.id NOT IN (SELECT record_id FROM record_removals);

-- Citations that count: those with at least one member taking part, with
-- the member PRISMA keeps (the representative when it takes part, else the
-- lowest record id that does) and the number of members taking part.
CREATE VIEW live_citations AS
  SELECT m.citation_id AS id,
         coalesce(max(CASE WHEN m.record_id = c.representative_id THEN m.record_id END),
                  min(m.record_id)) AS kept_id,
         count(*) AS members
  FROM citation_members m
  JOIN citations c ON c.id = m.citation_id
  JOIN dedup_records d ON d.id = m.record_id
  GROUP BY m.citation_id;

-- The merged metadata of each citation, derived from its members: the
-- representative's fields, each missing one taken from the lowest-numbered
-- member that has it; the longest abstract of any member.
CREATE VIEW citation_metadata AS
  SELECT c.id, c.representative_id,
    coalesce(r.title, (SELECT x.title FROM citation_members m JOIN records x ON x.id = m.record_id
                       WHERE m.citation_id = c.id AND x.title IS NOT NULL ORDER BY x.id LIMIT 1)) AS title,
    r.authors,
    coalesce(r.year, (SELECT x.year FROM citation_members m JOIN records x ON x.id = m.record_id
                      WHERE m.citation_id = c.id AND x.year IS NOT NULL ORDER BY x.id LIMIT 1)) AS year,
    coalesce(r.journal, (SELECT x.journal FROM citation_members m JOIN records x ON x.id = m.record_id
                         WHERE m.citation_id = c.id AND x.journal IS NOT NULL ORDER BY x.id LIMIT 1)) AS journal,
    coalesce(r.volume, (SELECT x.volume FROM citation_members m JOIN records x ON x.id = m.record_id
                        WHERE m.citation_id = c.id AND x.volume IS NOT NULL ORDER BY x.id LIMIT 1)) AS volume,
    coalesce(r.issue, (SELECT x.issue FROM citation_members m JOIN records x ON x.id = m.record_id
                       WHERE m.citation_id = c.id AND x.issue IS NOT NULL ORDER BY x.id LIMIT 1)) AS issue,
    coalesce(r.pages, (SELECT x.pages FROM citation_members m JOIN records x ON x.id = m.record_id
                       WHERE m.citation_id = c.id AND x.pages IS NOT NULL ORDER BY x.id LIMIT 1)) AS pages,
    coalesce(r.doi, (SELECT x.doi FROM citation_members m JOIN records x ON x.id = m.record_id
                     WHERE m.citation_id = c.id AND x.doi IS NOT NULL ORDER BY x.id LIMIT 1)) AS doi,
    coalesce(r.pmid, (SELECT x.pmid FROM citation_members m JOIN records x ON x.id = m.record_id
                      WHERE m.citation_id = c.id AND x.pmid IS NOT NULL ORDER BY x.id LIMIT 1)) AS pmid,
    coalesce(r.pmcid, (SELECT x.pmcid FROM citation_members m JOIN records x ON x.id = m.record_id
                       WHERE m.citation_id = c.id AND x.pmcid IS NOT NULL ORDER BY x.id LIMIT 1)) AS pmcid,
    (SELECT x.abstract FROM citation_members m JOIN records x ON x.id = m.record_id
     WHERE m.citation_id = c.id AND x.abstract IS NOT NULL
     ORDER BY length(x.abstract) DESC, x.id LIMIT 1) AS abstract
  FROM citations c LEFT JOIN records r ON r.id = c.representative_id
  WHERE c.retired_at IS NULL;
