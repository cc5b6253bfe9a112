-- SQLite hands a deleted row's id to the next new row unless the table is declared
-- AUTOINCREMENT; the audit trail, bookmarks and archives name records by id, so a new
-- job seeker must never get a deleted one's. Each table is rebuilt with AUTOINCREMENT
-- (SQLite's documented way to change a table's definition), its indexes and triggers
-- made again as they were. PostgreSQL's sequences never reuse ids.
-- Runs outside diesel's transaction (metadata.toml) because foreign keys can only be
-- switched off between transactions; the rebuild itself is one transaction.
PRAGMA foreign_keys = OFF;
PRAGMA legacy_alter_table = ON;
BEGIN;

-- api_tokens
CREATE TABLE api_tokens__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    token_prefix TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
INSERT INTO api_tokens__rebuilt SELECT * FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens__rebuilt RENAME TO api_tokens;
CREATE INDEX api_tokens_user ON api_tokens (organisation_id, user_id);

-- calendar_feeds
CREATE TABLE calendar_feeds__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    secret TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
INSERT INTO calendar_feeds__rebuilt SELECT * FROM calendar_feeds;
DROP TABLE calendar_feeds;
ALTER TABLE calendar_feeds__rebuilt RENAME TO calendar_feeds;
CREATE UNIQUE INDEX calendar_feeds_one_live ON calendar_feeds (user_id) WHERE revoked_at IS NULL;
CREATE INDEX calendar_feeds_user ON calendar_feeds (organisation_id, user_id);

-- calendar_subscriptions
CREATE TABLE calendar_subscriptions__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    created_by BIGINT NOT NULL REFERENCES users(id),
    url TEXT NOT NULL,
    partner_id BIGINT,
    interval_minutes INTEGER NOT NULL,
    next_fetch_at TIMESTAMP NOT NULL,
    last_fetched_at TIMESTAMP,
    last_result TEXT,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO calendar_subscriptions__rebuilt SELECT * FROM calendar_subscriptions;
DROP TABLE calendar_subscriptions;
ALTER TABLE calendar_subscriptions__rebuilt RENAME TO calendar_subscriptions;
CREATE INDEX calendar_subscriptions_due ON calendar_subscriptions (next_fetch_at);
CREATE INDEX calendar_subscriptions_org ON calendar_subscriptions (organisation_id);

-- client_profiles
CREATE TABLE client_profiles__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (client_id, version)
);
INSERT INTO client_profiles__rebuilt SELECT * FROM client_profiles;
DROP TABLE client_profiles;
ALTER TABLE client_profiles__rebuilt RENAME TO client_profiles;
CREATE INDEX client_profiles_client ON client_profiles (organisation_id, client_id, version);

-- clients
CREATE TABLE clients__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    team_id BIGINT REFERENCES teams(id),
    specialist_id BIGINT NOT NULL REFERENCES users(id),
    display_name TEXT NOT NULL,
    intake_date DATE NOT NULL,
    status TEXT NOT NULL,
    wants_work BOOLEAN,
    wants_work_asked_on DATE,
    benefits_counselling_on DATE,
    consent_to_contact_employers BOOLEAN NOT NULL DEFAULT 0,
    disclosure TEXT NOT NULL DEFAULT 'none',
    disclosure_notes TEXT,
    own_first_employer_contact_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
, version INTEGER NOT NULL DEFAULT 1, erased_at TIMESTAMP, former_names TEXT NOT NULL DEFAULT '');
INSERT INTO clients__rebuilt SELECT * FROM clients;
DROP TABLE clients;
ALTER TABLE clients__rebuilt RENAME TO clients;
CREATE INDEX clients_org_specialist ON clients (organisation_id, specialist_id, status);
CREATE INDEX clients_org_status ON clients (organisation_id, status, display_name);
CREATE TRIGGER clients_disclosure_check_insert BEFORE INSERT ON clients
WHEN NEW.disclosure IS NOT NULL AND NEW.disclosure NOT IN ('none', 'general', 'full')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: clients_disclosure_check'); END;
CREATE TRIGGER clients_disclosure_check_update BEFORE UPDATE OF disclosure ON clients
WHEN NEW.disclosure IS NOT NULL AND NEW.disclosure NOT IN ('none', 'general', 'full')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: clients_disclosure_check'); END;
CREATE TRIGGER clients_status_check_insert BEFORE INSERT ON clients
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('exploring', 'job_search', 'working', 'follow_along', 'paused', 'closed')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: clients_status_check'); END;
CREATE TRIGGER clients_status_check_update BEFORE UPDATE OF status ON clients
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('exploring', 'job_search', 'working', 'follow_along', 'paused', 'closed')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: clients_status_check'); END;
CREATE TRIGGER clients_version AFTER UPDATE ON clients
WHEN NEW.version = OLD.version
BEGIN UPDATE clients SET version = OLD.version + 1 WHERE id = NEW.id; END;

