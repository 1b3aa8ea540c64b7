-- 0011_status_speed: the screening status views cost what was screened,
-- or one pass over the review, never one pass per question (issue 17).
--
-- screen_ta_status walked live_citations (a grouping of every member of
-- every citation) and its callers joined citation_updates (the same
-- grouping again, with each citation's update) to count one update: two
-- groupings of the whole review and an automatic index per query.  It now
-- starts from citation_updates, whose citations are exactly those of
-- live_citations (at least one member taking part in deduplication), and
-- carries each citation's update_no as a column.
--
-- screen_ft_status started from screen_ta_status, walking every counted
-- citation (most of them pending or excluded by rules) to keep those
-- included at title-abstract.  A citation is included at title-abstract
-- only by people (a resolution or the reviewers' votes: rules only
-- exclude), so the same rows come from screen_decided, which holds only
-- citations someone decided or flagged, restricted to counted citations.
-- study_reports, which reads it, follows.
--
-- Columns and rows are those of 0004's definitions (plus update_no).
--
-- citation_metadata took the representative's fields through a LEFT JOIN
-- of records.  A view that is a join cannot be flattened into the right
-- side of a LEFT JOIN, so every query that looked up a few citations with
-- `LEFT JOIN citation_metadata m ON m.id = ...` (flags, full texts,
-- conflicts, batches, studies) made SQLite build the merged metadata of
-- every citation first (on a 100,000-citation review, `lsr screen
-- fulltext`'s list took 1.8 s of CPU for 253 rows; now 0.03 s).  The same
-- columns, with the representative's fields looked up by its id.

DROP VIEW screen_ta_status;
CREATE VIEW screen_ta_status AS
  SELECT c.citation_id AS citation_id,
    CASE WHEN d.human THEN d.status
         WHEN a.citation_id IS NOT NULL THEN 'excluded'
         ELSE 'pending' END AS status,
    CASE WHEN d.human THEN d.reason ELSE a.reason END AS reason,
    CASE WHEN d.human THEN d.decided_by
         WHEN a.citation_id IS NOT NULL THEN 'automation' END AS decided_by,
    CASE WHEN d.human THEN NULL ELSE a.rule END AS rule,
    CASE WHEN d.human THEN d.conflict END AS conflict,
    c.update_no AS update_no
  FROM citation_updates c
  LEFT JOIN screen_decided d ON d.citation_id = c.citation_id AND d.stage = 'title-abstract'
  LEFT JOIN screen_auto_exclusions a ON a.citation_id = c.citation_id;

DROP VIEW screen_ft_status;
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
  FROM screen_decided t
  LEFT JOIN screen_retrieval_current rt ON rt.citation_id = t.citation_id
  LEFT JOIN screen_decided d ON d.citation_id = t.citation_id AND d.stage = 'full-text'
  WHERE t.stage = 'title-abstract' AND t.status = 'included'
    AND EXISTS (SELECT 1 FROM citation_members m JOIN dedup_records r ON r.id = m.record_id
                WHERE m.citation_id = t.citation_id);

DROP VIEW citation_metadata;
CREATE VIEW citation_metadata AS
  SELECT c.id, c.representative_id,
    coalesce((SELECT r.title FROM records r WHERE r.id = c.representative_id),
             (SELECT x.title FROM citation_members m JOIN records x ON x.id = m.record_id
              WHERE m.citation_id = c.id AND x.title IS NOT NULL ORDER BY x.id LIMIT 1)) AS title,
    (SELECT r.authors FROM records r WHERE r.id = c.representative_id) AS authors,
    coalesce((SELECT r.year FROM records r WHERE r.id = c.representative_id),
             (SELECT x.year FROM citation_members m JOIN records x ON x.id = m.record_id
              WHERE m.citation_id = c.id AND x.year IS NOT NULL ORDER BY x.id LIMIT 1)) AS year,
    coalesce((SELECT r.journal FROM records r WHERE r.id = c.representative_id),
             (SELECT x.journal FROM citation_members m JOIN records x ON x.id = m.record_id
              WHERE m.citation_id = c.id AND x.journal IS NOT NULL ORDER BY x.id LIMIT 1)) AS journal,
    coalesce((SELECT r.volume FROM records r WHERE r.id = c.representative_id),
             (SELECT x.volume FROM citation_members m JOIN records x ON x.id = m.record_id
              WHERE m.citation_id = c.id AND x.volume IS NOT NULL ORDER BY x.id LIMIT 1)) AS volume,
    coalesce((SELECT r.issue FROM records r WHERE r.id = c.representative_id),
             (SELECT x.issue FROM citation_members m JOIN records x ON x.id = m.record_id
              WHERE m.citation_id = c.id AND x.issue IS NOT NULL ORDER BY x.id LIMIT 1)) AS issue,
    coalesce((SELECT r.pages FROM records r WHERE r.id = c.representative_id),
             (SELECT x.pages FROM citation_members m JOIN records x ON x.id = m.record_id
              WHERE m.citation_id = c.id AND x.pages IS NOT NULL ORDER BY x.id LIMIT 1)) AS pages,
    coalesce((SELECT r.doi FROM records r WHERE r.id = c.representative_id),
             (SELECT x.doi FROM citation_members m JOIN records x ON x.id = m.record_id
              WHERE m.citation_id = c.id AND x.doi IS NOT NULL ORDER BY x.id LIMIT 1)) AS doi,
    coalesce((SELECT r.pmid FROM records r WHERE r.id = c.representative_id),
             (SELECT x.pmid FROM citation_members m JOIN records x ON x.id = m.record_id
              WHERE m.citation_id = c.id AND x.pmid IS NOT NULL ORDER BY x.id LIMIT 1)) AS pmid,
    coalesce((SELECT r.pmcid FROM records r WHERE r.id = c.representative_id),
             (SELECT x.pmcid FROM citation_members m JOIN records x ON x.id = m.record_id
              WHERE m.citation_id = c.id AND x.pmcid IS NOT NULL ORDER BY x.id LIMIT 1)) AS pmcid,
    (SELECT x.abstract FROM citation_members m JOIN records x ON x.id = m.record_id
     WHERE m.citation_id = c.id AND x.abstract IS NOT NULL
     ORDER BY length(x.abstract) DESC, x.id LIMIT 1) AS abstract
  FROM citations c
  WHERE c.retired_at IS NULL;

-- The records that say something about other records (RetractionOf,
-- ErratumFor, ...: lsr update's check of included reports looks for them
-- among all records).  Without this index the check read every record of
-- the review once per included report; with it, only these few.
CREATE INDEX records_with_relations ON records(id) WHERE relations <> '[]';
