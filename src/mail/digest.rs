//! Messages the clock makes due: the reminder the day before a contact day, the summary
//! after it, and each specialist's weekly digest on Monday. Each is enqueued once (by
//! its dedupe key), at `mail.send_hour` local time or later.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::db::schema::{contact_days as days, outbox, users};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::contact_days::{self, ContactDayRow};
use crate::domain::matching::cache::LeadCache;
use crate::domain::matching::MatchSettings;

/// What matching needs: the settings, and the organisations' open leads kept in memory.
pub struct MatchCtx<'a> {
    pub settings: &'a MatchSettings,
    pub cache: &'a LeadCache,
}
use crate::domain::contact_days::Tally;
use crate::domain::notices::Notice;
use crate::domain::plan::PlanStatus;
use crate::domain::users::{load_actor, Role};
use crate::domain::week::{utc_to_local, Week};
use crate::domain::Rules;
use crate::error::AppError;
use crate::i18n::{self, Lang};
use crate::mail::contact_day::{day_facts, participant_ids, tell, DayFacts};
use crate::mail::outbox::{enqueue, payload_of, recipients, Kind, NewMail};
use crate::mail::MailSettings;

/// Enqueues everything due at `now`; answers how many messages were stored.
pub fn schedule(
    conn: &mut DbConn,
    rules: &Rules,
    mail: &MailSettings,
    m: &MatchCtx,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let local = utc_to_local(now, rules.tz);
    let mut n = summaries(conn, rules, local, now)?;
    if local.hour() >= mail.send_hour {
        n += reminders(conn, rules, local.date(), now)?;
        n += agreements_ending(conn, rules, local.date(), now)?;
        if local.weekday() == Weekday::Mon {
            n += digests(conn, rules, m, local.date(), now)?;
        }
    }
    Ok(n)
}

