-- 0015_grade: the team's GRADE ratings of the summary-of-findings outcomes.
--
-- One row per rating recorded with 'lsr grade set': the outcome (its name
-- in the protocol's summary_of_findings), the GRADE domain, the rating (0,
-- -1 or -2 levels), what lsr suggested when it was recorded (NULL for the
-- domains lsr does not rate: indirectness and publication bias) and the
-- justification (required when the rating differs from the suggestion).
-- Append-only like the audit log: the latest row of an outcome and domain
-- is the one in force; every row is also in the audit log.

CREATE TABLE grade_ratings (
  id        INTEGER PRIMARY KEY,
  outcome   TEXT NOT NULL,
  domain    TEXT NOT NULL CHECK (domain IN ('risk-of-bias', 'inconsistency', 'indirectness',
                                            'imprecision', 'publication-bias')),
  rating    INTEGER NOT NULL CHECK (rating IN (0, -1, -2)),
  suggested INTEGER CHECK (suggested IN (0, -1, -2)),
  why       TEXT,
  actor     TEXT NOT NULL,
  at        TEXT NOT NULL
);
CREATE INDEX grade_ratings_outcome ON grade_ratings(outcome, domain, id);
CREATE TRIGGER grade_ratings_no_update BEFORE UPDATE ON grade_ratings
BEGIN SELECT RAISE(ABORT, 'grade ratings are append-only'); END;
CREATE TRIGGER grade_ratings_no_delete BEFORE DELETE ON grade_ratings
BEGIN SELECT RAISE(ABORT, 'grade ratings are append-only'); END;
