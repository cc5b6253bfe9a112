ALTER TABLE clients DROP COLUMN former_names;
DROP TABLE employer_merges;
ALTER TABLE clients DROP COLUMN erased_at;
DROP TABLE deleted_outreach;
DROP TRIGGER audit_events_no_delete;
DROP TRIGGER audit_events_action_check_insert;
DROP TRIGGER audit_events_entity_check_insert;
DROP TRIGGER audit_events_no_update;
DROP TABLE audit_events;
