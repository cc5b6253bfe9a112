-- Shared employer contact days: specialists contact employers together on one day.
CREATE TABLE contact_days (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    host_id BIGINT NOT NULL REFERENCES users(id),
    day DATE NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT NOT NULL,
    theme TEXT,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX contact_days_org_day ON contact_days (organisation_id, day);

CREATE TABLE contact_day_participants (
    contact_day_id BIGINT NOT NULL REFERENCES contact_days(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (contact_day_id, user_id)
);

-- The day's target employers; after the call lists are built each has a caller, or the
-- reason it was left out.
CREATE TABLE contact_day_targets (
    contact_day_id BIGINT NOT NULL REFERENCES contact_days(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    assignee_id BIGINT REFERENCES users(id),
    excluded_reason TEXT,
    PRIMARY KEY (contact_day_id, employer_id)
);

ALTER TABLE outreach ADD COLUMN contact_day_id BIGINT REFERENCES contact_days(id);
CREATE INDEX outreach_contact_day ON outreach (organisation_id, contact_day_id);
