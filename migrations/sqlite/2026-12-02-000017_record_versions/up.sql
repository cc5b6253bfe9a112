-- Optimistic concurrency (domain::versioning): every change to these records counts the
-- version up, and an edit made from an older count is refused instead of overwriting.
ALTER TABLE employers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE leads ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE planned_contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Any other writer (a contact log entry moving the stage, a placement filling a lead,
-- expiry, cancelling a plan) counts up too. The edit forms set version themselves, so
-- the trigger only acts when a statement left it unchanged (and cannot recurse).
CREATE TRIGGER employers_version AFTER UPDATE ON employers
WHEN NEW.version = OLD.version
BEGIN UPDATE employers SET version = OLD.version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER contacts_version AFTER UPDATE ON contacts
WHEN NEW.version = OLD.version
BEGIN UPDATE contacts SET version = OLD.version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER leads_version AFTER UPDATE ON leads
WHEN NEW.version = OLD.version
BEGIN UPDATE leads SET version = OLD.version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER planned_contacts_version AFTER UPDATE ON planned_contacts
WHEN NEW.version = OLD.version
BEGIN UPDATE planned_contacts SET version = OLD.version + 1 WHERE id = NEW.id; END;
