DROP TRIGGER planned_contacts_version;
DROP TRIGGER leads_version;
DROP TRIGGER contacts_version;
DROP TRIGGER employers_version;
ALTER TABLE planned_contacts DROP COLUMN version;
ALTER TABLE leads DROP COLUMN version;
ALTER TABLE contacts DROP COLUMN version;
ALTER TABLE employers DROP COLUMN version;
