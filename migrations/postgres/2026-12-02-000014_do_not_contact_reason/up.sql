-- Why an employer must not be contacted (required when it enters the stage).
ALTER TABLE employers ADD COLUMN do_not_contact_reason TEXT;
