-- 0005_extract: extraction values, resolutions, risk-of-bias answers,
-- overrides and consensus; the derived arm data the analyses read.
--
-- Durable and append-only: extraction_imports, extraction_values,
-- extraction_resolutions, rob_values, rob_consensus.  A corrected value is
-- a new row; the current value of an item is its latest row.  Derived (and
-- rebuilt after every import or resolution): extraction_arm_data.
--
-- Studies are the table screening creates (0004): studies(id, label).

-- One sheet imported: who extracted or assessed it, from which file.
CREATE TABLE extraction_imports (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('characteristics', 'outcomes', 'rob1', 'rob2')),
  file_name   TEXT NOT NULL,
  file_hash   TEXT NOT NULL,              -- SHA-256 of its bytes
  person      TEXT NOT NULL,              -- --extractor / --assessor
  actor       TEXT NOT NULL,              -- who ran the import
  at          TEXT NOT NULL,
  rows        INTEGER NOT NULL            -- data rows read
);

-- Every value an extractor gave, as typed.  An item is (study, outcome,
-- timepoint, arm, field) for outcome data and (study, field) for a
-- characteristic (outcome, timepoint and arm NULL).  value NULL: the cell
-- was empty (not reported).
CREATE TABLE extraction_values (
  id          INTEGER PRIMARY KEY,
  import_id   INTEGER NOT NULL REFERENCES extraction_imports(id),
  study_id    INTEGER NOT NULL REFERENCES studies(id),
  outcome     TEXT,
  timepoint   TEXT,
  arm         TEXT,
  field       TEXT NOT NULL,              -- characteristic name, or n, mean, sd, se, ...
  value       TEXT,
  source      TEXT,                       -- table/page, as the extractor wrote it
  extractor   TEXT NOT NULL,
  at          TEXT NOT NULL,
  row         INTEGER NOT NULL            -- row in the sheet (header = 1)
);
CREATE INDEX extraction_values_item ON extraction_values(study_id, outcome, timepoint, arm, field);

-- The agreed value of an item, recorded by the lead after comparing
-- extractions (latest row wins).  value NULL: agreed "not reported".
CREATE TABLE extraction_resolutions (
  id          INTEGER PRIMARY KEY,
  study_id    INTEGER NOT NULL REFERENCES studies(id),
  outcome     TEXT,
  timepoint   TEXT,
  arm         TEXT,
  field       TEXT NOT NULL,
  value       TEXT,
  note        TEXT,
  actor       TEXT NOT NULL,
  at          TEXT NOT NULL
);
CREATE INDEX extraction_resolutions_item ON extraction_resolutions(study_id, outcome, timepoint, arm, field);

-- Risk of bias, as each assessor gave it.  RoB 1: one row per domain with
-- the judgement (low, high, unclear) and the supporting quote.  RoB 2: one
-- row per signalling question with its answer (question '1.1' ...), and
-- for a domain whose proposed judgement the assessor overrides, a row with
-- question 'judgement', value the override, proposed the algorithm's
-- proposal and quote the written justification (domain 'overall' for the
-- overall judgement).
CREATE TABLE rob_values (
  id          INTEGER PRIMARY KEY,
  import_id   INTEGER NOT NULL REFERENCES extraction_imports(id),
  study_id    INTEGER NOT NULL REFERENCES studies(id),
  tool        TEXT NOT NULL CHECK (tool IN ('rob1', 'rob2')),
  domain      TEXT NOT NULL,
  question    TEXT,                       -- RoB 2 only
  value       TEXT,                       -- judgement or answer; NULL when empty
  proposed    TEXT,                       -- RoB 2 override rows: the algorithm's proposal
  quote       TEXT,                       -- support for the judgement, or the justification
  assessor    TEXT NOT NULL,
  at          TEXT NOT NULL,
  row         INTEGER NOT NULL
);
CREATE INDEX rob_values_item ON rob_values(study_id, tool, domain, question);

-- The consensus judgement of a domain (or 'overall') after the assessors
-- disagreed, with the reason (latest row wins).
CREATE TABLE rob_consensus (
  id          INTEGER PRIMARY KEY,
  study_id    INTEGER NOT NULL REFERENCES studies(id),
  tool        TEXT NOT NULL CHECK (tool IN ('rob1', 'rob2')),
  domain      TEXT NOT NULL,
  judgement   TEXT NOT NULL,
  reason      TEXT NOT NULL,
  actor       TEXT NOT NULL,
  at          TEXT NOT NULL
);

CREATE TRIGGER extraction_values_no_update BEFORE UPDATE ON extraction_values
BEGIN SELECT RAISE(ABORT, 'extraction values are append-only'); END;
CREATE TRIGGER extraction_values_no_delete BEFORE DELETE ON extraction_values
BEGIN SELECT RAISE(ABORT, 'extraction values are append-only'); END;
CREATE TRIGGER extraction_resolutions_no_update BEFORE UPDATE ON extraction_resolutions
BEGIN SELECT RAISE(ABORT, 'extraction resolutions are append-only'); END;
CREATE TRIGGER extraction_resolutions_no_delete BEFORE DELETE ON extraction_resolutions
BEGIN SELECT RAISE(ABORT, 'extraction resolutions are append-only'); END;
CREATE TRIGGER rob_values_no_update BEFORE UPDATE ON rob_values
BEGIN SELECT RAISE(ABORT, 'risk-of-bias values are append-only'); END;
CREATE TRIGGER rob_values_no_delete BEFORE DELETE ON rob_values
BEGIN SELECT RAISE(ABORT, 'risk-of-bias values are append-only'); END;
CREATE TRIGGER rob_consensus_no_update BEFORE UPDATE ON rob_consensus
BEGIN SELECT RAISE(ABORT, 'risk-of-bias consensus is append-only'); END;
CREATE TRIGGER rob_consensus_no_delete BEFORE DELETE ON rob_consensus
BEGIN SELECT RAISE(ABORT, 'risk-of-bias consensus is append-only'); END;

-- Derived: the agreed arm-level data of each study, outcome and time
-- point, converted to what the analyses use, with the method and the
-- reported values it came from (JSON).  Rebuilt from the tables above.
-- Continuous arms: n, mean, sd.  Dichotomous arms: n, events.  Time-to-
-- event: one row per comparison (arm = the intervention arm compared with
-- control) with log_hr and se_log_hr.
CREATE TABLE extraction_arm_data (
  study_id    INTEGER NOT NULL REFERENCES studies(id),
  outcome     TEXT NOT NULL,
  timepoint   TEXT NOT NULL,
  arm         TEXT NOT NULL,              -- 'intervention', 'control' (extra arms combined)
  n           REAL,
  mean        REAL,
  sd          REAL,
  events      REAL,
  log_hr      REAL,
  se_log_hr   REAL,
  method      TEXT NOT NULL,              -- 'reported', 'se', 'ci-t', 'cochrane-combine', ...
  inputs      TEXT NOT NULL,              -- JSON: the agreed reported values used
  PRIMARY KEY (study_id, outcome, timepoint, arm)
);
