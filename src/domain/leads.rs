//! Job leads: openings found with employers, by contacts, partners, job boards,
//! contact days or the job seekers' own networks. Leads whose `apply_by` has passed
//! expire by themselves.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::{employers, leads, outreach};
use crate::db::scope::{in_org, Owned};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::audit::{self, Action, Entity, Privacy};
use crate::domain::closed_set::Choice;
use crate::domain::employers::list::{Cursor, Page};
use crate::domain::occupations::read_code;
use crate::domain::outreach::parse_date;
use crate::domain::reference::MUNICIPALITIES;
use crate::domain::users::{user_in_org, Actor};
use crate::domain::validate::merge_patch;
use crate::domain::validate::{choice, optional_text, required_text};
use crate::domain::versioning::{self, Expected};
use crate::error::{AppError, FieldErrors, Msg};

// SQLite and PostgreSQL both have lower(); LIKE differs in case rules between them.
diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

crate::closed_set! {
    pub enum Weekday ("day") {
        Mon = "mon", Tue = "tue", Wed = "wed", Thu = "thu", Fri = "fri", Sat = "sat", Sun = "sun",
    }
}

crate::closed_set! {
    pub enum Shift ("shift") {
        Day = "day",
        Evening = "evening",
        Night = "night",
        Weekend = "weekend",
    }
}

crate::closed_set! {
    /// Where a job lead came from.
    pub enum LeadSource ("lead_source") {
        EmployerContact = "employer_contact",
        Partner = "partner",
        JobBoard = "job_board",
        ContactDay = "contact_day",
        ClientNetwork = "client_network",
    }
}

crate::closed_set! {
    pub enum LeadStatus ("lead_status") {
        Open = "open",
        CandidatesProposed = "candidates_proposed",
        Interviewing = "interviewing",
        FilledByUs = "filled_by_us",
        FilledOtherwise = "filled_otherwise",
        Withdrawn = "withdrawn",
        Expired = "expired",
    }
}

/// A new lead is open.
impl Default for LeadStatus {
    fn default() -> Self {
        LeadStatus::Open
    }
}

