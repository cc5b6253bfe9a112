-- Each text column that holds one value of a closed set refuses any other value.
-- Each block's comment names the Rust list or code that its values come from: keep them in step.
-- NULL stays allowed in nullable columns (a CHECK passes on NULL).

-- src/domain/users.rs Role::as_str
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'team_lead', 'specialist', 'viewer'));

-- src/i18n.rs Lang::code
ALTER TABLE users ADD CONSTRAINT users_locale_check CHECK (locale IN ('fi', 'en'));

-- src/domain/reference.rs INDUSTRY_SECTIONS
ALTER TABLE employers ADD CONSTRAINT employers_industry_check CHECK (industry IN ('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U'));

-- src/domain/reference.rs SIZE_CLASSES
ALTER TABLE employers ADD CONSTRAINT employers_size_class_check CHECK (size_class IN ('1-9', '10-49', '50-249', '250+'));

-- src/domain/employers/mod.rs STAGES
ALTER TABLE employers ADD CONSTRAINT employers_stage_check CHECK (stage IN ('not_contacted', 'introduced', 'learning_needs', 'active', 'hiring_partner', 'paused', 'do_not_contact'));

-- src/domain/partners/mod.rs VIA
ALTER TABLE employers ADD CONSTRAINT employers_partner_via_check CHECK (partner_via IN ('referral', 'event', 'member_list'));

-- src/domain/contacts.rs CHANNELS
ALTER TABLE contacts ADD CONSTRAINT contacts_preferred_channel_check CHECK (preferred_channel IN ('email', 'phone', 'in_person', 'text_message'));

-- src/domain/outreach/mod.rs CHANNELS
ALTER TABLE outreach ADD CONSTRAINT outreach_channel_check CHECK (channel IN ('in_person', 'phone', 'email', 'video', 'event'));

-- src/domain/outreach/mod.rs VISIT_KINDS
ALTER TABLE outreach ADD CONSTRAINT outreach_visit_kind_check CHECK (visit_kind IN ('first', 'second', 'ongoing'));

-- src/domain/outreach/mod.rs ON_BEHALF
ALTER TABLE outreach ADD CONSTRAINT outreach_on_behalf_of_check CHECK (on_behalf_of IN ('general', 'clients'));

-- src/domain/outreach/mod.rs PURPOSES
ALTER TABLE outreach ADD CONSTRAINT outreach_purpose_check CHECK (purpose IN ('introduce', 'learn_needs', 'present_job_seeker', 'follow_up', 'thank_you', 'support_worker'));

-- src/domain/follow_ups.rs create_for and apply (no const)
ALTER TABLE follow_ups ADD CONSTRAINT follow_ups_status_check CHECK (status IN ('open', 'done'));

-- src/domain/outreach/mod.rs CHANNELS (checked in src/domain/plan.rs PlanInput::parse)
ALTER TABLE planned_contacts ADD CONSTRAINT planned_contacts_channel_check CHECK (channel IN ('in_person', 'phone', 'email', 'video', 'event'));

-- src/domain/outreach/mod.rs PURPOSES (checked in src/domain/plan.rs PlanInput::parse)
ALTER TABLE planned_contacts ADD CONSTRAINT planned_contacts_purpose_check CHECK (purpose IN ('introduce', 'learn_needs', 'present_job_seeker', 'follow_up', 'thank_you', 'support_worker'));

-- src/domain/plan.rs create, mark_done and cancel (no const)
ALTER TABLE planned_contacts ADD CONSTRAINT planned_contacts_status_check CHECK (status IN ('planned', 'done', 'cancelled'));

-- src/domain/leads.rs SOURCES
ALTER TABLE leads ADD CONSTRAINT leads_source_check CHECK (source IN ('employer_contact', 'partner', 'job_board', 'contact_day', 'client_network'));

-- src/domain/leads.rs STATUSES
ALTER TABLE leads ADD CONSTRAINT leads_status_check CHECK (status IN ('open', 'candidates_proposed', 'interviewing', 'filled_by_us', 'filled_otherwise', 'withdrawn', 'expired'));

