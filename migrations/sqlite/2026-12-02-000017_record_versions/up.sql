-- Optimistic concurrency (domain::versioning): every save of these records counts up,
-- and an edit made from an older count is refused instead of overwriting.
ALTER TABLE employers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE leads ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE planned_contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
