-- The city's territorial structure (dvor-core::reference): districts, and the neighbourhood
-- committees and community centres in each. Names are unique where a person must tell them
-- apart; ids are the server's and never reused.
CREATE TABLE districts (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE committees (
    id          INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL REFERENCES districts (id),
    name        TEXT    NOT NULL,
    UNIQUE (district_id, name)
);

CREATE TABLE centres (
    id          INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL REFERENCES districts (id),
    name        TEXT    NOT NULL,
    UNIQUE (district_id, name)
);
