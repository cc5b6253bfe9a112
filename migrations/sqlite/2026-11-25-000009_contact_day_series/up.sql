-- Recurring contact days: a series with its RRULE; each occurrence is an ordinary
-- contact day (its own lists and tally) that remembers which occurrence it is, so a
-- moved or cancelled one becomes an exception (RECURRENCE-ID, EXDATE) in calendars.
CREATE TABLE contact_day_series (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    host_id BIGINT NOT NULL REFERENCES users(id),
    rrule TEXT NOT NULL,
    first_day DATE NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT NOT NULL,
    theme TEXT,
    sequence INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX contact_day_series_org ON contact_day_series (organisation_id);
ALTER TABLE contact_days ADD COLUMN series_id BIGINT REFERENCES contact_day_series(id);
-- The occurrence's original local start, as RECURRENCE-ID writes it (20261201T090000).
ALTER TABLE contact_days ADD COLUMN recurrence_id TEXT;
CREATE INDEX contact_days_series ON contact_days (organisation_id, series_id);
