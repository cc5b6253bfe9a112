ALTER TABLE planned_contacts DROP COLUMN version;
ALTER TABLE leads DROP COLUMN version;
ALTER TABLE contacts DROP COLUMN version;
ALTER TABLE employers DROP COLUMN version;
