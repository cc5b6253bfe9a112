-- Swedish joins Finnish and English (i18n::Lang).
ALTER TABLE users DROP CONSTRAINT users_locale_check;
ALTER TABLE users ADD CONSTRAINT users_locale_check CHECK (locale IN ('fi', 'sv', 'en'));
ALTER TABLE outbox DROP CONSTRAINT outbox_lang_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_lang_check CHECK (lang IN ('fi', 'sv', 'en'));

-- What a call came to (outreach::CallResult); NULL where nobody said, e.g. older entries.
ALTER TABLE outreach ADD COLUMN result TEXT;
-- outreach::CallResult (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE outreach ADD CONSTRAINT outreach_result_check CHECK (result IN ('no_answer', 'reached', 'meeting_booked'));
