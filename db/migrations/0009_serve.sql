-- 0009_serve.sql - accounts, logins and sessions of 'lsr serve', the local
-- screening web app (serve/ owns these tables; docs/cmd/lsr-serve.md).
-- Secrets are never stored: a login token or session id is kept as the
-- SHA-256 of its bytes (64 lowercase hex digits), so a copy of review.db
-- lets nobody log in.

-- A person who may log in.  name is the reviewer name decisions carry
-- (screen_decisions.reviewer); role arbiter may also see and resolve
-- conflicts.  revoked_at set: every token and session of the account is
-- refused.
CREATE TABLE serve_accounts (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  role        TEXT NOT NULL CHECK (role IN ('reviewer', 'arbiter')),
  created_at  TEXT NOT NULL,
  revoked_at  TEXT,
  actor       TEXT NOT NULL
);

-- One-time login links ('lsr serve --add-reviewer'): used_at is set by the
-- login that spends it.
CREATE TABLE serve_tokens (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES serve_accounts(id),
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  used_at     TEXT
);

-- Browser sessions (the HttpOnly cookie); they survive a restart of the
-- server and end with the account's revocation.
CREATE TABLE serve_sessions (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES serve_accounts(id),
  session_hash TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL
);

-- A decision the reviewer took back with "undo": the citation is handed
-- to them again until their next decision on it (decisions themselves are
-- append-only; the new decision supersedes the undone one).
CREATE TABLE serve_reopened (
  account_id  INTEGER NOT NULL REFERENCES serve_accounts(id),
  stage       TEXT NOT NULL CHECK (stage IN ('title-abstract', 'full-text')),
  citation_id INTEGER NOT NULL REFERENCES citations(id),
  decision_id INTEGER NOT NULL REFERENCES screen_decisions(id),
  at          TEXT NOT NULL,
  PRIMARY KEY (account_id, stage, citation_id)
) WITHOUT ROWID;

-- Each reviewer's own highlight words (kind include | exclude), shown in
-- their page only.
CREATE TABLE serve_highlights (
  account_id  INTEGER NOT NULL REFERENCES serve_accounts(id),
  kind        TEXT NOT NULL CHECK (kind IN ('include', 'exclude')),
  word        TEXT NOT NULL,
  at          TEXT NOT NULL,
  PRIMARY KEY (account_id, kind, word)
) WITHOUT ROWID;
