-- The site each activity was done at ('' for none), so an export of sites sums the work of a
-- period at each in SQL. The rows' definition changes with it: the server's FACTS_VERSION
-- says so and it rebuilds the facts from the records at start-up, filling the column.
ALTER TABLE activity_facts ADD COLUMN site TEXT NOT NULL DEFAULT '';
CREATE INDEX activity_facts_by_site ON activity_facts (site, date);

-- An export of activities reads them by date and id: with the id in the index no sort is
-- needed, however many there are.
DROP INDEX activity_facts_by_date;
CREATE INDEX activity_facts_by_date ON activity_facts (date, id);

-- Records of one kind in the order they were made (their ids are UUIDv7): the loans of a
-- period for the report, the sites, items and movements of an export, read as a range instead
-- of a scan of every record.
CREATE INDEX records_by_kind ON records (kind, id);
