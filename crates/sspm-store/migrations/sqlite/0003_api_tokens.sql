-- API tokens of `sspm serve`: only a SHA-256 of each token is kept (tokens are 256-bit
-- random, so a fast hash is enough); the token itself is shown once, at creation.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL UNIQUE,
    role         TEXT    NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    sha256       TEXT    NOT NULL UNIQUE,              -- hex, of the whole token
    created_by   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

