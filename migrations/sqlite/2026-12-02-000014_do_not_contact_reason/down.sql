ALTER TABLE employers DROP COLUMN do_not_contact_reason;
