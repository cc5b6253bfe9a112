-- Job seekers are pseudonymous: a display name the team uses (initials are fine), no
-- personal identity number, and no diagnosis, medication or treatment field anywhere.
CREATE TABLE clients (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    team_id BIGINT REFERENCES teams(id),
    specialist_id BIGINT NOT NULL REFERENCES users(id),
    display_name TEXT NOT NULL,
    intake_date DATE NOT NULL,
    status TEXT NOT NULL,
    wants_work BOOLEAN,
    wants_work_asked_on DATE,
    benefits_counselling_on DATE,
    consent_to_contact_employers BOOLEAN NOT NULL DEFAULT FALSE,
    disclosure TEXT NOT NULL DEFAULT 'none',
    disclosure_notes TEXT,
    own_first_employer_contact_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX clients_org_specialist ON clients (organisation_id, specialist_id, status);
CREATE INDEX clients_org_status ON clients (organisation_id, status, display_name);

-- Every saved profile is a new version; the newest is the profile.
CREATE TABLE client_profiles (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (client_id, version)
);
CREATE INDEX client_profiles_client ON client_profiles (organisation_id, client_id, version);

CREATE TABLE lead_proposals (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    proposed_by BIGINT REFERENCES users(id),
    status TEXT NOT NULL,
    reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (lead_id, client_id)
);
CREATE INDEX lead_proposals_client ON lead_proposals (organisation_id, client_id);

CREATE TABLE placements (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    lead_id BIGINT REFERENCES leads(id),
    job_title TEXT NOT NULL,
    isco_code TEXT,
    hours_per_week INTEGER,
    wage TEXT,
    starts_on DATE NOT NULL,
    ends_on DATE,
    end_reason TEXT,
    employment_type TEXT NOT NULL,
    competitive BOOLEAN NOT NULL,
    disclosure TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX placements_client ON placements (organisation_id, client_id, starts_on);
CREATE INDEX placements_org_start ON placements (organisation_id, starts_on);

CREATE TABLE support_contacts (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    placement_id BIGINT NOT NULL REFERENCES placements(id),
    specialist_id BIGINT NOT NULL REFERENCES users(id),
    occurred_on DATE NOT NULL,
    with_whom TEXT NOT NULL,
    channel TEXT NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX support_contacts_placement ON support_contacts (organisation_id, placement_id, occurred_on);

CREATE INDEX outreach_clients_client ON outreach_clients (organisation_id, client_id);
