//! What a partnership produced in a quarter: employers met, first visits, leads,
//! placements, and the effort spent (events attended). Every employer is counted once,
//! however many times they were met or lists they are on.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{
    employers, leads, outreach, partner_event_attendees as att, partner_events as pe,
    partner_members as pm, placements,
};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::outreach::{Channel, VisitKind};
use crate::domain::partners::Via;
use crate::domain::users::Actor;
use crate::domain::week::local_midnight_utc;
use crate::error::{AppError, Msg};

/// A calendar quarter, "2026-Q4".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quarter {
    pub year: i32,
    pub q: u32,
}

impl Quarter {
    pub fn parse(s: &str) -> Result<Self, Msg> {
        let s = s.trim().to_ascii_uppercase();
        let (y, q) = s.split_once("-Q").ok_or(Msg::new("error.quarter"))?;
        let year: i32 = y.parse().map_err(|_| Msg::new("error.quarter"))?;
        let q: u32 = q.parse().map_err(|_| Msg::new("error.quarter"))?;
        if !(1..=4).contains(&q) || !(1900..=2200).contains(&year) {
            return Err(Msg::new("error.quarter"));
        }
        Ok(Self { year, q })
    }

    pub fn of(d: NaiveDate) -> Self {
        Self {
            year: d.year(),
            q: (d.month() - 1) / 3 + 1,
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.q - 1) * 3 + 1, 1).unwrap_or_default()
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day() - Duration::days(1)
    }

    pub fn next(self) -> Self {
        if self.q == 4 {
            Self {
                year: self.year + 1,
                q: 1,
            }
        } else {
            Self {
                year: self.year,
                q: self.q + 1,
            }
        }
    }

    pub fn prev(self) -> Self {
        if self.q == 1 {
            Self {
                year: self.year - 1,
                q: 4,
            }
        } else {
            Self {
                year: self.year,
                q: self.q - 1,
            }
        }
    }

    /// The code in addresses and the API: "2026-Q4".
    pub fn label(self) -> String {
        format!("{}-Q{}", self.year, self.q)
    }

    /// As a reader writes it: "4. neljännes 2026".
    pub fn title(self, lang: crate::i18n::Lang) -> String {
        crate::i18n::format_quarter(lang, self.year, self.q)
    }
}

#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PartnerReport")]
pub struct Report {
    pub quarter: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Distinct employers met in person or at the partner's events, among those that
    /// came through the partner or at its events.
    pub employers_met: usize,
    /// Distinct employers that came through the partner and had a first visit.
    pub first_visits: usize,
    pub leads: i64,
    pub placements: i64,
    pub events_attended: usize,
    /// Person-events: each of us at each event.
    pub attendances: usize,
    pub new_members: i64,
    /// Employers that came through the partner so far, by how.
    pub employers_referral: i64,
    pub employers_event: i64,
    pub employers_member_list: i64,
}

