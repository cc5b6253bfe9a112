DROP TABLE mail_opt_outs;
DROP TABLE outbox;
ALTER TABLE contact_days DROP COLUMN sequence;
