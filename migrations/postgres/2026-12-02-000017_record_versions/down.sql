DROP TRIGGER planned_contacts_version ON planned_contacts;
DROP TRIGGER leads_version ON leads;
DROP TRIGGER contacts_version ON contacts;
DROP TRIGGER employers_version ON employers;
DROP FUNCTION count_version_up();
ALTER TABLE planned_contacts DROP COLUMN version;
ALTER TABLE leads DROP COLUMN version;
ALTER TABLE contacts DROP COLUMN version;
ALTER TABLE employers DROP COLUMN version;
