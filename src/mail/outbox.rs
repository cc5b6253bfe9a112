//! The outbox: messages written in the transaction of the change that caused them, and
//! the per-user switches that turn each kind off.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::db::schema::{mail_opt_outs, outbox, users};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::auth::random_hex;
use crate::domain::calendar::IcsMethod;
use crate::domain::users::Actor;
use crate::error::{AppError, FieldErrors, Msg};
use crate::i18n::Lang;

pub use crate::domain::notices::Kind;

crate::closed_set! {
    /// Where a message in the outbox stands.
    pub enum OutboxStatus ("mail.status") {
        Pending = "pending",
        Sending = "sending",
        Sent = "sent",
        Failed = "failed",
    }
}

/// Who a message goes to.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub lang: Lang,
}

/// Active users of the organisation among `ids`, with their language.
pub fn recipients(
    conn: &mut DbConn,
    org: i64,
    ids: &[i64],
    default_lang: Lang,
) -> Result<Vec<Recipient>, AppError> {
    let rows: Vec<(i64, String, String, Option<String>)> = db_run!(conn, |c| users::table
        .filter(users::organisation_id.eq(org))
        .filter(users::id.eq_any(ids))
        .filter(users::active.eq(true))
        .order(users::id.asc())
        .select((users::id, users::email, users::display_name, users::locale))
        .load(c))?;
    Ok(rows
        .into_iter()
        .map(|(user_id, email, name, locale)| Recipient {
            user_id,
            email,
            name,
            lang: locale
                .as_deref()
                .and_then(Lang::parse)
                .unwrap_or(default_lang),
        })
        .collect())
}

/// A message to store.
pub struct NewMail {
    pub org_id: i64,
    pub kind: Kind,
    pub to: Recipient,
    /// What the templates need; `lang` and `name` are added here.
    pub payload: Value,
    /// The .ics and its METHOD (REQUEST, CANCEL).
    pub ics: Option<(String, IcsMethod)>,
    /// For scheduled messages: the same key is enqueued once.
    pub dedupe_key: Option<String>,
}

/// A message's payload as stored: the document its templates read later.
pub fn payload_of(data: &impl serde::Serialize) -> Value {
    // Payloads are plain structs of strings and numbers; they always serialize.
    serde_json::to_value(data).unwrap_or_default()
}

/// Stores the message unless its recipient turned this kind off or it was already
/// enqueued under the same key. Answers whether it was stored. Run it inside the
/// transaction of the change that caused it.
pub fn enqueue(conn: &mut DbConn, m: NewMail, now: NaiveDateTime) -> Result<bool, AppError> {
    if opted_out(conn, m.to.user_id, m.kind)? {
        return Ok(false);
    }
    let mut payload = m.payload;
    if let Value::Object(o) = &mut payload {
        o.insert("lang".into(), Value::from(m.to.lang.code()));
        o.insert("name".into(), Value::from(m.to.name.clone()));
    }
    let message_id = format!("{}.{}@placefirst", m.kind.as_str(), random_hex(12));
    let (ics, method) = match m.ics {
        Some((i, meth)) => (Some(i), Some(meth)),
        None => (None, None),
    };
    let n = db_run!(conn, |c| diesel::insert_into(outbox::table)
        .values((
            outbox::organisation_id.eq(m.org_id),
            outbox::user_id.eq(Some(m.to.user_id)),
            outbox::kind.eq(m.kind),
            outbox::recipient.eq(&m.to.email),
            outbox::message_id.eq(&message_id),
            outbox::dedupe_key.eq(&m.dedupe_key),
            outbox::lang.eq(m.to.lang.code()),
            outbox::payload.eq(payload.to_string()),
            outbox::ics.eq(&ics),
            outbox::ics_method.eq(method),
            outbox::status.eq(OutboxStatus::Pending),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n > 0)
}

pub fn opted_out(conn: &mut DbConn, user_id: i64, kind: Kind) -> Result<bool, AppError> {
    let n: i64 = db_run!(conn, |c| mail_opt_outs::table
        .filter(mail_opt_outs::user_id.eq(user_id))
        .filter(mail_opt_outs::kind.eq(kind))
        .count()
        .get_result(c))?;
    Ok(n > 0)
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Preference {
    pub kind: Kind,
    pub enabled: bool,
}

/// Every kind with whether the caller receives it.
pub fn preferences(conn: &mut DbConn, actor: &Actor) -> Result<Vec<Preference>, AppError> {
    let off: Vec<Kind> = db_run!(conn, |c| mail_opt_outs::table
        .filter(mail_opt_outs::organisation_id.eq(actor.org_id))
        .filter(mail_opt_outs::user_id.eq(actor.user_id))
        .select(mail_opt_outs::kind)
        .load(c))?;
    Ok(Kind::ALL
        .iter()
        .map(|&kind| Preference {
            kind,
            enabled: !off.contains(&kind),
        })
        .collect())
}

/// Sets the caller's switches; kinds not named keep their setting. An unknown kind is a
/// validation error and changes nothing.
pub fn set_preferences(
    conn: &mut DbConn,
    actor: &Actor,
    changes: &[(String, bool)],
) -> Result<Vec<Preference>, AppError> {
    let mut parsed = Vec::new();
    for (k, on) in changes {
        match Kind::parse(k) {
            Some(kind) => parsed.push((kind, *on)),
            None => {
                return Err(AppError::Validation(FieldErrors::single(
                    k,
                    Msg::new("error.unknown_mail_kind"),
                )))
            }
        }
    }
    for (kind, on) in parsed {
        db_run!(conn, |c| diesel::delete(
            mail_opt_outs::table
                .filter(mail_opt_outs::user_id.eq(actor.user_id))
                .filter(mail_opt_outs::kind.eq(kind))
        )
        .execute(c))?;
        if !on {
            db_run!(conn, |c| diesel::insert_into(mail_opt_outs::table)
                .values((
                    mail_opt_outs::organisation_id.eq(actor.org_id),
                    mail_opt_outs::user_id.eq(actor.user_id),
                    mail_opt_outs::kind.eq(kind),
                ))
                .execute(c))?;
        }
    }
    preferences(conn, actor)
}

/// An outbox row as the worker and the status API see it.
#[derive(Debug, Clone, Serialize, Queryable, Selectable, schemars::JsonSchema)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub organisation_id: i64,
    pub kind: Kind,
    pub recipient: String,
    pub message_id: String,
    #[serde(skip)]
    pub payload: String,
    #[serde(skip)]
    pub ics: Option<String>,
    pub ics_method: Option<IcsMethod>,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

/// The organisation's newest messages (admins and team leads: delivery status).
pub fn recent(conn: &mut DbConn, actor: &Actor, limit: i64) -> Result<Vec<OutboxRow>, AppError> {
    if !matches!(
        actor.role,
        crate::domain::users::Role::Admin | crate::domain::users::Role::TeamLead
    ) {
        return Err(AppError::Forbidden);
    }
    Ok(db_run!(conn, |c| outbox::table
        .filter(outbox::organisation_id.eq(actor.org_id))
        .order(outbox::id.desc())
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(c))?)
}
