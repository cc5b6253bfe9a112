-- Swedish joins Finnish and English (i18n::Lang).
DROP TRIGGER users_locale_check_insert;
DROP TRIGGER users_locale_check_update;
DROP TRIGGER outbox_lang_check_insert;
DROP TRIGGER outbox_lang_check_update;

-- i18n::Lang (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER users_locale_check_insert BEFORE INSERT ON users
WHEN NEW.locale IS NOT NULL AND NEW.locale NOT IN ('fi', 'sv', 'en')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: users_locale_check'); END;
CREATE TRIGGER users_locale_check_update BEFORE UPDATE OF locale ON users
WHEN NEW.locale IS NOT NULL AND NEW.locale NOT IN ('fi', 'sv', 'en')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: users_locale_check'); END;

-- i18n::Lang (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER outbox_lang_check_insert BEFORE INSERT ON outbox
WHEN NEW.lang IS NOT NULL AND NEW.lang NOT IN ('fi', 'sv', 'en')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_lang_check'); END;
CREATE TRIGGER outbox_lang_check_update BEFORE UPDATE OF lang ON outbox
WHEN NEW.lang IS NOT NULL AND NEW.lang NOT IN ('fi', 'sv', 'en')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_lang_check'); END;

-- What a call came to (outreach::CallResult); NULL where nobody said, e.g. older entries.
ALTER TABLE outreach ADD COLUMN result TEXT;
-- outreach::CallResult (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER outreach_result_check_insert BEFORE INSERT ON outreach
WHEN NEW.result IS NOT NULL AND NEW.result NOT IN ('no_answer', 'reached', 'meeting_booked')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_result_check'); END;
CREATE TRIGGER outreach_result_check_update BEFORE UPDATE OF result ON outreach
WHEN NEW.result IS NOT NULL AND NEW.result NOT IN ('no_answer', 'reached', 'meeting_booked')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_result_check'); END;
