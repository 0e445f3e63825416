-- Activities as validated by dvor-core. `seq` is the server's sequence: the pull cursor.
-- AUTOINCREMENT keeps it strictly increasing and never reused, and SQLite serialises writers,
-- so a reader that saw seq N will never later find a new row below N.
CREATE TABLE activities (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT    NOT NULL UNIQUE,
    kind         TEXT    NOT NULL,
    date         TEXT    NOT NULL,
    committee    TEXT    NOT NULL,
    site_address TEXT    NOT NULL,
    measures     TEXT    NOT NULL,
    received_at  TEXT    NOT NULL
);