fn day_rows(
    conn: &mut DbConn,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ContactDayRow>, AppError> {
    Ok(db_run!(conn, |c| days::table
        .filter(days::status.eq(crate::domain::contact_days::DayStatus::Planned))
        .filter(days::day.ge(from))
        .filter(days::day.le(to))
        .select(ContactDayRow::as_select())
        .load(c))?)
}

/// Every participant of tomorrow's days, once per day and date.
fn reminders(
    conn: &mut DbConn,
    rules: &Rules,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let tomorrow = today + Duration::days(1);
    let mut n = 0;
    for d in day_rows(conn, tomorrow, tomorrow)? {
        let to = participant_ids(conn, d.organisation_id, d.id)?;
        n += tell(
            conn,
            rules,
            Notice {
                day: &d,
                kind: Kind::DayReminder,
                to: &to,
                was: None,
                dedupe_prefix: Some(format!("day_reminder:{}:{}", d.id, d.day)),
                whole_series: false,
            },
            now,
        )?;
    }
    Ok(n)
}

/// The host and the participants of days that ended (within the last week), once.
fn summaries(
    conn: &mut DbConn,
    rules: &Rules,
    local: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let mut n = 0;
    for d in day_rows(conn, local.date() - Duration::days(7), local.date())? {
        let ends = NaiveTime::parse_from_str(&d.ends_at, "%H:%M").unwrap_or(NaiveTime::MIN);
        if d.day.and_time(ends) > local {
            continue;
        }
        let Some(host) = load_actor(conn, d.host_id)? else {
            continue;
        };
        let key = format!("day_summary:{}", d.id);
        if already(conn, &key)? {
            continue;
        }
        let s = contact_days::summary(conn, &host, d.id)?;
        let mut to = participant_ids(conn, d.organisation_id, d.id)?;
        to.push(d.host_id);
        to.sort_unstable();
        to.dedup();
        for r in recipients(conn, d.organisation_id, &to, rules.default_lang)? {
            let date = |d| i18n::format_date(r.lang, d);
            let payload = payload_of(&SummaryMessage {
                day: day_facts(&d, r.lang),
                total: &s.total,
                leads: s
                    .leads
                    .iter()
                    .map(|(id, title, employer)| LeadLine {
                        id: *id,
                        title,
                        employer,
                    })
                    .collect(),
                follow_ups: s
                    .follow_ups
                    .iter()
                    .map(|(title, due, employer)| FollowUpLine {
                        title,
                        due: Some(date(*due)),
                        employer,
                    })
                    .collect(),
                not_attempted: s
                    .not_attempted
                    .iter()
                    .map(|(id, name)| Named { id: *id, name })
                    .collect(),
                no_answer: s
                    .no_answer
                    .iter()
                    .map(|(id, name)| Named { id: *id, name })
                    .collect(),
                earlier: s
                    .earlier
                    .iter()
                    .map(|e| Earlier {
                        date: date(e.day),
                        contacts: e.contacts,
                    })
                    .collect(),
            });
            let user = r.user_id;
            if enqueue(
                conn,
                NewMail {
                    org_id: d.organisation_id,
                    kind: Kind::DaySummary,
                    to: r,
                    payload,
                    ics: None,
                    dedupe_key: Some(format!("{key}:{user}")),
                },
                now,
            )? {
                n += 1;
            }
        }
    }
    Ok(n)
}

/// True when messages under this key prefix exist (so the work to build them is skipped).
pub fn already(conn: &mut DbConn, prefix: &str) -> Result<bool, AppError> {
    let pattern = format!("{prefix}:%");
    let n: i64 = db_run!(conn, |c| outbox::table
        .filter(outbox::dedupe_key.like(&pattern))
        .count()
        .get_result(c))?;
    Ok(n > 0)
}

/// Monday: each active specialist's and team lead's week.
fn digests(
    conn: &mut DbConn,
    rules: &Rules,
    m: &MatchCtx,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let week = Week::of(today);
    let week_code = week.label();
    let people: Vec<i64> = db_run!(conn, |c| users::table
        .filter(users::active.eq(true))
        .filter(users::role.eq_any(Role::DEVELOPERS))
        .order(users::id.asc())
        .select(users::id)
        .load(c))?;
    let pattern = format!("weekly_digest:{week_code}:%");
    let done: Vec<Option<String>> = db_run!(conn, |c| outbox::table
        .filter(outbox::dedupe_key.like(&pattern))
        .select(outbox::dedupe_key)
        .load(c))?;
    let mut n = 0;
    for user in people {
        let key = format!("weekly_digest:{week_code}:{user}");
        if done.iter().any(|k| k.as_deref() == Some(key.as_str())) {
            continue;
        }
        let Some(actor) = load_actor(conn, user)? else {
            continue;
        };
        let Some(r) = recipients(conn, actor.org_id, &[user], rules.default_lang)?.pop() else {
            continue;
        };
        let payload = digest_payload(conn, &actor, week, r.lang, rules, m, now)?;
        if enqueue(
            conn,
            NewMail {
                org_id: actor.org_id,
                kind: Kind::WeeklyDigest,
                to: r,
                payload,
                ics: None,
                dedupe_key: Some(key),
            },
            now,
        )? {
            n += 1;
        }
    }
    Ok(n)
}

/// The week's plan, follow-ups due, and leads found in the last week that match the
/// user's job seekers.
fn digest_payload(
    conn: &mut DbConn,
    actor: &crate::domain::users::Actor,
    week: Week,
    lang: Lang,
    rules: &Rules,
    m: &MatchCtx,
    now: NaiveDateTime,
) -> Result<Value, AppError> {
    let plan = crate::domain::plan::week(conn, actor, actor.user_id, week, now, rules)?;
    let planned = PlanStatus::Planned;
    let days = plan
        .days
        .iter()
        .filter(|d| !d.planned.is_empty() || !d.follow_ups.is_empty())
        .map(|d| DigestDay {
            date: i18n::format_date(lang, d.date),
            weekday: i18n::t(lang, crate::domain::week::weekday_key(d.weekday)),
            planned: d
                .planned
                .iter()
                .filter(|p| p.row.status == planned)
                .map(|p| PlannedLine {
                    time: p.row.planned_time.clone(),
                    purpose: i18n::t(lang, p.row.purpose.label_key()),
                    employer: p.employer_name.clone(),
                })
                .collect(),
            follow_ups: d
                .follow_ups
                .iter()
                .map(|f| FollowUpLine {
                    title: &f.row.title,
                    due: None,
                    employer: &f.employer_name,
                })
                .collect(),
        })
        .collect();
    let overdue = plan
        .overdue_follow_ups
        .iter()
        .map(|f| FollowUpLine {
            title: &f.row.title,
            due: Some(i18n::format_date(lang, f.row.due_on)),
            employer: &f.employer_name,
        })
        .collect();
    Ok(payload_of(&DigestMessage {
        week: i18n::format_week(lang, week.year, week.week, week.monday()),
        days,
        overdue,
        target: plan.in_person.target,
        last_week: plan.in_person.previous.last().map(|w| w.count),
        matches: new_matches(conn, actor, m, now)?,
        link: format!("/plan?week={}", week.label()),
    }))
}

/// The after-day summary.
#[derive(Serialize)]
struct SummaryMessage<'a> {
    #[serde(flatten)]
    day: DayFacts,
    total: &'a Tally,
    leads: Vec<LeadLine<'a>>,
    follow_ups: Vec<FollowUpLine<'a>>,
    not_attempted: Vec<Named<'a>>,
    no_answer: Vec<Named<'a>>,
    earlier: Vec<Earlier>,
}

