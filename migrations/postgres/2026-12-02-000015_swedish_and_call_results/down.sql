ALTER TABLE outreach DROP CONSTRAINT outreach_result_check;
ALTER TABLE outreach DROP COLUMN result;
UPDATE users SET locale = 'fi' WHERE locale = 'sv';
UPDATE outbox SET lang = 'fi' WHERE lang = 'sv';
ALTER TABLE users DROP CONSTRAINT users_locale_check;
ALTER TABLE users ADD CONSTRAINT users_locale_check CHECK (locale IN ('fi', 'en'));
ALTER TABLE outbox DROP CONSTRAINT outbox_lang_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_lang_check CHECK (lang IN ('fi', 'en'));
