//! The employer contact log: one entry per call, visit or meeting with an employer.

pub mod deleted;
pub mod guard;
pub mod history;
pub mod service;
pub mod timeline;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::outreach;
use crate::domain::closed_set::Choice;
use crate::domain::validate::{choice, optional_text};
use crate::domain::week::local_to_utc;
use crate::error::{FieldErrors, Msg};

crate::closed_set! {
    /// How an employer contact was made.
    pub enum Channel ("outreach_channel") {
        InPerson = "in_person",
        Phone = "phone",
        Email = "email",
        Video = "video",
        Event = "event",
    }
}

impl Channel {
    /// Face to face: what the IPS scale counts as an employer contact.
    pub fn face_to_face(self) -> bool {
        matches!(self, Channel::InPerson | Channel::Event)
    }
}

crate::closed_set! {
    /// Which visit to the employer this is.
    pub enum VisitKind ("visit_kind") {
        First = "first",
        Second = "second",
        Ongoing = "ongoing",
    }
}

crate::closed_set! {
    /// What a contact was for.
    pub enum Purpose ("purpose") {
        Introduce = "introduce",
        LearnNeeds = "learn_needs",
        PresentJobSeeker = "present_job_seeker",
        FollowUp = "follow_up",
        ThankYou = "thank_you",
        SupportWorker = "support_worker",
    }
}

crate::closed_set! {
    /// What a call or visit came to; a contact-day tally reads it.
    pub enum CallResult ("call_result") {
        NoAnswer = "no_answer",
        Reached = "reached",
        MeetingBooked = "meeting_booked",
    }
}

crate::closed_set! {
    /// Whether a contact was general job development or for named job seekers.
    pub enum OnBehalf ("on_behalf") {
        General = "general",
        Clients = "clients",
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outreach)]
pub struct OutreachRow {
    pub id: i64,
    pub organisation_id: i64,
    pub specialist_id: i64,
    pub employer_id: i64,
    pub contact_id: Option<i64>,
    pub occurred_at: NaiveDateTime,
    pub channel: Channel,
    pub visit_kind: VisitKind,
    pub met_hiring_authority: bool,
    pub on_behalf_of: OnBehalf,
    pub client_present: bool,
    pub purpose: Purpose,
    pub learned: Option<String>,
    pub outcome: Option<String>,
    pub next_step: Option<String>,
    pub next_step_due: Option<NaiveDate>,
    pub planned_contact_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub contact_day_id: Option<i64>,
    pub result: Option<CallResult>,
    /// Counts saves; an edit names the version it started from (`domain::versioning`).
    pub version: i32,
}

/// An entry as the API shows it; `occurred_at` is UTC (RFC 3339 with "Z").
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Outreach {
    pub id: i64,
    pub occurred_at: String,
    pub specialist_id: i64,
    pub employer_id: i64,
    pub contact_id: Option<i64>,
    pub channel: Channel,
    pub visit_kind: VisitKind,
    pub met_hiring_authority: bool,
    pub on_behalf_of: OnBehalf,
    pub client_ids: Vec<i64>,
    pub client_present: bool,
    pub purpose: Purpose,
    pub learned: Option<String>,
    pub outcome: Option<String>,
    pub next_step: Option<String>,
    pub next_step_due: Option<NaiveDate>,
    pub planned_contact_id: Option<i64>,
    pub contact_day_id: Option<i64>,
    /// What it came to, where said: no answer, reached, a meeting booked.
    pub result: Option<CallResult>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Filled in lists, for people reading the log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub specialist_name: Option<String>,
    /// Counts saves; an edit names the version it started from (`domain::versioning`).
    pub version: i32,
}

