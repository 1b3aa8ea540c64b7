-- 0012_priority: prioritised screening and its stopping rule (issue 13;
-- screen/rank.h, docs/cmd/lsr-screen.md).
--
-- Durable, append-only: screen_rankings (each model trained to order the
-- title-abstract citations), screen_rank_handouts (each citation handed out
-- in priority order or in a stopping sample, with the ranking it came
-- from), screen_stopping_samples, screen_stops and screen_stop_citations.
--
-- A STOP ('lsr screen stop') excludes, by automation, the citations that
-- had no human title-abstract decision when it passed; it covers exactly
-- the citations listed in screen_stop_citations, so citations an update
-- brings later are screened afresh.  As for rule exclusions, any human
-- decision overrides it.  Its exclusions have decided_by 'stopping-rule'
-- (not 'automation', which stays the rules' "marked ineligible by
-- automation tools" before screening): PRISMA counts them among the records
-- screened and excluded, as excluded by automation tools.

-- One ranking: the model, its parameters (JSON), the library that trained
-- it, the SHA-256 of its inputs (every candidate's id and text and every
-- training label, in citation order, with the parameters and seed), and
-- what it was trained on.  model 'logistic-regression', or 'prior' before
-- the first include (the rules' suggestions, then the seed).  decisions:
-- the title-abstract decisions recorded when it was made (retraining
-- waits for retrain_every more).
CREATE TABLE screen_rankings (
  id           INTEGER PRIMARY KEY,
  stage        TEXT NOT NULL CHECK (stage IN ('title-abstract')),
  reviewer     TEXT NOT NULL,             -- whose own decisions it may use
  model        TEXT NOT NULL,
  params       TEXT NOT NULL,
  library      TEXT NOT NULL,
  inputs_hash  TEXT NOT NULL,
  seed         INTEGER NOT NULL,
  labelled     INTEGER NOT NULL,          -- training citations
  includes     INTEGER NOT NULL,          -- of which includes
  candidates   INTEGER NOT NULL,          -- citations ranked
  decisions    INTEGER NOT NULL,
  created_at   TEXT NOT NULL,
  actor        TEXT NOT NULL
);

-- The head of each ranking (its first positions, enough for the screening
-- server to hand out citations until the next retraining).
CREATE TABLE screen_ranking_items (
  ranking_id   INTEGER NOT NULL REFERENCES screen_rankings(id),
  position     INTEGER NOT NULL,          -- 1-based
  citation_id  INTEGER NOT NULL REFERENCES citations(id),
  score        REAL,                      -- the model's log-odds; NULL for 'prior'
  PRIMARY KEY (ranking_id, position)
) WITHOUT ROWID;

-- A citation handed out in priority order (ranking_id, position, score) or
-- in a random stopping sample (kind 'stopping-sample', ranking_id NULL).
CREATE TABLE screen_rank_handouts (
  id           INTEGER PRIMARY KEY,
  citation_id  INTEGER NOT NULL REFERENCES citations(id),
  reviewer     TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('priority', 'stopping-sample')),
  ranking_id   INTEGER REFERENCES screen_rankings(id),
  position     INTEGER,
  score        REAL,
  batch_id     INTEGER REFERENCES screen_batches(id),
  at           TEXT NOT NULL
);
CREATE INDEX screen_rank_handouts_citation ON screen_rank_handouts(citation_id);
CREATE INDEX screen_rank_handouts_batch ON screen_rank_handouts(batch_id);

-- A random sample of the unscreened citations for the sampling variant of
-- the stopping rule: population, the citations not screened when it was
-- drawn; found_before, the includes found by then.
CREATE TABLE screen_stopping_samples (
  batch_id     INTEGER PRIMARY KEY REFERENCES screen_batches(id),
  population   INTEGER NOT NULL,
  found_before INTEGER NOT NULL,
  screened_before INTEGER NOT NULL,
  at           TEXT NOT NULL
);

-- A stop: the test that passed and the reason its exclusions carry.
CREATE TABLE screen_stops (
  id           INTEGER PRIMARY KEY,
  method       TEXT NOT NULL CHECK (method IN ('ranked', 'sample')),
  recall       REAL NOT NULL,             -- the target
  confidence   REAL NOT NULL,
  p            REAL NOT NULL,
  population   INTEGER NOT NULL,          -- citations subject to screening
  screened     INTEGER NOT NULL,
  found        INTEGER NOT NULL,
  excluded     INTEGER NOT NULL,          -- citations it excluded
  reason       TEXT NOT NULL,
  at           TEXT NOT NULL,
  actor        TEXT NOT NULL
);

CREATE TABLE screen_stop_citations (
  stop_id      INTEGER NOT NULL REFERENCES screen_stops(id),
  citation_id  INTEGER NOT NULL REFERENCES citations(id),
  PRIMARY KEY (stop_id, citation_id)
) WITHOUT ROWID;
CREATE INDEX screen_stop_citations_citation ON screen_stop_citations(citation_id);

-- The latest stop covering each citation.
CREATE VIEW screen_stop_exclusions AS
  SELECT sc.citation_id, s.id AS stop_id, s.reason FROM screen_stop_citations sc
  JOIN screen_stops s ON s.id = sc.stop_id
  WHERE sc.stop_id = (SELECT max(x.stop_id) FROM screen_stop_citations x
                      WHERE x.citation_id = sc.citation_id);

-- TITLE-ABSTRACT STATUS, as in 0004_screen, plus step 5: a citation
-- without any human decision, not excluded by a rule, that a stop covers is
-- 'excluded' with the stop's reason, decided_by 'stopping-rule'.
DROP VIEW screen_ta_status;
CREATE VIEW screen_ta_status AS
  SELECT c.citation_id AS citation_id,
    CASE WHEN d.human THEN d.status
         WHEN a.citation_id IS NOT NULL THEN 'excluded'
         WHEN s.citation_id IS NOT NULL THEN 'excluded'
         ELSE 'pending' END AS status,
    CASE WHEN d.human THEN d.reason
         WHEN a.citation_id IS NOT NULL THEN a.reason
         ELSE s.reason END AS reason,
    CASE WHEN d.human THEN d.decided_by
         WHEN a.citation_id IS NOT NULL THEN 'automation'
         WHEN s.citation_id IS NOT NULL THEN 'stopping-rule' END AS decided_by,
    CASE WHEN d.human THEN NULL
         WHEN a.citation_id IS NOT NULL THEN a.rule
         WHEN s.citation_id IS NOT NULL THEN 'stopping-rule' END AS rule,
    CASE WHEN d.human THEN d.conflict END AS conflict,
    c.update_no AS update_no
  FROM citation_updates c
  LEFT JOIN screen_decided d ON d.citation_id = c.citation_id AND d.stage = 'title-abstract'
  LEFT JOIN screen_auto_exclusions a ON a.citation_id = c.citation_id
  LEFT JOIN screen_stop_exclusions s ON s.citation_id = c.citation_id;
