-- 0018_grade_up: GRADE's ratings up for non-randomised evidence.
--
-- grade_ratings (0015) took the five domains that rate down and ratings
-- 0, -1, -2 only.  It now also takes large-effect (0, 1 or 2: lsr suggests
-- it from the estimate), dose-response and plausible-confounding (0 or 1,
-- the team's judgements), and ratings 1 and 2; pool/grade.c checks which
-- rating fits which domain.  SQLite cannot change a CHECK in place: the
-- table is rebuilt with its rows, index and append-only triggers.

CREATE TABLE grade_ratings_0018 (
  id        INTEGER PRIMARY KEY,
  outcome   TEXT NOT NULL,
  domain    TEXT NOT NULL CHECK (domain IN ('risk-of-bias', 'inconsistency', 'indirectness',
                                            'imprecision', 'publication-bias', 'large-effect',
                                            'dose-response', 'plausible-confounding')),
  rating    INTEGER NOT NULL CHECK (rating IN (-2, -1, 0, 1, 2)),
  suggested INTEGER CHECK (suggested IN (-2, -1, 0, 1, 2)),
  why       TEXT,
  actor     TEXT NOT NULL,
  at        TEXT NOT NULL
);
INSERT INTO grade_ratings_0018 (id, outcome, domain, rating, suggested, why, actor, at)
  SELECT id, outcome, domain, rating, suggested, why, actor, at FROM grade_ratings;
DROP TABLE grade_ratings;
ALTER TABLE grade_ratings_0018 RENAME TO grade_ratings;
CREATE INDEX grade_ratings_outcome ON grade_ratings(outcome, domain, id);
CREATE TRIGGER grade_ratings_no_update BEFORE UPDATE ON grade_ratings
BEGIN SELECT RAISE(ABORT, 'grade ratings are append-only'); END;
CREATE TRIGGER grade_ratings_no_delete BEFORE DELETE ON grade_ratings
BEGIN SELECT RAISE(ABORT, 'grade ratings are append-only'); END;