pub fn utc_string(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl From<OutreachRow> for Outreach {
    fn from(r: OutreachRow) -> Self {
        Self {
            id: r.id,
            occurred_at: utc_string(r.occurred_at),
            specialist_id: r.specialist_id,
            employer_id: r.employer_id,
            contact_id: r.contact_id,
            channel: r.channel,
            visit_kind: r.visit_kind,
            met_hiring_authority: r.met_hiring_authority,
            on_behalf_of: r.on_behalf_of,
            client_ids: Vec::new(),
            client_present: r.client_present,
            purpose: r.purpose,
            learned: r.learned,
            outcome: r.outcome,
            next_step: r.next_step,
            next_step_due: r.next_step_due,
            planned_contact_id: r.planned_contact_id,
            contact_day_id: r.contact_day_id,
            result: r.result,
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
            employer_name: None,
            specialist_name: None,
        }
    }
}

/// What a request may say about an entry. Everything but the employer has a default:
/// now, me, in person, the visit kind guessed from the employer's history.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct OutreachInput {
    /// RFC 3339 ("2026-11-24T10:00:00+02:00", "…Z"), or a local "2026-11-24T10:00".
    // Not `format: date-time`: that format demands an offset, and a local time is read.
    #[schemars(regex(
        pattern = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|z|[+-]\d{2}:\d{2})?$"
    ))]
    pub occurred_at: Option<String>,
    pub specialist_id: Option<i64>,
    pub employer_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub channel: Option<Choice<Channel>>,
    pub visit_kind: Option<Choice<VisitKind>>,
    pub met_hiring_authority: Option<bool>,
    pub on_behalf_of: Option<Choice<OnBehalf>>,
    pub client_ids: Vec<i64>,
    pub client_present: Option<bool>,
    pub purpose: Option<Choice<Purpose>>,
    pub learned: Option<String>,
    pub outcome: Option<String>,
    pub next_step: Option<String>,
    #[schemars(extend("format" = "date"))]
    pub next_step_due: Option<String>,
    pub planned_contact_id: Option<i64>,
    /// The employer contact day this contact was made on.
    pub contact_day_id: Option<i64>,
    pub result: Option<Choice<CallResult>>,
    /// A job lead found on this contact: its title. The lead is created with the entry
    /// and linked to it, so the contact day counts it. Only when logging a new entry.
    #[serde(skip_serializing)]
    pub found_lead: Option<String>,
    /// Save although colleagues' contacts collide (they were shown).
    #[serde(skip_serializing)]
    pub acknowledge_collisions: Option<bool>,
}

impl OutreachInput {
    pub fn from_entry(e: &Outreach) -> Self {
        Self {
            occurred_at: Some(e.occurred_at.clone()),
            specialist_id: Some(e.specialist_id),
            employer_id: Some(e.employer_id),
            contact_id: e.contact_id,
            channel: Some(Choice::Known(e.channel)),
            visit_kind: Some(Choice::Known(e.visit_kind)),
            met_hiring_authority: Some(e.met_hiring_authority),
            on_behalf_of: Some(Choice::Known(e.on_behalf_of)),
            client_ids: e.client_ids.clone(),
            client_present: Some(e.client_present),
            purpose: Some(Choice::Known(e.purpose)),
            learned: e.learned.clone(),
            outcome: e.outcome.clone(),
            next_step: e.next_step.clone(),
            next_step_due: e.next_step_due.map(|d| d.to_string()),
            planned_contact_id: e.planned_contact_id,
            contact_day_id: e.contact_day_id,
            result: e.result.map(Choice::Known),
            found_lead: None,
            acknowledge_collisions: None,
        }
    }
}

/// A checked entry. `visit_kind` and `purpose` are None when they are to be guessed.
#[derive(Debug, Clone)]
pub struct OutreachDraft {
    pub occurred_at: NaiveDateTime,
    pub specialist_id: Option<i64>,
    pub employer_id: i64,
    pub contact_id: Option<i64>,
    pub channel: Channel,
    pub visit_kind: Option<VisitKind>,
    pub met_hiring_authority: bool,
    pub on_behalf_of: OnBehalf,
    pub client_ids: Vec<i64>,
    pub client_present: bool,
    pub purpose: Option<Purpose>,
    pub learned: Option<String>,
    pub outcome: Option<String>,
    pub next_step: Option<String>,
    pub next_step_due: Option<NaiveDate>,
    pub planned_contact_id: Option<i64>,
    pub contact_day_id: Option<i64>,
    pub result: Option<CallResult>,
    pub found_lead: Option<String>,
    pub acknowledge_collisions: bool,
}

/// A UTC instant from RFC 3339, or from a local wall-clock time in `tz`.
pub fn parse_instant(s: &str, tz: chrono_tz::Tz) -> Option<NaiveDateTime> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.naive_utc());
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .map(|local| local_to_utc(local, tz))
}

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .ok()
        // Dates far from now are typing mistakes, and date arithmetic on them would overflow.
        .filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d)))
}

