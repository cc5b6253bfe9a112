-- The audit trail: who created, changed, deleted, merged, imported, exported, erased or
-- opened what, when, with the fields changed (JSON). Append-only: the database itself
-- refuses to change or remove a row, so no code path can.
CREATE TABLE audit_events (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id BIGINT,
    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'archive', 'restore', 'merge', 'import', 'export', 'erase', 'anonymise', 'view')),
    entity TEXT NOT NULL CHECK (entity IN ('employer', 'contact', 'outreach', 'lead', 'client', 'profile', 'placement', 'partner', 'user', 'organisation')),
    entity_id BIGINT,
    changes TEXT NOT NULL DEFAULT '[]',
    occurred_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_events_entity ON audit_events (organisation_id, entity, entity_id, id);
CREATE INDEX audit_events_org ON audit_events (organisation_id, id);
CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- A deleted contact-log entry is kept here as it was (JSON), for team leads to see.
CREATE TABLE deleted_outreach (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    outreach_id BIGINT NOT NULL,
    employer_id BIGINT NOT NULL,
    specialist_id BIGINT NOT NULL,
    entry TEXT NOT NULL,
    deleted_by BIGINT,
    deleted_at TIMESTAMP NOT NULL
);
CREATE INDEX deleted_outreach_org ON deleted_outreach (organisation_id, deleted_at);

-- When a job seeker's identity and free text were erased (on request or by retention).
ALTER TABLE clients ADD COLUMN erased_at TIMESTAMP;

-- An employer merged into another: its old address leads to the survivor, and what was
-- moved is kept to explain the merge afterwards.
CREATE TABLE employer_merges (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    merged_id BIGINT NOT NULL,
    merged_name TEXT NOT NULL,
    into_id BIGINT NOT NULL,
    merged TEXT NOT NULL,
    moved TEXT NOT NULL,
    merged_by BIGINT,
    merged_at TIMESTAMP NOT NULL
);
CREATE INDEX employer_merges_merged ON employer_merges (organisation_id, merged_id);

-- A job seeker's earlier names (one per line), so erasure finds them too.
ALTER TABLE clients ADD COLUMN former_names TEXT NOT NULL DEFAULT '';
