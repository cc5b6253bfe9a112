-- Partner organisations (entrepreneur associations, employment services, ...), their
-- contact people, agreements, member employers and joint events; attribution of
-- employers, leads and placements to the partner they came through.
CREATE TABLE partners (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_lower TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- Municipality codes, comma-separated.
    area TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    notes TEXT,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX partners_org_name ON partners (organisation_id, name_lower);

CREATE TABLE partner_contacts (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    partner_id BIGINT NOT NULL REFERENCES partners(id),
    name TEXT NOT NULL,
    role TEXT,
    email TEXT,
    phone TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX partner_contacts_partner ON partner_contacts (organisation_id, partner_id);

CREATE TABLE partner_agreements (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    partner_id BIGINT NOT NULL REFERENCES partners(id),
    summary TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE,
    -- Links to the documents, one per line.
    links TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX partner_agreements_partner ON partner_agreements (organisation_id, partner_id);
CREATE INDEX partner_agreements_end ON partner_agreements (ends_on);

CREATE TABLE partner_members (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    partner_id BIGINT NOT NULL REFERENCES partners(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    source TEXT NOT NULL,
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (partner_id, employer_id)
);
CREATE INDEX partner_members_employer ON partner_members (organisation_id, employer_id);

CREATE TABLE partner_events (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    partner_id BIGINT NOT NULL REFERENCES partners(id),
    title TEXT NOT NULL,
    held_on DATE NOT NULL,
    place TEXT,
    notes TEXT,
    imported_event_id BIGINT REFERENCES events(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX partner_events_partner ON partner_events (organisation_id, partner_id, held_on);

CREATE TABLE partner_event_attendees (
    partner_event_id BIGINT NOT NULL REFERENCES partner_events(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (partner_event_id, user_id)
);

ALTER TABLE outreach ADD COLUMN partner_event_id BIGINT REFERENCES partner_events(id);
-- The partner an employer came through (first attribution wins) and how:
-- referral, event or member_list.
ALTER TABLE employers ADD COLUMN partner_id BIGINT REFERENCES partners(id);
ALTER TABLE employers ADD COLUMN partner_via TEXT;
-- When it came through: what happened before does not count for the partner.
ALTER TABLE employers ADD COLUMN partner_since TIMESTAMP;
ALTER TABLE leads ADD COLUMN partner_id BIGINT REFERENCES partners(id);
ALTER TABLE placements ADD COLUMN partner_id BIGINT REFERENCES partners(id);
CREATE INDEX employers_partner ON employers (organisation_id, partner_id);
CREATE INDEX leads_partner ON leads (organisation_id, partner_id);
CREATE INDEX placements_partner ON placements (organisation_id, partner_id);
