-- Devices a person has signed in on, by the hash of the key the browser keeps: attempts from
-- them are braked apart from strangers' (see server/src/auth/throttle.rs).
CREATE TABLE known_devices (
    user_id      INTEGER NOT NULL REFERENCES users (id),
    key_hash     TEXT    NOT NULL,
    last_used_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, key_hash)
);

-- One-time codes with which a person sets a new password, made by someone whose roles cover
-- theirs; kept only as a hash, one per person at a time, deleted when used.
CREATE TABLE password_resets (
    code_hash  TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL UNIQUE REFERENCES users (id),
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
