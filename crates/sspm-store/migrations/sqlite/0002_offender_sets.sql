-- Offender lists, stored once per content: zstd-compressed JSON arrays shared by the
-- results of every scan that found the same offenders. A scan of an unchanged tenant then
-- costs its result rows only (the offenders of a 10,000-user tenant are ~450 KB of JSON).
CREATE TABLE offender_sets (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256 TEXT    NOT NULL UNIQUE,                  -- of the JSON array
    count  BIGINT  NOT NULL,                         -- offenders in it
    size   BIGINT  NOT NULL,                         -- JSON bytes before compression
    data   BLOB    NOT NULL                          -- zstd
);

-- Set when the result has offenders (its `offenders` column is then `[]`).
ALTER TABLE results ADD COLUMN offender_set_id INTEGER REFERENCES offender_sets (id);
CREATE INDEX results_by_offender_set ON results (offender_set_id) WHERE offender_set_id IS NOT NULL;
