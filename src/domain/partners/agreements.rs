//! What was agreed with a partner ("two member events a year, a newsletter slot"), for
//! how long, with links to the documents. The partner's contact owner is reminded by
//! e-mail before an agreement ends.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::partner_agreements as pa;
use crate::db::DbConn;
use crate::db_run;
use crate::domain::outreach::parse_date;
use crate::domain::users::Actor;
use crate::domain::validate::{optional_url, required_text};
use crate::error::{AppError, FieldErrors, Msg};

#[derive(Debug, Clone, Serialize, Queryable, Selectable, schemars::JsonSchema)]
#[diesel(table_name = pa)]
pub struct AgreementRow {
    pub id: i64,
    pub partner_id: i64,
    pub summary: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    #[serde(skip)]
    pub links: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Agreement {
    #[serde(flatten)]
    pub row: AgreementRow,
    pub links: Vec<String>,
}

impl From<AgreementRow> for Agreement {
    fn from(row: AgreementRow) -> Self {
        Self {
            links: row
                .links
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            row,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AgreementInput {
    pub summary: Option<String>,
    #[schemars(extend("format" = "date"))]
    pub starts_on: Option<String>,
    #[schemars(extend("format" = "date"))]
    pub ends_on: Option<String>,
    pub links: Vec<String>,
}

fn parse(
    input: AgreementInput,
) -> Result<(String, NaiveDate, Option<NaiveDate>, String), AppError> {
    let mut e = FieldErrors::default();
    let summary = required_text(&mut e, "summary", input.summary, 2000);
    let starts = match input.starts_on.as_deref().filter(|s| !s.trim().is_empty()) {
        None => {
            e.add("starts_on", Msg::new("error.required"));
            None
        }
        Some(s) => parse_date(s).or_else(|| {
            e.add("starts_on", Msg::new("error.date"));
            None
        }),
    };
    let ends = match input.ends_on.as_deref().filter(|s| !s.trim().is_empty()) {
        None => None,
        Some(s) => parse_date(s).or_else(|| {
            e.add("ends_on", Msg::new("error.date"));
            None
        }),
    };
    if let (Some(s), Some(x)) = (starts, ends) {
        if x < s {
            e.add("ends_on", Msg::new("error.end_before_start"));
        }
    }
    let mut links = Vec::new();
    for l in input
        .links
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .take(20)
    {
        if let Some(u) = optional_url(&mut e, "links", Some(l)) {
            links.push(u);
        }
    }
    e.into_result()?;
    Ok((summary, starts.unwrap_or_default(), ends, links.join("\n")))
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    partner: i64,
    input: AgreementInput,
    now: NaiveDateTime,
) -> Result<Agreement, AppError> {
    actor.require_write()?;
    super::row(conn, actor, partner)?;
    let (summary, starts, ends, links) = parse(input)?;
    let row: AgreementRow = db_run!(conn, |c| diesel::insert_into(pa::table)
        .values((
            pa::organisation_id.eq(actor.org_id),
            pa::partner_id.eq(partner),
            pa::summary.eq(&summary),
            pa::starts_on.eq(starts),
            pa::ends_on.eq(ends),
            pa::links.eq(&links),
            pa::created_at.eq(now),
            pa::updated_at.eq(now),
        ))
        .returning(AgreementRow::as_returning())
        .get_result(c))?;
    Ok(row.into())
}

pub fn list(conn: &mut DbConn, actor: &Actor, partner: i64) -> Result<Vec<Agreement>, AppError> {
    super::row(conn, actor, partner)?;
    let org = actor.org_id;
    let rows: Vec<AgreementRow> = db_run!(conn, |c| pa::table
        .filter(pa::organisation_id.eq(org))
        .filter(pa::partner_id.eq(partner))
        .order((pa::starts_on.desc(), pa::id.desc()))
        .select(AgreementRow::as_select())
        .load(c))?;
    Ok(rows.into_iter().map(Agreement::from).collect())
}

pub fn delete(conn: &mut DbConn, actor: &Actor, partner: i64, id: i64) -> Result<(), AppError> {
    actor.require_write()?;
    super::row(conn, actor, partner)?;
    let org = actor.org_id;
    let n = db_run!(conn, |c| diesel::delete(
        pa::table
            .filter(pa::organisation_id.eq(org))
            .filter(pa::partner_id.eq(partner))
            .filter(pa::id.eq(id))
    )
    .execute(c))?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// (organisation, partner, agreement, summary, ends on)
pub type Ending = (i64, i64, i64, String, NaiveDate);

/// Agreements of every organisation that end exactly `days` from `today` or sooner and
/// have not ended: (organisation, partner, agreement, summary, ends on).
pub fn ending(conn: &mut DbConn, today: NaiveDate, days: i64) -> Result<Vec<Ending>, AppError> {
    let until = today + chrono::Duration::days(days);
    let rows: Vec<(i64, i64, i64, String, Option<NaiveDate>)> = db_run!(conn, |c| pa::table
        .filter(pa::ends_on.ge(today))
        .filter(pa::ends_on.le(until))
        .select((
            pa::organisation_id,
            pa::partner_id,
            pa::id,
            pa::summary,
            pa::ends_on
        ))
        .load(c))?;
    Ok(rows
        .into_iter()
        .filter_map(|(o, p, a, s, e)| e.map(|e| (o, p, a, s, e)))
        .collect())
}
