-- sspm store schema, SQLite flavour. Keep in step with migrations/postgres/0001_init.sql:
-- both backends run the same queries, so tables and columns must match.
-- Timestamps are RFC 3339 text in UTC (sqlx's chrono encoding), days are YYYY-MM-DD text.

CREATE TABLE instances (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL UNIQUE,
    app             TEXT    NOT NULL,
    config          TEXT    NOT NULL DEFAULT '{}',   -- non-secret configuration (JSON)
    recommendations BOOLEAN NOT NULL DEFAULT 1,      -- assessed and scored, or only collected
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);

CREATE TABLE credentials (
    instance_id INTEGER NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    ciphertext  BLOB    NOT NULL,                    -- XChaCha20-Poly1305, tag included
    nonce       BLOB    NOT NULL,                    -- 24 bytes
    key_id      TEXT    NOT NULL,                    -- fingerprint of the master key used
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (instance_id, name)
);

CREATE TABLE snapshots (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256      TEXT    NOT NULL UNIQUE,             -- of the stored JSON (collected_at blanked)
    app         TEXT    NOT NULL,
    size        BIGINT  NOT NULL,                    -- JSON bytes before compression
    stored_size BIGINT  NOT NULL,                    -- zstd bytes
    data        BLOB    NOT NULL,
    created_at  TEXT    NOT NULL
);

CREATE TABLE scans (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_id    INTEGER NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    status         TEXT    NOT NULL CHECK (status IN ('running', 'succeeded', 'partial', 'failed')),
    started_at     TEXT    NOT NULL,
    finished_at    TEXT,
    owner_host     TEXT    NOT NULL,
    owner_pid      BIGINT  NOT NULL,
    owner_start    BIGINT  NOT NULL,                 -- process start time (Linux clock ticks), 0 if unknown
    snapshot_id    INTEGER REFERENCES snapshots (id),
    tenant         TEXT,
    collected_at   TEXT,                             -- as written in the snapshot
    assessed_at    TEXT,                             -- as written in the assessment
    score_achieved DOUBLE PRECISION,
    score_possible DOUBLE PRECISION,
    results        BIGINT  NOT NULL DEFAULT 0,
    passed         BIGINT  NOT NULL DEFAULT 0,
    failed         BIGINT  NOT NULL DEFAULT 0,
    manual         BIGINT  NOT NULL DEFAULT 0,
    not_applicable BIGINT  NOT NULL DEFAULT 0,
    errors         BIGINT  NOT NULL DEFAULT 0,
    resources      BIGINT  NOT NULL DEFAULT 0,
    failures       BIGINT  NOT NULL DEFAULT 0,
    collect_ms     BIGINT,
    assess_ms      BIGINT,
    write_ms       BIGINT,
    error          TEXT
);
CREATE INDEX scans_by_instance ON scans (instance_id, id);
CREATE INDEX scans_running ON scans (status) WHERE status = 'running';
CREATE INDEX scans_by_snapshot ON scans (snapshot_id);

CREATE TABLE results (
    scan_id             INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    check_id            TEXT    NOT NULL,
    rank                BIGINT  NOT NULL,
    title               TEXT    NOT NULL,
    severity            TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('pass', 'fail', 'manual', 'not_applicable', 'error')),
    points              DOUBLE PRECISION NOT NULL,
    max_points          DOUBLE PRECISION NOT NULL,
    compliant           BIGINT,
    total               BIGINT,
    reason              TEXT    NOT NULL,
    offenders           TEXT    NOT NULL,            -- JSON array
    benchmarks          TEXT    NOT NULL,            -- JSON array
    initiatives         TEXT    NOT NULL,            -- JSON array
    scoring             TEXT    NOT NULL,
    user_impact         TEXT    NOT NULL,
    implementation_cost TEXT    NOT NULL,
    PRIMARY KEY (scan_id, check_id)
);
CREATE INDEX results_by_check ON results (check_id, scan_id);

CREATE TABLE recommendation_states (
    instance_id INTEGER NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    check_id    TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('risk_accepted', 'mitigated_third_party', 'mitigated_alternate', 'planned')),
    reason      TEXT    NOT NULL,
    until       TEXT,                                -- not in effect from this time on
    set_by      TEXT    NOT NULL,
    set_at      TEXT    NOT NULL,
    PRIMARY KEY (instance_id, check_id)
);

CREATE TABLE daily_scores (
    instance_id INTEGER NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    day         TEXT    NOT NULL,                    -- UTC day of the assessment
    achieved    DOUBLE PRECISION NOT NULL,
    possible    DOUBLE PRECISION NOT NULL,
    scan_id     INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    PRIMARY KEY (instance_id, day)
);

-- No foreign keys: the audit log outlives what it names.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT    NOT NULL,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    target  TEXT    NOT NULL,
    details TEXT    NOT NULL                         -- JSON object
);
CREATE INDEX audit_by_target ON audit_log (target, id);
