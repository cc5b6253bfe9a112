-- Optimistic concurrency for the rest of the editable records: job seekers, logged
-- contacts, placements, partners, contact days and follow-ups (see 000017, whose
-- count_version_up() counts these up too).
ALTER TABLE clients ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE outreach ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE placements ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE partners ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE contact_days ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE follow_ups ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TRIGGER clients_version BEFORE UPDATE ON clients
FOR EACH ROW EXECUTE FUNCTION count_version_up();
CREATE TRIGGER outreach_version BEFORE UPDATE ON outreach
FOR EACH ROW EXECUTE FUNCTION count_version_up();
CREATE TRIGGER placements_version BEFORE UPDATE ON placements
FOR EACH ROW EXECUTE FUNCTION count_version_up();
CREATE TRIGGER partners_version BEFORE UPDATE ON partners
FOR EACH ROW EXECUTE FUNCTION count_version_up();
CREATE TRIGGER contact_days_version BEFORE UPDATE ON contact_days
FOR EACH ROW EXECUTE FUNCTION count_version_up();
CREATE TRIGGER follow_ups_version BEFORE UPDATE ON follow_ups
FOR EACH ROW EXECUTE FUNCTION count_version_up();
