-- Each text column that holds one value of a closed set refuses any other value.
-- Each block's comment names the Rust enum its values come from; a test compares the two.
-- NULL stays allowed in nullable columns (a CHECK passes on NULL).

-- users::Role (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'team_lead', 'specialist', 'viewer'));

-- i18n::Lang (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE users ADD CONSTRAINT users_locale_check CHECK (locale IN ('fi', 'en'));

-- reference::Industry (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE employers ADD CONSTRAINT employers_industry_check CHECK (industry IN ('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U'));

-- reference::SizeClass (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE employers ADD CONSTRAINT employers_size_class_check CHECK (size_class IN ('1-9', '10-49', '50-249', '250+'));

-- employers::Stage (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE employers ADD CONSTRAINT employers_stage_check CHECK (stage IN ('not_contacted', 'introduced', 'learning_needs', 'active', 'hiring_partner', 'paused', 'do_not_contact'));

-- partners::Via (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE employers ADD CONSTRAINT employers_partner_via_check CHECK (partner_via IN ('referral', 'event', 'member_list'));

-- contacts::PreferredChannel (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE contacts ADD CONSTRAINT contacts_preferred_channel_check CHECK (preferred_channel IN ('email', 'phone', 'in_person', 'text_message'));

-- outreach::Channel (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE outreach ADD CONSTRAINT outreach_channel_check CHECK (channel IN ('in_person', 'phone', 'email', 'video', 'event'));

-- outreach::VisitKind (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE outreach ADD CONSTRAINT outreach_visit_kind_check CHECK (visit_kind IN ('first', 'second', 'ongoing'));

-- outreach::OnBehalf (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE outreach ADD CONSTRAINT outreach_on_behalf_of_check CHECK (on_behalf_of IN ('general', 'clients'));

-- outreach::Purpose (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE outreach ADD CONSTRAINT outreach_purpose_check CHECK (purpose IN ('introduce', 'learn_needs', 'present_job_seeker', 'follow_up', 'thank_you', 'support_worker'));

-- follow_ups::FollowUpStatus (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE follow_ups ADD CONSTRAINT follow_ups_status_check CHECK (status IN ('open', 'done'));

-- outreach::Channel (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE planned_contacts ADD CONSTRAINT planned_contacts_channel_check CHECK (channel IN ('in_person', 'phone', 'email', 'video', 'event'));

-- outreach::Purpose (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE planned_contacts ADD CONSTRAINT planned_contacts_purpose_check CHECK (purpose IN ('introduce', 'learn_needs', 'present_job_seeker', 'follow_up', 'thank_you', 'support_worker'));

-- plan::PlanStatus (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE planned_contacts ADD CONSTRAINT planned_contacts_status_check CHECK (status IN ('planned', 'done', 'cancelled'));

-- leads::LeadSource (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE leads ADD CONSTRAINT leads_source_check CHECK (source IN ('employer_contact', 'partner', 'job_board', 'contact_day', 'client_network'));

-- leads::LeadStatus (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE leads ADD CONSTRAINT leads_status_check CHECK (status IN ('open', 'candidates_proposed', 'interviewing', 'filled_by_us', 'filled_otherwise', 'withdrawn', 'expired'));

-- employers::EventKind (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE employer_events ADD CONSTRAINT employer_events_kind_check CHECK (kind IN ('stage'));

-- clients::ClientStatus (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE clients ADD CONSTRAINT clients_status_check CHECK (status IN ('exploring', 'job_search', 'working', 'follow_along', 'paused', 'closed'));

-- clients::Disclosure (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE clients ADD CONSTRAINT clients_disclosure_check CHECK (disclosure IN ('none', 'general', 'full'));

-- proposals::ProposalStatus (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE lead_proposals ADD CONSTRAINT lead_proposals_status_check CHECK (status IN ('proposed', 'interested', 'not_interested', 'applied', 'interview', 'offer', 'hired', 'not_hired'));

-- placements::EmploymentType (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE placements ADD CONSTRAINT placements_employment_type_check CHECK (employment_type IN ('permanent', 'fixed_term', 'temporary'));

-- clients::Disclosure (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE placements ADD CONSTRAINT placements_disclosure_check CHECK (disclosure IN ('none', 'general', 'full'));

-- placements::WithWhom (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE support_contacts ADD CONSTRAINT support_contacts_with_whom_check CHECK (with_whom IN ('worker', 'employer', 'work_community'));

-- placements::SupportChannel (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE support_contacts ADD CONSTRAINT support_contacts_channel_check CHECK (channel IN ('in_person', 'phone', 'video', 'message'));

-- contact_days::DayStatus (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE contact_days ADD CONSTRAINT contact_days_status_check CHECK (status IN ('planned', 'cancelled'));

-- contact_days::Excluded (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE contact_day_targets ADD CONSTRAINT contact_day_targets_excluded_reason_check CHECK (excluded_reason IN ('do_not_contact', 'contacted_recently', 'planned_by_colleague'));

-- notices::Kind (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('day_invitation', 'day_update', 'day_cancellation', 'day_reminder', 'day_summary', 'weekly_digest', 'agreement_ending', 'team_agenda'));

-- i18n::Lang (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE outbox ADD CONSTRAINT outbox_lang_check CHECK (lang IN ('fi', 'en'));

-- calendar::IcsMethod (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE outbox ADD CONSTRAINT outbox_ics_method_check CHECK (ics_method IN ('REQUEST', 'CANCEL'));

-- mail::outbox::OutboxStatus (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed'));

-- notices::Kind (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE mail_opt_outs ADD CONSTRAINT mail_opt_outs_kind_check CHECK (kind IN ('day_invitation', 'day_update', 'day_cancellation', 'day_reminder', 'day_summary', 'weekly_digest', 'agreement_ending', 'team_agenda'));

-- partners::PartnerKind (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE partners ADD CONSTRAINT partners_kind_check CHECK (kind IN ('entrepreneur_association', 'employment_services', 'chamber_of_commerce', 'educational_institution', 'other'));

-- partners::PartnerStatus (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE partners ADD CONSTRAINT partners_status_check CHECK (status IN ('active', 'paused', 'ended'));

-- partners::members::MemberSource (closed_set!; tests/app/enum_checks.rs keeps them equal)
ALTER TABLE partner_members ADD CONSTRAINT partner_members_source_check CHECK (source IN ('manual', 'member_list', 'member_list_new'));