-- contact_day_series
CREATE TABLE contact_day_series__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    host_id BIGINT NOT NULL REFERENCES users(id),
    rrule TEXT NOT NULL,
    first_day DATE NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT NOT NULL,
    theme TEXT,
    sequence INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO contact_day_series__rebuilt SELECT * FROM contact_day_series;
DROP TABLE contact_day_series;
ALTER TABLE contact_day_series__rebuilt RENAME TO contact_day_series;
CREATE INDEX contact_day_series_org ON contact_day_series (organisation_id);

-- contact_days
CREATE TABLE contact_days__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    host_id BIGINT NOT NULL REFERENCES users(id),
    day DATE NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT NOT NULL,
    theme TEXT,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
, sequence INTEGER NOT NULL DEFAULT 0, series_id BIGINT REFERENCES contact_day_series(id), recurrence_id TEXT, version INTEGER NOT NULL DEFAULT 1);
INSERT INTO contact_days__rebuilt SELECT * FROM contact_days;
DROP TABLE contact_days;
ALTER TABLE contact_days__rebuilt RENAME TO contact_days;
CREATE INDEX contact_days_org_day ON contact_days (organisation_id, day);
CREATE INDEX contact_days_series ON contact_days (organisation_id, series_id);
CREATE TRIGGER contact_days_status_check_insert BEFORE INSERT ON contact_days
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('planned', 'cancelled')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: contact_days_status_check'); END;
CREATE TRIGGER contact_days_status_check_update BEFORE UPDATE OF status ON contact_days
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('planned', 'cancelled')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: contact_days_status_check'); END;
CREATE TRIGGER contact_days_version AFTER UPDATE ON contact_days
WHEN NEW.version = OLD.version
BEGIN UPDATE contact_days SET version = OLD.version + 1 WHERE id = NEW.id; END;

-- contacts
CREATE TABLE contacts__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    name TEXT NOT NULL,
    title TEXT,
    phone TEXT,
    email TEXT,
    preferred_channel TEXT,
    can_hire BOOLEAN NOT NULL DEFAULT 0,
    notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
, version INTEGER NOT NULL DEFAULT 1);
INSERT INTO contacts__rebuilt SELECT * FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts__rebuilt RENAME TO contacts;
CREATE INDEX contacts_employer ON contacts (organisation_id, employer_id, name);
CREATE TRIGGER contacts_preferred_channel_check_insert BEFORE INSERT ON contacts
WHEN NEW.preferred_channel IS NOT NULL AND NEW.preferred_channel NOT IN ('email', 'phone', 'in_person', 'text_message')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: contacts_preferred_channel_check'); END;
CREATE TRIGGER contacts_preferred_channel_check_update BEFORE UPDATE OF preferred_channel ON contacts
WHEN NEW.preferred_channel IS NOT NULL AND NEW.preferred_channel NOT IN ('email', 'phone', 'in_person', 'text_message')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: contacts_preferred_channel_check'); END;
CREATE TRIGGER contacts_version AFTER UPDATE ON contacts
WHEN NEW.version = OLD.version
BEGIN UPDATE contacts SET version = OLD.version + 1 WHERE id = NEW.id; END;

-- employer_events
CREATE TABLE employer_events__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    user_id BIGINT REFERENCES users(id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL
);
INSERT INTO employer_events__rebuilt SELECT * FROM employer_events;
DROP TABLE employer_events;
ALTER TABLE employer_events__rebuilt RENAME TO employer_events;
CREATE INDEX employer_events_employer ON employer_events (organisation_id, employer_id, occurred_at);
CREATE TRIGGER employer_events_kind_check_insert BEFORE INSERT ON employer_events
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('stage')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employer_events_kind_check'); END;
CREATE TRIGGER employer_events_kind_check_update BEFORE UPDATE OF kind ON employer_events
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('stage')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employer_events_kind_check'); END;

