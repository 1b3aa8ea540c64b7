-- 0013_serve_workbench.sql - what the screening workbench ('lsr serve',
-- issue 12) adds: protocol settings the status views read, and each
-- reviewer's private notes and tags.

-- Screening settings of protocol.yaml that SQL views need (key -> value
-- as text).  lsr writes them from the protocol whenever a command loads
-- both (screen_settings_sync in screen/screening.c); a review never
-- touched since has none, and the views take the defaults.
--   reason_conflicts  'true' | 'false' (default): at title-abstract, are
--                     two excludes with different reasons a conflict?
CREATE TABLE screen_settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) WITHOUT ROWID;

-- screen_decided as in 0004_screen.sql, but at title-abstract two
-- excludes with different reasons are a conflict only when
-- screening.reason_conflicts is true; otherwise the citation is excluded
-- and its reason is that of the first reviewer (the earliest of the
-- current decisions) that gave one.  At full text they are a conflict,
-- as before.
DROP VIEW screen_decided;
CREATE VIEW screen_decided AS
  SELECT k.citation_id, k.stage,
    CASE
      WHEN mf.citation_id IS NOT NULL THEN 'conflict'
      WHEN r.id IS NOT NULL THEN CASE r.verdict WHEN 'exclude' THEN 'excluded' ELSE 'included' END
      WHEN v.n IS NULL THEN 'pending'
      WHEN v.n_exclude > 0 AND v.n_exclude < v.n THEN 'conflict'
      WHEN k.stage = 'full-text' AND v.n_maybe > 0 THEN 'conflict'
      WHEN v.n_exclude = v.n AND v.n_reasons > 1 AND (k.stage = 'full-text' OR rs.on_) THEN 'conflict'
      WHEN v.n < coalesce(q.required, 1) THEN 'pending'
      WHEN v.n_exclude = v.n THEN 'excluded'
      ELSE 'included'
    END AS status,
    CASE
      WHEN mf.citation_id IS NOT NULL THEN NULL
      WHEN r.id IS NOT NULL THEN r.reason
      WHEN v.n_exclude = v.n AND v.n_reasons = 1 THEN v.reason
      WHEN v.n_exclude = v.n AND v.n_reasons > 1 AND NOT (k.stage = 'full-text' OR rs.on_) THEN
        (SELECT c.reason FROM screen_current c WHERE c.citation_id = k.citation_id
         AND c.stage = k.stage AND c.verdict = 'exclude' AND c.reason IS NOT NULL
         ORDER BY c.id LIMIT 1)
    END AS reason,
    CASE
      WHEN mf.citation_id IS NOT NULL THEN NULL
      WHEN r.id IS NOT NULL THEN 'resolution'
      WHEN v.n IS NULL THEN NULL
      WHEN v.n_exclude > 0 AND v.n_exclude < v.n THEN NULL
      WHEN k.stage = 'full-text' AND v.n_maybe > 0 THEN NULL
      WHEN v.n_exclude = v.n AND v.n_reasons > 1 AND (k.stage = 'full-text' OR rs.on_) THEN NULL
      WHEN v.n < coalesce(q.required, 1) THEN NULL
      ELSE 'reviewers'
    END AS decided_by,
    CASE
      WHEN mf.citation_id IS NOT NULL THEN 'merge'
      WHEN r.id IS NOT NULL OR v.n IS NULL THEN NULL
      WHEN v.n_exclude > 0 AND v.n_exclude < v.n THEN 'disagreement'
      WHEN k.stage = 'full-text' AND v.n_maybe > 0 THEN 'maybe'
      WHEN v.n_exclude = v.n AND v.n_reasons > 1 AND (k.stage = 'full-text' OR rs.on_) THEN 'reason'
    END AS conflict,
    (r.id IS NOT NULL OR v.n IS NOT NULL) AS human,
    coalesce(v.n, 0) AS decisions,
    coalesce(q.required, 0) AS required
  FROM (SELECT coalesce((SELECT value = 'true' FROM screen_settings
                         WHERE key = 'reason_conflicts'), 0) AS on_) rs,
       (SELECT DISTINCT citation_id, stage FROM screen_decisions
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

-- A reviewer's own note and tags on a citation (the page's "note" and
-- "tags"), shown to nobody else but the arbiter, and to the arbiter only
-- beside a conflict.  tags: a JSON array of strings.
CREATE TABLE serve_notes (
  account_id  INTEGER NOT NULL REFERENCES serve_accounts(id),
  citation_id INTEGER NOT NULL REFERENCES citations(id),
  note        TEXT NOT NULL DEFAULT '',
  tags        TEXT NOT NULL DEFAULT '[]',
  at          TEXT NOT NULL,
  PRIMARY KEY (account_id, citation_id)
) WITHOUT ROWID;

-- A reviewer's assignments (lsr serve asks for them per request: progress,
-- the citations handed out and not yet decided).
CREATE INDEX screen_assignments_reviewer ON screen_assignments(reviewer, stage);
