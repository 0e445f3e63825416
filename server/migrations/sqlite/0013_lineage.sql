-- Which history of records this database holds (dvor_core::lineage): one row, its token drawn
-- by the server when it first opens the database, and drawn again by `dvor-server restore`, so
-- that devices which synced with what came after the backup start over and send it again.
CREATE TABLE lineage (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT    NOT NULL
);
