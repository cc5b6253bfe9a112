//! Lists as downloads: every record a list's filters find (no pages), as rows of cells
//! headed in the reader's language, and the same records as JSON. Contact people and
//! leads use their import's columns, so the file imports back; the contact log and the
//! job seekers read as a person would write them (names, local times, labels).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::Value;

use crate::db::schema::{contacts, employers, outreach_clients};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::clients::{self, ClientParams};
use crate::domain::employers::list::Page;
use crate::domain::imports::mapping::Field;
use crate::domain::leads::{self, LeadParams};
use crate::domain::outreach::service::{self as log, LogParams};
use crate::domain::reference::MUNICIPALITIES;
use crate::domain::users::{list_org_users, Actor};
use crate::domain::Rules;
use crate::error::AppError;
use crate::i18n::{self, format_date, Lang};

/// A list as a table, and as the records themselves.
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub records: Vec<Value>,
}

fn import_header(lang: Lang, fields: &[Field]) -> Vec<String> {
    fields
        .iter()
        .map(|f| i18n::t(lang, &format!("import_field.{}", f.as_str())))
        .collect()
}

fn header(lang: Lang, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .map(|k| i18n::t(lang, &format!("export_column.{k}")))
        .collect()
}

fn place(code: Option<&str>, lang: Lang) -> String {
    code.and_then(|c| MUNICIPALITIES.get(c))
        .map(|m| m.name(lang).to_string())
        .unwrap_or_default()
}

fn date(lang: Lang, d: Option<NaiveDate>) -> String {
    d.map(|d| format_date(lang, d)).unwrap_or_default()
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn json<T: serde::Serialize>(items: &[T]) -> Result<Vec<Value>, AppError> {
    items
        .iter()
        .map(|i| serde_json::to_value(i).map_err(AppError::internal))
        .collect()
}

/// Every page of a keyset-paged list.
fn every_page<T>(
    mut next_page: impl FnMut(Option<String>) -> Result<Page<T>, AppError>,
) -> Result<Vec<T>, AppError> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = next_page(cursor)?;
        out.extend(page.items);
        match page.next {
            Some(c) => cursor = Some(c),
            None => return Ok(out),
        }
    }
}

