-- 0017_serve_reviewer_index: the screening decisions by reviewer.
--
-- lsr serve walks one reviewer's own decisions: GET /api/history steps
-- through the citations they decided in the order of their first
-- decision on each, and the hand-out order counts the decisions toward
-- their next ranking.  Without this index each of those scanned every
-- decision of the review (hundreds of milliseconds at 100,000).  The
-- rowid (the decision id, in the order decided) ends every entry, so a
-- reviewer's decisions at a stage are walked in that order.
CREATE INDEX screen_decisions_reviewer ON screen_decisions(reviewer, stage, kind);
