//! Partner organisations: entrepreneur associations, the employment services, chambers
//! of commerce, schools. Specialists meet employers through them; this module keeps the
//! partner, its people and agreements, and `members`, `events` and `report` what the
//! partnership brings.

pub mod agreements;
pub mod events;
pub mod members;
pub mod report;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::{partner_contacts as pc, partners};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::audit::{self, Action, Entity, Privacy};
use crate::domain::closed_set::Choice;
use crate::domain::reference::MUNICIPALITIES;
use crate::domain::users::{user_in_org, Actor};
use crate::domain::validate::{
    choice, optional_email, optional_phone, optional_text, required_choice, required_text,
};
use crate::domain::versioning::{self, Expected};
use crate::error::{AppError, FieldErrors, Msg};

crate::closed_set! {
    pub enum PartnerKind ("partner_kind") {
        EntrepreneurAssociation = "entrepreneur_association",
        EmploymentServices = "employment_services",
        ChamberOfCommerce = "chamber_of_commerce",
        EducationalInstitution = "educational_institution",
        Other = "other",
    }
}

crate::closed_set! {
    pub enum PartnerStatus ("partner_status") {
        Active = "active",
        Paused = "paused",
        Ended = "ended",
    }
}

crate::closed_set! {
    /// How an employer came through a partner.
    pub enum Via ("partner_via") {
        Referral = "referral",
        Event = "event",
        MemberList = "member_list",
    }
}