-- employers
CREATE TABLE employers__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_lower TEXT NOT NULL,
    business_id TEXT,
    industry TEXT,
    size_class TEXT,
    street_address TEXT,
    postal_code TEXT,
    municipality_code TEXT,
    website TEXT,
    description TEXT,
    tags TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    stage TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    archived_at TIMESTAMP, contact_interval_days INTEGER, partner_id BIGINT REFERENCES partners(id), partner_via TEXT, partner_since TIMESTAMP, do_not_contact_reason TEXT, version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, business_id)
);
INSERT INTO employers__rebuilt SELECT * FROM employers;
DROP TABLE employers;
ALTER TABLE employers__rebuilt RENAME TO employers;
CREATE INDEX employers_org_created ON employers (organisation_id, created_at, id);
CREATE INDEX employers_org_industry ON employers (organisation_id, industry, name_lower);
CREATE INDEX employers_org_municipality ON employers (organisation_id, municipality_code, name_lower);
CREATE INDEX employers_org_name ON employers (organisation_id, name_lower, id);
CREATE INDEX employers_org_owner ON employers (organisation_id, owner_id, name_lower);
CREATE INDEX employers_org_stage ON employers (organisation_id, stage, name_lower);
CREATE INDEX employers_org_updated ON employers (organisation_id, updated_at, id);
CREATE INDEX employers_partner ON employers (organisation_id, partner_id);
CREATE TRIGGER employers_industry_check_insert BEFORE INSERT ON employers
WHEN NEW.industry IS NOT NULL AND NEW.industry NOT IN ('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employers_industry_check'); END;
CREATE TRIGGER employers_industry_check_update BEFORE UPDATE OF industry ON employers
WHEN NEW.industry IS NOT NULL AND NEW.industry NOT IN ('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employers_industry_check'); END;
CREATE TRIGGER employers_partner_via_check_insert BEFORE INSERT ON employers
WHEN NEW.partner_via IS NOT NULL AND NEW.partner_via NOT IN ('referral', 'event', 'member_list')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employers_partner_via_check'); END;
CREATE TRIGGER employers_partner_via_check_update BEFORE UPDATE OF partner_via ON employers
WHEN NEW.partner_via IS NOT NULL AND NEW.partner_via NOT IN ('referral', 'event', 'member_list')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employers_partner_via_check'); END;
CREATE TRIGGER employers_size_class_check_insert BEFORE INSERT ON employers
WHEN NEW.size_class IS NOT NULL AND NEW.size_class NOT IN ('1-9', '10-49', '50-249', '250+')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employers_size_class_check'); END;
CREATE TRIGGER employers_size_class_check_update BEFORE UPDATE OF size_class ON employers
WHEN NEW.size_class IS NOT NULL AND NEW.size_class NOT IN ('1-9', '10-49', '50-249', '250+')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employers_size_class_check'); END;
CREATE TRIGGER employers_stage_check_insert BEFORE INSERT ON employers
WHEN NEW.stage IS NOT NULL AND NEW.stage NOT IN ('not_contacted', 'introduced', 'learning_needs', 'active', 'hiring_partner', 'paused', 'do_not_contact')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employers_stage_check'); END;
CREATE TRIGGER employers_stage_check_update BEFORE UPDATE OF stage ON employers
WHEN NEW.stage IS NOT NULL AND NEW.stage NOT IN ('not_contacted', 'introduced', 'learning_needs', 'active', 'hiring_partner', 'paused', 'do_not_contact')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employers_stage_check'); END;
CREATE TRIGGER employers_version AFTER UPDATE ON employers
WHEN NEW.version = OLD.version
BEGIN UPDATE employers SET version = OLD.version + 1 WHERE id = NEW.id; END;

-- events
CREATE TABLE events__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    partner_id BIGINT,
    uid TEXT NOT NULL,
    recurrence_key TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL,
    description TEXT,
    location TEXT,
    starts_at TIMESTAMP,
    ends_at TIMESTAMP,
    start_date DATE,
    end_date DATE,
    all_day BOOLEAN NOT NULL DEFAULT 0,
    rrule TEXT,
    exdates TEXT NOT NULL DEFAULT '',
    attendees TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    sequence INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (organisation_id, uid, recurrence_key)
);
INSERT INTO events__rebuilt SELECT * FROM events;
DROP TABLE events;
ALTER TABLE events__rebuilt RENAME TO events;
CREATE INDEX events_org_date ON events (organisation_id, start_date);
CREATE INDEX events_org_start ON events (organisation_id, starts_at);

-- follow_ups
CREATE TABLE follow_ups__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    outreach_id BIGINT REFERENCES outreach(id) ON DELETE SET NULL,
    assignee_id BIGINT NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    due_on DATE NOT NULL,
    status TEXT NOT NULL,
    done_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
