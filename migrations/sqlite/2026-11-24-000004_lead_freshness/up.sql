-- Lets the matching cache ask cheaply whether an organisation's leads changed.
CREATE INDEX leads_org_updated ON leads (organisation_id, updated_at);
