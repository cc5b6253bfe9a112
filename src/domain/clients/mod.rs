//! Job seekers: pseudonymous records of what job search needs, nothing of treatment.
//! No diagnosis, medication or treatment field exists here or in the schema (a test
//! checks), and every query is scoped to the organisation.

pub mod gdpr;
pub mod profile;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::{clients, employers, outreach, outreach_clients, users};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::audit::{self, Action, Entity, Privacy};
use crate::domain::closed_set::Choice;
use crate::domain::outreach::{parse_date, Channel, Purpose};
use crate::domain::users::{user_in_org, Actor};
use crate::domain::validate::{choice, optional_text, required_text};
use crate::domain::versioning;
use crate::error::{AppError, FieldErrors, Msg};

crate::closed_set! {
    /// Where a job seeker is in the service.
    pub enum ClientStatus ("client_status") {
        Exploring = "exploring",
        JobSearch = "job_search",
        Working = "working",
        FollowAlong = "follow_along",
        Paused = "paused",
        Closed = "closed",
    }
}

impl ClientStatus {
    /// Statuses that count in a caseload: job search and in-work support together.
    pub const ACTIVE: [ClientStatus; 4] = [
        ClientStatus::Exploring,
        ClientStatus::JobSearch,
        ClientStatus::Working,
        ClientStatus::FollowAlong,
    ];
    /// Looking for work: who matching considers.
    pub const SEARCHING: [ClientStatus; 2] = [ClientStatus::Exploring, ClientStatus::JobSearch];
}

crate::closed_set! {
    /// What the job seeker lets employers be told.
    pub enum Disclosure ("disclosure") {
        None = "none",
        General = "general",
        Full = "full",
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, schemars::JsonSchema)]
#[diesel(table_name = clients)]
pub struct ClientRow {
    pub id: i64,
    #[serde(skip)]
    pub organisation_id: i64,
    pub team_id: Option<i64>,
    pub specialist_id: i64,
    pub display_name: String,
    pub intake_date: NaiveDate,
    pub status: ClientStatus,
    pub wants_work: Option<bool>,
    pub wants_work_asked_on: Option<NaiveDate>,
    pub benefits_counselling_on: Option<NaiveDate>,
    pub consent_to_contact_employers: bool,
    pub disclosure: Disclosure,
    pub disclosure_notes: Option<String>,
    pub own_first_employer_contact_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Counts saves; an edit names the version it started from (`domain::versioning`).
    pub version: i32,
    /// When identity and free text were erased; such a record is not edited again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub erased_at: Option<NaiveDateTime>,
}

/// A job seeker as the API shows it, with the rapid-job-search figure.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Client {
    #[serde(flatten)]
    pub row: ClientRow,
    /// The first face-to-face employer contact: on their behalf (contact log) or their own.
    pub first_employer_contact_on: Option<NaiveDate>,
    /// Days from intake to that contact.
    pub rapid_job_search_days: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ClientInput {
    #[schemars(length(min = 1))]
    pub display_name: Option<String>,
    pub specialist_id: Option<i64>,
    #[schemars(extend("format" = "date"))]
    pub intake_date: Option<String>,
    pub status: Option<Choice<ClientStatus>>,
    pub wants_work: Option<bool>,
    #[schemars(extend("format" = "date"))]
    pub wants_work_asked_on: Option<String>,
    #[schemars(extend("format" = "date"))]
    pub benefits_counselling_on: Option<String>,
    pub consent_to_contact_employers: Option<bool>,
    pub disclosure: Option<Choice<Disclosure>>,
    pub disclosure_notes: Option<String>,
    #[schemars(extend("format" = "date"))]
    pub own_first_employer_contact_on: Option<String>,
}

