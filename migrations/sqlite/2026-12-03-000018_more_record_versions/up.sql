-- Optimistic concurrency for the rest of the editable records: job seekers, logged
-- contacts, placements, partners, contact days and follow-ups (see 000017).
ALTER TABLE clients ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE outreach ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE placements ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE partners ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE contact_days ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE follow_ups ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Every writer counts the version up; the trigger acts only when a statement left it
-- unchanged (and so cannot recurse).
CREATE TRIGGER clients_version AFTER UPDATE ON clients
WHEN NEW.version = OLD.version
BEGIN UPDATE clients SET version = OLD.version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER outreach_version AFTER UPDATE ON outreach
WHEN NEW.version = OLD.version
BEGIN UPDATE outreach SET version = OLD.version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER placements_version AFTER UPDATE ON placements
WHEN NEW.version = OLD.version
BEGIN UPDATE placements SET version = OLD.version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER partners_version AFTER UPDATE ON partners
WHEN NEW.version = OLD.version
BEGIN UPDATE partners SET version = OLD.version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER contact_days_version AFTER UPDATE ON contact_days
WHEN NEW.version = OLD.version
BEGIN UPDATE contact_days SET version = OLD.version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER follow_ups_version AFTER UPDATE ON follow_ups
WHEN NEW.version = OLD.version
BEGIN UPDATE follow_ups SET version = OLD.version + 1 WHERE id = NEW.id; END;