-- src/domain/employers/service.rs record_event callers (no const)
ALTER TABLE employer_events ADD CONSTRAINT employer_events_kind_check CHECK (kind IN ('stage'));

-- src/domain/clients/mod.rs STATUSES
ALTER TABLE clients ADD CONSTRAINT clients_status_check CHECK (status IN ('exploring', 'job_search', 'working', 'follow_along', 'paused', 'closed'));

-- src/domain/clients/mod.rs DISCLOSURES
ALTER TABLE clients ADD CONSTRAINT clients_disclosure_check CHECK (disclosure IN ('none', 'general', 'full'));

-- src/domain/proposals.rs STATUSES
ALTER TABLE lead_proposals ADD CONSTRAINT lead_proposals_status_check CHECK (status IN ('proposed', 'interested', 'not_interested', 'applied', 'interview', 'offer', 'hired', 'not_hired'));

-- src/domain/placements.rs EMPLOYMENT_TYPES
ALTER TABLE placements ADD CONSTRAINT placements_employment_type_check CHECK (employment_type IN ('permanent', 'fixed_term', 'temporary'));

-- src/domain/clients/mod.rs DISCLOSURES (checked in src/domain/placements.rs parse)
ALTER TABLE placements ADD CONSTRAINT placements_disclosure_check CHECK (disclosure IN ('none', 'general', 'full'));

-- src/domain/placements.rs WITH_WHOM
ALTER TABLE support_contacts ADD CONSTRAINT support_contacts_with_whom_check CHECK (with_whom IN ('worker', 'employer', 'work_community'));

-- src/domain/placements.rs SUPPORT_CHANNELS
ALTER TABLE support_contacts ADD CONSTRAINT support_contacts_channel_check CHECK (channel IN ('in_person', 'phone', 'video', 'message'));

-- src/domain/contact_days.rs create and cancel (no const)
ALTER TABLE contact_days ADD CONSTRAINT contact_days_status_check CHECK (status IN ('planned', 'cancelled'));

-- src/domain/contact_days.rs build_call_lists (no const)
ALTER TABLE contact_day_targets ADD CONSTRAINT contact_day_targets_excluded_reason_check CHECK (excluded_reason IN ('do_not_contact', 'contacted_recently', 'planned_by_colleague'));

-- src/mail/outbox.rs Kind::ALL / Kind::as_str
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('day_invitation', 'day_update', 'day_cancellation', 'day_reminder', 'day_summary', 'weekly_digest', 'agreement_ending', 'team_agenda'));

-- src/i18n.rs Lang::code
ALTER TABLE outbox ADD CONSTRAINT outbox_lang_check CHECK (lang IN ('fi', 'en'));

-- src/mail/contact_day.rs tell (method; no const)
ALTER TABLE outbox ADD CONSTRAINT outbox_ics_method_check CHECK (ics_method IN ('REQUEST', 'CANCEL'));

-- src/mail/outbox.rs enqueue and src/mail/worker.rs (no const)
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed'));

-- src/mail/outbox.rs Kind::ALL / Kind::as_str
ALTER TABLE mail_opt_outs ADD CONSTRAINT mail_opt_outs_kind_check CHECK (kind IN ('day_invitation', 'day_update', 'day_cancellation', 'day_reminder', 'day_summary', 'weekly_digest', 'agreement_ending', 'team_agenda'));

-- src/domain/partners/mod.rs KINDS
ALTER TABLE partners ADD CONSTRAINT partners_kind_check CHECK (kind IN ('entrepreneur_association', 'employment_services', 'chamber_of_commerce', 'educational_institution', 'other'));

-- src/domain/partners/mod.rs STATUSES
ALTER TABLE partners ADD CONSTRAINT partners_status_check CHECK (status IN ('active', 'paused', 'ended'));

-- src/domain/partners/members.rs link callers: add, import (no const)
ALTER TABLE partner_members ADD CONSTRAINT partner_members_source_check CHECK (source IN ('manual', 'member_list', 'member_list_new'));