, version INTEGER NOT NULL DEFAULT 1);
INSERT INTO follow_ups__rebuilt SELECT * FROM follow_ups;
DROP TABLE follow_ups;
ALTER TABLE follow_ups__rebuilt RENAME TO follow_ups;
CREATE INDEX follow_ups_assignee ON follow_ups (organisation_id, assignee_id, status, due_on);
CREATE INDEX follow_ups_employer ON follow_ups (organisation_id, employer_id, due_on);
CREATE TRIGGER follow_ups_status_check_insert BEFORE INSERT ON follow_ups
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('open', 'done')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: follow_ups_status_check'); END;
CREATE TRIGGER follow_ups_status_check_update BEFORE UPDATE OF status ON follow_ups
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('open', 'done')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: follow_ups_status_check'); END;
CREATE TRIGGER follow_ups_version AFTER UPDATE ON follow_ups
WHEN NEW.version = OLD.version
BEGIN UPDATE follow_ups SET version = OLD.version + 1 WHERE id = NEW.id; END;

-- lead_proposals
CREATE TABLE lead_proposals__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    proposed_by BIGINT REFERENCES users(id),
    status TEXT NOT NULL,
    reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (lead_id, client_id)
);
INSERT INTO lead_proposals__rebuilt SELECT * FROM lead_proposals;
DROP TABLE lead_proposals;
ALTER TABLE lead_proposals__rebuilt RENAME TO lead_proposals;
CREATE INDEX lead_proposals_client ON lead_proposals (organisation_id, client_id);
CREATE TRIGGER lead_proposals_status_check_insert BEFORE INSERT ON lead_proposals
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('proposed', 'interested', 'not_interested', 'applied', 'interview', 'offer', 'hired', 'not_hired')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: lead_proposals_status_check'); END;
CREATE TRIGGER lead_proposals_status_check_update BEFORE UPDATE OF status ON lead_proposals
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('proposed', 'interested', 'not_interested', 'applied', 'interview', 'offer', 'hired', 'not_hired')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: lead_proposals_status_check'); END;

-- leads
CREATE TABLE leads__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    title TEXT NOT NULL,
    isco_code TEXT,
    description TEXT,
    hours_min INTEGER,
    hours_max INTEGER,
    schedule_days TEXT NOT NULL DEFAULT '',
    schedule_shifts TEXT NOT NULL DEFAULT '',
    municipality_code TEXT,
    wage TEXT,
    requirements TEXT,
    starts_on DATE,
    apply_by DATE,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    found_by BIGINT REFERENCES users(id),
    outreach_id BIGINT REFERENCES outreach(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
, partner_id BIGINT REFERENCES partners(id), version INTEGER NOT NULL DEFAULT 1);
INSERT INTO leads__rebuilt SELECT * FROM leads;
DROP TABLE leads;
ALTER TABLE leads__rebuilt RENAME TO leads;
CREATE INDEX leads_employer ON leads (organisation_id, employer_id, created_at);
CREATE INDEX leads_org_updated ON leads (organisation_id, updated_at);
CREATE INDEX leads_partner ON leads (organisation_id, partner_id);
CREATE INDEX leads_status ON leads (organisation_id, status, apply_by);
CREATE TRIGGER leads_source_check_insert BEFORE INSERT ON leads
WHEN NEW.source IS NOT NULL AND NEW.source NOT IN ('employer_contact', 'partner', 'job_board', 'contact_day', 'client_network')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: leads_source_check'); END;
CREATE TRIGGER leads_source_check_update BEFORE UPDATE OF source ON leads
WHEN NEW.source IS NOT NULL AND NEW.source NOT IN ('employer_contact', 'partner', 'job_board', 'contact_day', 'client_network')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: leads_source_check'); END;
CREATE TRIGGER leads_status_check_insert BEFORE INSERT ON leads
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('open', 'candidates_proposed', 'interviewing', 'filled_by_us', 'filled_otherwise', 'withdrawn', 'expired')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: leads_status_check'); END;
CREATE TRIGGER leads_status_check_update BEFORE UPDATE OF status ON leads
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('open', 'candidates_proposed', 'interviewing', 'filled_by_us', 'filled_otherwise', 'withdrawn', 'expired')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: leads_status_check'); END;
CREATE TRIGGER leads_version AFTER UPDATE ON leads
WHEN NEW.version = OLD.version
BEGIN UPDATE leads SET version = OLD.version + 1 WHERE id = NEW.id; END;

-- organisations
CREATE TABLE organisations__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO organisations__rebuilt SELECT * FROM organisations;
DROP TABLE organisations;
ALTER TABLE organisations__rebuilt RENAME TO organisations;

-- outbox
CREATE TABLE outbox__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id BIGINT REFERENCES users(id),
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    -- Stable Message-ID: a copy sent again after a crash reads as the same message.
    message_id TEXT NOT NULL UNIQUE,
    -- Scheduled messages (reminders, digests) are enqueued once per key.
    dedupe_key TEXT UNIQUE,
    -- The recipient's language and what the e-mail template needs; rendered when sent.
    lang TEXT NOT NULL,
    payload TEXT NOT NULL,
    ics TEXT,
    ics_method TEXT,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
