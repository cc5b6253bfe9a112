//! Every column that holds one value of a closed set refuses any other value, in both
//! databases, and the database's list is exactly the Rust enum's.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use placefirst::db::DbConn;
use placefirst::domain::audit::{Action, Entity};
use placefirst::domain::calendar::IcsMethod;
use placefirst::domain::clients::{ClientStatus, Disclosure};
use placefirst::domain::contact_days::{DayStatus, Excluded};
use placefirst::domain::contacts::PreferredChannel;
use placefirst::domain::employers::{EventKind, Stage};
use placefirst::domain::follow_ups::FollowUpStatus;
use placefirst::domain::leads::{LeadSource, LeadStatus};
use placefirst::domain::notices::Kind;
use placefirst::domain::outreach::{CallResult, Channel, OnBehalf, Purpose, VisitKind};
use placefirst::domain::partners::members::MemberSource;
use placefirst::domain::partners::{PartnerKind, PartnerStatus, Via};
use placefirst::domain::placements::{EmploymentType, SupportChannel, WithWhom};
use placefirst::domain::plan::PlanStatus;
use placefirst::domain::proposals::ProposalStatus;
use placefirst::domain::reference::{Industry, SizeClass};
use placefirst::domain::users::Role;
use placefirst::i18n::ALL_LANGS;
use placefirst::mail::outbox::OutboxStatus;

use crate::helpers::TestApp;
use crate::on_both_databases;

/// (table, column, the values the Rust side can write)
fn columns() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    let langs: Vec<&str> = ALL_LANGS.iter().map(|l| l.code()).collect();
    vec![
        ("users", "role", Role::names()),
        ("audit_events", "action", Action::names()),
        ("audit_events", "entity", Entity::names()),
        ("users", "locale", langs.clone()),
        ("employers", "industry", Industry::names()),
        ("employers", "size_class", SizeClass::names()),
        ("employers", "stage", Stage::names()),
        ("employers", "partner_via", Via::names()),
        ("contacts", "preferred_channel", PreferredChannel::names()),
        ("outreach", "channel", Channel::names()),
        ("outreach", "visit_kind", VisitKind::names()),
        ("outreach", "on_behalf_of", OnBehalf::names()),
        ("outreach", "purpose", Purpose::names()),
        ("outreach", "result", CallResult::names()),
        ("follow_ups", "status", FollowUpStatus::names()),
        ("planned_contacts", "channel", Channel::names()),
        ("planned_contacts", "purpose", Purpose::names()),
        ("planned_contacts", "status", PlanStatus::names()),
        ("leads", "source", LeadSource::names()),
        ("leads", "status", LeadStatus::names()),
        ("employer_events", "kind", EventKind::names()),
        ("clients", "status", ClientStatus::names()),
        ("clients", "disclosure", Disclosure::names()),
        ("lead_proposals", "status", ProposalStatus::names()),
        ("placements", "employment_type", EmploymentType::names()),
        ("placements", "disclosure", Disclosure::names()),
        ("support_contacts", "with_whom", WithWhom::names()),
        ("support_contacts", "channel", SupportChannel::names()),
        ("contact_days", "status", DayStatus::names()),
        ("contact_day_targets", "excluded_reason", Excluded::names()),
        ("outbox", "kind", Kind::names()),
        ("outbox", "lang", langs),
        ("outbox", "ics_method", IcsMethod::names()),
        ("outbox", "status", OutboxStatus::names()),
        ("mail_opt_outs", "kind", Kind::names()),
        ("partners", "kind", PartnerKind::names()),
        ("partners", "status", PartnerStatus::names()),
        ("partner_members", "source", MemberSource::names()),
    ]
}

#[derive(QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Text)]
    t: String,
}

