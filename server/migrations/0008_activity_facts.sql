-- The report's view of activities: one row per live activity, with the columns the report's
-- SQL groups and sums by (dvor-core::report). Written in the transaction that stores the record
-- (db/sync.rs), from the same validated `Activity` a device reads; a deleted activity has no
-- row. `facts_version` says which definition of the rows the table holds: when the server's
-- differs (a new measure, say) it rebuilds the table from the records at start-up
-- (db/report.rs), so no SQL here has to know how a record stores its fields.
CREATE TABLE activity_facts (
    id             TEXT    PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL,
    variant        TEXT,
    youth          INTEGER NOT NULL,
    committee_id   INTEGER,
    centre_id      INTEGER,
    district_id    INTEGER NOT NULL,
    date           TEXT    NOT NULL,
    participants   INTEGER NOT NULL DEFAULT 0,
    bags           INTEGER NOT NULL DEFAULT 0,
    area_m2        INTEGER NOT NULL DEFAULT 0,
    shrubs         INTEGER NOT NULL DEFAULT 0,
    trees          INTEGER NOT NULL DEFAULT 0,
    flower_beds    INTEGER NOT NULL DEFAULT 0,
    seedlings      INTEGER NOT NULL DEFAULT 0,
    yards          INTEGER NOT NULL DEFAULT 0,
    entrances      INTEGER NOT NULL DEFAULT 0,
    balconies      INTEGER NOT NULL DEFAULT 0,
    snow_towns     INTEGER NOT NULL DEFAULT 0,
    snow_figures   INTEGER NOT NULL DEFAULT 0,
    citizens_seen  INTEGER NOT NULL DEFAULT 0,
    members        INTEGER NOT NULL DEFAULT 0,
    items          INTEGER NOT NULL DEFAULT 0,
    recyclables_kg INTEGER NOT NULL DEFAULT 0,
    parcels        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX activity_facts_by_date ON activity_facts (date);

CREATE TABLE facts_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO facts_version (id, version) VALUES (1, 0);