INSERT INTO outbox__rebuilt SELECT * FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox__rebuilt RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_org ON outbox (organisation_id, created_at);
CREATE TRIGGER outbox_ics_method_check_insert BEFORE INSERT ON outbox
WHEN NEW.ics_method IS NOT NULL AND NEW.ics_method NOT IN ('REQUEST', 'CANCEL')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_ics_method_check'); END;
CREATE TRIGGER outbox_ics_method_check_update BEFORE UPDATE OF ics_method ON outbox
WHEN NEW.ics_method IS NOT NULL AND NEW.ics_method NOT IN ('REQUEST', 'CANCEL')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_ics_method_check'); END;
CREATE TRIGGER outbox_kind_check_insert BEFORE INSERT ON outbox
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('day_invitation', 'day_update', 'day_cancellation', 'day_reminder', 'day_summary', 'weekly_digest', 'agreement_ending', 'team_agenda')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_kind_check'); END;
CREATE TRIGGER outbox_kind_check_update BEFORE UPDATE OF kind ON outbox
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('day_invitation', 'day_update', 'day_cancellation', 'day_reminder', 'day_summary', 'weekly_digest', 'agreement_ending', 'team_agenda')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_kind_check'); END;
CREATE TRIGGER outbox_lang_check_insert BEFORE INSERT ON outbox
WHEN NEW.lang IS NOT NULL AND NEW.lang NOT IN ('fi', 'sv', 'en')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_lang_check'); END;
CREATE TRIGGER outbox_lang_check_update BEFORE UPDATE OF lang ON outbox
WHEN NEW.lang IS NOT NULL AND NEW.lang NOT IN ('fi', 'sv', 'en')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_lang_check'); END;
CREATE TRIGGER outbox_status_check_insert BEFORE INSERT ON outbox
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('pending', 'sending', 'sent', 'failed')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_status_check'); END;
CREATE TRIGGER outbox_status_check_update BEFORE UPDATE OF status ON outbox
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('pending', 'sending', 'sent', 'failed')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_status_check'); END;

-- outreach
CREATE TABLE outreach__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    specialist_id BIGINT NOT NULL REFERENCES users(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    contact_id BIGINT REFERENCES contacts(id) ON DELETE SET NULL,
    occurred_at TIMESTAMP NOT NULL,
    channel TEXT NOT NULL,
    visit_kind TEXT NOT NULL,
    met_hiring_authority BOOLEAN NOT NULL DEFAULT 0,
    on_behalf_of TEXT NOT NULL DEFAULT 'general',
    client_present BOOLEAN NOT NULL DEFAULT 0,
    purpose TEXT NOT NULL,
    learned TEXT,
    outcome TEXT,
    next_step TEXT,
    next_step_due DATE,
    planned_contact_id BIGINT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
, contact_day_id BIGINT REFERENCES contact_days(id), partner_event_id BIGINT REFERENCES partner_events(id), result TEXT, version INTEGER NOT NULL DEFAULT 1);
INSERT INTO outreach__rebuilt SELECT * FROM outreach;
DROP TABLE outreach;
ALTER TABLE outreach__rebuilt RENAME TO outreach;
CREATE INDEX outreach_contact_day ON outreach (organisation_id, contact_day_id);
CREATE INDEX outreach_employer ON outreach (organisation_id, employer_id, occurred_at);
CREATE INDEX outreach_specialist ON outreach (organisation_id, specialist_id, occurred_at);
CREATE TRIGGER outreach_channel_check_insert BEFORE INSERT ON outreach
WHEN NEW.channel IS NOT NULL AND NEW.channel NOT IN ('in_person', 'phone', 'email', 'video', 'event')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_channel_check'); END;
CREATE TRIGGER outreach_channel_check_update BEFORE UPDATE OF channel ON outreach
WHEN NEW.channel IS NOT NULL AND NEW.channel NOT IN ('in_person', 'phone', 'email', 'video', 'event')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_channel_check'); END;
CREATE TRIGGER outreach_on_behalf_of_check_insert BEFORE INSERT ON outreach
WHEN NEW.on_behalf_of IS NOT NULL AND NEW.on_behalf_of NOT IN ('general', 'clients')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_on_behalf_of_check'); END;
CREATE TRIGGER outreach_on_behalf_of_check_update BEFORE UPDATE OF on_behalf_of ON outreach
WHEN NEW.on_behalf_of IS NOT NULL AND NEW.on_behalf_of NOT IN ('general', 'clients')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_on_behalf_of_check'); END;
CREATE TRIGGER outreach_purpose_check_insert BEFORE INSERT ON outreach
WHEN NEW.purpose IS NOT NULL AND NEW.purpose NOT IN ('introduce', 'learn_needs', 'present_job_seeker', 'follow_up', 'thank_you', 'support_worker')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_purpose_check'); END;
CREATE TRIGGER outreach_purpose_check_update BEFORE UPDATE OF purpose ON outreach
WHEN NEW.purpose IS NOT NULL AND NEW.purpose NOT IN ('introduce', 'learn_needs', 'present_job_seeker', 'follow_up', 'thank_you', 'support_worker')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_purpose_check'); END;
CREATE TRIGGER outreach_result_check_insert BEFORE INSERT ON outreach
WHEN NEW.result IS NOT NULL AND NEW.result NOT IN ('no_answer', 'reached', 'meeting_booked')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_result_check'); END;
CREATE TRIGGER outreach_result_check_update BEFORE UPDATE OF result ON outreach
WHEN NEW.result IS NOT NULL AND NEW.result NOT IN ('no_answer', 'reached', 'meeting_booked')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_result_check'); END;
CREATE TRIGGER outreach_version AFTER UPDATE ON outreach
WHEN NEW.version = OLD.version
BEGIN UPDATE outreach SET version = OLD.version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER outreach_visit_kind_check_insert BEFORE INSERT ON outreach
WHEN NEW.visit_kind IS NOT NULL AND NEW.visit_kind NOT IN ('first', 'second', 'ongoing')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_visit_kind_check'); END;
CREATE TRIGGER outreach_visit_kind_check_update BEFORE UPDATE OF visit_kind ON outreach
WHEN NEW.visit_kind IS NOT NULL AND NEW.visit_kind NOT IN ('first', 'second', 'ongoing')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_visit_kind_check'); END;

