-- The report's view of activities (dvor-core::report), kept in the transaction that stores
-- each record (db/sync.rs → db/report.rs), from the same validated `Activity` a device reads:
--
-- * `activity_facts`: one row per live activity with the columns the report groups and sums
--   by; a deleted activity has none.
-- * `month_tally`: the facts already grouped by month, kind, variant, youth flag and place,
--   adjusted as facts come and go, so a report over whole months reads a few hundred rows
--   instead of grouping every activity. Its place and variant columns hold 0 and '' for none,
--   so rows compare equal in its primary key (SQLite's NULLs never do).
--
-- `facts_version` says which definition of the rows the tables hold: when the server's differs
-- (a new measure, say) it rebuilds both from the records at start-up, so no SQL here has to
-- know how a record stores its fields.
CREATE TABLE activity_facts (
    id             TEXT    PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL,
    variant        TEXT    NOT NULL,
    youth          INTEGER NOT NULL,
    committee_id   INTEGER NOT NULL,
    centre_id      INTEGER NOT NULL,
    district_id    INTEGER NOT NULL,
    date           TEXT    NOT NULL,
    month          TEXT    NOT NULL,
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

CREATE TABLE month_tally (
    month          TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    variant        TEXT    NOT NULL,
    youth          INTEGER NOT NULL,
    committee_id   INTEGER NOT NULL,
    centre_id      INTEGER NOT NULL,
    district_id    INTEGER NOT NULL,
    records        INTEGER NOT NULL,
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
    parcels        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, kind, variant, youth, committee_id, centre_id, district_id)
) WITHOUT ROWID;

CREATE TABLE facts_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO facts_version (id, version) VALUES (1, 0);
