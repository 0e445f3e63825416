-- A return is checked against the movements of its loan, found by the loan they name: these
-- two expression indexes keep that a lookup, not a scan of every record. The expressions must
-- stay exactly those of `loan_ledger` in src/db/sync.rs for SQLite to use them.
CREATE INDEX records_lent_on ON records (json_extract(state, '$.fields.movement.value.lent.loan'));
CREATE INDEX records_returned_on ON records (json_extract(state, '$.fields.movement.value.returned.loan'));
