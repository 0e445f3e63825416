-- Records become envelopes: fields stamped with hybrid logical clocks, merged field by field
-- (dvor-core::record). `state` is the envelope as JSON; `seq` is the pull cursor: it is taken
-- from `sync_counter` inside the writing transaction, so a record gets a new, higher `seq` on
-- every change and a reader never finds a change below a cursor it has passed (on PostgreSQL
-- too, where a bare sequence could commit out of order).
CREATE TABLE sync_counter (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO sync_counter (id, seq) VALUES (1, (SELECT COALESCE(MAX(seq), 0) FROM activities));

CREATE TABLE records (
    id         TEXT    PRIMARY KEY,
    kind       TEXT    NOT NULL,
    author     TEXT    NOT NULL,
    seq        INTEGER NOT NULL UNIQUE,
    hlc        TEXT    NOT NULL,
    deleted    INTEGER NOT NULL,
    state      TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

-- Every mutation ever received and what became of it, so that a mutation sent again (its
-- reply was lost) gets the same answer and changes nothing.
CREATE TABLE mutations (
    mutation_id TEXT PRIMARY KEY,
    record_id   TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    received_at TEXT NOT NULL
);

-- Activities stored before this version keep their place in the pull order and become records
-- created by the legacy author at the zero timestamp, each measure a field of its own (version 1
-- had only subbotniks, which count participants, bags and, optionally, area), exactly as a device upgrading its own
-- store and dvor-core::backup::legacy_creation make them, so every copy agrees.
INSERT INTO records (id, kind, author, seq, hlc, deleted, state, updated_at)
SELECT id, 'activity', 'import:v1', seq, '0000000000000-00000-0000000000000000', 0,
       json_object(
           'id', id,
           'kind', 'activity',
           'author', 'import:v1',
           'deleted', json_object('value', json('false'), 'hlc', '0000000000000-00000-0000000000000000'),
           'fields', json_object(
               'committee', json_object('value', committee, 'hlc', '0000000000000-00000-0000000000000000'),
               'date', json_object('value', date, 'hlc', '0000000000000-00000-0000000000000000'),
               'kind', json_object('value', kind, 'hlc', '0000000000000-00000-0000000000000000'),
               'measures.area_m2', json_object('value', json_extract(measures, '$.area_m2'), 'hlc', '0000000000000-00000-0000000000000000'),
               'measures.bags', json_object('value', json_extract(measures, '$.bags'), 'hlc', '0000000000000-00000-0000000000000000'),
               'measures.participants', json_object('value', json_extract(measures, '$.participants'), 'hlc', '0000000000000-00000-0000000000000000'),
               'site_address', json_object('value', site_address, 'hlc', '0000000000000-00000-0000000000000000')
           )
       ),
       received_at
FROM activities;

INSERT INTO mutations (mutation_id, record_id, outcome, received_at)
SELECT id, id, '"applied"', received_at FROM activities;

DROP TABLE activities;
