-- 0004_screen: screening - PICOS rule hits, batches, reviewers' decisions,
-- conflicts and their resolution, the full-text stage, studies.
--
-- Screening decisions attach to CITATIONS (citations.id, see 0002_dedup):
-- a record that joins a citation later inherits its status.  A REPORT is a
-- citation that reached the full-text stage (PRISMA's "reports sought for
-- retrieval"); a STUDY is a trial, with one or more reports (studies,
-- study_links).
--
-- Durable, append-only: screen_decisions (reviewers' decisions and
-- arbiters' resolutions: a later row supersedes an earlier one of the same
-- person, both stay), screen_retrievals, screen_flags, study_links,
-- screen_imports, screen_batches, screen_assignments.  Derived (kept per
-- rule-set hash, recomputed by 'lsr screen rules'): screen_rule_runs,
-- screen_rule_evals, screen_hits.
--
-- Stages are 'title-abstract' and 'full-text'; verdicts 'include',
-- 'exclude' and 'maybe'; reasons are the codes of protocol.yaml's
-- screening.reasons.
--
-- How a citation's status at a stage is derived (views screen_decided,
-- screen_ta_status, screen_ft_status):
--   1. An open merge conflict (screen_flags kind 'merge-conflict' with no
--      resolution after it) makes it 'conflict'.
--   2. Else the latest resolution (kind 'resolution': a third reviewer or
--      the team's consensus) decides: exclude -> 'excluded' with its reason,
--      include or maybe -> 'included'.
--   3. Else the reviewers' current decisions (each reviewer's latest):
--      'conflict' when some exclude and some do not, or (full text) when
--      one says maybe, or when all exclude with different reasons;
--      'pending' until as many reviewers as the protocol required when the
--      citation was handed out (screen_assignments.required) have decided;
--      then 'excluded' (all exclude) or 'included' (all include or maybe:
--      at title-abstract maybe counts as include for moving on).
--   4. At title-abstract, a citation without any human decision is
--      'excluded' when an exclude-mode rule of the current rule set hit it
--      (decided_by 'automation': PRISMA's "marked ineligible by automation
--      tools"; the reason is that of the first such rule in the protocol's
--      order), else 'pending'.  A confirmed suggest-mode rule is an ordinary
--      human exclusion.  Any human decision (a reviewer's or a resolution)
--      overrides automation.

-- One evaluation of the protocol's rules ('lsr screen rules', or before a
-- title-abstract batch).  ruleset is the SHA-256 of the rules as written
-- (rules holds them as JSON).  The CURRENT rule set is that of the latest
-- run.
CREATE TABLE screen_rule_runs (
  id           INTEGER PRIMARY KEY,
  ruleset      TEXT NOT NULL,
  rules        TEXT NOT NULL,             -- JSON array, the rules as written
  started_at   TEXT NOT NULL,
  citations    INTEGER NOT NULL DEFAULT 0, -- citations evaluated
  hits         INTEGER NOT NULL DEFAULT 0,
  errors       INTEGER NOT NULL DEFAULT 0, -- (citation, rule) pairs a match limit stopped
  actor        TEXT NOT NULL
);

-- Which citations were evaluated under which rule set (also those with no
-- hit), so that new citations can be evaluated alone.
CREATE TABLE screen_rule_evals (
  ruleset      TEXT NOT NULL,
  citation_id  INTEGER NOT NULL REFERENCES citations(id),
  run_id       INTEGER NOT NULL REFERENCES screen_rule_runs(id),
  PRIMARY KEY (ruleset, citation_id)
) WITHOUT ROWID;

-- One rule that hit one citation: where (field, byte span of that field's
-- text as lsr screen explain shows it) and what it matched.  A row with
-- error set is not a hit: a match limit stopped the rule on this citation.
CREATE TABLE screen_hits (
  ruleset      TEXT NOT NULL,
  citation_id  INTEGER NOT NULL REFERENCES citations(id),
  rule         TEXT NOT NULL,             -- the rule's name
  rule_index   INTEGER NOT NULL,          -- its position in the protocol (0-based)
  reason       TEXT NOT NULL,
  mode         TEXT NOT NULL CHECK (mode IN ('suggest', 'exclude')),
  field        TEXT,                      -- title abstract keywords mesh publication_type language journal year
  span_start   INTEGER,
  span_end     INTEGER,
  matched      TEXT,
  error        TEXT,
  run_id       INTEGER NOT NULL REFERENCES screen_rule_runs(id),
  PRIMARY KEY (ruleset, citation_id, rule)
);
CREATE INDEX screen_hits_citation ON screen_hits(citation_id);