-- partner_agreements
CREATE TABLE partner_agreements__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    partner_id BIGINT NOT NULL REFERENCES partners(id),
    summary TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE,
    -- Links to the documents, one per line.
    links TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO partner_agreements__rebuilt SELECT * FROM partner_agreements;
DROP TABLE partner_agreements;
ALTER TABLE partner_agreements__rebuilt RENAME TO partner_agreements;
CREATE INDEX partner_agreements_end ON partner_agreements (ends_on);
CREATE INDEX partner_agreements_partner ON partner_agreements (organisation_id, partner_id);

-- partner_contacts
CREATE TABLE partner_contacts__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    partner_id BIGINT NOT NULL REFERENCES partners(id),
    name TEXT NOT NULL,
    role TEXT,
    email TEXT,
    phone TEXT,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO partner_contacts__rebuilt SELECT * FROM partner_contacts;
DROP TABLE partner_contacts;
ALTER TABLE partner_contacts__rebuilt RENAME TO partner_contacts;
CREATE INDEX partner_contacts_partner ON partner_contacts (organisation_id, partner_id);

-- partner_events
CREATE TABLE partner_events__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    partner_id BIGINT NOT NULL REFERENCES partners(id),
    title TEXT NOT NULL,
    held_on DATE NOT NULL,
    place TEXT,
    notes TEXT,
    imported_event_id BIGINT REFERENCES events(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO partner_events__rebuilt SELECT * FROM partner_events;
DROP TABLE partner_events;
ALTER TABLE partner_events__rebuilt RENAME TO partner_events;
CREATE INDEX partner_events_partner ON partner_events (organisation_id, partner_id, held_on);

-- partners
CREATE TABLE partners__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_lower TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- Municipality codes, comma-separated.
    area TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    notes TEXT,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
, version INTEGER NOT NULL DEFAULT 1);
INSERT INTO partners__rebuilt SELECT * FROM partners;
DROP TABLE partners;
ALTER TABLE partners__rebuilt RENAME TO partners;
CREATE INDEX partners_org_name ON partners (organisation_id, name_lower);
CREATE TRIGGER partners_kind_check_insert BEFORE INSERT ON partners
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('entrepreneur_association', 'employment_services', 'chamber_of_commerce', 'educational_institution', 'other')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: partners_kind_check'); END;
CREATE TRIGGER partners_kind_check_update BEFORE UPDATE OF kind ON partners
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('entrepreneur_association', 'employment_services', 'chamber_of_commerce', 'educational_institution', 'other')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: partners_kind_check'); END;
CREATE TRIGGER partners_status_check_insert BEFORE INSERT ON partners
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('active', 'paused', 'ended')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: partners_status_check'); END;
CREATE TRIGGER partners_status_check_update BEFORE UPDATE OF status ON partners
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('active', 'paused', 'ended')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: partners_status_check'); END;
CREATE TRIGGER partners_version AFTER UPDATE ON partners
WHEN NEW.version = OLD.version
BEGIN UPDATE partners SET version = OLD.version + 1 WHERE id = NEW.id; END;