impl From<&ClientRow> for ClientInput {
    fn from(c: &ClientRow) -> Self {
        Self {
            display_name: Some(c.display_name.clone()),
            specialist_id: Some(c.specialist_id),
            intake_date: Some(c.intake_date.to_string()),
            status: Some(Choice::Known(c.status)),
            wants_work: c.wants_work,
            wants_work_asked_on: c.wants_work_asked_on.map(|d| d.to_string()),
            benefits_counselling_on: c.benefits_counselling_on.map(|d| d.to_string()),
            consent_to_contact_employers: Some(c.consent_to_contact_employers),
            disclosure: Some(Choice::Known(c.disclosure)),
            disclosure_notes: c.disclosure_notes.clone(),
            own_first_employer_contact_on: c.own_first_employer_contact_on.map(|d| d.to_string()),
        }
    }
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = clients, treat_none_as_null = true)]
pub struct ClientDraft {
    pub display_name: String,
    pub specialist_id: i64,
    pub intake_date: NaiveDate,
    pub status: ClientStatus,
    pub wants_work: Option<bool>,
    pub wants_work_asked_on: Option<NaiveDate>,
    pub benefits_counselling_on: Option<NaiveDate>,
    pub consent_to_contact_employers: bool,
    pub disclosure: Disclosure,
    pub disclosure_notes: Option<String>,
    pub own_first_employer_contact_on: Option<NaiveDate>,
}

fn date(e: &mut FieldErrors, field: &str, v: Option<String>) -> Option<NaiveDate> {
    let v = v.filter(|s| !s.trim().is_empty())?;
    parse_date(&v).or_else(|| {
        e.add(field, Msg::new("error.date"));
        None
    })
}

impl ClientInput {
    pub fn parse(self, actor: &Actor, today: NaiveDate) -> Result<ClientDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let display_name = required_text(&mut e, "display_name", self.display_name, 100);
        let intake_date = date(&mut e, "intake_date", self.intake_date).unwrap_or(today);
        if intake_date > today {
            e.add("intake_date", Msg::new("error.future"));
        }
        let status = choice(&mut e, "status", self.status).unwrap_or(ClientStatus::Exploring);
        let disclosure = choice(&mut e, "disclosure", self.disclosure).unwrap_or(Disclosure::None);
        let draft = ClientDraft {
            display_name,
            specialist_id: self.specialist_id.unwrap_or(actor.user_id),
            intake_date,
            status,
            wants_work: self.wants_work,
            wants_work_asked_on: date(&mut e, "wants_work_asked_on", self.wants_work_asked_on),
            benefits_counselling_on: date(
                &mut e,
                "benefits_counselling_on",
                self.benefits_counselling_on,
            ),
            consent_to_contact_employers: self.consent_to_contact_employers.unwrap_or(false),
            disclosure,
            disclosure_notes: optional_text(
                &mut e,
                "disclosure_notes",
                self.disclosure_notes,
                2000,
            ),
            own_first_employer_contact_on: date(
                &mut e,
                "own_first_employer_contact_on",
                self.own_first_employer_contact_on,
            ),
        };
        if draft
            .own_first_employer_contact_on
            .is_some_and(|d| d < draft.intake_date)
        {
            e.add(
                "own_first_employer_contact_on",
                Msg::new("error.before_intake"),
            );
        }
        if e.is_empty() {
            Ok(draft)
        } else {
            Err(e)
        }
    }
}

/// The first face-to-face employer contact made on the client's behalf.
fn first_contact_for(
    conn: &mut DbConn,
    org: i64,
    client_id: i64,
) -> Result<Option<NaiveDateTime>, AppError> {
    Ok(db_run!(conn, |c| outreach_clients::table
        .inner_join(outreach::table)
        .filter(outreach_clients::organisation_id.eq(org))
        .filter(outreach_clients::client_id.eq(client_id))
        .filter(outreach::channel.eq(Channel::InPerson))
        .select(diesel::dsl::min(outreach::occurred_at))
        .first::<Option<NaiveDateTime>>(c))?)
}

/// Days from intake to the first face-to-face employer contact, either way.
pub fn rapid_days(
    intake: NaiveDate,
    logged: Option<NaiveDate>,
    own: Option<NaiveDate>,
) -> (Option<NaiveDate>, Option<i64>) {
    let first = match (logged, own) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    (first, first.map(|d| (d - intake).num_days().max(0)))
}