-- A batch handed to one reviewer.  reviewers_required: the protocol's
-- screening.reviewers when the batch was made.
CREATE TABLE screen_batches (
  id                  INTEGER PRIMARY KEY,
  stage               TEXT NOT NULL CHECK (stage IN ('title-abstract', 'full-text')),
  reviewer            TEXT NOT NULL,
  size                INTEGER NOT NULL,   -- citations assigned
  seed                INTEGER NOT NULL,
  reviewers_required  INTEGER NOT NULL,
  file                TEXT,
  created_at          TEXT NOT NULL,
  actor               TEXT NOT NULL
);

-- Who screens what: one row per citation, stage and reviewer (never the
-- same reviewer twice).  required is the number of independent reviewers
-- the citation needs at that stage.  carried_from: the citation a merge or
-- split carried the assignment from.
CREATE TABLE screen_assignments (
  citation_id  INTEGER NOT NULL REFERENCES citations(id),
  stage        TEXT NOT NULL CHECK (stage IN ('title-abstract', 'full-text')),
  reviewer     TEXT NOT NULL,
  batch_id     INTEGER REFERENCES screen_batches(id),
  position     INTEGER,                   -- row in the batch file
  required     INTEGER NOT NULL,
  carried_from INTEGER REFERENCES citations(id),
  at           TEXT NOT NULL,
  PRIMARY KEY (citation_id, stage, reviewer)
) WITHOUT ROWID;
CREATE INDEX screen_assignments_batch ON screen_assignments(batch_id);

-- One imported decision file.
CREATE TABLE screen_imports (
  id           INTEGER PRIMARY KEY,
  file_name    TEXT NOT NULL,
  file_hash    TEXT NOT NULL,             -- SHA-256 of its bytes
  reviewer     TEXT NOT NULL,
  rows         INTEGER NOT NULL,
  decisions    INTEGER NOT NULL,          -- new decisions stored
  unchanged    INTEGER NOT NULL,          -- rows repeating the reviewer's current decision
  blank        INTEGER NOT NULL,          -- rows without a verdict (not yet screened)
  at           TEXT NOT NULL,
  actor        TEXT NOT NULL
);

-- Every decision, append-only.  kind 'review': an independent reviewer's
-- decision (reviewer = that person); kind 'resolution': the arbiter's
-- final decision (reviewer = the --by person: a third reviewer, or
-- "consensus").  A reviewer's current decision is their latest row; the
-- current resolution is the latest resolution.  carried_from: the decision
-- a merge or split copied (the copy belongs to citation_id).
CREATE TABLE screen_decisions (
  id           INTEGER PRIMARY KEY,
  citation_id  INTEGER NOT NULL REFERENCES citations(id),
  stage        TEXT NOT NULL CHECK (stage IN ('title-abstract', 'full-text')),
  kind         TEXT NOT NULL CHECK (kind IN ('review', 'resolution')),
  reviewer     TEXT NOT NULL,
  verdict      TEXT NOT NULL CHECK (verdict IN ('include', 'exclude', 'maybe')),
  reason       TEXT,                      -- a reason code; required for exclusions at full text
  note         TEXT,
  import_id    INTEGER REFERENCES screen_imports(id),
  carried_from INTEGER REFERENCES screen_decisions(id),
  at           TEXT NOT NULL,
  actor        TEXT NOT NULL,
  CHECK (verdict = 'exclude' OR reason IS NULL)
);
CREATE INDEX screen_decisions_citation ON screen_decisions(citation_id, stage, kind, reviewer);
CREATE TRIGGER screen_decisions_no_update BEFORE UPDATE ON screen_decisions
BEGIN SELECT RAISE(ABORT, 'screening decisions are append-only'); END;
CREATE TRIGGER screen_decisions_no_delete BEFORE DELETE ON screen_decisions
BEGIN SELECT RAISE(ABORT, 'screening decisions are append-only'); END;

