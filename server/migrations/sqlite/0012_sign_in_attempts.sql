-- The brake on guessing passwords and codes (server/src/auth/throttle.rs), kept here rather
-- than in one process's memory so that every server process on the database brakes the same
-- guessing. One row per attempt and key it counts against (an address, an account, an
-- account's known device, a code; each a SHA-256, so no address or login is kept in the
-- clear): pending while the attempt is checked, a failure after it failed. Rows leave when
-- they no longer count.
CREATE TABLE sign_in_attempts (
    key_hash TEXT    NOT NULL,
    attempt  TEXT    NOT NULL,
    at_ms    INTEGER NOT NULL,
    pending  INTEGER NOT NULL,
    PRIMARY KEY (key_hash, attempt)
);
CREATE INDEX sign_in_attempts_by_attempt ON sign_in_attempts (attempt);
CREATE INDEX sign_in_attempts_by_time ON sign_in_attempts (at_ms);
