-- People, the roles they hold (dvor-core::access), and their sessions. A session's token is
-- never stored: only its SHA-256, so a copy of the database signs nobody in.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- `grant_json` is a dvor-core Grant ({"role", "scope"}), checked on the way in and out.
CREATE TABLE user_grants (
    user_id    INTEGER NOT NULL REFERENCES users (id),
    grant_json TEXT    NOT NULL,
    PRIMARY KEY (user_id, grant_json)
);

CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    device     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ended_at   INTEGER
);
CREATE INDEX sessions_by_user ON sessions (user_id);
