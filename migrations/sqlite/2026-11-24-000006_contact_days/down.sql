DROP INDEX outreach_contact_day;
ALTER TABLE outreach DROP COLUMN contact_day_id;
DROP TABLE contact_day_targets;
DROP TABLE contact_day_participants;
DROP TABLE contact_days;