-- placements
CREATE TABLE placements__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    client_id BIGINT NOT NULL REFERENCES clients(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    lead_id BIGINT REFERENCES leads(id),
    job_title TEXT NOT NULL,
    isco_code TEXT,
    hours_per_week INTEGER,
    wage TEXT,
    starts_on DATE NOT NULL,
    ends_on DATE,
    end_reason TEXT,
    employment_type TEXT NOT NULL,
    competitive BOOLEAN NOT NULL,
    disclosure TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
, partner_id BIGINT REFERENCES partners(id), version INTEGER NOT NULL DEFAULT 1);
INSERT INTO placements__rebuilt SELECT * FROM placements;
DROP TABLE placements;
ALTER TABLE placements__rebuilt RENAME TO placements;
CREATE INDEX placements_client ON placements (organisation_id, client_id, starts_on);
CREATE INDEX placements_org_start ON placements (organisation_id, starts_on);
CREATE INDEX placements_partner ON placements (organisation_id, partner_id);
CREATE TRIGGER placements_disclosure_check_insert BEFORE INSERT ON placements
WHEN NEW.disclosure IS NOT NULL AND NEW.disclosure NOT IN ('none', 'general', 'full')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: placements_disclosure_check'); END;
CREATE TRIGGER placements_disclosure_check_update BEFORE UPDATE OF disclosure ON placements
WHEN NEW.disclosure IS NOT NULL AND NEW.disclosure NOT IN ('none', 'general', 'full')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: placements_disclosure_check'); END;
CREATE TRIGGER placements_employment_type_check_insert BEFORE INSERT ON placements
WHEN NEW.employment_type IS NOT NULL AND NEW.employment_type NOT IN ('permanent', 'fixed_term', 'temporary')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: placements_employment_type_check'); END;
CREATE TRIGGER placements_employment_type_check_update BEFORE UPDATE OF employment_type ON placements
WHEN NEW.employment_type IS NOT NULL AND NEW.employment_type NOT IN ('permanent', 'fixed_term', 'temporary')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: placements_employment_type_check'); END;
CREATE TRIGGER placements_version AFTER UPDATE ON placements
WHEN NEW.version = OLD.version
BEGIN UPDATE placements SET version = OLD.version + 1 WHERE id = NEW.id; END;