impl LeadStatus {
    /// Leads still looking for someone: matched, and expired when the application
    /// period is over.
    pub const OPEN: [LeadStatus; 2] = [LeadStatus::Open, LeadStatus::CandidatesProposed];
}
/// Statuses that end when the application period is over.

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = leads)]
pub struct LeadRow {
    pub id: i64,
    pub employer_id: i64,
    pub title: String,
    pub isco_code: Option<String>,
    pub description: Option<String>,
    pub hours_min: Option<i32>,
    pub hours_max: Option<i32>,
    pub schedule_days: String,
    pub schedule_shifts: String,
    pub municipality_code: Option<String>,
    pub wage: Option<String>,
    pub requirements: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub apply_by: Option<NaiveDate>,
    pub source: LeadSource,
    pub status: LeadStatus,
    pub found_by: Option<i64>,
    pub outreach_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub partner_id: Option<i64>,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Schedule {
    pub days: Vec<Weekday>,
    pub shifts: Vec<Shift>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Lead {
    pub id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    pub title: String,
    pub isco_code: Option<String>,
    pub description: Option<String>,
    pub hours_min: Option<i32>,
    pub hours_max: Option<i32>,
    pub schedule: Schedule,
    pub municipality_code: Option<String>,
    pub wage: Option<String>,
    pub requirements: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub apply_by: Option<NaiveDate>,
    pub source: LeadSource,
    pub status: LeadStatus,
    pub found_by: Option<i64>,
    pub outreach_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The partner organisation the lead came through (its employer's).
    pub partner_id: Option<i64>,
    /// Counts saves; an edit names the version it started from (`domain::versioning`).
    pub version: i32,
}

/// A stored list of a closed set (`a,b`); values written before a set shrank are skipped.
pub fn split<T: std::str::FromStr>(s: &str) -> Vec<T> {
    s.split(',').filter_map(|x| x.parse().ok()).collect()
}

impl Lead {
    fn from_row(r: LeadRow, employer_name: String) -> Self {
        Self {
            id: r.id,
            employer_id: r.employer_id,
            employer_name,
            title: r.title,
            isco_code: r.isco_code,
            description: r.description,
            hours_min: r.hours_min,
            hours_max: r.hours_max,
            schedule: Schedule {
                days: split(&r.schedule_days),
                shifts: split(&r.schedule_shifts),
            },
            municipality_code: r.municipality_code,
            wage: r.wage,
            requirements: r.requirements,
            starts_on: r.starts_on,
            apply_by: r.apply_by,
            source: r.source,
            status: r.status,
            found_by: r.found_by,
            outreach_id: r.outreach_id,
            created_at: r.created_at,
            updated_at: r.updated_at,
            partner_id: r.partner_id,
            version: r.version,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ScheduleInput {
    pub days: Vec<Choice<Weekday>>,
    pub shifts: Vec<Choice<Shift>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LeadInput {
    pub employer_id: Option<i64>,
    #[schemars(length(min = 1))]
    pub title: Option<String>,
    pub isco_code: Option<String>,
    pub description: Option<String>,
    pub hours_min: Option<i32>,
    pub hours_max: Option<i32>,
    pub schedule: ScheduleInput,
    pub municipality_code: Option<String>,
    pub wage: Option<String>,
    pub requirements: Option<String>,
    #[schemars(extend("format" = "date"))]
    pub starts_on: Option<String>,
    #[schemars(extend("format" = "date"))]
    pub apply_by: Option<String>,
    pub source: Option<Choice<LeadSource>>,
    pub status: Option<Choice<LeadStatus>>,
    pub found_by: Option<i64>,
    pub outreach_id: Option<i64>,
}

impl From<&Lead> for LeadInput {
    fn from(l: &Lead) -> Self {
        Self {
            employer_id: Some(l.employer_id),
            title: Some(l.title.clone()),
            isco_code: l.isco_code.clone(),
            description: l.description.clone(),
            hours_min: l.hours_min,
            hours_max: l.hours_max,
            schedule: ScheduleInput {
                days: l.schedule.days.iter().copied().map(Choice::Known).collect(),
                shifts: l
                    .schedule
                    .shifts
                    .iter()
                    .copied()
                    .map(Choice::Known)
                    .collect(),
            },
            municipality_code: l.municipality_code.clone(),
            wage: l.wage.clone(),
            requirements: l.requirements.clone(),
            starts_on: l.starts_on.map(|d| d.to_string()),
            apply_by: l.apply_by.map(|d| d.to_string()),
            source: Some(Choice::Known(l.source)),
            status: Some(Choice::Known(l.status)),
            found_by: l.found_by,
            outreach_id: l.outreach_id,
        }
    }
}

/// The checked columns of a lead, for insert and update alike.
#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset)]
#[diesel(table_name = leads, treat_none_as_null = true)]
pub struct LeadDraft {
    pub employer_id: i64,
    pub title: String,
    pub isco_code: Option<String>,
    pub description: Option<String>,
    pub hours_min: Option<i32>,
    pub hours_max: Option<i32>,
    pub schedule_days: String,
    pub schedule_shifts: String,
    pub municipality_code: Option<String>,
    pub wage: Option<String>,
    pub requirements: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub apply_by: Option<NaiveDate>,
    pub source: LeadSource,
    pub status: LeadStatus,
    pub found_by: Option<i64>,
    pub outreach_id: Option<i64>,
}

/// A list of a closed set, stored as `a,b` in the set's own order (mon..sun) whatever
/// order it came in; each unknown value gets its message.
fn list_of<T: Copy + Ord + std::str::FromStr + std::fmt::Display>(
    e: &mut FieldErrors,
    field: &str,
    values: Vec<Choice<T>>,
) -> String {
    let mut out: Vec<T> = Vec::new();
    for v in values {
        let v = match v {
            Choice::Other(t) => Choice::from_text(&t.to_lowercase()),
            known => known,
        };
        match v.known() {
            Some(x) => out.push(x),
            None => e.add(field, Msg::new("error.choice")),
        }
    }
    out.sort();
    out.dedup();
    out.iter().map(T::to_string).collect::<Vec<_>>().join(",")
}

fn date_field(e: &mut FieldErrors, field: &str, v: Option<String>) -> Option<NaiveDate> {
    let v = v.filter(|s| !s.trim().is_empty())?;
    parse_date(&v).or_else(|| {
        e.add(field, Msg::new("error.date"));
        None
    })
}

impl LeadInput {
    pub fn parse(self, actor: &Actor) -> Result<LeadDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let employer_id = self.employer_id.unwrap_or_else(|| {
            e.add("employer_id", Msg::new("error.required"));
            0
        });
        let title = required_text(&mut e, "title", self.title, 200);
        let isco_code = read_code(&mut e, "isco_code", self.isco_code);
        for (field, v) in [("hours_min", self.hours_min), ("hours_max", self.hours_max)] {
            if v.is_some_and(|h| !(1..=80).contains(&h)) {
                e.add(field, Msg::new("error.range").arg("min", 1).arg("max", 80));
            }
        }
        if let (Some(lo), Some(hi)) = (self.hours_min, self.hours_max) {
            if lo > hi {
                e.add("hours_max", Msg::new("error.hours_order"));
            }
        }
        let schedule_days = list_of(&mut e, "schedule.days", self.schedule.days);
        let schedule_shifts = list_of(&mut e, "schedule.shifts", self.schedule.shifts);
        let municipality_code = self
            .municipality_code
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        if municipality_code
            .as_deref()
            .is_some_and(|m| MUNICIPALITIES.get(m).is_none())
        {
            e.add("municipality_code", Msg::new("error.choice"));
        }
        let wage = optional_text(&mut e, "wage", self.wage, 200);
        let description = optional_text(&mut e, "description", self.description, 5000);
        let requirements = optional_text(&mut e, "requirements", self.requirements, 2000);
        let starts_on = date_field(&mut e, "starts_on", self.starts_on);
        let apply_by = date_field(&mut e, "apply_by", self.apply_by);
        let source = choice(&mut e, "source", self.source).unwrap_or(LeadSource::EmployerContact);
        let status = choice(&mut e, "status", self.status).unwrap_or(LeadStatus::Open);
        if e.is_empty() {
            Ok(LeadDraft {
                employer_id,
                title,
                isco_code,
                description,
                hours_min: self.hours_min,
                hours_max: self.hours_max,
                schedule_days,
                schedule_shifts,
                municipality_code,
                wage,
                requirements,
                starts_on,
                apply_by,
                source,
                status,
                found_by: Some(self.found_by.unwrap_or(actor.user_id)),
                outreach_id: self.outreach_id,
            })
        } else {
            Err(e)
        }
    }
}

fn check_references(conn: &mut DbConn, actor: &Actor, d: &LeadDraft) -> Result<(), AppError> {
    let mut e = FieldErrors::default();
    if !in_org(conn, Owned::Employer, actor.org_id, d.employer_id)? {
        e.add("employer_id", Msg::new("error.unknown_employer"));
    }
    if let Some(u) = d.found_by {
        if !user_in_org(conn, actor.org_id, u)? {
            e.add("found_by", Msg::new("error.unknown_user"));
        }
    }
    if let Some(o) = d.outreach_id {
        let n: i64 = db_run!(conn, |c| outreach::table
            .filter(outreach::id.eq(o))
            .filter(outreach::organisation_id.eq(actor.org_id))
            .filter(outreach::employer_id.eq(d.employer_id))
            .count()
            .get_result(c))?;
        if n == 0 {
            e.add("outreach_id", Msg::new("error.unknown_outreach"));
        }
    }
    e.into_result()
}

/// Marks the organisation's leads whose application period has passed as expired.
pub fn expire_due(
    conn: &mut DbConn,
    org_id: i64,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    Ok(db_run!(conn, |c| diesel::update(
        leads::table
            .filter(leads::organisation_id.eq(org_id))
            .filter(leads::status.eq_any(LeadStatus::OPEN))
            .filter(leads::apply_by.lt(today))
    )
    .set((
        leads::status.eq(LeadStatus::Expired),
        leads::updated_at.eq(now)
    ))
    .execute(c))?)
}

pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<Lead, AppError> {
    let found: Option<(LeadRow, String)> = db_run!(conn, |c| leads::table
        .inner_join(employers::table)
        .filter(leads::id.eq(id))
        .filter(leads::organisation_id.eq(actor.org_id))
        .select((LeadRow::as_select(), employers::name))
        .first(c)
        .optional())?;
    found
        .map(|(r, n)| Lead::from_row(r, n))
        .ok_or(AppError::NotFound)
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    input: LeadInput,
    now: NaiveDateTime,
) -> Result<Lead, AppError> {
    actor.require_write()?;
    let d = input.parse(actor).map_err(AppError::Validation)?;
    check_references(conn, actor, &d)?;
    let id: i64 = db_run!(conn, |c| diesel::insert_into(leads::table)
        .values((
            &d,
            leads::organisation_id.eq(actor.org_id),
            leads::created_at.eq(now),
            leads::updated_at.eq(now)
        ))
        .returning(leads::id)
        .get_result(c))?;
    // A lead with an employer that came through a partner counts for that partner.
    if let Some(p) =
        crate::domain::partners::members::partner_of(conn, actor.org_id, d.employer_id)?
    {
        db_run!(conn, |c| diesel::update(
            leads::table.filter(leads::id.eq(id))
        )
        .set(leads::partner_id.eq(Some(p)))
        .execute(c))?;
    }
    let created = get(conn, actor, id)?;
    audit::changed(
        conn,
        actor,
        Action::Create,
        Entity::Lead,
        id,
        None::<&Lead>,
        Some(&created),
        FREE_TEXT,
        now,
    )?;
    Ok(created)
}

/// A lead's description may name the job seeker it suits: the trail says "changed".
const FREE_TEXT: Privacy = Privacy::Fields(&["description", "requirements"]);

pub fn patch(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    mut patch: serde_json::Map<String, serde_json::Value>,
    now: NaiveDateTime,
) -> Result<Lead, AppError> {
    actor.require_write()?;
    let expected = Expected::take_from(&mut patch)?;
    let current = get(conn, actor, id)?;
    let input: LeadInput = merge_patch(&LeadInput::from(&current), patch)?;
    update(conn, actor, id, input, expected, now)
}

pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    input: LeadInput,
    expected: Expected,
    now: NaiveDateTime,
) -> Result<Lead, AppError> {
    actor.require_write()?;
    let current = get(conn, actor, id)?;
    let theirs = LeadInput::from(&current);
    // A form that does not carry who found the lead or the contact it came from keeps
    // them (the contact day's tally counts leads through that contact).
    let input = LeadInput {
        found_by: input.found_by.or(current.found_by),
        outreach_id: input.outreach_id.or(current.outreach_id),
        ..input
    };
    versioning::check(expected, current.version, &theirs, &input, &current)?;
    let mine = input.clone();
    let d = input.parse(actor).map_err(AppError::Validation)?;
    // A save that changes nothing is no new version (others' edits stay valid).
    if theirs.parse(actor).as_ref() == Ok(&d) {
        return Ok(current);
    }
    check_references(conn, actor, &d)?;
    let n = db_run!(conn, |c| diesel::update(
        leads::table
            .filter(leads::id.eq(id))
            .filter(leads::organisation_id.eq(actor.org_id))
            .filter(leads::version.eq(current.version))
    )
    .set((
        &d,
        leads::updated_at.eq(now),
        leads::version.eq(leads::version + 1)
    ))
    .execute(c))?;
    let stored = get(conn, actor, id)?;
    if n == 0 {
        let theirs = LeadInput::from(&stored);
        return Err(versioning::stale(stored.version, &theirs, &mine, &stored));
    }
    audit::changed(
        conn,
        actor,
        Action::Update,
        Entity::Lead,
        id,
        Some(&current),
        Some(&stored),
        FREE_TEXT,
        now,
    )?;
    Ok(stored)
}

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct LeadParams {
    pub status: Option<String>,
    pub employer_id: Option<String>,
    pub q: Option<String>,
    /// An ISCO-08 unit group, or a job title that names one ("siivooja").
    pub occupation: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

/// Leads newest first; `status=active` means open, candidates proposed or interviewing.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    p: LeadParams,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Page<Lead>, AppError> {
    let mut e = FieldErrors::default();
    // "active": open, candidates proposed or interviewing.
    const ACTIVE: [LeadStatus; 3] = [
        LeadStatus::Open,
        LeadStatus::CandidatesProposed,
        LeadStatus::Interviewing,
    ];
    let status: Option<Vec<LeadStatus>> = match p.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some("active") => Some(ACTIVE.to_vec()),
        Some(s) => match LeadStatus::parse(s) {
            Some(v) => Some(vec![v]),
            None => {
                e.add("status", Msg::new("error.choice"));
                None
            }
        },
    };
    let employer = p.employer_id.filter(|s| !s.is_empty()).and_then(|s| {
        s.parse::<i64>()
            .map_err(|_| e.add("employer_id", Msg::new("error.choice")))
            .ok()
    });
    let cursor = p.cursor.filter(|s| !s.is_empty()).and_then(|c| {
        let parsed = Cursor::decode(&c).and_then(|c| {
            NaiveDateTime::parse_from_str(&c.key, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|t| (t, c.id))
        });
        if parsed.is_none() {
            e.add("cursor", Msg::new("error.cursor"));
        }
        parsed
    });
    let limit = crate::domain::validate::limit_param(&mut e, p.limit, 50, 200);
    let occupation = read_code(&mut e, "occupation", p.occupation);
    e.into_result()?;
    expire_due(conn, actor.org_id, today, now)?;
    let q =
        p.q.map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty());
    let rows: Vec<(LeadRow, String)> = db_run!(conn, |c| {
        let mut query = leads::table
            .inner_join(employers::table)
            .filter(leads::organisation_id.eq(actor.org_id))
            .into_boxed::<Db>();
        if let Some(s) = &status {
            query = query.filter(leads::status.eq_any(s.clone()));
        }
        if let Some(eid) = employer {
            query = query.filter(leads::employer_id.eq(eid));
        }
        if let Some(code) = &occupation {
            query = query.filter(leads::isco_code.eq(code));
        }
        if let Some(text) = &q {
            let contains = format!("%{}%", crate::db::like_escape(text));
            query = query.filter(
                employers::name_lower
                    .like(contains.clone())
                    .escape('\\')
                    .or(lower(leads::title).like(contains).escape('\\')),
            );
        }
        if let Some((t, id)) = cursor {
            query = query.filter(
                leads::created_at
                    .lt(t)
                    .or(leads::created_at.eq(t).and(leads::id.lt(id))),
            );
        }
        query
            .order((leads::created_at.desc(), leads::id.desc()))
            .limit(limit + 1)
            .select((LeadRow::as_select(), employers::name))
            .load(c)
    })?;
    let more = rows.len() as i64 > limit;
    let items: Vec<Lead> = rows
        .into_iter()
        .take(limit as usize)
        .map(|(r, n)| Lead::from_row(r, n))
        .collect();
    let next = more
        .then(|| {
            items.last().map(|l| {
                Cursor {
                    key: l.created_at.format("%Y-%m-%dT%H:%M:%S%.f").to_string(),
                    id: l.id,
                }
                .encode()
            })
        })
        .flatten();
    let total = items.len() as i64;
    Ok(Page { items, next, total })
}