-- Merges and splits of citations that carry decisions (see
-- screen_citations_merged / screen_citation_split in screen/screen.h).
--   merge-conflict: the two merged citations carried differing decisions;
--       the citation is in conflict until a resolution after the flag.
--   split: the part keeps the decisions made on the whole, flagged for a
--       second look; any decision or resolution after the flag clears it.
-- seq is the largest screen_decisions.id when the flag was raised: a
-- decision with a larger id came after it.
CREATE TABLE screen_flags (
  id           INTEGER PRIMARY KEY,
  citation_id  INTEGER NOT NULL REFERENCES citations(id),
  stage        TEXT NOT NULL CHECK (stage IN ('title-abstract', 'full-text')),
  kind         TEXT NOT NULL CHECK (kind IN ('merge-conflict', 'split')),
  event_id     INTEGER REFERENCES citation_events(id),
  other_id     INTEGER REFERENCES citations(id), -- the citation merged in, or split from
  seq          INTEGER NOT NULL,
  detail       TEXT,                      -- JSON: the decisions on both sides
  at           TEXT NOT NULL
);
CREATE INDEX screen_flags_citation ON screen_flags(citation_id, stage);
CREATE TRIGGER screen_flags_no_update BEFORE UPDATE ON screen_flags
BEGIN SELECT RAISE(ABORT, 'screening flags are append-only'); END;

-- Retrieval of the full text of a report (a citation included at
-- title-abstract), append-only: the latest row counts.
CREATE TABLE screen_retrievals (
  id           INTEGER PRIMARY KEY,
  citation_id  INTEGER NOT NULL REFERENCES citations(id),
  retrieved    INTEGER NOT NULL CHECK (retrieved IN (0, 1)),
  file         TEXT,                      -- where the full text is kept
  reason       TEXT,                      -- not retrieved: why
  carried_from INTEGER REFERENCES screen_retrievals(id),
  at           TEXT NOT NULL,
  actor        TEXT NOT NULL,
  CHECK (retrieved = 1 OR reason IS NOT NULL)
);
CREATE INDEX screen_retrievals_citation ON screen_retrievals(citation_id);
CREATE TRIGGER screen_retrievals_no_update BEFORE UPDATE ON screen_retrievals
BEGIN SELECT RAISE(ABORT, 'retrieval records are append-only'); END;
CREATE TRIGGER screen_retrievals_no_delete BEFORE DELETE ON screen_retrievals
BEGIN SELECT RAISE(ABORT, 'retrieval records are append-only'); END;

-- A study (a trial): what extraction and pooling work on.  label is the
-- name analyses and reports use ("Fang 2018").
CREATE TABLE studies (
  id           INTEGER PRIMARY KEY,
  label        TEXT UNIQUE NOT NULL,
  created_at   TEXT NOT NULL,
  actor        TEXT NOT NULL
);

-- Reports linked to studies, append-only: a report's latest row counts
-- (study_id NULL: unlinked).  Only reports included at full text are linked.
CREATE TABLE study_links (
  id           INTEGER PRIMARY KEY,
  citation_id  INTEGER NOT NULL REFERENCES citations(id),
  study_id     INTEGER REFERENCES studies(id),
  carried_from INTEGER REFERENCES study_links(id),
  at           TEXT NOT NULL,
  actor        TEXT NOT NULL
);
CREATE INDEX study_links_citation ON study_links(citation_id);
CREATE TRIGGER study_links_no_update BEFORE UPDATE ON study_links
BEGIN SELECT RAISE(ABORT, 'study links are append-only'); END;
CREATE TRIGGER study_links_no_delete BEFORE DELETE ON study_links
BEGIN SELECT RAISE(ABORT, 'study links are append-only'); END;

-- ---- derived views ----------------------------------------------------------

-- The rule set of the latest evaluation (no row before the first one).
CREATE VIEW screen_ruleset_current AS
  SELECT ruleset FROM screen_rule_runs ORDER BY id DESC LIMIT 1;

-- Hits of the current rule set (errors left out).
CREATE VIEW screen_hits_current AS
  SELECT h.* FROM screen_hits h
  WHERE h.ruleset = (SELECT ruleset FROM screen_ruleset_current) AND h.error IS NULL;

