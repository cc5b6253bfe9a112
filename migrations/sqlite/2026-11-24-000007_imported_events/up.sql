-- Events imported from partners' calendars (.ics). One row per UID, and one per
-- changed occurrence of a recurring event (RECURRENCE-ID); re-import updates them.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    partner_id BIGINT,
    uid TEXT NOT NULL,
    recurrence_key TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL,
    description TEXT,
    location TEXT,
    starts_at TIMESTAMP,
    ends_at TIMESTAMP,
    start_date DATE,
    end_date DATE,
    all_day BOOLEAN NOT NULL DEFAULT 0,
    rrule TEXT,
    exdates TEXT NOT NULL DEFAULT '',
    attendees TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    sequence INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (organisation_id, uid, recurrence_key)
);
CREATE INDEX events_org_start ON events (organisation_id, starts_at);
CREATE INDEX events_org_date ON events (organisation_id, start_date);