fn with_figures(conn: &mut DbConn, row: ClientRow, tz: chrono_tz::Tz) -> Result<Client, AppError> {
    let logged = first_contact_for(conn, row.organisation_id, row.id)?
        .map(|t| crate::domain::week::utc_to_local(t, tz).date());
    let (first, days) = rapid_days(row.intake_date, logged, row.own_first_employer_contact_on);
    Ok(Client {
        row,
        first_employer_contact_on: first,
        rapid_job_search_days: days,
    })
}

pub fn get(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    tz: chrono_tz::Tz,
) -> Result<Client, AppError> {
    let row: ClientRow = db_run!(conn, |c| clients::table
        .filter(clients::id.eq(id))
        .filter(clients::organisation_id.eq(actor.org_id))
        .select(ClientRow::as_select())
        .first(c)
        .optional())?
    .ok_or(AppError::NotFound)?;
    with_figures(conn, row, tz)
}

fn check_specialist(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<Option<i64>, AppError> {
    if !user_in_org(conn, actor.org_id, id)? {
        return Err(AppError::Validation(FieldErrors::single(
            "specialist_id",
            Msg::new("error.unknown_user"),
        )));
    }
    Ok(db_run!(conn, |c| users::table
        .filter(users::id.eq(id))
        .select(users::team_id)
        .first(c))?)
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    input: ClientInput,
    now: NaiveDateTime,
    tz: chrono_tz::Tz,
) -> Result<Client, AppError> {
    actor.require_write()?;
    let d = input
        .parse(actor, crate::domain::week::utc_to_local(now, tz).date())
        .map_err(AppError::Validation)?;
    let team = check_specialist(conn, actor, d.specialist_id)?;
    let id: i64 = db_run!(conn, |c| diesel::insert_into(clients::table)
        .values((
            &d,
            clients::organisation_id.eq(actor.org_id),
            clients::team_id.eq(team),
            clients::created_at.eq(now),
            clients::updated_at.eq(now)
        ))
        .returning(clients::id)
        .get_result(c))?;
    let created = get(conn, actor, id, tz)?;
    audit::changed(
        conn,
        actor,
        Action::Create,
        Entity::Client,
        id,
        None::<&ClientRow>,
        Some(&created.row),
        IDENTITY,
        now,
    )?;
    Ok(created)
}

/// A job seeker's name and free text are never written into the trail, only "changed".
pub const IDENTITY: Privacy = Privacy::Fields(&["display_name", "disclosure_notes"]);

/// An erased job seeker's record takes nothing new: no profile, job, support or entry.
pub fn refuse_if_erased(conn: &mut DbConn, org: i64, id: i64, field: &str) -> Result<(), AppError> {
    let erased: Option<Option<NaiveDateTime>> = db_run!(conn, |c| clients::table
        .filter(clients::id.eq(id))
        .filter(clients::organisation_id.eq(org))
        .select(clients::erased_at)
        .first(c)
        .optional())?;
    match erased {
        Some(Some(_)) => Err(AppError::Conflict(FieldErrors::single(
            field,
            Msg::new("error.client_erased"),
        ))),
        _ => Ok(()),
    }
}

/// Opens a job seeker's record for reading: the opening is recorded in the trail.
pub fn open(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    now: NaiveDateTime,
    tz: chrono_tz::Tz,
) -> Result<Client, AppError> {
    let client = get(conn, actor, id, tz)?;
    audit::record(
        conn,
        actor,
        audit::Event {
            action: Action::View,
            entity: Entity::Client,
            entity_id: Some(id),
            changes: &[],
            at: now,
        },
    )?;
    Ok(client)
}

pub fn patch(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    patch: serde_json::Map<String, serde_json::Value>,
    now: NaiveDateTime,
    tz: chrono_tz::Tz,
) -> Result<Client, AppError> {
    actor.require_write()?;
    let current = get(conn, actor, id, tz)?;
    if current.row.erased_at.is_some() {
        return Err(AppError::Conflict(FieldErrors::single(
            "display_name",
            Msg::new("error.client_erased"),
        )));
    }
    let theirs = ClientInput::from(&current.row);
    let edit = versioning::merge(patch, &theirs, current.row.version, &current)?;
    if edit.unchanged {
        return Ok(current);
    }
    let d = edit
        .input
        .clone()
        .parse(actor, crate::domain::week::utc_to_local(now, tz).date())
        .map_err(AppError::Validation)?;
    let team = check_specialist(conn, actor, d.specialist_id)?;
    let rows = db_run!(conn, |c| diesel::update(
        clients::table
            .filter(clients::id.eq(id))
            .filter(clients::organisation_id.eq(actor.org_id))
            .filter(clients::version.eq(current.row.version))
    )
    .set((&d, clients::team_id.eq(team), clients::updated_at.eq(now)))
    .execute(c))?;
    // An earlier name is kept (not shown) so that erasure can find it in colleagues' text.
    if rows > 0 && d.display_name != current.row.display_name {
        let old = current.row.display_name.clone();
        db_run!(conn, |c| diesel::update(
            clients::table
                .filter(clients::id.eq(id))
                .filter(clients::organisation_id.eq(actor.org_id))
        )
        .set(clients::former_names.eq(clients::former_names.concat(format!("{old}\n"))))
        .execute(c))?;
    }
    versioning::applied(rows, || match get(conn, actor, id, tz) {
        Ok(now) => versioning::stale(
            now.row.version,
            &ClientInput::from(&now.row),
            &edit.input,
            &now,
        ),
        Err(e) => e,
    })?;
    let after = get(conn, actor, id, tz)?;
    audit::changed(
        conn,
        actor,
        Action::Update,
        Entity::Client,
        id,
        Some(&current.row),
        Some(&after.row),
        IDENTITY,
        now,
    )?;
    Ok(after)
}

/// Sets the status (a placement sets "working").
pub fn set_status(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    status: ClientStatus,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let before: ClientStatus = db_run!(conn, |c| clients::table
        .filter(clients::id.eq(id))
        .filter(clients::organisation_id.eq(actor.org_id))
        .select(clients::status)
        .first(c))?;
    if before != status {
        let change = audit::Change {
            field: "status".into(),
            old: before.as_str().into(),
            new: status.as_str().into(),
            private: false,
        };
        audit::record(
            conn,
            actor,
            audit::Event {
                action: Action::Update,
                entity: Entity::Client,
                entity_id: Some(id),
                changes: &[change],
                at: now,
            },
        )?;
    }
    db_run!(conn, |c| diesel::update(
        clients::table
            .filter(clients::id.eq(id))
            .filter(clients::organisation_id.eq(actor.org_id))
    )
    .set((clients::status.eq(status), clients::updated_at.eq(now)))
    .execute(c))?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct ClientParams {
    /// A user id, "me" or "all" (the default for reading the team's list).
    pub specialist: Option<String>,
    pub status: Option<String>,
}

pub fn list(conn: &mut DbConn, actor: &Actor, p: ClientParams) -> Result<Vec<ClientRow>, AppError> {
    let specialist = match p.specialist.as_deref().filter(|s| !s.is_empty()) {
        None | Some("all") => None,
        Some("me") => Some(actor.user_id),
        Some(s) => Some(s.parse::<i64>().map_err(|_| {
            AppError::Validation(FieldErrors::single("specialist", Msg::new("error.choice")))
        })?),
    };
    // "active" stands for every status that counts in a caseload.
    let status: Option<&[ClientStatus]> = match p.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some("active") => Some(&ClientStatus::ACTIVE),
        Some(s) => match ClientStatus::ALL.iter().position(|v| v.as_str() == s) {
            Some(i) => Some(&ClientStatus::ALL[i..=i]),
            None => {
                return Err(AppError::Validation(FieldErrors::single(
                    "status",
                    Msg::new("error.choice"),
                )))
            }
        },
    };
    Ok(db_run!(conn, |c| {
        let mut q = clients::table
            .filter(clients::organisation_id.eq(actor.org_id))
            .into_boxed::<Db>();
        if let Some(s) = specialist {
            q = q.filter(clients::specialist_id.eq(s));
        }
        if let Some(s) = status {
            q = q.filter(clients::status.eq_any(s));
        }
        q.order((clients::display_name.asc(), clients::id.asc()))
            .limit(2000)
            .select(ClientRow::as_select())
            .load(c)
    })?)
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Caseload {
    pub specialist_id: i64,
    pub name: String,
    pub active: i64,
    pub limit: i64,
    pub over_limit: bool,
}

/// Active job seekers and workers per specialist, with a warning above the limit.
pub fn caseloads(conn: &mut DbConn, actor: &Actor, limit: i64) -> Result<Vec<Caseload>, AppError> {
    let rows: Vec<(i64, String, i64)> = db_run!(conn, |c| users::table
        .inner_join(clients::table.on(clients::specialist_id.eq(users::id)))
        .filter(users::organisation_id.eq(actor.org_id))
        .filter(clients::organisation_id.eq(actor.org_id))
        .filter(clients::status.eq_any(ClientStatus::ACTIVE))
        .group_by((users::id, users::display_name))
        .select((
            users::id,
            users::display_name,
            diesel::dsl::count(clients::id)
        ))
        .order(users::display_name.asc())
        .load(c))?;
    Ok(rows
        .into_iter()
        .map(|(specialist_id, name, active)| Caseload {
            specialist_id,
            name,
            active,
            limit,
            over_limit: active > limit,
        })
        .collect())
}

/// True when every id names a job seeker of the organisation.
pub fn all_in_org(conn: &mut DbConn, org: i64, ids: &[i64]) -> Result<bool, AppError> {
    let n: i64 = db_run!(conn, |c| clients::table
        .filter(clients::organisation_id.eq(org))
        .filter(clients::id.eq_any(ids))
        .count()
        .get_result(c))?;
    Ok(n as usize == ids.len())
}

/// Of `ids`, the job seekers of `org` who have not agreed that employers are contacted
/// about them.
pub fn without_consent(conn: &mut DbConn, org: i64, ids: &[i64]) -> Result<Vec<i64>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(db_run!(conn, |c| clients::table
        .filter(clients::organisation_id.eq(org))
        .filter(clients::id.eq_any(ids))
        .filter(clients::consent_to_contact_employers.eq(false))
        .select(clients::id)
        .load(c))?)
}

/// A contact log entry made on a job seeker's behalf.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ContactOnBehalf {
    pub id: i64,
    pub occurred_at: NaiveDateTime,
    pub channel: Channel,
    pub purpose: Purpose,
    pub employer_id: i64,
    pub employer_name: String,
}