pub fn quarter(
    conn: &mut DbConn,
    actor: &Actor,
    partner: i64,
    q: Quarter,
    tz: chrono_tz::Tz,
) -> Result<Report, AppError> {
    super::row(conn, actor, partner)?;
    let org = actor.org_id;
    let (from, to) = (q.first_day(), q.last_day());
    let (start, end) = (
        local_midnight_utc(from, tz),
        local_midnight_utc(to + Duration::days(1), tz),
    );
    let event_ids: Vec<i64> = db_run!(conn, |c| pe::table
        .filter(pe::organisation_id.eq(org))
        .filter(pe::partner_id.eq(partner))
        .select(pe::id)
        .load(c))?;
    // (employer, channel, visit kind, at one of the partner's events, employer's partner,
    // since when, at)
    type Contact = (
        i64,
        Channel,
        VisitKind,
        Option<i64>,
        Option<i64>,
        Option<chrono::NaiveDateTime>,
        chrono::NaiveDateTime,
    );
    let contacts: Vec<Contact> = db_run!(conn, |c| outreach::table
        .inner_join(employers::table)
        .filter(outreach::organisation_id.eq(org))
        .filter(outreach::occurred_at.ge(start))
        .filter(outreach::occurred_at.lt(end))
        .filter(
            employers::partner_id
                .eq(Some(partner))
                .or(outreach::partner_event_id.eq_any(&event_ids)),
        )
        .select((
            outreach::employer_id,
            outreach::channel,
            outreach::visit_kind,
            outreach::partner_event_id,
            employers::partner_id,
            employers::partner_since,
            outreach::occurred_at,
        ))
        .load(c))?;
    // A contact counts for the partner when it was at the partner's event, or with an
    // employer that had come through the partner by then.
    let contacts: Vec<Contact> = contacts
        .into_iter()
        .filter(|c| {
            c.3.is_some_and(|e| event_ids.contains(&e))
                || (c.4 == Some(partner) && c.5.is_some_and(|since| c.6 >= since))
        })
        .collect();
    let met: BTreeSet<i64> = contacts
        .iter()
        .filter(|(_, ch, _, ev, ..)| ch.face_to_face() || ev.is_some())
        .map(|c| c.0)
        .collect();
    let first: BTreeSet<i64> = contacts
        .iter()
        .filter(|(_, ch, kind, _, p, ..)| {
            *ch == Channel::InPerson && *kind == VisitKind::First && *p == Some(partner)
        })
        .map(|c| c.0)
        .collect();
    let lead_count: i64 = db_run!(conn, |c| leads::table
        .filter(leads::organisation_id.eq(org))
        .filter(leads::partner_id.eq(Some(partner)))
        .filter(leads::created_at.ge(start))
        .filter(leads::created_at.lt(end))
        .count()
        .get_result(c))?;
    let placement_count: i64 = db_run!(conn, |c| placements::table
        .filter(placements::organisation_id.eq(org))
        .filter(placements::partner_id.eq(Some(partner)))
        .filter(placements::starts_on.ge(from))
        .filter(placements::starts_on.le(to))
        .count()
        .get_result(c))?;
    let held: Vec<i64> = db_run!(conn, |c| pe::table
        .filter(pe::organisation_id.eq(org))
        .filter(pe::partner_id.eq(partner))
        .filter(pe::held_on.ge(from))
        .filter(pe::held_on.le(to))
        .select(pe::id)
        .load(c))?;
    let who: Vec<i64> = db_run!(conn, |c| att::table
        .filter(att::organisation_id.eq(org))
        .filter(att::partner_event_id.eq_any(&held))
        .select(att::partner_event_id)
        .load(c))?;
    let new_members: i64 = db_run!(conn, |c| pm::table
        .filter(pm::organisation_id.eq(org))
        .filter(pm::partner_id.eq(partner))
        .filter(pm::added_at.ge(start))
        .filter(pm::added_at.lt(end))
        .count()
        .get_result(c))?;
    let via: Vec<Option<Via>> = db_run!(conn, |c| employers::table
        .filter(employers::organisation_id.eq(org))
        .filter(employers::partner_id.eq(Some(partner)))
        .select(employers::partner_via)
        .load(c))?;
    let by = |v: Via| via.iter().filter(|x| **x == Some(v)).count() as i64;
    Ok(Report {
        quarter: q.label(),
        from,
        to,
        employers_met: met.len(),
        first_visits: first.len(),
        leads: lead_count,
        placements: placement_count,
        events_attended: who.iter().collect::<BTreeSet<_>>().len(),
        attendances: who.len(),
        new_members,
        employers_referral: by(Via::Referral),
        employers_event: by(Via::Event),
        employers_member_list: by(Via::MemberList),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters() {
        let q = Quarter::parse("2026-q4").unwrap();
        assert_eq!(q.first_day(), NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
        assert_eq!(q.last_day(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(q.next().label(), "2027-Q1");
        assert_eq!(Quarter::parse("2027-Q1").unwrap().prev().label(), "2026-Q4");
        assert!(Quarter::parse("2026-Q5").is_err());
        assert!(Quarter::parse("Q4").is_err());
        assert_eq!(
            Quarter::of(NaiveDate::from_ymd_opt(2026, 5, 31).unwrap()).label(),
            "2026-Q2"
        );
    }
}
