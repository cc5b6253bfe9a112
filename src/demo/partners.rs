//! Demo partners: the local entrepreneur association with a member list, an agreement
//! that ends soon and a breakfast meeting, and the employment area.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{employers, users};
use crate::db::{transaction, DbConn};
use crate::db_run;
use crate::domain::closed_set::Choice;
use crate::domain::partners::{self, agreements, events, members, ContactInput, PartnerInput};
use crate::domain::partners::{PartnerKind, PartnerStatus};
use crate::domain::users::{load_actor, Actor};
use crate::domain::Rules;
use crate::error::AppError;

fn contact(name: &str, role: &str, email: &str) -> ContactInput {
    ContactInput {
        name: Some(name.into()),
        role: Some(role.into()),
        email: Some(email.into()),
        phone: Some("040 555 0101".into()),
    }
}

/// Adds the partners to the demo organisation of `admin_email`.
pub fn load(conn: &mut DbConn, admin_email: &str, now: NaiveDateTime) -> Result<usize, AppError> {
    transaction(conn, |conn| {
        let admin_id: i64 = db_run!(conn, |c| users::table
            .filter(users::email.eq(admin_email))
            .select(users::id)
            .first(c))?;
        let admin: Actor =
            load_actor(conn, admin_id)?.ok_or_else(|| AppError::internal("demo admin missing"))?;
        let lead: i64 = db_run!(conn, |c| users::table
            .filter(users::organisation_id.eq(admin.org_id))
            .filter(users::role.eq(crate::domain::users::Role::TeamLead))
            .select(users::id)
            .first(c))?;
        let people: Vec<i64> = db_run!(conn, |c| users::table
            .filter(users::organisation_id.eq(admin.org_id))
            .filter(users::role.eq(crate::domain::users::Role::Specialist))
            .order(users::id.asc())
            .select(users::id)
            .load(c))?;
        let yrittajat = partners::create(
            conn,
            &admin,
            PartnerInput {
                name: Some("Tampereen Yrittäjät ry".into()),
                kind: Some(Choice::Known(PartnerKind::EntrepreneurAssociation)),
                area: vec!["837".into(), "536".into(), "980".into()],
                owner_id: Some(lead),
                notes: Some(
                    "Aamukahvit kuun toisena tiistaina; jäsenkirjeeseen voi tarjota juttuja."
                        .into(),
                ),
                status: Some(Choice::Known(PartnerStatus::Active)),
                contacts: Some(vec![contact(
                    "Riitta Koskinen",
                    "toiminnanjohtaja",
                    "riitta.koskinen@example.fi",
                )]),
            },
            now,
        )?;
        let ty = partners::create(
            conn,
            &admin,
            PartnerInput {
                name: Some("Tampereen seudun työllisyysalue".into()),
                kind: Some(Choice::Known(PartnerKind::EmploymentServices)),
                area: vec!["837".into()],
                owner_id: people.first().copied(),
                notes: None,
                status: Some(Choice::Known(PartnerStatus::Active)),
                contacts: Some(vec![contact(
                    "Janne Salo",
                    "yrityspalvelut",
                    "janne.salo@example.fi",
                )]),
            },
            now,
        )?;
        agreements::create(
            conn,
            &admin,
            yrittajat.row.id,
            agreements::AgreementInput {
                summary: Some("Kaksi jäsentilaisuutta vuodessa ja palsta jäsenkirjeessä.".into()),
                starts_on: Some((now.date() - Duration::days(340)).to_string()),
                ends_on: Some((now.date() + Duration::days(25)).to_string()),
                links: vec!["https://example.fi/yhteistyosopimus.pdf".into()],
            },
            now,
        )?;
        let some: Vec<i64> = db_run!(conn, |c| employers::table
            .filter(employers::organisation_id.eq(admin.org_id))
            .order(employers::id.asc())
            .limit(24)
            .select(employers::id)
            .load(c))?;
        for e in some.iter().step_by(2) {
            members::link(
                conn,
                admin.org_id,
                yrittajat.row.id,
                *e,
                crate::domain::partners::members::MemberSource::MemberList,
                now - Duration::days(60),
            )?;
        }
        if let Some(e) = some.get(1) {
            members::refer(conn, &admin, ty.row.id, *e, now - Duration::days(30))?;
        }
        let rules = Rules {
            tz: chrono_tz::Europe::Helsinki,
            collision_window_days: 14,
            quiet_after_days: 60,
            weekly_target: 6,
            snooze_days: 7,
            default_lang: crate::i18n::Lang::Fi,
            agreement_reminder_days: 30,
        };
        let ev = events::create(
            conn,
            &admin,
            yrittajat.row.id,
            events::EventInput {
                title: Some("Yrittäjäaamiainen".into()),
                held_on: Some((now.date() - Duration::days(12)).to_string()),
                place: Some("Tampere-talo".into()),
                notes: None,
                attendee_ids: people.iter().take(2).copied().collect(),
                imported_event_id: None,
            },
            &rules,
            now,
        )?;
        // A do-not-contact employer is not met (logging a contact with it is refused).
        let stopped: Vec<i64> = db_run!(conn, |c| employers::table
            .filter(employers::organisation_id.eq(admin.org_id))
            .filter(employers::stage.eq(crate::domain::employers::Stage::DoNotContact))
            .select(employers::id)
            .load(c))?;
        for e in some
            .iter()
            .skip(3)
            .step_by(4)
            .filter(|e| !stopped.contains(e))
            .take(3)
        {
            events::met(
                conn,
                &admin,
                yrittajat.row.id,
                ev.row.id,
                events::MetInput {
                    employer_id: Some(*e),
                    specialist_id: people.first().copied(),
                    learned: Some("Kiinnostunut osa-aikaisista työntekijöistä.".into()),
                    ..Default::default()
                },
                &rules,
                now,
            )?;
        }
        Ok(2)
    })
}