#[derive(Serialize)]
struct LeadLine<'a> {
    id: i64,
    title: &'a str,
    employer: &'a str,
}

#[derive(Serialize)]
struct FollowUpLine<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    due: Option<String>,
    employer: &'a str,
}

#[derive(Serialize)]
struct Named<'a> {
    id: i64,
    name: &'a str,
}

#[derive(Serialize)]
struct Earlier {
    date: String,
    contacts: i64,
}

/// The weekly digest: the week's plan, overdue follow-ups and new matches.
#[derive(Serialize)]
struct DigestMessage<'a> {
    week: String,
    days: Vec<DigestDay<'a>>,
    overdue: Vec<FollowUpLine<'a>>,
    target: i64,
    last_week: Option<i64>,
    matches: Vec<NewMatch>,
    link: String,
}

#[derive(Serialize)]
struct DigestDay<'a> {
    date: String,
    weekday: String,
    planned: Vec<PlannedLine>,
    follow_ups: Vec<FollowUpLine<'a>>,
}

#[derive(Serialize)]
struct PlannedLine {
    time: Option<String>,
    purpose: String,
    employer: String,
}

#[derive(Serialize)]
struct NewMatch {
    score: f64,
    client: String,
    title: String,
    employer: String,
}

/// New matches for the user's job seekers, as the mail lists them.
fn new_matches(
    conn: &mut DbConn,
    actor: &crate::domain::users::Actor,
    m: &MatchCtx,
    now: NaiveDateTime,
) -> Result<Vec<NewMatch>, AppError> {
    Ok(crate::domain::matching::fresh::for_my_seekers(
        conn,
        actor,
        m.settings,
        Some(m.cache),
        now,
        10,
    )?
    .into_iter()
    .map(|f| NewMatch {
        score: f.score as f64,
        client: f.client,
        title: f.title,
        employer: f.employer,
    })
    .collect())
}

/// The partner's contact owner hears, once per agreement and end date, that it ends soon.
fn agreements_ending(
    conn: &mut DbConn,
    rules: &Rules,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    use crate::db::schema::partners;
    let mut n = 0;
    for (org, partner, agreement, summary, ends) in
        crate::domain::partners::agreements::ending(conn, today, rules.agreement_reminder_days)?
    {
        let (name, owner): (String, Option<i64>) = db_run!(conn, |c| partners::table
            .filter(partners::id.eq(partner))
            .filter(partners::organisation_id.eq(org))
            .select((partners::name, partners::owner_id))
            .first(c))?;
        let Some(owner) = owner else {
            continue;
        };
        for r in recipients(conn, org, &[owner], rules.default_lang)? {
            let payload = payload_of(&AgreementEnding {
                partner: &name,
                summary: &summary,
                ends: i18n::format_date(r.lang, ends),
                days: (ends - today).num_days(),
                link: format!("/partners/{partner}"),
            });
            if enqueue(
                conn,
                NewMail {
                    org_id: org,
                    kind: Kind::AgreementEnding,
                    to: r,
                    payload,
                    ics: None,
                    dedupe_key: Some(format!("agreement_ending:{agreement}:{ends}")),
                },
                now,
            )? {
                n += 1;
            }
        }
    }
    Ok(n)
}

/// A partnership agreement that ends soon.
#[derive(Serialize)]
struct AgreementEnding<'a> {
    partner: &'a str,
    summary: &'a str,
    ends: String,
    days: i64,
    link: String,
}
