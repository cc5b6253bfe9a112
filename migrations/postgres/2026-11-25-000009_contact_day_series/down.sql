DROP INDEX contact_days_series;
ALTER TABLE contact_days DROP COLUMN recurrence_id;
ALTER TABLE contact_days DROP COLUMN series_id;
DROP TABLE contact_day_series;