-- Exclude-mode hits of the current rule set: the first such rule (in the
-- protocol's order) of each citation.
CREATE VIEW screen_auto_exclusions AS
  SELECT h.citation_id, h.rule, h.reason FROM screen_hits_current h
  WHERE h.mode = 'exclude'
    AND h.rule_index = (SELECT min(x.rule_index) FROM screen_hits_current x
                        WHERE x.citation_id = h.citation_id AND x.mode = 'exclude');

-- Each reviewer's current decision per citation and stage.
CREATE VIEW screen_current AS
  SELECT d.* FROM screen_decisions d
  WHERE d.kind = 'review'
    AND d.id = (SELECT max(x.id) FROM screen_decisions x
                WHERE x.citation_id = d.citation_id AND x.stage = d.stage
                  AND x.kind = 'review' AND x.reviewer = d.reviewer);

-- The current resolution per citation and stage.
CREATE VIEW screen_current_resolutions AS
  SELECT d.* FROM screen_decisions d
  WHERE d.kind = 'resolution'
    AND d.id = (SELECT max(x.id) FROM screen_decisions x
                WHERE x.citation_id = d.citation_id AND x.stage = d.stage
                  AND x.kind = 'resolution');

-- Flags not yet answered: a merge conflict until a resolution after it, a
-- split until any decision after it.
CREATE VIEW screen_open_flags AS
  SELECT f.* FROM screen_flags f
  WHERE NOT EXISTS (SELECT 1 FROM screen_decisions d
                    WHERE d.citation_id = f.citation_id AND d.stage = f.stage
                      AND d.id > f.seq
                      AND (d.kind = 'resolution' OR f.kind = 'split'));

-- The reviewers' current decisions summed up per citation and stage.
CREATE VIEW screen_votes AS
  SELECT citation_id, stage, count(*) AS n,
         sum(verdict = 'include') AS n_include,
         sum(verdict = 'exclude') AS n_exclude,
         sum(verdict = 'maybe') AS n_maybe,
         count(DISTINCT CASE WHEN verdict = 'exclude' THEN reason END) AS n_reasons,
         max(CASE WHEN verdict = 'exclude' THEN reason END) AS reason
  FROM screen_current GROUP BY citation_id, stage;

-- The human outcome per citation and stage where people decided (or a
-- flag was raised): status included | excluded | pending | conflict,
-- reason, decided_by resolution | reviewers (NULL while pending or in
-- conflict), conflict (merge | disagreement | maybe | reason).
CREATE VIEW screen_decided AS
  SELECT k.citation_id, k.stage,
    CASE
      WHEN mf.citation_id IS NOT NULL THEN 'conflict'
      WHEN r.id IS NOT NULL THEN CASE r.verdict WHEN 'exclude' THEN 'excluded' ELSE 'included' END
      WHEN v.n IS NULL THEN 'pending'
      WHEN v.n_exclude > 0 AND v.n_exclude < v.n THEN 'conflict'
      WHEN k.stage = 'full-text' AND v.n_maybe > 0 THEN 'conflict'
      WHEN v.n_exclude = v.n AND v.n_reasons > 1 THEN 'conflict'
      WHEN v.n < coalesce(q.required, 1) THEN 'pending'
      WHEN v.n_exclude = v.n THEN 'excluded'
      ELSE 'included'
    END AS status,
    CASE
      WHEN mf.citation_id IS NOT NULL THEN NULL
      WHEN r.id IS NOT NULL THEN r.reason
      WHEN v.n_exclude = v.n AND v.n_reasons = 1 THEN v.reason
    END AS reason,
    CASE
      WHEN mf.citation_id IS NOT NULL THEN NULL
      WHEN r.id IS NOT NULL THEN 'resolution'
      WHEN v.n IS NULL THEN NULL
      WHEN v.n_exclude > 0 AND v.n_exclude < v.n THEN NULL
      WHEN k.stage = 'full-text' AND v.n_maybe > 0 THEN NULL
      WHEN v.n_exclude = v.n AND v.n_reasons > 1 THEN NULL
      WHEN v.n < coalesce(q.required, 1) THEN NULL
      ELSE 'reviewers'
    END AS decided_by,
    CASE
      WHEN mf.citation_id IS NOT NULL THEN 'merge'
      WHEN r.id IS NOT NULL OR v.n IS NULL THEN NULL
      WHEN v.n_exclude > 0 AND v.n_exclude < v.n THEN 'disagreement'
      WHEN k.stage = 'full-text' AND v.n_maybe > 0 THEN 'maybe'
      WHEN v.n_exclude = v.n AND v.n_reasons > 1 THEN 'reason'
    END AS conflict,
    (r.id IS NOT NULL OR v.n IS NOT NULL) AS human,
    coalesce(v.n, 0) AS decisions,
    coalesce(q.required, 0) AS required
  FROM (SELECT DISTINCT citation_id, stage FROM screen_decisions
        UNION SELECT citation_id, stage FROM screen_flags) k
  LEFT JOIN screen_current_resolutions r
         ON r.citation_id = k.citation_id AND r.stage = k.stage
  LEFT JOIN screen_votes v ON v.citation_id = k.citation_id AND v.stage = k.stage
  LEFT JOIN (SELECT citation_id, stage, max(required) AS required
             FROM screen_assignments GROUP BY citation_id, stage) q
         ON q.citation_id = k.citation_id AND q.stage = k.stage
  LEFT JOIN (SELECT DISTINCT citation_id, stage FROM screen_open_flags
             WHERE kind = 'merge-conflict') mf
         ON mf.citation_id = k.citation_id AND mf.stage = k.stage;

-- TITLE-ABSTRACT STATUS of every counted citation (live_citations): what
-- PRISMA counts as records screened (status <> 'excluded' or decided_by
-- <> 'automation'), records excluded (status 'excluded', by reason),
-- records marked ineligible by automation tools (decided_by
-- 'automation').  rule: the exclude rule, for automation.
CREATE VIEW screen_ta_status AS
  SELECT c.id AS citation_id,
    CASE WHEN d.human THEN d.status
         WHEN a.citation_id IS NOT NULL THEN 'excluded'
         ELSE 'pending' END AS status,
    CASE WHEN d.human THEN d.reason ELSE a.reason END AS reason,
    CASE WHEN d.human THEN d.decided_by
         WHEN a.citation_id IS NOT NULL THEN 'automation' END AS decided_by,
    CASE WHEN d.human THEN NULL ELSE a.rule END AS rule,
    CASE WHEN d.human THEN d.conflict END AS conflict
  FROM live_citations c
  LEFT JOIN screen_decided d ON d.citation_id = c.id AND d.stage = 'title-abstract'
  LEFT JOIN screen_auto_exclusions a ON a.citation_id = c.id;

-- The latest retrieval record of each report.
CREATE VIEW screen_retrieval_current AS
  SELECT r.* FROM screen_retrievals r
  WHERE r.id = (SELECT max(x.id) FROM screen_retrievals x WHERE x.citation_id = r.citation_id);

-- FULL-TEXT STATUS of every report: the citations included at
-- title-abstract (PRISMA's reports sought for retrieval).  status:
--   awaiting-retrieval  no retrieval recorded yet
--   not-retrieved       reports not retrieved (retrieval_reason says why)
--   pending | conflict | included | excluded   reports assessed for
--                       eligibility and their outcome (reason: why excluded)
CREATE VIEW screen_ft_status AS
  SELECT t.citation_id,
    CASE WHEN rt.id IS NULL THEN 'awaiting-retrieval'
         WHEN rt.retrieved = 0 THEN 'not-retrieved'
         ELSE coalesce(d.status, 'pending') END AS status,
    CASE WHEN rt.retrieved = 1 THEN d.reason END AS reason,
    CASE WHEN rt.retrieved = 1 THEN d.decided_by END AS decided_by,
    CASE WHEN rt.retrieved = 1 THEN d.conflict END AS conflict,
    rt.file AS file,
    CASE WHEN rt.retrieved = 0 THEN rt.reason END AS retrieval_reason
  FROM screen_ta_status t
  LEFT JOIN screen_retrieval_current rt ON rt.citation_id = t.citation_id
  LEFT JOIN screen_decided d ON d.citation_id = t.citation_id AND d.stage = 'full-text'
  WHERE t.status = 'included';

-- Citations needing an arbiter: conflicts at either stage, and open split
-- flags (a second look).  kind: merge | disagreement | maybe | reason | split.
CREATE VIEW screen_conflicts AS
  SELECT citation_id, 'title-abstract' AS stage, conflict AS kind
    FROM screen_ta_status WHERE status = 'conflict'
  UNION ALL
  SELECT citation_id, 'full-text', conflict
    FROM screen_ft_status WHERE status = 'conflict'
  UNION ALL
  SELECT DISTINCT f.citation_id, f.stage, 'split' FROM screen_open_flags f
    JOIN live_citations c ON c.id = f.citation_id
  WHERE f.kind = 'split';

-- The current study of each report (links of reports no longer included
-- at full text are left out).
CREATE VIEW study_reports AS
  SELECT l.citation_id, l.study_id, s.label, l.at
  FROM study_links l JOIN studies s ON s.id = l.study_id
  JOIN screen_ft_status f ON f.citation_id = l.citation_id AND f.status = 'included'
  WHERE l.id = (SELECT max(x.id) FROM study_links x WHERE x.citation_id = l.citation_id);
