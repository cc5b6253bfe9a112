DROP TRIGGER outreach_result_check_insert;
DROP TRIGGER outreach_result_check_update;
ALTER TABLE outreach DROP COLUMN result;
UPDATE users SET locale = 'fi' WHERE locale = 'sv';
UPDATE outbox SET lang = 'fi' WHERE lang = 'sv';
DROP TRIGGER users_locale_check_insert;
DROP TRIGGER users_locale_check_update;
DROP TRIGGER outbox_lang_check_insert;
DROP TRIGGER outbox_lang_check_update;
CREATE TRIGGER users_locale_check_insert BEFORE INSERT ON users
WHEN NEW.locale IS NOT NULL AND NEW.locale NOT IN ('fi', 'en')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: users_locale_check'); END;
CREATE TRIGGER users_locale_check_update BEFORE UPDATE OF locale ON users
WHEN NEW.locale IS NOT NULL AND NEW.locale NOT IN ('fi', 'en')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: users_locale_check'); END;
CREATE TRIGGER outbox_lang_check_insert BEFORE INSERT ON outbox
WHEN NEW.lang IS NOT NULL AND NEW.lang NOT IN ('fi', 'en')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_lang_check'); END;
CREATE TRIGGER outbox_lang_check_update BEFORE UPDATE OF lang ON outbox
WHEN NEW.lang IS NOT NULL AND NEW.lang NOT IN ('fi', 'en')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_lang_check'); END;
