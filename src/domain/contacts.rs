//! Contact persons at employers: who we meet, and whether they can hire.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::contacts;
use crate::db::DbConn;
use crate::db_run;
use crate::domain::audit::{self, Action, Entity, Privacy};
use crate::domain::closed_set::Choice;
use crate::domain::employers::service as employers;
use crate::domain::users::Actor;
use crate::domain::validate::merge_patch;
use crate::domain::validate::{
    choice, optional_email, optional_phone, optional_text, required_text,
};
use crate::domain::versioning::{self, Expected};
use crate::error::{AppError, FieldErrors};

crate::closed_set! {
    /// How a contact person prefers to be reached.
    pub enum PreferredChannel ("channel") {
        Email = "email",
        Phone = "phone",
        InPerson = "in_person",
        TextMessage = "text_message",
    }
}

#[derive(Debug, Clone, Serialize, Queryable, Selectable, schemars::JsonSchema)]
#[diesel(table_name = contacts)]
pub struct Contact {
    pub id: i64,
    #[serde(skip)]
    pub organisation_id: i64,
    pub employer_id: i64,
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub preferred_channel: Option<PreferredChannel>,
    pub can_hire: bool,
    pub notes: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Counts saves; an edit names the version it started from (`domain::versioning`).
    pub version: i32,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ContactInput {
    #[schemars(length(min = 1))]
    pub name: Option<String>,
    #[schemars(length(min = 1))]
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub preferred_channel: Option<Choice<PreferredChannel>>,
    pub can_hire: Option<bool>,
    pub notes: Option<String>,
    /// true: create it although the employer has a contact person that looks the same
    /// (without it such a contact is answered 409 with `duplicates`).
    pub acknowledge_duplicates: Option<bool>,
}

impl From<&Contact> for ContactInput {
    fn from(c: &Contact) -> Self {
        Self {
            name: Some(c.name.clone()),
            title: c.title.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
            preferred_channel: c.preferred_channel.map(Choice::Known),
            can_hire: Some(c.can_hire),
            notes: c.notes.clone(),
            acknowledge_duplicates: None,
        }
    }
}

/// A checked contact person; also the columns it sets on insert and update.
#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset)]
#[diesel(table_name = contacts, treat_none_as_null = true)]
pub struct ContactDraft {
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub preferred_channel: Option<PreferredChannel>,
    pub can_hire: bool,
    pub notes: Option<String>,
}

impl ContactInput {
    pub fn parse(self) -> Result<ContactDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = required_text(&mut e, "name", self.name, 200);
        let title = optional_text(&mut e, "title", self.title, 200);
        let phone = optional_phone(&mut e, "phone", self.phone);
        let email = optional_email(&mut e, "email", self.email);
        let preferred_channel = choice(&mut e, "preferred_channel", self.preferred_channel);
        let notes = optional_text(&mut e, "notes", self.notes, 5000);
        if e.is_empty() {
            Ok(ContactDraft {
                name,
                title,
                phone,
                email,
                preferred_channel,
                can_hire: self.can_hire.unwrap_or(false),
                notes,
            })
        } else {
            Err(e)
        }
    }
}

/// The employer's contact persons; the employer must be the actor's organisation's.
pub fn list_for_employer(
    conn: &mut DbConn,
    actor: &Actor,
    employer_id: i64,
) -> Result<Vec<Contact>, AppError> {
    employers::get(conn, actor, employer_id)?;
    Ok(db_run!(conn, |c| contacts::table
        .filter(contacts::organisation_id.eq(actor.org_id))
        .filter(contacts::employer_id.eq(employer_id))
        .order((
            contacts::can_hire.desc(),
            contacts::name.asc(),
            contacts::id.asc()
        ))
        .select(Contact::as_select())
        .load(c))?)
}

pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<Contact, AppError> {
    db_run!(conn, |c| contacts::table
        .filter(contacts::id.eq(id))
        .filter(contacts::organisation_id.eq(actor.org_id))
        .select(Contact::as_select())
        .first(c)
        .optional())?
    .ok_or(AppError::NotFound)
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    employer_id: i64,
    input: ContactInput,
    now: NaiveDateTime,
) -> Result<Contact, AppError> {
    actor.require_write()?;
    employers::get(conn, actor, employer_id)?;
    let acknowledged = input.acknowledge_duplicates == Some(true);
    let d = input.parse().map_err(AppError::Validation)?;
    if !acknowledged {
        let likely = crate::domain::employers::duplicates::likely_contacts(
            conn,
            actor,
            employer_id,
            &d.name,
            d.email.as_deref(),
            d.phone.as_deref(),
        )?;
        if !likely.is_empty() {
            return Err(AppError::Duplicates(likely));
        }
    }
    let ts = now;
    let created = db_run!(conn, |c| diesel::insert_into(contacts::table)
        .values((
            contacts::organisation_id.eq(actor.org_id),
            contacts::employer_id.eq(employer_id),
            &d,
            contacts::created_at.eq(ts),
            contacts::updated_at.eq(ts),
        ))
        .returning(Contact::as_returning())
        .get_result(c))?;
    audit::changed(
        conn,
        actor,
        Action::Create,
        Entity::Contact,
        created.id,
        None::<&Contact>,
        Some(&created),
        Privacy::Fields(&["notes"]),
        ts,
    )?;
    Ok(created)
}

pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    input: ContactInput,
    expected: Expected,
    now: NaiveDateTime,
) -> Result<Contact, AppError> {
    actor.require_write()?;
    let before = get(conn, actor, id)?;
    let theirs = ContactInput::from(&before);
    versioning::check(expected, before.version, &theirs, &input, &before)?;
    let mine = input.clone();
    let d = input.parse().map_err(AppError::Validation)?;
    // A save that changes nothing is no new version (others' edits stay valid).
    if theirs.parse().as_ref() == Ok(&d) {
        return Ok(before);
    }
    let saved = db_run!(conn, |c| diesel::update(
        contacts::table
            .filter(contacts::id.eq(id))
            .filter(contacts::organisation_id.eq(actor.org_id))
            .filter(contacts::version.eq(before.version))
    )
    .set((
        &d,
        contacts::updated_at.eq(now),
        contacts::version.eq(contacts::version + 1)
    ))
    .returning(Contact::as_returning())
    .get_result(c)
    .optional())?;
    match saved {
        Some(after) => {
            audit::changed(
                conn,
                actor,
                Action::Update,
                Entity::Contact,
                id,
                Some(&before),
                Some(&after),
                Privacy::Fields(&["notes"]),
                now,
            )?;
            Ok(after)
        }
        None => {
            let stored = get(conn, actor, id)?;
            let theirs = ContactInput::from(&stored);
            Err(versioning::stale(stored.version, &theirs, &mine, &stored))
        }
    }
}

pub fn patch(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    mut patch: serde_json::Map<String, serde_json::Value>,
    now: NaiveDateTime,
) -> Result<Contact, AppError> {
    actor.require_write()?;
    crate::domain::validate::refuse_create_only(&patch, &["acknowledge_duplicates"])?;
    let expected = Expected::take_from(&mut patch)?;
    let current = get(conn, actor, id)?;
    let input = merge_patch(&ContactInput::from(&current), patch)?;
    update(conn, actor, id, input, expected, now)
}

pub fn delete(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    now: NaiveDateTime,
) -> Result<Contact, AppError> {
    actor.require_write()?;
    let contact = get(conn, actor, id)?;
    db_run!(conn, |c| diesel::delete(
        contacts::table
            .filter(contacts::id.eq(id))
            .filter(contacts::organisation_id.eq(actor.org_id))
    )
    .execute(c))?;
    audit::changed(
        conn,
        actor,
        Action::Delete,
        Entity::Contact,
        id,
        Some(&contact),
        None::<&Contact>,
        Privacy::Fields(&["notes"]),
        now,
    )?;
    Ok(contact)
}