impl OutreachInput {
    /// Checks the fields; `now` is the default time, and nothing may be logged more
    /// than a few minutes in the future.
    pub fn parse(
        self,
        now: NaiveDateTime,
        tz: chrono_tz::Tz,
    ) -> Result<OutreachDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let occurred_at = match self
            .occurred_at
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => now,
            Some(s) => match parse_instant(s, tz) {
                Some(t) if t > now + chrono::Duration::minutes(10) => {
                    e.add("occurred_at", Msg::new("error.future"));
                    t
                }
                Some(t) if t < now - chrono::Duration::days(366 * 5) => {
                    e.add("occurred_at", Msg::new("error.too_old"));
                    t
                }
                Some(t) => t,
                None => {
                    e.add("occurred_at", Msg::new("error.datetime"));
                    now
                }
            },
        };
        let employer_id = match self.employer_id {
            Some(id) => id,
            None => {
                e.add("employer_id", Msg::new("error.required"));
                0
            }
        };
        let channel = choice(&mut e, "channel", self.channel).unwrap_or(Channel::InPerson);
        let visit_kind = choice(&mut e, "visit_kind", self.visit_kind);
        let purpose = choice(&mut e, "purpose", self.purpose);
        let result = choice(&mut e, "result", self.result);
        let found_lead = optional_text(&mut e, "found_lead", self.found_lead, 200);
        let on_behalf_of = choice(&mut e, "on_behalf_of", self.on_behalf_of).unwrap_or(
            if self.client_ids.is_empty() {
                OnBehalf::General
            } else {
                OnBehalf::Clients
            },
        );
        if on_behalf_of == OnBehalf::Clients && self.client_ids.is_empty() {
            e.add("client_ids", Msg::new("error.clients_required"));
        }
        if on_behalf_of == OnBehalf::General && !self.client_ids.is_empty() {
            e.add("client_ids", Msg::new("error.clients_general"));
        }
        let learned = optional_text(&mut e, "learned", self.learned, 5000);
        let outcome = optional_text(&mut e, "outcome", self.outcome, 5000);
        let next_step = optional_text(&mut e, "next_step", self.next_step, 500);
        let next_step_due = match self
            .next_step_due
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => match parse_date(s) {
                Some(d) => Some(d),
                None => {
                    e.add("next_step_due", Msg::new("error.date"));
                    None
                }
            },
        };
        if next_step_due.is_some() && next_step.is_none() {
            e.add("next_step", Msg::new("error.next_step_required"));
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(OutreachDraft {
            occurred_at,
            specialist_id: self.specialist_id,
            employer_id,
            contact_id: self.contact_id,
            channel,
            visit_kind,
            met_hiring_authority: self.met_hiring_authority.unwrap_or(false),
            on_behalf_of,
            client_ids: self.client_ids,
            client_present: self.client_present.unwrap_or(false),
            purpose,
            learned,
            outcome,
            next_step,
            next_step_due,
            planned_contact_id: self.planned_contact_id,
            contact_day_id: self.contact_day_id,
            result,
            found_lead,
            acknowledge_collisions: self.acknowledge_collisions.unwrap_or(false),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Helsinki;

    fn now() -> NaiveDateTime {
        NaiveDateTime::parse_from_str("2026-11-24 10:00", "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn defaults_need_only_the_employer() {
        let d = OutreachInput {
            employer_id: Some(7),
            ..Default::default()
        }
        .parse(now(), Helsinki)
        .unwrap();
        assert_eq!(d.occurred_at, now());
        assert_eq!(d.channel, Channel::InPerson);
        assert_eq!(d.on_behalf_of, OnBehalf::General);
        assert!(d.visit_kind.is_none() && d.purpose.is_none());
    }

    #[test]
    fn local_and_offset_times() {
        let d = OutreachInput {
            employer_id: Some(1),
            occurred_at: Some("2026-11-24T09:30".into()),
            ..Default::default()
        }
        .parse(now(), Helsinki)
        .unwrap();
        assert_eq!(
            d.occurred_at,
            NaiveDateTime::parse_from_str("2026-11-24 07:30", "%Y-%m-%d %H:%M").unwrap()
        );
        let d = OutreachInput {
            employer_id: Some(1),
            occurred_at: Some("2026-11-24T09:30:00Z".into()),
            ..Default::default()
        }
        .parse(now(), Helsinki)
        .unwrap();
        assert_eq!(d.occurred_at.format("%H:%M").to_string(), "09:30");
    }

    #[test]
    fn bad_fields_are_named() {
        let e = OutreachInput {
            occurred_at: Some("2026-12-24T10:00".into()),
            channel: Some("pigeon".into()),
            purpose: Some("chat".into()),
            next_step_due: Some("tomorrow".into()),
            on_behalf_of: Some("clients".into()),
            ..Default::default()
        }
        .parse(now(), Helsinki)
        .unwrap_err();
        let keys: Vec<_> = e.0.keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "channel",
                "client_ids",
                "employer_id",
                "next_step_due",
                "occurred_at",
                "purpose"
            ]
        );
    }
}
