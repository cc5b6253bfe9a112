DROP TABLE employer_events;
DROP TABLE leads;
DROP TABLE planned_contacts;
DROP TABLE follow_ups;
DROP TABLE outreach_clients;
DROP TABLE outreach;
ALTER TABLE employers DROP COLUMN contact_interval_days;