/// The contact log entries made on the job seeker's behalf, newest first, at most `limit`.
pub fn contacts_on_behalf(
    conn: &mut DbConn,
    actor: &Actor,
    client_id: i64,
    limit: i64,
) -> Result<Vec<ContactOnBehalf>, AppError> {
    let rows: Vec<(i64, NaiveDateTime, Channel, Purpose, i64, String)> =
        db_run!(conn, |c| outreach_clients::table
            .inner_join(outreach::table.inner_join(employers::table))
            .filter(outreach_clients::organisation_id.eq(actor.org_id))
            .filter(outreach_clients::client_id.eq(client_id))
            .order(outreach::occurred_at.desc())
            .limit(limit)
            .select((
                outreach::id,
                outreach::occurred_at,
                outreach::channel,
                outreach::purpose,
                employers::id,
                employers::name
            ))
            .load(c))?;
    Ok(rows
        .into_iter()
        .map(
            |(id, occurred_at, channel, purpose, employer_id, employer_name)| ContactOnBehalf {
                id,
                occurred_at,
                channel,
                purpose,
                employer_id,
                employer_name,
            },
        )
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rapid_job_search_takes_the_earlier_contact() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            rapid_days(
                d("2026-10-01"),
                Some(d("2026-10-20")),
                Some(d("2026-10-11"))
            ),
            (Some(d("2026-10-11")), Some(10))
        );
        assert_eq!(
            rapid_days(d("2026-10-01"), Some(d("2026-10-31")), None),
            (Some(d("2026-10-31")), Some(30))
        );
        assert_eq!(rapid_days(d("2026-10-01"), None, None), (None, None));
    }
}