-- planned_contacts
CREATE TABLE planned_contacts__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    specialist_id BIGINT NOT NULL REFERENCES users(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    planned_on DATE NOT NULL,
    planned_time TEXT,
    channel TEXT NOT NULL,
    purpose TEXT NOT NULL,
    note TEXT,
    status TEXT NOT NULL,
    outreach_id BIGINT REFERENCES outreach(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
, version INTEGER NOT NULL DEFAULT 1);
INSERT INTO planned_contacts__rebuilt SELECT * FROM planned_contacts;
DROP TABLE planned_contacts;
ALTER TABLE planned_contacts__rebuilt RENAME TO planned_contacts;
CREATE INDEX planned_employer ON planned_contacts (organisation_id, employer_id, planned_on);
CREATE INDEX planned_specialist ON planned_contacts (organisation_id, specialist_id, planned_on);
CREATE TRIGGER planned_contacts_channel_check_insert BEFORE INSERT ON planned_contacts
WHEN NEW.channel IS NOT NULL AND NEW.channel NOT IN ('in_person', 'phone', 'email', 'video', 'event')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: planned_contacts_channel_check'); END;
CREATE TRIGGER planned_contacts_channel_check_update BEFORE UPDATE OF channel ON planned_contacts
WHEN NEW.channel IS NOT NULL AND NEW.channel NOT IN ('in_person', 'phone', 'email', 'video', 'event')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: planned_contacts_channel_check'); END;
CREATE TRIGGER planned_contacts_purpose_check_insert BEFORE INSERT ON planned_contacts
WHEN NEW.purpose IS NOT NULL AND NEW.purpose NOT IN ('introduce', 'learn_needs', 'present_job_seeker', 'follow_up', 'thank_you', 'support_worker')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: planned_contacts_purpose_check'); END;
CREATE TRIGGER planned_contacts_purpose_check_update BEFORE UPDATE OF purpose ON planned_contacts
WHEN NEW.purpose IS NOT NULL AND NEW.purpose NOT IN ('introduce', 'learn_needs', 'present_job_seeker', 'follow_up', 'thank_you', 'support_worker')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: planned_contacts_purpose_check'); END;
CREATE TRIGGER planned_contacts_status_check_insert BEFORE INSERT ON planned_contacts
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('planned', 'done', 'cancelled')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: planned_contacts_status_check'); END;
CREATE TRIGGER planned_contacts_status_check_update BEFORE UPDATE OF status ON planned_contacts
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('planned', 'done', 'cancelled')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: planned_contacts_status_check'); END;
CREATE TRIGGER planned_contacts_version AFTER UPDATE ON planned_contacts
WHEN NEW.version = OLD.version
BEGIN UPDATE planned_contacts SET version = OLD.version + 1 WHERE id = NEW.id; END;

-- review_packs
CREATE TABLE review_packs__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    created_by BIGINT NOT NULL REFERENCES users(id),
    secret TEXT NOT NULL UNIQUE,
    team_id BIGINT REFERENCES teams(id),
    specialist_id BIGINT REFERENCES users(id),
    period_from DATE NOT NULL,
    period_to DATE NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO review_packs__rebuilt SELECT * FROM review_packs;
DROP TABLE review_packs;
ALTER TABLE review_packs__rebuilt RENAME TO review_packs;
CREATE INDEX review_packs_org ON review_packs (organisation_id, created_at);

-- sessions
CREATE TABLE sessions__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
INSERT INTO sessions__rebuilt SELECT * FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions__rebuilt RENAME TO sessions;

-- support_contacts
CREATE TABLE support_contacts__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    placement_id BIGINT NOT NULL REFERENCES placements(id),
    specialist_id BIGINT NOT NULL REFERENCES users(id),
    occurred_on DATE NOT NULL,
    with_whom TEXT NOT NULL,
    channel TEXT NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO support_contacts__rebuilt SELECT * FROM support_contacts;
DROP TABLE support_contacts;
ALTER TABLE support_contacts__rebuilt RENAME TO support_contacts;
CREATE INDEX support_contacts_placement ON support_contacts (organisation_id, placement_id, occurred_on);
CREATE TRIGGER support_contacts_channel_check_insert BEFORE INSERT ON support_contacts
WHEN NEW.channel IS NOT NULL AND NEW.channel NOT IN ('in_person', 'phone', 'video', 'message')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: support_contacts_channel_check'); END;
CREATE TRIGGER support_contacts_channel_check_update BEFORE UPDATE OF channel ON support_contacts
WHEN NEW.channel IS NOT NULL AND NEW.channel NOT IN ('in_person', 'phone', 'video', 'message')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: support_contacts_channel_check'); END;
CREATE TRIGGER support_contacts_with_whom_check_insert BEFORE INSERT ON support_contacts
WHEN NEW.with_whom IS NOT NULL AND NEW.with_whom NOT IN ('worker', 'employer', 'work_community')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: support_contacts_with_whom_check'); END;
CREATE TRIGGER support_contacts_with_whom_check_update BEFORE UPDATE OF with_whom ON support_contacts
WHEN NEW.with_whom IS NOT NULL AND NEW.with_whom NOT IN ('worker', 'employer', 'work_community')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: support_contacts_with_whom_check'); END;

-- teams
CREATE TABLE teams__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (organisation_id, name)
);
INSERT INTO teams__rebuilt SELECT * FROM teams;
DROP TABLE teams;
ALTER TABLE teams__rebuilt RENAME TO teams;

-- users
CREATE TABLE users__rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    team_id BIGINT REFERENCES teams(id),
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    locale TEXT,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO users__rebuilt SELECT * FROM users;
DROP TABLE users;
ALTER TABLE users__rebuilt RENAME TO users;
CREATE INDEX users_org ON users (organisation_id, display_name);
CREATE TRIGGER users_locale_check_insert BEFORE INSERT ON users
WHEN NEW.locale IS NOT NULL AND NEW.locale NOT IN ('fi', 'sv', 'en')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: users_locale_check'); END;
CREATE TRIGGER users_locale_check_update BEFORE UPDATE OF locale ON users
WHEN NEW.locale IS NOT NULL AND NEW.locale NOT IN ('fi', 'sv', 'en')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: users_locale_check'); END;
CREATE TRIGGER users_role_check_insert BEFORE INSERT ON users
WHEN NEW.role IS NOT NULL AND NEW.role NOT IN ('admin', 'team_lead', 'specialist', 'viewer')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: users_role_check'); END;
CREATE TRIGGER users_role_check_update BEFORE UPDATE OF role ON users
WHEN NEW.role IS NOT NULL AND NEW.role NOT IN ('admin', 'team_lead', 'specialist', 'viewer')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: users_role_check'); END;

COMMIT;
PRAGMA legacy_alter_table = OFF;
PRAGMA foreign_keys = ON;
