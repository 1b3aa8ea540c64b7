-- 0010_search_dates: when and how each search was run (PRISMA-S).
--
-- searched_on is the day the search was run in the database: for 'lsr
-- search' the day of the run, for an import the date the person gives
-- with --searched (the export may be imported days later), NULL when not
-- recorded.  database_version is the database's version or build as the
-- service reported it (searches) or the person recorded it (imports);
-- strategy is the search strategy as run (text), for the report's methods.
-- Living-update windows start from the last search date, not the last
-- import time.

ALTER TABLE runs ADD COLUMN searched_on TEXT;
ALTER TABLE runs ADD COLUMN database_version TEXT;
ALTER TABLE runs ADD COLUMN strategy TEXT;

UPDATE runs SET searched_on = substr(started_at, 1, 10) WHERE kind = 'search';
UPDATE runs SET database_version = (SELECT service_version FROM search_runs s WHERE s.run_id = runs.id)
 WHERE kind = 'search';
UPDATE runs SET strategy = query WHERE kind = 'search';
