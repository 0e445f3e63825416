-- Invites: a code (kept only as its SHA-256) that lets people join with one role in one scope,
-- a limited number of times until it expires.
CREATE TABLE invites (
    code_hash  TEXT    PRIMARY KEY,
    grant_json TEXT    NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    uses_left  INTEGER NOT NULL CHECK (uses_left >= 0)
);
