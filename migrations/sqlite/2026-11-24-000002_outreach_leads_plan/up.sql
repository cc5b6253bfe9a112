ALTER TABLE employers ADD COLUMN contact_interval_days INTEGER;

CREATE TABLE outreach (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    specialist_id BIGINT NOT NULL REFERENCES users(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    contact_id BIGINT REFERENCES contacts(id) ON DELETE SET NULL,
    occurred_at TIMESTAMP NOT NULL,
    channel TEXT NOT NULL,
    visit_kind TEXT NOT NULL,
    met_hiring_authority BOOLEAN NOT NULL DEFAULT 0,
    on_behalf_of TEXT NOT NULL DEFAULT 'general',
    client_present BOOLEAN NOT NULL DEFAULT 0,
    purpose TEXT NOT NULL,
    learned TEXT,
    outcome TEXT,
    next_step TEXT,
    next_step_due DATE,
    planned_contact_id BIGINT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX outreach_employer ON outreach (organisation_id, employer_id, occurred_at);
CREATE INDEX outreach_specialist ON outreach (organisation_id, specialist_id, occurred_at);

-- The job seekers a contact was made for; filled once clients exist (issue 4).
CREATE TABLE outreach_clients (
    outreach_id BIGINT NOT NULL REFERENCES outreach(id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    client_id BIGINT NOT NULL,
    PRIMARY KEY (outreach_id, client_id)
);

CREATE TABLE follow_ups (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    outreach_id BIGINT REFERENCES outreach(id) ON DELETE SET NULL,
    assignee_id BIGINT NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    due_on DATE NOT NULL,
    status TEXT NOT NULL,
    done_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX follow_ups_assignee ON follow_ups (organisation_id, assignee_id, status, due_on);
CREATE INDEX follow_ups_employer ON follow_ups (organisation_id, employer_id, due_on);

CREATE TABLE planned_contacts (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    specialist_id BIGINT NOT NULL REFERENCES users(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    planned_on DATE NOT NULL,
    planned_time TEXT,
    channel TEXT NOT NULL,
    purpose TEXT NOT NULL,
    note TEXT,
    status TEXT NOT NULL,
    outreach_id BIGINT REFERENCES outreach(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX planned_specialist ON planned_contacts (organisation_id, specialist_id, planned_on);
CREATE INDEX planned_employer ON planned_contacts (organisation_id, employer_id, planned_on);

CREATE TABLE leads (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    title TEXT NOT NULL,
    isco_code TEXT,
    description TEXT,
    hours_min INTEGER,
    hours_max INTEGER,
    schedule_days TEXT NOT NULL DEFAULT '',
    schedule_shifts TEXT NOT NULL DEFAULT '',
    municipality_code TEXT,
    wage TEXT,
    requirements TEXT,
    starts_on DATE,
    apply_by DATE,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    found_by BIGINT REFERENCES users(id),
    outreach_id BIGINT REFERENCES outreach(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX leads_status ON leads (organisation_id, status, apply_by);
CREATE INDEX leads_employer ON leads (organisation_id, employer_id, created_at);

CREATE TABLE employer_events (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    user_id BIGINT REFERENCES users(id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL
);
CREATE INDEX employer_events_employer ON employer_events (organisation_id, employer_id, occurred_at);
