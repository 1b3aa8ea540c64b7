-- 0014_rob_per_result: RoB 2 is assessed per result (issue 15).
--
-- A RoB 2 judgement belongs to one result of a study: an outcome and,
-- where the protocol sets extraction.rob2_per_timepoint, a time point.
-- rob_values and rob_consensus gain the columns outcome and timepoint.
-- The empty string (the default, so every row written before this
-- migration keeps its meaning) is a study-level judgement: it applies to
-- every result of the study that has no judgement of its own.  RoB 1
-- stays per study: its rows keep both columns empty.
ALTER TABLE rob_values ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE rob_values ADD COLUMN timepoint TEXT NOT NULL DEFAULT '';
ALTER TABLE rob_consensus ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE rob_consensus ADD COLUMN timepoint TEXT NOT NULL DEFAULT '';

DROP INDEX rob_values_item;
CREATE INDEX rob_values_item ON rob_values(study_id, tool, outcome, timepoint, domain, question);
CREATE INDEX rob_consensus_item ON rob_consensus(study_id, tool, outcome, timepoint, domain);
