//! The one portable schema, kept by hand: both migration folders must produce it.

diesel::table! {
    organisations (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    teams (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        team_id -> Nullable<BigInt>,
        email -> Text,
        display_name -> Text,
        role -> Text,
        password_hash -> Text,
        locale -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        organisation_id -> BigInt,
        user_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        token_prefix -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    employers (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        name -> Text,
        name_lower -> Text,
        business_id -> Nullable<Text>,
        industry -> Nullable<Text>,
        size_class -> Nullable<Text>,
        street_address -> Nullable<Text>,
        postal_code -> Nullable<Text>,
        municipality_code -> Nullable<Text>,
        website -> Nullable<Text>,
        description -> Nullable<Text>,
        tags -> Text,
        owner_id -> Nullable<BigInt>,
        stage -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        archived_at -> Nullable<Timestamp>,
        contact_interval_days -> Nullable<Integer>,
        partner_id -> Nullable<BigInt>,
        partner_via -> Nullable<Text>,
        do_not_contact_reason -> Nullable<Text>,
        partner_since -> Nullable<Timestamp>,
        version -> Integer,
    }
}

diesel::table! {
    contacts (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        employer_id -> BigInt,
        name -> Text,
        title -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        preferred_channel -> Nullable<Text>,
        can_hire -> Bool,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::joinable!(teams -> organisations (organisation_id));
diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(employers -> organisations (organisation_id));
diesel::joinable!(contacts -> employers (employer_id));

diesel::table! {
    outreach (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        specialist_id -> BigInt,
        employer_id -> BigInt,
        contact_id -> Nullable<BigInt>,
        occurred_at -> Timestamp,
        channel -> Text,
        visit_kind -> Text,
        met_hiring_authority -> Bool,
        on_behalf_of -> Text,
        client_present -> Bool,
        purpose -> Text,
        learned -> Nullable<Text>,
        outcome -> Nullable<Text>,
        next_step -> Nullable<Text>,
        next_step_due -> Nullable<Date>,
        planned_contact_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        contact_day_id -> Nullable<BigInt>,
        partner_event_id -> Nullable<BigInt>,
        result -> Nullable<Text>,
        version -> Integer,
    }
}

diesel::table! {
    outreach_clients (outreach_id, client_id) {
        outreach_id -> BigInt,
        organisation_id -> BigInt,
        client_id -> BigInt,
    }
}

diesel::table! {
    follow_ups (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        employer_id -> BigInt,
        outreach_id -> Nullable<BigInt>,
        assignee_id -> BigInt,
        title -> Text,
        due_on -> Date,
        status -> Text,
        done_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    planned_contacts (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        specialist_id -> BigInt,
        employer_id -> BigInt,
        planned_on -> Date,
        planned_time -> Nullable<Text>,
        channel -> Text,
        purpose -> Text,
        note -> Nullable<Text>,
        status -> Text,
        outreach_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    leads (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        employer_id -> BigInt,
        title -> Text,
        isco_code -> Nullable<Text>,
        description -> Nullable<Text>,
        hours_min -> Nullable<Integer>,
        hours_max -> Nullable<Integer>,
        schedule_days -> Text,
        schedule_shifts -> Text,
        municipality_code -> Nullable<Text>,
        wage -> Nullable<Text>,
        requirements -> Nullable<Text>,
        starts_on -> Nullable<Date>,
        apply_by -> Nullable<Date>,
        source -> Text,
        status -> Text,
        found_by -> Nullable<BigInt>,
        outreach_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        partner_id -> Nullable<BigInt>,
        version -> Integer,
    }
}

diesel::table! {
    employer_events (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        employer_id -> BigInt,
        user_id -> Nullable<BigInt>,
        kind -> Text,
        detail -> Text,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    clients (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        team_id -> Nullable<BigInt>,
        specialist_id -> BigInt,
        display_name -> Text,
        intake_date -> Date,
        status -> Text,
        wants_work -> Nullable<Bool>,
        wants_work_asked_on -> Nullable<Date>,
        benefits_counselling_on -> Nullable<Date>,
        consent_to_contact_employers -> Bool,
        disclosure -> Text,
        disclosure_notes -> Nullable<Text>,
        own_first_employer_contact_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        erased_at -> Nullable<Timestamp>,
        former_names -> Text,
    }
}

diesel::table! {
    client_profiles (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        client_id -> BigInt,
        version -> Integer,
        data -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    lead_proposals (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        lead_id -> BigInt,
        client_id -> BigInt,
        proposed_by -> Nullable<BigInt>,
        status -> Text,
        reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    placements (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        client_id -> BigInt,
        employer_id -> BigInt,
        lead_id -> Nullable<BigInt>,
        job_title -> Text,
        isco_code -> Nullable<Text>,
        hours_per_week -> Nullable<Integer>,
        wage -> Nullable<Text>,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        end_reason -> Nullable<Text>,
        employment_type -> Text,
        competitive -> Bool,
        disclosure -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        partner_id -> Nullable<BigInt>,
        version -> Integer,
    }
}

diesel::table! {
    support_contacts (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        placement_id -> BigInt,
        specialist_id -> BigInt,
        occurred_on -> Date,
        with_whom -> Text,
        channel -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    calendar_feeds (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        user_id -> BigInt,
        secret -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    contact_days (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        host_id -> BigInt,
        day -> Date,
        starts_at -> Text,
        ends_at -> Text,
        place -> Text,
        theme -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        sequence -> Integer,
        series_id -> Nullable<BigInt>,
        recurrence_id -> Nullable<Text>,
        version -> Integer,
    }
}

diesel::table! {
    contact_day_participants (contact_day_id, user_id) {
        contact_day_id -> BigInt,
        organisation_id -> BigInt,
        user_id -> BigInt,
    }
}

diesel::table! {
    contact_day_targets (contact_day_id, employer_id) {
        contact_day_id -> BigInt,
        organisation_id -> BigInt,
        employer_id -> BigInt,
        assignee_id -> Nullable<BigInt>,
        excluded_reason -> Nullable<Text>,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        partner_id -> Nullable<BigInt>,
        uid -> Text,
        recurrence_key -> Text,
        summary -> Text,
        description -> Nullable<Text>,
        location -> Nullable<Text>,
        starts_at -> Nullable<Timestamp>,
        ends_at -> Nullable<Timestamp>,
        start_date -> Nullable<Date>,
        end_date -> Nullable<Date>,
        all_day -> Bool,
        rrule -> Nullable<Text>,
        exdates -> Text,
        attendees -> Text,
        status -> Text,
        sequence -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(outreach -> employers (employer_id));
diesel::joinable!(contact_day_targets -> employers (employer_id));
diesel::joinable!(placements -> employers (employer_id));
diesel::joinable!(placements -> clients (client_id));
diesel::joinable!(lead_proposals -> leads (lead_id));
diesel::joinable!(lead_proposals -> clients (client_id));
diesel::joinable!(outreach_clients -> outreach (outreach_id));
diesel::joinable!(client_profiles -> clients (client_id));
diesel::joinable!(support_contacts -> placements (placement_id));
diesel::joinable!(outreach -> users (specialist_id));
diesel::joinable!(planned_contacts -> employers (employer_id));
diesel::joinable!(follow_ups -> employers (employer_id));
diesel::joinable!(leads -> employers (employer_id));

diesel::table! {
    outbox (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        user_id -> Nullable<BigInt>,
        kind -> Text,
        recipient -> Text,
        message_id -> Text,
        dedupe_key -> Nullable<Text>,
        lang -> Text,
        payload -> Text,
        ics -> Nullable<Text>,
        ics_method -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    mail_opt_outs (user_id, kind) {
        organisation_id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
    }
}

diesel::table! {
    contact_day_series (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        host_id -> BigInt,
        rrule -> Text,
        first_day -> Date,
        starts_at -> Text,
        ends_at -> Text,
        place -> Text,
        theme -> Nullable<Text>,
        sequence -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    calendar_subscriptions (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        created_by -> BigInt,
        url -> Text,
        partner_id -> Nullable<BigInt>,
        interval_minutes -> Integer,
        next_fetch_at -> Timestamp,
        last_fetched_at -> Nullable<Timestamp>,
        last_result -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    partners (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        name -> Text,
        name_lower -> Text,
        kind -> Text,
        area -> Text,
        owner_id -> Nullable<BigInt>,
        notes -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    partner_contacts (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        partner_id -> BigInt,
        name -> Text,
        role -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    partner_agreements (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        partner_id -> BigInt,
        summary -> Text,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        links -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    partner_members (partner_id, employer_id) {
        organisation_id -> BigInt,
        partner_id -> BigInt,
        employer_id -> BigInt,
        source -> Text,
        added_at -> Timestamp,
    }
}

diesel::table! {
    partner_events (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        partner_id -> BigInt,
        title -> Text,
        held_on -> Date,
        place -> Nullable<Text>,
        notes -> Nullable<Text>,
        imported_event_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    partner_event_attendees (partner_event_id, user_id) {
        partner_event_id -> BigInt,
        organisation_id -> BigInt,
        user_id -> BigInt,
    }
}

diesel::joinable!(partner_members -> employers (employer_id));

diesel::table! {
    review_packs (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        created_by -> BigInt,
        secret -> Text,
        team_id -> Nullable<BigInt>,
        specialist_id -> Nullable<BigInt>,
        period_from -> Date,
        period_to -> Date,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    teams,
    users,
    sessions,
    api_tokens,
    employers,
    contacts,
    outreach,
    outreach_clients,
    follow_ups,
    planned_contacts,
    leads,
    employer_events,
    clients,
    client_profiles,
    lead_proposals,
    placements,
    support_contacts,
    calendar_feeds,
    contact_days,
    contact_day_participants,
    contact_day_targets,
    events,
    outbox,
    mail_opt_outs,
    contact_day_series,
    calendar_subscriptions,
    partners,
    partner_contacts,
    partner_agreements,
    partner_members,
    partner_events,
    partner_event_attendees,
    review_packs,
    audit_events,
    deleted_outreach
);

diesel::table! {
    login_attempts (key) {
        key -> Text,
        failures -> Integer,
        last_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        user_id -> Nullable<BigInt>,
        action -> Text,
        entity -> Text,
        entity_id -> Nullable<BigInt>,
        changes -> Text,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    deleted_outreach (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        outreach_id -> BigInt,
        employer_id -> BigInt,
        specialist_id -> BigInt,
        entry -> Text,
        deleted_by -> Nullable<BigInt>,
        deleted_at -> Timestamp,
    }
}

diesel::table! {
    employer_merges (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        merged_id -> BigInt,
        merged_name -> Text,
        into_id -> BigInt,
        merged -> Text,
        moved -> Text,
        merged_by -> Nullable<BigInt>,
        merged_at -> Timestamp,
    }
}
