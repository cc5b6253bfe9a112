-- E-mail goes through an outbox: a message is written in the same transaction as the
-- change that caused it, and a background worker sends it with retries.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id BIGINT REFERENCES users(id),
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    -- Stable Message-ID: a copy sent again after a crash reads as the same message.
    message_id TEXT NOT NULL UNIQUE,
    -- Scheduled messages (reminders, digests) are enqueued once per key.
    dedupe_key TEXT UNIQUE,
    -- The recipient's language and what the e-mail template needs; rendered when sent.
    lang TEXT NOT NULL,
    payload TEXT NOT NULL,
    ics TEXT,
    ics_method TEXT,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_org ON outbox (organisation_id, created_at);

-- Kinds of message a user has turned off (absent row = on).
CREATE TABLE mail_opt_outs (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- Raised on every change of a contact day, for the calendars' SEQUENCE.
ALTER TABLE contact_days ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
