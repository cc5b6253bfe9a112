-- Optimistic concurrency (domain::versioning): every change to these records counts the
-- version up, and an edit made from an older count is refused instead of overwriting.
ALTER TABLE employers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE leads ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE planned_contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Any other writer (a contact log entry moving the stage, a placement filling a lead,
-- expiry, cancelling a plan) counts up too. The edit forms set version themselves, so
-- the trigger only acts when a statement left it unchanged.
CREATE FUNCTION count_version_up() RETURNS trigger AS $$
BEGIN
    IF NEW.version = OLD.version THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER employers_version BEFORE UPDATE ON employers
FOR EACH ROW EXECUTE FUNCTION count_version_up();
CREATE TRIGGER contacts_version BEFORE UPDATE ON contacts
FOR EACH ROW EXECUTE FUNCTION count_version_up();
CREATE TRIGGER leads_version BEFORE UPDATE ON leads
FOR EACH ROW EXECUTE FUNCTION count_version_up();
CREATE TRIGGER planned_contacts_version BEFORE UPDATE ON planned_contacts
FOR EACH ROW EXECUTE FUNCTION count_version_up();
