-- The audit log (dvor_core::audit): every administrative act, who did it, when, from where,
-- what, and the place it touched (so a coordinator reads their district's). Append-only: no
-- entry is ever changed; the oldest leave when they pass the kept time (--audit-keep-days).
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms        INTEGER NOT NULL,
    actor_id     INTEGER,
    address      TEXT,
    kind         TEXT    NOT NULL,
    act          TEXT    NOT NULL,
    district_id  INTEGER,
    committee_id INTEGER,
    centre_id    INTEGER
);
CREATE INDEX audit_log_by_time ON audit_log (at_ms);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
