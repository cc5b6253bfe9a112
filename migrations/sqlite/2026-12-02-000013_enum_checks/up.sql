-- Each text column that holds one value of a closed set refuses any other value.
-- Each block's comment names the Rust enum its values come from; a test compares the two.
-- SQLite cannot add a CHECK to an existing table without rebuilding it, so triggers
-- refuse the value on insert and on update of the column; NULL stays allowed.

-- users::Role (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER users_role_check_insert BEFORE INSERT ON users
WHEN NEW.role IS NOT NULL AND NEW.role NOT IN ('admin', 'team_lead', 'specialist', 'viewer')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: users_role_check'); END;
CREATE TRIGGER users_role_check_update BEFORE UPDATE OF role ON users
WHEN NEW.role IS NOT NULL AND NEW.role NOT IN ('admin', 'team_lead', 'specialist', 'viewer')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: users_role_check'); END;

-- i18n::Lang (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER users_locale_check_insert BEFORE INSERT ON users
WHEN NEW.locale IS NOT NULL AND NEW.locale NOT IN ('fi', 'en')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: users_locale_check'); END;
CREATE TRIGGER users_locale_check_update BEFORE UPDATE OF locale ON users
WHEN NEW.locale IS NOT NULL AND NEW.locale NOT IN ('fi', 'en')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: users_locale_check'); END;

-- reference::Industry (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER employers_industry_check_insert BEFORE INSERT ON employers
WHEN NEW.industry IS NOT NULL AND NEW.industry NOT IN ('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employers_industry_check'); END;
CREATE TRIGGER employers_industry_check_update BEFORE UPDATE OF industry ON employers
WHEN NEW.industry IS NOT NULL AND NEW.industry NOT IN ('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employers_industry_check'); END;

-- reference::SizeClass (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER employers_size_class_check_insert BEFORE INSERT ON employers
WHEN NEW.size_class IS NOT NULL AND NEW.size_class NOT IN ('1-9', '10-49', '50-249', '250+')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employers_size_class_check'); END;
CREATE TRIGGER employers_size_class_check_update BEFORE UPDATE OF size_class ON employers
WHEN NEW.size_class IS NOT NULL AND NEW.size_class NOT IN ('1-9', '10-49', '50-249', '250+')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employers_size_class_check'); END;

-- employers::Stage (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER employers_stage_check_insert BEFORE INSERT ON employers
WHEN NEW.stage IS NOT NULL AND NEW.stage NOT IN ('not_contacted', 'introduced', 'learning_needs', 'active', 'hiring_partner', 'paused', 'do_not_contact')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employers_stage_check'); END;
CREATE TRIGGER employers_stage_check_update BEFORE UPDATE OF stage ON employers
WHEN NEW.stage IS NOT NULL AND NEW.stage NOT IN ('not_contacted', 'introduced', 'learning_needs', 'active', 'hiring_partner', 'paused', 'do_not_contact')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employers_stage_check'); END;

-- partners::Via (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER employers_partner_via_check_insert BEFORE INSERT ON employers
WHEN NEW.partner_via IS NOT NULL AND NEW.partner_via NOT IN ('referral', 'event', 'member_list')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employers_partner_via_check'); END;
CREATE TRIGGER employers_partner_via_check_update BEFORE UPDATE OF partner_via ON employers
WHEN NEW.partner_via IS NOT NULL AND NEW.partner_via NOT IN ('referral', 'event', 'member_list')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employers_partner_via_check'); END;

-- contacts::PreferredChannel (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER contacts_preferred_channel_check_insert BEFORE INSERT ON contacts
WHEN NEW.preferred_channel IS NOT NULL AND NEW.preferred_channel NOT IN ('email', 'phone', 'in_person', 'text_message')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: contacts_preferred_channel_check'); END;
CREATE TRIGGER contacts_preferred_channel_check_update BEFORE UPDATE OF preferred_channel ON contacts
WHEN NEW.preferred_channel IS NOT NULL AND NEW.preferred_channel NOT IN ('email', 'phone', 'in_person', 'text_message')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: contacts_preferred_channel_check'); END;

-- outreach::Channel (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER outreach_channel_check_insert BEFORE INSERT ON outreach
WHEN NEW.channel IS NOT NULL AND NEW.channel NOT IN ('in_person', 'phone', 'email', 'video', 'event')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_channel_check'); END;
CREATE TRIGGER outreach_channel_check_update BEFORE UPDATE OF channel ON outreach
WHEN NEW.channel IS NOT NULL AND NEW.channel NOT IN ('in_person', 'phone', 'email', 'video', 'event')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_channel_check'); END;

-- outreach::VisitKind (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER outreach_visit_kind_check_insert BEFORE INSERT ON outreach
WHEN NEW.visit_kind IS NOT NULL AND NEW.visit_kind NOT IN ('first', 'second', 'ongoing')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_visit_kind_check'); END;
CREATE TRIGGER outreach_visit_kind_check_update BEFORE UPDATE OF visit_kind ON outreach
WHEN NEW.visit_kind IS NOT NULL AND NEW.visit_kind NOT IN ('first', 'second', 'ongoing')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_visit_kind_check'); END;

-- outreach::OnBehalf (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER outreach_on_behalf_of_check_insert BEFORE INSERT ON outreach
WHEN NEW.on_behalf_of IS NOT NULL AND NEW.on_behalf_of NOT IN ('general', 'clients')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_on_behalf_of_check'); END;
CREATE TRIGGER outreach_on_behalf_of_check_update BEFORE UPDATE OF on_behalf_of ON outreach
WHEN NEW.on_behalf_of IS NOT NULL AND NEW.on_behalf_of NOT IN ('general', 'clients')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_on_behalf_of_check'); END;

-- outreach::Purpose (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER outreach_purpose_check_insert BEFORE INSERT ON outreach
WHEN NEW.purpose IS NOT NULL AND NEW.purpose NOT IN ('introduce', 'learn_needs', 'present_job_seeker', 'follow_up', 'thank_you', 'support_worker')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_purpose_check'); END;
CREATE TRIGGER outreach_purpose_check_update BEFORE UPDATE OF purpose ON outreach
WHEN NEW.purpose IS NOT NULL AND NEW.purpose NOT IN ('introduce', 'learn_needs', 'present_job_seeker', 'follow_up', 'thank_you', 'support_worker')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outreach_purpose_check'); END;

-- follow_ups::FollowUpStatus (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER follow_ups_status_check_insert BEFORE INSERT ON follow_ups
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('open', 'done')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: follow_ups_status_check'); END;
CREATE TRIGGER follow_ups_status_check_update BEFORE UPDATE OF status ON follow_ups
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('open', 'done')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: follow_ups_status_check'); END;

-- outreach::Channel (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER planned_contacts_channel_check_insert BEFORE INSERT ON planned_contacts
WHEN NEW.channel IS NOT NULL AND NEW.channel NOT IN ('in_person', 'phone', 'email', 'video', 'event')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: planned_contacts_channel_check'); END;
CREATE TRIGGER planned_contacts_channel_check_update BEFORE UPDATE OF channel ON planned_contacts
WHEN NEW.channel IS NOT NULL AND NEW.channel NOT IN ('in_person', 'phone', 'email', 'video', 'event')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: planned_contacts_channel_check'); END;

-- outreach::Purpose (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER planned_contacts_purpose_check_insert BEFORE INSERT ON planned_contacts
WHEN NEW.purpose IS NOT NULL AND NEW.purpose NOT IN ('introduce', 'learn_needs', 'present_job_seeker', 'follow_up', 'thank_you', 'support_worker')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: planned_contacts_purpose_check'); END;
CREATE TRIGGER planned_contacts_purpose_check_update BEFORE UPDATE OF purpose ON planned_contacts
WHEN NEW.purpose IS NOT NULL AND NEW.purpose NOT IN ('introduce', 'learn_needs', 'present_job_seeker', 'follow_up', 'thank_you', 'support_worker')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: planned_contacts_purpose_check'); END;

-- plan::PlanStatus (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER planned_contacts_status_check_insert BEFORE INSERT ON planned_contacts
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('planned', 'done', 'cancelled')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: planned_contacts_status_check'); END;
CREATE TRIGGER planned_contacts_status_check_update BEFORE UPDATE OF status ON planned_contacts
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('planned', 'done', 'cancelled')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: planned_contacts_status_check'); END;

-- leads::LeadSource (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER leads_source_check_insert BEFORE INSERT ON leads
WHEN NEW.source IS NOT NULL AND NEW.source NOT IN ('employer_contact', 'partner', 'job_board', 'contact_day', 'client_network')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: leads_source_check'); END;
CREATE TRIGGER leads_source_check_update BEFORE UPDATE OF source ON leads
WHEN NEW.source IS NOT NULL AND NEW.source NOT IN ('employer_contact', 'partner', 'job_board', 'contact_day', 'client_network')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: leads_source_check'); END;

-- leads::LeadStatus (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER leads_status_check_insert BEFORE INSERT ON leads
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('open', 'candidates_proposed', 'interviewing', 'filled_by_us', 'filled_otherwise', 'withdrawn', 'expired')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: leads_status_check'); END;
CREATE TRIGGER leads_status_check_update BEFORE UPDATE OF status ON leads
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('open', 'candidates_proposed', 'interviewing', 'filled_by_us', 'filled_otherwise', 'withdrawn', 'expired')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: leads_status_check'); END;

-- employers::EventKind (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER employer_events_kind_check_insert BEFORE INSERT ON employer_events
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('stage')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employer_events_kind_check'); END;
CREATE TRIGGER employer_events_kind_check_update BEFORE UPDATE OF kind ON employer_events
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('stage')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: employer_events_kind_check'); END;

-- clients::ClientStatus (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER clients_status_check_insert BEFORE INSERT ON clients
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('exploring', 'job_search', 'working', 'follow_along', 'paused', 'closed')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: clients_status_check'); END;
CREATE TRIGGER clients_status_check_update BEFORE UPDATE OF status ON clients
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('exploring', 'job_search', 'working', 'follow_along', 'paused', 'closed')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: clients_status_check'); END;

-- clients::Disclosure (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER clients_disclosure_check_insert BEFORE INSERT ON clients
WHEN NEW.disclosure IS NOT NULL AND NEW.disclosure NOT IN ('none', 'general', 'full')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: clients_disclosure_check'); END;
CREATE TRIGGER clients_disclosure_check_update BEFORE UPDATE OF disclosure ON clients
WHEN NEW.disclosure IS NOT NULL AND NEW.disclosure NOT IN ('none', 'general', 'full')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: clients_disclosure_check'); END;

-- proposals::ProposalStatus (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER lead_proposals_status_check_insert BEFORE INSERT ON lead_proposals
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('proposed', 'interested', 'not_interested', 'applied', 'interview', 'offer', 'hired', 'not_hired')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: lead_proposals_status_check'); END;
CREATE TRIGGER lead_proposals_status_check_update BEFORE UPDATE OF status ON lead_proposals
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('proposed', 'interested', 'not_interested', 'applied', 'interview', 'offer', 'hired', 'not_hired')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: lead_proposals_status_check'); END;

-- placements::EmploymentType (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER placements_employment_type_check_insert BEFORE INSERT ON placements
WHEN NEW.employment_type IS NOT NULL AND NEW.employment_type NOT IN ('permanent', 'fixed_term', 'temporary')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: placements_employment_type_check'); END;
CREATE TRIGGER placements_employment_type_check_update BEFORE UPDATE OF employment_type ON placements
WHEN NEW.employment_type IS NOT NULL AND NEW.employment_type NOT IN ('permanent', 'fixed_term', 'temporary')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: placements_employment_type_check'); END;

-- clients::Disclosure (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER placements_disclosure_check_insert BEFORE INSERT ON placements
WHEN NEW.disclosure IS NOT NULL AND NEW.disclosure NOT IN ('none', 'general', 'full')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: placements_disclosure_check'); END;
CREATE TRIGGER placements_disclosure_check_update BEFORE UPDATE OF disclosure ON placements
WHEN NEW.disclosure IS NOT NULL AND NEW.disclosure NOT IN ('none', 'general', 'full')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: placements_disclosure_check'); END;

-- placements::WithWhom (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER support_contacts_with_whom_check_insert BEFORE INSERT ON support_contacts
WHEN NEW.with_whom IS NOT NULL AND NEW.with_whom NOT IN ('worker', 'employer', 'work_community')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: support_contacts_with_whom_check'); END;
CREATE TRIGGER support_contacts_with_whom_check_update BEFORE UPDATE OF with_whom ON support_contacts
WHEN NEW.with_whom IS NOT NULL AND NEW.with_whom NOT IN ('worker', 'employer', 'work_community')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: support_contacts_with_whom_check'); END;

-- placements::SupportChannel (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER support_contacts_channel_check_insert BEFORE INSERT ON support_contacts
WHEN NEW.channel IS NOT NULL AND NEW.channel NOT IN ('in_person', 'phone', 'video', 'message')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: support_contacts_channel_check'); END;
CREATE TRIGGER support_contacts_channel_check_update BEFORE UPDATE OF channel ON support_contacts
WHEN NEW.channel IS NOT NULL AND NEW.channel NOT IN ('in_person', 'phone', 'video', 'message')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: support_contacts_channel_check'); END;

-- contact_days::DayStatus (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER contact_days_status_check_insert BEFORE INSERT ON contact_days
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('planned', 'cancelled')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: contact_days_status_check'); END;
CREATE TRIGGER contact_days_status_check_update BEFORE UPDATE OF status ON contact_days
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('planned', 'cancelled')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: contact_days_status_check'); END;

-- contact_days::Excluded (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER contact_day_targets_excluded_reason_check_insert BEFORE INSERT ON contact_day_targets
WHEN NEW.excluded_reason IS NOT NULL AND NEW.excluded_reason NOT IN ('do_not_contact', 'contacted_recently', 'planned_by_colleague')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: contact_day_targets_excluded_reason_check'); END;
CREATE TRIGGER contact_day_targets_excluded_reason_check_update BEFORE UPDATE OF excluded_reason ON contact_day_targets
WHEN NEW.excluded_reason IS NOT NULL AND NEW.excluded_reason NOT IN ('do_not_contact', 'contacted_recently', 'planned_by_colleague')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: contact_day_targets_excluded_reason_check'); END;

-- notices::Kind (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER outbox_kind_check_insert BEFORE INSERT ON outbox
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('day_invitation', 'day_update', 'day_cancellation', 'day_reminder', 'day_summary', 'weekly_digest', 'agreement_ending', 'team_agenda')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_kind_check'); END;
CREATE TRIGGER outbox_kind_check_update BEFORE UPDATE OF kind ON outbox
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('day_invitation', 'day_update', 'day_cancellation', 'day_reminder', 'day_summary', 'weekly_digest', 'agreement_ending', 'team_agenda')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_kind_check'); END;

-- i18n::Lang (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER outbox_lang_check_insert BEFORE INSERT ON outbox
WHEN NEW.lang IS NOT NULL AND NEW.lang NOT IN ('fi', 'en')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_lang_check'); END;
CREATE TRIGGER outbox_lang_check_update BEFORE UPDATE OF lang ON outbox
WHEN NEW.lang IS NOT NULL AND NEW.lang NOT IN ('fi', 'en')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_lang_check'); END;

-- calendar::IcsMethod (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER outbox_ics_method_check_insert BEFORE INSERT ON outbox
WHEN NEW.ics_method IS NOT NULL AND NEW.ics_method NOT IN ('REQUEST', 'CANCEL')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_ics_method_check'); END;
CREATE TRIGGER outbox_ics_method_check_update BEFORE UPDATE OF ics_method ON outbox
WHEN NEW.ics_method IS NOT NULL AND NEW.ics_method NOT IN ('REQUEST', 'CANCEL')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_ics_method_check'); END;

-- mail::outbox::OutboxStatus (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER outbox_status_check_insert BEFORE INSERT ON outbox
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('pending', 'sending', 'sent', 'failed')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_status_check'); END;
CREATE TRIGGER outbox_status_check_update BEFORE UPDATE OF status ON outbox
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('pending', 'sending', 'sent', 'failed')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: outbox_status_check'); END;

-- notices::Kind (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER mail_opt_outs_kind_check_insert BEFORE INSERT ON mail_opt_outs
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('day_invitation', 'day_update', 'day_cancellation', 'day_reminder', 'day_summary', 'weekly_digest', 'agreement_ending', 'team_agenda')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: mail_opt_outs_kind_check'); END;
CREATE TRIGGER mail_opt_outs_kind_check_update BEFORE UPDATE OF kind ON mail_opt_outs
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('day_invitation', 'day_update', 'day_cancellation', 'day_reminder', 'day_summary', 'weekly_digest', 'agreement_ending', 'team_agenda')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: mail_opt_outs_kind_check'); END;

-- partners::PartnerKind (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER partners_kind_check_insert BEFORE INSERT ON partners
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('entrepreneur_association', 'employment_services', 'chamber_of_commerce', 'educational_institution', 'other')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: partners_kind_check'); END;
CREATE TRIGGER partners_kind_check_update BEFORE UPDATE OF kind ON partners
WHEN NEW.kind IS NOT NULL AND NEW.kind NOT IN ('entrepreneur_association', 'employment_services', 'chamber_of_commerce', 'educational_institution', 'other')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: partners_kind_check'); END;

-- partners::PartnerStatus (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER partners_status_check_insert BEFORE INSERT ON partners
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('active', 'paused', 'ended')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: partners_status_check'); END;
CREATE TRIGGER partners_status_check_update BEFORE UPDATE OF status ON partners
WHEN NEW.status IS NOT NULL AND NEW.status NOT IN ('active', 'paused', 'ended')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: partners_status_check'); END;

-- partners::members::MemberSource (closed_set!; tests/app/enum_checks.rs keeps them equal)
CREATE TRIGGER partner_members_source_check_insert BEFORE INSERT ON partner_members
WHEN NEW.source IS NOT NULL AND NEW.source NOT IN ('manual', 'member_list', 'member_list_new')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: partner_members_source_check'); END;
CREATE TRIGGER partner_members_source_check_update BEFORE UPDATE OF source ON partner_members
WHEN NEW.source IS NOT NULL AND NEW.source NOT IN ('manual', 'member_list', 'member_list_new')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: partner_members_source_check'); END;
