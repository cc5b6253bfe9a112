ALTER TABLE clients DROP COLUMN former_names;
DROP TABLE employer_merges;
ALTER TABLE clients DROP COLUMN erased_at;
DROP TABLE deleted_outreach;
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
