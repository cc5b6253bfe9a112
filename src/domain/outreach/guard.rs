//! The team collision guard: before a contact is logged or planned, who else in the
//! team has contacted the employer, or plans to, within the window; and whether the
//! employer's own "at most every N days" or do-not-contact wish is crossed.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{employers, outreach, planned_contacts, users};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::employers::Stage;
use crate::domain::outreach::{Channel, Purpose};
use crate::error::AppError;
use crate::i18n::{self, Lang};

crate::closed_set! {
    /// Why saving a contact needs a second look.
    pub enum CollisionKind ("collision") {
        Contacted = "contacted",
        Planned = "planned",
        Interval = "interval",
        DoNotContact = "do_not_contact",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Collision {
    pub kind: CollisionKind,
    pub user_id: Option<i64>,
    pub who: Option<String>,
    /// The local date of the other contact (or plan).
    pub on: Option<NaiveDate>,
    pub purpose: Option<Purpose>,
    pub channel: Option<Channel>,
    /// The employer's wish, for kind "interval".
    pub days: Option<i32>,
}

impl Collision {
    pub fn message(&self, lang: Lang) -> String {
        let date = self
            .on
            .map(|d| i18n::format_date(lang, d))
            .unwrap_or_default();
        let purpose = self
            .purpose
            .map(|p| i18n::t(lang, p.label_key()))
            .unwrap_or_default();
        i18n::t_args(
            lang,
            self.kind.label_key(),
            &[
                ("who", self.who.clone().unwrap_or_default()),
                ("date", date),
                ("purpose", purpose),
                ("days", self.days.map(|d| d.to_string()).unwrap_or_default()),
            ],
        )
    }
}

/// What is about to be saved.
pub struct Proposed {
    pub org_id: i64,
    pub employer_id: i64,
    pub specialist_id: i64,
    /// UTC instant of the contact (for a plan, local noon of its day).
    pub at: NaiveDateTime,
    pub tz: chrono_tz::Tz,
    pub window_days: i64,
    pub except_outreach: Option<i64>,
    pub except_plan: Option<i64>,
}

/// Who (id, name), when, why and how: a colleague's contact or plan near this one.
type Nearby<T> = (i64, String, T, Purpose, Channel);

pub fn check(conn: &mut DbConn, p: &Proposed) -> Result<Vec<Collision>, AppError> {
    let mut found = Vec::new();
    let (stage, interval): (Stage, Option<i32>) = db_run!(conn, |c| employers::table
        .filter(employers::id.eq(p.employer_id))
        .filter(employers::organisation_id.eq(p.org_id))
        .select((employers::stage, employers::contact_interval_days))
        .first(c))?;
    if stage == Stage::DoNotContact {
        found.push(Collision {
            kind: CollisionKind::DoNotContact,
            user_id: None,
            who: None,
            on: None,
            purpose: None,
            channel: None,
            days: None,
        });
    }
    let window = Duration::days(p.window_days);
    let interval_span = interval
        .map(|d| Duration::days(d as i64))
        .unwrap_or(Duration::zero());
    let reach = window.max(interval_span);
    let nearby: Vec<(i64, Nearby<NaiveDateTime>)> = db_run!(conn, |c| outreach::table
        .inner_join(users::table)
        .filter(outreach::organisation_id.eq(p.org_id))
        .filter(outreach::employer_id.eq(p.employer_id))
        .filter(outreach::occurred_at.ge(p.at - reach))
        .filter(outreach::occurred_at.le(p.at + window))
        .order(outreach::occurred_at.desc())
        .select((
            outreach::id,
            (
                outreach::specialist_id,
                users::display_name,
                outreach::occurred_at,
                outreach::purpose,
                outreach::channel,
            ),
        ))
        .load(c))?;
    // The entry being edited does not collide with itself.
    let nearby: Vec<_> = nearby
        .into_iter()
        .filter(|(id, _)| Some(*id) != p.except_outreach)
        .map(|(_, row)| row)
        .collect();
    let local = |t: NaiveDateTime| crate::domain::week::utc_to_local(t, p.tz).date();
    for (uid, who, at, purpose, channel) in &nearby {
        let within_window = *at >= p.at - window;
        if *uid != p.specialist_id && within_window {
            found.push(Collision {
                kind: CollisionKind::Contacted,
                user_id: Some(*uid),
                who: Some(who.clone()),
                on: Some(local(*at)),
                purpose: Some(*purpose),
                channel: Some(*channel),
                days: None,
            });
        }
    }
    if let Some(days) = interval {
        // The most recent contact by anyone, self included, inside the employer's interval.
        if let Some((uid, who, at, purpose, channel)) = nearby
            .iter()
            .find(|(_, _, at, _, _)| *at <= p.at && *at > p.at - interval_span)
        {
            found.push(Collision {
                kind: CollisionKind::Interval,
                user_id: Some(*uid),
                who: Some(who.clone()),
                on: Some(local(*at)),
                purpose: Some(*purpose),
                channel: Some(*channel),
                days: Some(days),
            });
        }
    }
    let day = local(p.at);
    let plans: Vec<(i64, Nearby<NaiveDate>)> = db_run!(conn, |c| planned_contacts::table
        .inner_join(users::table.on(users::id.eq(planned_contacts::specialist_id)))
        .filter(planned_contacts::organisation_id.eq(p.org_id))
        .filter(planned_contacts::employer_id.eq(p.employer_id))
        .filter(planned_contacts::status.eq(crate::domain::plan::PlanStatus::Planned))
        .filter(planned_contacts::specialist_id.ne(p.specialist_id))
        .filter(planned_contacts::planned_on.ge(day - window))
        .filter(planned_contacts::planned_on.le(day + window))
        .order(planned_contacts::planned_on.asc())
        .select((
            planned_contacts::id,
            (
                planned_contacts::specialist_id,
                users::display_name,
                planned_contacts::planned_on,
                planned_contacts::purpose,
                planned_contacts::channel,
            ),
        ))
        .load(c))?;
    let plans = plans
        .into_iter()
        .filter(|(id, _)| Some(*id) != p.except_plan)
        .map(|(_, row)| row);
    for (uid, who, on, purpose, channel) in plans {
        found.push(Collision {
            kind: CollisionKind::Planned,
            user_id: Some(uid),
            who: Some(who),
            on: Some(on),
            purpose: Some(purpose),
            channel: Some(channel),
            days: None,
        });
    }
    Ok(found)
}