#[derive(Debug, Clone, Serialize, Queryable, Selectable, schemars::JsonSchema)]
#[diesel(table_name = partners)]
pub struct PartnerRow {
    pub id: i64,
    pub name: String,
    pub kind: PartnerKind,
    #[serde(skip)]
    pub area: String,
    pub owner_id: Option<i64>,
    pub notes: Option<String>,
    pub status: PartnerStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Counts saves; an edit names the version it started from (`domain::versioning`).
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, Queryable, Selectable, schemars::JsonSchema)]
#[diesel(table_name = pc)]
pub struct PartnerContact {
    pub id: i64,
    pub name: String,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Partner {
    #[serde(flatten)]
    pub row: PartnerRow,
    /// Municipality codes.
    pub area: Vec<String>,
    pub contacts: Vec<PartnerContact>,
    pub members: i64,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PartnerContactInput")]
#[serde(default, deny_unknown_fields)]
pub struct ContactInput {
    #[schemars(length(min = 1))]
    pub name: Option<String>,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PartnerInput {
    #[schemars(length(min = 1))]
    pub name: Option<String>,
    pub kind: Option<Choice<PartnerKind>>,
    pub area: Vec<String>,
    pub owner_id: Option<i64>,
    pub notes: Option<String>,
    pub status: Option<Choice<PartnerStatus>>,
    /// Replaces the contact people when given.
    pub contacts: Option<Vec<ContactInput>>,
}

impl From<&Partner> for PartnerInput {
    fn from(p: &Partner) -> Self {
        Self {
            name: Some(p.row.name.clone()),
            kind: Some(Choice::Known(p.row.kind)),
            area: p.area.clone(),
            owner_id: p.row.owner_id,
            notes: p.row.notes.clone(),
            status: Some(Choice::Known(p.row.status)),
            contacts: Some(
                p.contacts
                    .iter()
                    .map(|c| ContactInput {
                        name: Some(c.name.clone()),
                        role: c.role.clone(),
                        email: c.email.clone(),
                        phone: c.phone.clone(),
                    })
                    .collect(),
            ),
        }
    }
}

/// A JSON merge patch over the partner's current fields.
pub fn patch(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    patch: serde_json::Map<String, serde_json::Value>,
    now: NaiveDateTime,
) -> Result<Partner, AppError> {
    actor.require_write()?;
    let current = get(conn, actor, id)?;
    let theirs = PartnerInput::from(&current);
    let edit = versioning::merge(patch, &theirs, current.row.version, &current)?;
    if edit.unchanged {
        return Ok(current);
    }
    update(
        conn,
        actor,
        id,
        edit.input,
        Expected(Some(current.row.version)),
        now,
    )
}

/// name, role, e-mail, phone
type ContactDraft = (String, Option<String>, Option<String>, Option<String>);

/// A partner as it may be stored.
struct Draft {
    name: String,
    kind: PartnerKind,
    area: Vec<String>,
    owner_id: Option<i64>,
    notes: Option<String>,
    status: PartnerStatus,
    contacts: Option<Vec<ContactDraft>>,
}

fn parse(conn: &mut DbConn, actor: &Actor, input: PartnerInput) -> Result<Draft, AppError> {
    let mut e = FieldErrors::default();
    let name = required_text(&mut e, "name", input.name, 200);
    let kind = required_choice(&mut e, "kind", input.kind);
    let status = choice(&mut e, "status", input.status).unwrap_or(PartnerStatus::Active);
    let mut area = Vec::new();
    for a in input.area.iter().filter(|a| !a.trim().is_empty()) {
        match MUNICIPALITIES.find(a) {
            Some(m) if !area.contains(&m.code) => area.push(m.code.clone()),
            Some(_) => {}
            None => e.add("area", Msg::new("error.municipality")),
        }
    }
    let notes = optional_text(&mut e, "notes", input.notes, 4000);
    if let Some(o) = input.owner_id {
        if !user_in_org(conn, actor.org_id, o)? {
            e.add("owner_id", Msg::new("error.unknown_user"));
        }
    }
    let contacts = input.contacts.map(|list| {
        list.into_iter()
            .enumerate()
            .map(|(i, c)| {
                let f = |n: &str| format!("contacts.{i}.{n}");
                (
                    required_text(&mut e, &f("name"), c.name, 200),
                    optional_text(&mut e, &f("role"), c.role, 200),
                    optional_email(&mut e, &f("email"), c.email),
                    optional_phone(&mut e, &f("phone"), c.phone),
                )
            })
            .collect()
    });
    e.into_result()?;
    Ok(Draft {
        name,
        kind: kind.ok_or_else(|| AppError::internal("kind checked above"))?,
        area,
        owner_id: input.owner_id,
        notes,
        status,
        contacts,
    })
}

fn replace_contacts(
    conn: &mut DbConn,
    org: i64,
    partner: i64,
    d: &Draft,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let Some(list) = &d.contacts else {
        return Ok(());
    };
    db_run!(conn, |c| diesel::delete(
        pc::table
            .filter(pc::organisation_id.eq(org))
            .filter(pc::partner_id.eq(partner))
    )
    .execute(c))?;
    for (name, role, email, phone) in list {
        db_run!(conn, |c| diesel::insert_into(pc::table)
            .values((
                pc::organisation_id.eq(org),
                pc::partner_id.eq(partner),
                pc::name.eq(name),
                pc::role.eq(role),
                pc::email.eq(email),
                pc::phone.eq(phone),
                pc::created_at.eq(now),
            ))
            .execute(c))?;
    }
    Ok(())
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    input: PartnerInput,
    now: NaiveDateTime,
) -> Result<Partner, AppError> {
    actor.require_write()?;
    let d = parse(conn, actor, input)?;
    let id: i64 = db_run!(conn, |c| diesel::insert_into(partners::table)
        .values((
            partners::organisation_id.eq(actor.org_id),
            partners::name.eq(&d.name),
            partners::name_lower.eq(d.name.to_lowercase()),
            partners::kind.eq(d.kind),
            partners::area.eq(d.area.join(",")),
            partners::owner_id.eq(d.owner_id),
            partners::notes.eq(&d.notes),
            partners::status.eq(d.status),
            partners::created_at.eq(now),
            partners::updated_at.eq(now),
        ))
        .returning(partners::id)
        .get_result(c))?;
    replace_contacts(conn, actor.org_id, id, &d, now)?;
    let created = get(conn, actor, id)?;
    audit::changed(
        conn,
        actor,
        Action::Create,
        Entity::Partner,
        id,
        None::<&Partner>,
        Some(&created),
        Privacy::Open,
        now,
    )?;
    Ok(created)
}

/// Replaces the partner's fields (contacts only when `contacts` is given).
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    input: PartnerInput,
    expected: Expected,
    now: NaiveDateTime,
) -> Result<Partner, AppError> {
    actor.require_write()?;
    let current = get(conn, actor, id)?;
    // Contacts are compared only when this edit replaces them.
    let keeps_contacts = input.contacts.is_none();
    let as_input = |p: &Partner| PartnerInput {
        contacts: if keeps_contacts {
            None
        } else {
            PartnerInput::from(p).contacts
        },
        ..PartnerInput::from(p)
    };
    // Areas as codes, as stored ("Tampere" on a form is 837).
    let mine = PartnerInput {
        area: input
            .area
            .iter()
            .map(|a| {
                MUNICIPALITIES
                    .find(a)
                    .map_or_else(|| a.clone(), |m| m.code.clone())
            })
            .collect(),
        ..input.clone()
    };
    versioning::check(
        expected,
        current.row.version,
        &as_input(&current),
        &mine,
        &current,
    )?;
    let d = parse(conn, actor, input)?;
    let rows = db_run!(conn, |c| diesel::update(
        partners::table
            .filter(partners::id.eq(id))
            .filter(partners::organisation_id.eq(actor.org_id))
            .filter(partners::version.eq(current.row.version))
    )
    .set((
        partners::name.eq(&d.name),
        partners::name_lower.eq(d.name.to_lowercase()),
        partners::kind.eq(d.kind),
        partners::area.eq(d.area.join(",")),
        partners::owner_id.eq(d.owner_id),
        partners::notes.eq(&d.notes),
        partners::status.eq(d.status),
        partners::updated_at.eq(now),
    ))
    .execute(c))?;
    versioning::applied(rows, || match get(conn, actor, id) {
        Ok(now) => versioning::stale(now.row.version, &as_input(&now), &mine, &now),
        Err(e) => e,
    })?;
    replace_contacts(conn, actor.org_id, id, &d, now)?;
    let after = get(conn, actor, id)?;
    audit::changed(
        conn,
        actor,
        Action::Update,
        Entity::Partner,
        id,
        Some(&current),
        Some(&after),
        Privacy::Open,
        now,
    )?;
    Ok(after)
}

/// A partner is never deleted (attribution points at it); "deleting" ends it.
pub fn end(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    now: NaiveDateTime,
) -> Result<Partner, AppError> {
    actor.require_write()?;
    let before = get(conn, actor, id)?;
    db_run!(conn, |c| diesel::update(
        partners::table
            .filter(partners::id.eq(id))
            .filter(partners::organisation_id.eq(actor.org_id))
    )
    .set((
        partners::status.eq(PartnerStatus::Ended),
        partners::updated_at.eq(now)
    ))
    .execute(c))?;
    let after = get(conn, actor, id)?;
    audit::changed(
        conn,
        actor,
        Action::Update,
        Entity::Partner,
        id,
        Some(&before),
        Some(&after),
        Privacy::Open,
        now,
    )?;
    Ok(after)
}

pub fn row(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<PartnerRow, AppError> {
    db_run!(conn, |c| partners::table
        .filter(partners::id.eq(id))
        .filter(partners::organisation_id.eq(actor.org_id))
        .select(PartnerRow::as_select())
        .first(c)
        .optional())?
    .ok_or(AppError::NotFound)
}

pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<Partner, AppError> {
    let r = row(conn, actor, id)?;
    let contacts = db_run!(conn, |c| pc::table
        .filter(pc::organisation_id.eq(actor.org_id))
        .filter(pc::partner_id.eq(id))
        .order(pc::id.asc())
        .select(PartnerContact::as_select())
        .load(c))?;
    let members = members::count(conn, actor.org_id, id)?;
    Ok(Partner {
        area: r
            .area
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        row: r,
        contacts,
        members,
    })
}

/// The organisation's partners by name; `status` filters (default: all but ended).
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    status: Option<&str>,
) -> Result<Vec<PartnerRow>, AppError> {
    let org = actor.org_id;
    Ok(db_run!(conn, |c| {
        let mut q = partners::table
            .filter(partners::organisation_id.eq(org))
            .into_boxed::<Db>();
        let wanted: Option<Vec<PartnerStatus>> = match status {
            Some("all") => None,
            // An unknown status matches nothing.
            Some(s) => Some(PartnerStatus::parse(s).into_iter().collect()),
            None => Some(vec![PartnerStatus::Active, PartnerStatus::Paused]),
        };
        if let Some(w) = wanted {
            q = q.filter(partners::status.eq_any(w));
        }
        q.order((partners::name_lower.asc(), partners::id.asc()))
            .select(PartnerRow::as_select())
            .load(c)
    })?)
}
