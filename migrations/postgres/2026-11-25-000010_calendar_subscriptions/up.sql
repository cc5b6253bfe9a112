-- Partner calendars imported from a URL on a schedule (re-import updates by UID).
CREATE TABLE calendar_subscriptions (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    created_by BIGINT NOT NULL REFERENCES users(id),
    url TEXT NOT NULL,
    partner_id BIGINT,
    interval_minutes INTEGER NOT NULL,
    next_fetch_at TIMESTAMP NOT NULL,
    last_fetched_at TIMESTAMP,
    last_result TEXT,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX calendar_subscriptions_due ON calendar_subscriptions (next_fetch_at);
CREATE INDEX calendar_subscriptions_org ON calendar_subscriptions (organisation_id);
