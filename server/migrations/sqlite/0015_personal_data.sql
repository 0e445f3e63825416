-- Personal data (docs/security.md): when a person agreed to the notice at joining, when they
-- asked for their account's erasure, and when an admin carried it out (their name and login
-- are then gone; the row stays, so their records keep an author id and the counts stay).
ALTER TABLE users ADD COLUMN consented_at_ms INTEGER;
ALTER TABLE users ADD COLUMN erasure_requested_at_ms INTEGER;
ALTER TABLE users ADD COLUMN erased_at_ms INTEGER;