/// The quoted values of the CHECK constraint (PostgreSQL) or the insert trigger (SQLite).
fn database_values(conn: &mut DbConn, table: &str, column: &str) -> Vec<String> {
    let name = format!("{table}_{column}_check");
    let sql = match conn {
        DbConn::Postgres(_) => format!(
            "SELECT pg_get_constraintdef(oid) AS t FROM pg_constraint WHERE conname = '{name}'"
        ),
        DbConn::Sqlite(_) => {
            format!("SELECT sql AS t FROM sqlite_master WHERE type = 'trigger' AND name = '{name}_insert'")
        }
    };
    let rows: Vec<Text> =
        placefirst::db_run!(conn, |c| diesel::sql_query(&sql).load::<Text>(c)).unwrap();
    assert_eq!(rows.len(), 1, "no check for {table}.{column}");
    // The quoted values of the condition (PostgreSQL writes `= ANY (ARRAY['a'::text, ...])`);
    // SQLite's trigger body after BEGIN holds only the message.
    let def = rows[0].t.split("BEGIN").next().unwrap_or_default();
    def.split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

on_both_databases!(
    every_closed_set_column_is_checked_with_the_enums_values,
    a_raw_insert_outside_an_enum_is_refused
);

async fn every_closed_set_column_is_checked_with_the_enums_values(app: TestApp) {
    let mut conn = app.state.pool.get().unwrap();
    for (table, column, names) in columns() {
        let mut want: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let mut got = database_values(&mut conn, table, column);
        want.sort();
        got.sort();
        assert_eq!(
            got, want,
            "{table}.{column}: the database and the enum disagree"
        );
    }
}

async fn a_raw_insert_outside_an_enum_is_refused(app: TestApp) {
    let mut conn = app.state.pool.get().unwrap();
    let run = |conn: &mut DbConn, sql: &str| placefirst::db_run!(conn, |c| c.batch_execute(sql));
    run(
        &mut conn,
        "INSERT INTO organisations (name, created_at) VALUES ('Org', '2026-12-01 10:00:00')",
    )
    .unwrap();
    let employer = |stage: &str| {
        format!(
            "INSERT INTO employers (organisation_id, name, name_lower, tags, stage, created_at, updated_at) \
             VALUES (1, 'Kahvila', 'kahvila', '', '{stage}', '2026-12-01 10:00:00', '2026-12-01 10:00:00')"
        )
    };
    run(&mut conn, &employer("active")).expect("a valid stage goes in");
    let err = run(&mut conn, &employer("friends")).expect_err("an unknown stage is refused");
    assert!(err.to_string().contains("employers_stage_check"), "{err}");
    let err = run(
        &mut conn,
        "UPDATE employers SET stage = 'Active' WHERE id = 1",
    )
    .expect_err("an update to an unknown stage is refused");
    assert!(err.to_string().contains("employers_stage_check"), "{err}");
    let err = run(
        &mut conn,
        "UPDATE employers SET industry = 'Z' WHERE id = 1",
    )
    .expect_err("an unknown industry is refused");
    assert!(
        err.to_string().contains("employers_industry_check"),
        "{err}"
    );
    run(
        &mut conn,
        "UPDATE employers SET industry = NULL, size_class = '10-49' WHERE id = 1",
    )
    .expect("NULL and a valid size class go in");
}

/// The label keys of every value of the given closed sets.
macro_rules! label_keys {
    ($($t:ty),* $(,)?) => {{
        let mut keys: Vec<&'static str> = Vec::new();
        $(keys.extend(<$t>::ALL.iter().map(|v| v.label_key()));)*
        keys
    }};
}

#[test]
fn every_value_has_a_label_in_every_language() {
    use placefirst::domain::leads::{Shift, Weekday};
    use placefirst::domain::outreach::guard::CollisionKind;
    let keys = label_keys!(
        Role,
        Industry,
        SizeClass,
        Stage,
        EventKind,
        Via,
        PreferredChannel,
        Channel,
        VisitKind,
        OnBehalf,
        Purpose,
        FollowUpStatus,
        PlanStatus,
        LeadSource,
        LeadStatus,
        Weekday,
        Shift,
        ClientStatus,
        Disclosure,
        ProposalStatus,
        EmploymentType,
        WithWhom,
        SupportChannel,
        DayStatus,
        Excluded,
        Kind,
        IcsMethod,
        OutboxStatus,
        PartnerKind,
        PartnerStatus,
        MemberSource,
        CollisionKind,
    );
    let mut missing = Vec::new();
    for lang in ALL_LANGS {
        for key in &keys {
            if !placefirst::i18n::catalog(lang).contains_key(*key) {
                missing.push(format!("{}: {key}", lang.code()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "labels missing:\n{}",
        missing.join("\n")
    );
}
