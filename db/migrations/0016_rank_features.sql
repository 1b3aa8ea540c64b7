-- 0016_rank_features: the feature cache of prioritised screening (issue
-- 13, "retrain and re-rank 50,000 citations in under 1 s"; screen/
-- rank_cache.c).
--
-- Tokenising a citation's title, abstract and keywords is most of what a
-- ranking costs, and it gives the same result as long as the citation's
-- text and the feature parameters stay the same.  Each row keeps one
-- citation's raw term counts (rank.h: struct rank_raw -- hashed term
-- buckets and field-weighted counts, before document frequencies, IDF and
-- normalisation, which depend on the whole review and are computed at each
-- ranking), with what they were made from:
--   text_hash  a 64-bit hash of the title, abstract and keywords/MeSH the
--              ranking read (the citation's current merged metadata): a
--              merge, an update or an edit that changes them misses;
--   params     rank_raw_fingerprint() of the feature parameters and of the
--              tokeniser: a change of either misses.
-- A row that does not match is made again and replaced; rows of citations
-- no longer live are deleted by the next ranking.  Nothing else reads the
-- table: deleting its rows only costs the next ranking the time to make
-- them again, and rankings are the same with or without it.
--
-- data: terms entries, packed (rank_cache.c): the distinct counts (float,
-- little-endian) then, per term, the bucket as a varint delta from the
-- previous one and the index of its count.
CREATE TABLE screen_rank_features (
  citation_id  INTEGER PRIMARY KEY,
  text_hash    INTEGER NOT NULL,
  params       INTEGER NOT NULL,
  terms        INTEGER NOT NULL,
  data         BLOB NOT NULL
);
