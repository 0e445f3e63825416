-- Records belong to a committee or a centre (dvor-core::access::Owner), fixed when they are
-- made, and a pull returns only the records of the places a person may read. The owner is
-- kept in columns beside the state, with the district it lies in, so a pull filters in SQL.
--
-- Records stored before accounts belong to no committee or centre and cannot be placed: the
-- old tables are kept as they were, renamed, for an administrator to look at, and no longer
-- served. (No installation held such records: accounts came before the first deployment.)
ALTER TABLE records RENAME TO records_before_accounts;
ALTER TABLE mutations RENAME TO mutations_before_accounts;

CREATE TABLE records (
    id           TEXT    PRIMARY KEY,
    kind         TEXT    NOT NULL,
    author       TEXT    NOT NULL,
    committee_id INTEGER REFERENCES committees (id),
    centre_id    INTEGER REFERENCES centres (id),
    district_id  INTEGER NOT NULL REFERENCES districts (id),
    seq          INTEGER NOT NULL UNIQUE,
    hlc          TEXT    NOT NULL,
    deleted      INTEGER NOT NULL,
    state        TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    CHECK ((committee_id IS NULL) <> (centre_id IS NULL))
);
CREATE INDEX records_by_committee ON records (committee_id, seq);
CREATE INDEX records_by_centre ON records (centre_id, seq);
CREATE INDEX records_by_district ON records (district_id, seq);

CREATE TABLE mutations (
    mutation_id TEXT PRIMARY KEY,
    record_id   TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    received_at TEXT NOT NULL
);
