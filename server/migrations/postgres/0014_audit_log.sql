-- The audit log (dvor_core::audit): every administrative act, who did it, when, from where,
-- what, and the place it touched (so a coordinator reads their district's). Append-only: no
-- entry is ever changed; the oldest leave when they pass the kept time (--audit-keep-days).
CREATE TABLE audit_log (
    id           BIGSERIAL PRIMARY KEY,
    at_ms        BIGINT NOT NULL,
    actor_id     BIGINT,
    address      TEXT,
    kind         TEXT   NOT NULL,
    act          TEXT   NOT NULL,
    district_id  BIGINT,
    committee_id BIGINT,
    centre_id    BIGINT
);
CREATE INDEX audit_log_by_time ON audit_log (at_ms);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