/// Contact people (of one employer, or all), in the contact import's columns.
pub fn contacts(
    conn: &mut DbConn,
    actor: &Actor,
    employer: Option<i64>,
    lang: Lang,
) -> Result<Sheet, AppError> {
    if let Some(e) = employer {
        crate::domain::employers::service::get(conn, actor, e)?;
    }
    type Row = (
        crate::domain::contacts::Contact,
        String,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = db_run!(conn, |c| {
        let mut q = contacts::table
            .inner_join(employers::table)
            .filter(contacts::organisation_id.eq(actor.org_id))
            .into_boxed::<Db>();
        if let Some(e) = employer {
            q = q.filter(contacts::employer_id.eq(e));
        }
        q.order((
            employers::name.asc(),
            contacts::name.asc(),
            contacts::id.asc(),
        ))
        .select((
            crate::domain::contacts::Contact::as_select(),
            employers::name,
            employers::business_id,
            employers::municipality_code,
        ))
        .load(c)
    })?;
    let cells = rows
        .iter()
        .map(|(c, employer, business_id, municipality)| {
            crate::domain::imports::contacts::FIELDS
                .iter()
                .map(|f| match f {
                    Field::Employer => employer.clone(),
                    Field::BusinessId => text(business_id),
                    Field::Municipality => place(municipality.as_deref(), lang),
                    Field::Person => c.name.clone(),
                    Field::Role => text(&c.title),
                    Field::Phone => text(&c.phone),
                    Field::Email => text(&c.email),
                    Field::Description => text(&c.notes),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    let records: Vec<&crate::domain::contacts::Contact> = rows.iter().map(|r| &r.0).collect();
    Ok(Sheet {
        header: import_header(lang, crate::domain::imports::contacts::FIELDS),
        rows: cells,
        records: json(&records)?,
    })
}

/// Leads the lead list's filters find, in the lead import's columns.
pub fn leads(
    conn: &mut DbConn,
    actor: &Actor,
    p: LeadParams,
    today: NaiveDate,
    now: NaiveDateTime,
    lang: Lang,
) -> Result<Sheet, AppError> {
    let items = every_page(|cursor| {
        leads::list(
            conn,
            actor,
            LeadParams {
                cursor,
                limit: Some("200".into()),
                ..p.clone()
            },
            today,
            now,
        )
    })?;
    let ids: Vec<i64> = items.iter().map(|l| l.employer_id).collect();
    let facts: Vec<(i64, Option<String>, Option<String>)> = db_run!(conn, |c| employers::table
        .filter(employers::organisation_id.eq(actor.org_id))
        .filter(employers::id.eq_any(&ids))
        .select((
            employers::id,
            employers::business_id,
            employers::municipality_code
        ))
        .load(c))?;
    let of = |id: i64| facts.iter().find(|f| f.0 == id);
    let rows = items
        .iter()
        .map(|l| {
            crate::domain::imports::leads::FIELDS
                .iter()
                .map(|f| match f {
                    Field::Employer => l.employer_name.clone(),
                    Field::BusinessId => of(l.employer_id)
                        .and_then(|f| f.1.clone())
                        .unwrap_or_default(),
                    Field::Municipality => place(
                        l.municipality_code
                            .as_deref()
                            .or(of(l.employer_id).and_then(|f| f.2.as_deref())),
                        lang,
                    ),
                    Field::JobTitle => l.title.clone(),
                    Field::Description => text(&l.description),
                    Field::HoursMin => l.hours_min.map(|h| h.to_string()).unwrap_or_default(),
                    Field::HoursMax => l.hours_max.map(|h| h.to_string()).unwrap_or_default(),
                    Field::ApplyBy => date(lang, l.apply_by),
                    Field::StartsOn => date(lang, l.starts_on),
                    Field::Wage => text(&l.wage),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    Ok(Sheet {
        header: import_header(lang, crate::domain::imports::leads::FIELDS),
        rows,
        records: json(&items)?,
    })
}

const LOG_COLUMNS: &[&str] = &[
    "occurred_at",
    "employer",
    "specialist",
    "channel",
    "purpose",
    "result",
    "met_hiring_authority",
    "job_seekers",
    "learned",
    "outcome",
    "next_step",
    "next_step_due",
];

/// The contact log the log's filters find (from, to, employer, specialist, channel),
/// newest first; times in local time.
pub fn contact_log(
    conn: &mut DbConn,
    actor: &Actor,
    p: LogParams,
    rules: &Rules,
    lang: Lang,
) -> Result<Sheet, AppError> {
    let items = every_page(|cursor| {
        log::list(
            conn,
            actor,
            LogParams {
                cursor,
                limit: Some("200".into()),
                ..p.clone()
            },
            rules,
        )
    })?;
    // The list leaves the job seekers out; they are counted here.
    let ids: Vec<i64> = items.iter().map(|o| o.id).collect();
    let linked: Vec<i64> = db_run!(conn, |c| outreach_clients::table
        .filter(outreach_clients::organisation_id.eq(actor.org_id))
        .filter(outreach_clients::outreach_id.eq_any(&ids))
        .select(outreach_clients::outreach_id)
        .load(c))?;
    let yes_no = |b: bool| i18n::t(lang, if b { "common.yes" } else { "common.no" });
    let rows = items
        .iter()
        .map(|o| {
            let at = NaiveDateTime::parse_from_str(&o.occurred_at, "%Y-%m-%dT%H:%M:%SZ")
                .map(|t| i18n::format_datetime(lang, rules.tz, t))
                .unwrap_or_else(|_| o.occurred_at.clone());
            vec![
                at,
                o.employer_name.clone().unwrap_or_default(),
                o.specialist_name.clone().unwrap_or_default(),
                i18n::t(lang, o.channel.label_key()),
                i18n::t(lang, o.purpose.label_key()),
                o.result
                    .map(|r| i18n::t(lang, r.label_key()))
                    .unwrap_or_default(),
                yes_no(o.met_hiring_authority),
                linked.iter().filter(|x| **x == o.id).count().to_string(),
                text(&o.learned),
                text(&o.outcome),
                text(&o.next_step),
                date(lang, o.next_step_due),
            ]
        })
        .collect();
    Ok(Sheet {
        header: header(lang, LOG_COLUMNS),
        rows,
        records: json(&items)?,
    })
}

const CLIENT_COLUMNS: &[&str] = &[
    "name",
    "specialist",
    "status",
    "intake_date",
    "wants_work",
    "consent",
    "disclosure",
    "benefits_counselling_on",
];

/// Job seekers the caseload list's filters find (specialist, status).
pub fn job_seekers(
    conn: &mut DbConn,
    actor: &Actor,
    p: ClientParams,
    lang: Lang,
) -> Result<Sheet, AppError> {
    let items = clients::list(conn, actor, p)?;
    let people = list_org_users(conn, actor.org_id)?;
    let yes_no = |b: bool| i18n::t(lang, if b { "common.yes" } else { "common.no" });
    let rows = items
        .iter()
        .map(|c| {
            vec![
                c.display_name.clone(),
                people
                    .iter()
                    .find(|u| u.id == c.specialist_id)
                    .map(|u| u.display_name.clone())
                    .unwrap_or_default(),
                i18n::t(lang, c.status.label_key()),
                format_date(lang, c.intake_date),
                c.wants_work.map(yes_no).unwrap_or_default(),
                yes_no(c.consent_to_contact_employers),
                i18n::t(lang, c.disclosure.label_key()),
                date(lang, c.benefits_counselling_on),
            ]
        })
        .collect();
    Ok(Sheet {
        header: header(lang, CLIENT_COLUMNS),
        rows,
        records: json(&items)?,
    })
}

const PLACEMENT_COLUMNS: &[&str] = &[
    "name",
    "employer",
    "job_title",
    "starts_on",
    "ends_on",
    "hours_per_week",
    "employment_type",
    "competitive",
];

/// Jobs found (placements), those starting between `from` and `to` when given.
pub fn placements(
    conn: &mut DbConn,
    actor: &Actor,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    lang: Lang,
) -> Result<Sheet, AppError> {
    use crate::db::schema::{clients as job_seekers, placements as p};
    use crate::domain::placements::Placement;
    let rows: Vec<(Placement, String, String)> = db_run!(conn, |c| {
        let mut q = p::table
            .inner_join(employers::table)
            .inner_join(job_seekers::table)
            .filter(p::organisation_id.eq(actor.org_id))
            .into_boxed::<Db>();
        if let Some(f) = from {
            q = q.filter(p::starts_on.ge(f));
        }
        if let Some(t) = to {
            q = q.filter(p::starts_on.le(t));
        }
        q.order((p::starts_on.desc(), p::id.desc()))
            .select((
                Placement::as_select(),
                job_seekers::display_name,
                employers::name,
            ))
            .load(c)
    })?;
    let yes_no = |b: bool| i18n::t(lang, if b { "common.yes" } else { "common.no" });
    let cells = rows
        .iter()
        .map(|(pl, who, employer)| {
            vec![
                who.clone(),
                employer.clone(),
                pl.job_title.clone(),
                format_date(lang, pl.starts_on),
                date(lang, pl.ends_on),
                pl.hours_per_week.map(|h| h.to_string()).unwrap_or_default(),
                i18n::t(lang, pl.employment_type.label_key()),
                yes_no(pl.competitive),
            ]
        })
        .collect();
    let records: Vec<&Placement> = rows.iter().map(|r| &r.0).collect();
    Ok(Sheet {
        header: header(lang, PLACEMENT_COLUMNS),
        rows: cells,
        records: json(&records)?,
    })
}

const PARTNER_COLUMNS: &[&str] = &["name", "kind", "area", "status", "members"];

/// Partner organisations (`status` as the partner list takes it).
pub fn partners(
    conn: &mut DbConn,
    actor: &Actor,
    status: Option<&str>,
    lang: Lang,
) -> Result<Sheet, AppError> {
    let items = crate::domain::partners::list(conn, actor, status)?;
    let mut rows = Vec::with_capacity(items.len());
    for pr in &items {
        let members = crate::domain::partners::members::count(conn, actor.org_id, pr.id)?;
        let area: Vec<String> = pr
            .area
            .split(',')
            .filter(|a| !a.is_empty())
            .map(|a| place(Some(a), lang))
            .collect();
        rows.push(vec![
            pr.name.clone(),
            i18n::t(lang, pr.kind.label_key()),
            area.join(", "),
            i18n::t(lang, pr.status.label_key()),
            members.to_string(),
        ]);
    }
    Ok(Sheet {
        header: header(lang, PARTNER_COLUMNS),
        rows,
        records: json(&items)?,
    })
}

const FOLLOW_UP_COLUMNS: &[&str] = &["due_on", "task", "employer", "assignee", "overdue"];

/// Open follow-ups, soonest first: the user's own (`assignee` None: the organisation's).
pub fn follow_ups(
    conn: &mut DbConn,
    actor: &Actor,
    assignee: Option<i64>,
    today: NaiveDate,
    lang: Lang,
) -> Result<Sheet, AppError> {
    let items = crate::domain::follow_ups::list_open(conn, actor, assignee, None, today)?;
    let people = crate::domain::users::list_org_users(conn, actor.org_id)?;
    let who = |id: i64| {
        people
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.display_name.clone())
            .unwrap_or_default()
    };
    let rows = items
        .iter()
        .map(|f| {
            vec![
                date(lang, Some(f.row.due_on)),
                f.row.title.clone(),
                f.employer_name.clone(),
                who(f.row.assignee_id),
                i18n::t(lang, if f.overdue { "common.yes" } else { "common.no" }),
            ]
        })
        .collect();
    Ok(Sheet {
        header: header(lang, FOLLOW_UP_COLUMNS),
        rows,
        records: json(&items)?,
    })
}

const CONTACT_DAY_COLUMNS: &[&str] = &["day", "time", "place", "theme", "host", "status"];

/// The organisation's contact days from `from` to `to`.
pub fn contact_days(
    conn: &mut DbConn,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
    lang: Lang,
) -> Result<Sheet, AppError> {
    let items = crate::domain::contact_days::list(conn, actor, from, to)?;
    let people = crate::domain::users::list_org_users(conn, actor.org_id)?;
    let rows = items
        .iter()
        .map(|d| {
            vec![
                date(lang, Some(d.day)),
                format!("{}–{}", d.starts_at, d.ends_at),
                d.place.clone(),
                text(&d.theme),
                people
                    .iter()
                    .find(|p| p.id == d.host_id)
                    .map(|p| p.display_name.clone())
                    .unwrap_or_default(),
                i18n::t(lang, d.status.label_key()),
            ]
        })
        .collect();
    Ok(Sheet {
        header: header(lang, CONTACT_DAY_COLUMNS),
        rows,
        records: json(&items)?,
    })
}

#[cfg(test)]
mod tests {
    /// Every column has its label in every language.
    #[test]
    fn columns_are_translated() {
        for lang in crate::i18n::ALL_LANGS {
            for k in super::LOG_COLUMNS
                .iter()
                .chain(super::CLIENT_COLUMNS)
                .chain(super::PLACEMENT_COLUMNS)
                .chain(super::PARTNER_COLUMNS)
                .chain(super::FOLLOW_UP_COLUMNS)
                .chain(super::CONTACT_DAY_COLUMNS)
            {
                let key = format!("export_column.{k}");
                assert_ne!(crate::i18n::t(lang, &key), key, "{lang:?} {key}");
            }
        }
    }
}
