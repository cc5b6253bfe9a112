//! The vocational profile: the job seeker's own goals, preferences, strengths and
//! support needs, built over several meetings. Every save keeps a dated version.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::{client_profiles, employers, users};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::audit::{self, Action, Entity, Privacy};
use crate::domain::closed_set::Choice;
use crate::domain::leads::{Shift, Weekday};
use crate::domain::occupations::read_code;
use crate::domain::reference::{Industry, MUNICIPALITIES};
use crate::domain::users::Actor;
use crate::domain::versioning::{self, Expected};
use crate::error::{AppError, FieldErrors, Msg};

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct WorkHistory {
    pub employer: String,
    pub title: String,
    pub occupation: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub went_well: String,
    pub why_ended: String,
}

/// The profile as stored and as the API reads and writes it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// ISCO-08 unit groups (four digits).
    pub occupations: Vec<String>,
    /// The person's own words about the work they want.
    pub job_wishes: String,
    pub industries_wanted: Vec<Choice<Industry>>,
    pub industries_avoided: Vec<Choice<Industry>>,
    pub avoid_employer_ids: Vec<i64>,
    pub hours_min: Option<i32>,
    pub hours_max: Option<i32>,
    /// mon..sun
    pub days: Vec<Choice<Weekday>>,
    /// day, evening, night, weekend
    pub shifts: Vec<Choice<Shift>>,
    pub home_municipality_code: Option<String>,
    /// Further municipalities where the person would work (codes), besides those within
    /// `max_commute_km` of home.
    pub work_municipality_codes: Vec<String>,
    pub max_commute_km: Option<i32>,
    pub means_of_travel: String,
    pub earliest_start: Option<NaiveDate>,
    pub wage_wish: Option<String>,
    pub strengths: String,
    pub skills: Vec<String>,
    pub education: String,
    pub work_history: Vec<WorkHistory>,
    /// Support needs and workplace adjustments, in the person's own words.
    pub support_needs: String,
    pub personal_network_leads: String,
    pub goals: String,
}

/// Entries re-read after `fix` (case) when they were not known.
fn refix<T: Copy + std::str::FromStr>(
    list: &[Choice<T>],
    fix: fn(&str) -> String,
) -> Vec<Choice<T>> {
    list.iter()
        .map(|c| match c {
            Choice::Other(t) => Choice::from_text(&fix(t)),
            known => known.clone(),
        })
        .collect()
}

/// Blank entries dropped, the rest re-read after `fix`.
fn normalise<T: Copy + std::str::FromStr>(
    list: &[Choice<T>],
    fix: fn(&str) -> String,
) -> Vec<Choice<T>> {
    let kept: Vec<Choice<T>> = list
        .iter()
        .filter(|c| !matches!(c, Choice::Other(t) if t.trim().is_empty()))
        .cloned()
        .collect();
    refix(&kept, fix)
}

/// The known values once each in the set's own order (mon..sun); an unknown one is named.
fn canonical<T: Copy + Ord + std::str::FromStr>(
    e: &mut FieldErrors,
    field: &str,
    list: &[Choice<T>],
) -> Vec<Choice<T>> {
    let list = refix(list, str::to_lowercase);
    if list.iter().any(|c| c.known().is_none()) {
        e.add(field, Msg::new("error.choice"));
    }
    let mut known: Vec<T> = list.iter().filter_map(Choice::known).collect();
    known.sort();
    known.dedup();
    known.into_iter().map(Choice::Known).collect()
}

impl Profile {
    /// Checks and normalises; `employer_ok` says whether an employer id is the organisation's.
    pub fn check(mut self, mut employer_ok: impl FnMut(i64) -> bool) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let typed = std::mem::take(&mut self.occupations);
        for o in typed {
            if let Some(code) = read_code(&mut e, "occupations", Some(o)) {
                if !self.occupations.contains(&code) {
                    self.occupations.push(code);
                }
            }
        }
        for (field, list) in [
            ("industries_wanted", &mut self.industries_wanted),
            ("industries_avoided", &mut self.industries_avoided),
        ] {
            *list = normalise(list, str::to_uppercase);
            if list.iter().any(|i| i.known().is_none()) {
                e.add(field, Msg::new("error.choice"));
            }
        }
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
        // Canonical order (mon..sun), duplicates dropped; an unknown value is named.
        self.days = canonical(&mut e, "days", &self.days);
        self.shifts = canonical(&mut e, "shifts", &self.shifts);
        if self
            .home_municipality_code
            .as_deref()
            .is_some_and(|m| MUNICIPALITIES.get(m).is_none())
        {
            e.add("home_municipality_code", Msg::new("error.choice"));
        }
        // Codes, or names in any of the three languages.
        let typed = std::mem::take(&mut self.work_municipality_codes);
        for m in typed.iter().map(|m| m.trim()).filter(|m| !m.is_empty()) {
            match MUNICIPALITIES.find(m) {
                Some(found) => self.work_municipality_codes.push(found.code.clone()),
                None => e.add(
                    "work_municipality_codes",
                    Msg::new("error.municipality").arg("value", m),
                ),
            }
        }
        self.work_municipality_codes.sort();
        self.work_municipality_codes.dedup();
        if self.max_commute_km.is_some_and(|k| !(0..=500).contains(&k)) {
            e.add(
                "max_commute_km",
                Msg::new("error.range").arg("min", 0).arg("max", 500),
            );
        }
        let mut bad_employer = false;
        for id in &self.avoid_employer_ids {
            if !employer_ok(*id) {
                bad_employer = true;
            }
        }
        if bad_employer {
            e.add("avoid_employer_ids", Msg::new("error.unknown_employer"));
        }
        for w in &mut self.work_history {
            if w.employer.trim().is_empty() && w.title.trim().is_empty() {
                e.add("work_history", Msg::new("error.work_needs_name"));
            }
            w.occupation = read_code(&mut e, "work_history", w.occupation.take());
            if let (Some(a), Some(b)) = (w.from, w.to) {
                if b < a {
                    e.add("work_history", Msg::new("error.end_before_start"));
                }
            }
        }
        self.skills = self
            .skills
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        for (field, text, max) in [
            ("job_wishes", &self.job_wishes, 2000),
            ("strengths", &self.strengths, 5000),
            ("support_needs", &self.support_needs, 5000),
            ("goals", &self.goals, 5000),
            ("education", &self.education, 2000),
            ("personal_network_leads", &self.personal_network_leads, 2000),
            ("means_of_travel", &self.means_of_travel, 200),
        ] {
            if text.chars().count() > max {
                e.add(field, Msg::new("error.too_long").arg("max", max));
            }
        }
        if e.is_empty() {
            Ok(self)
        } else {
            Err(e)
        }
    }
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Version {
    pub version: i32,
    pub saved_at: NaiveDateTime,
    pub saved_by: Option<String>,
    pub profile: Profile,
}

/// The newest version, or an empty profile (version 0).
pub fn current(
    conn: &mut DbConn,
    actor: &Actor,
    client_id: i64,
) -> Result<(i32, Profile), AppError> {
    let row: Option<(i32, String)> = db_run!(conn, |c| client_profiles::table
        .filter(client_profiles::organisation_id.eq(actor.org_id))
        .filter(client_profiles::client_id.eq(client_id))
        .order(client_profiles::version.desc())
        .select((client_profiles::version, client_profiles::data))
        .first(c)
        .optional())?;
    match row {
        Some((v, data)) => Ok((v, serde_json::from_str(&data).map_err(AppError::internal)?)),
        None => Ok((0, Profile::default())),
    }
}

/// Saves a new version (the client must be checked to be the organisation's first).
pub fn save(
    conn: &mut DbConn,
    actor: &Actor,
    client_id: i64,
    profile: Profile,
    expected: Expected,
    now: NaiveDateTime,
) -> Result<(i32, Profile), AppError> {
    actor.require_write()?;
    super::refuse_if_erased(conn, actor.org_id, client_id, "version")?;
    let ids = profile.avoid_employer_ids.clone();
    let known: Vec<i64> = db_run!(conn, |c| employers::table
        .filter(employers::organisation_id.eq(actor.org_id))
        .filter(employers::id.eq_any(&ids))
        .select(employers::id)
        .load(c))?;
    let profile = profile
        .check(|id| known.contains(&id))
        .map_err(AppError::Validation)?;
    let (version, previous) = current(conn, actor, client_id)?;
    // The unique (client, version) index refuses the loser of a race the same way.
    versioning::check(expected, version, &previous, &profile, &previous)?;
    if version > 0 && previous == profile {
        return Ok((version, profile));
    }
    let data = serde_json::to_string(&profile).map_err(AppError::internal)?;
    db_run!(conn, |c| diesel::insert_into(client_profiles::table)
        .values((
            client_profiles::organisation_id.eq(actor.org_id),
            client_profiles::client_id.eq(client_id),
            client_profiles::version.eq(version + 1),
            client_profiles::data.eq(&data),
            client_profiles::created_by.eq(actor.user_id),
            client_profiles::created_at.eq(now),
        ))
        .execute(c))?;
    // The trail names the profile's changed fields, never their contents.
    audit::changed(
        conn,
        actor,
        if version == 0 {
            Action::Create
        } else {
            Action::Update
        },
        Entity::Profile,
        client_id,
        (version > 0).then_some(&previous),
        Some(&profile),
        Privacy::All,
        now,
    )?;
    Ok((version + 1, profile))
}

/// Every version, newest first.
pub fn history(conn: &mut DbConn, actor: &Actor, client_id: i64) -> Result<Vec<Version>, AppError> {
    let rows: Vec<(i32, NaiveDateTime, Option<String>, String)> =
        db_run!(conn, |c| client_profiles::table
            .left_join(users::table.on(users::id.nullable().eq(client_profiles::created_by)))
            .filter(client_profiles::organisation_id.eq(actor.org_id))
            .filter(client_profiles::client_id.eq(client_id))
            .order(client_profiles::version.desc())
            .select((
                client_profiles::version,
                client_profiles::created_at,
                users::display_name.nullable(),
                client_profiles::data
            ))
            .load(c))?;
    rows.into_iter()
        .map(|(version, saved_at, saved_by, data)| {
            Ok(Version {
                version,
                saved_at,
                saved_by,
                profile: serde_json::from_str(&data).map_err(AppError::internal)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_checks_name_bad_fields() {
        let p = Profile {
            occupations: vec!["5132".into(), "12".into()],
            industries_avoided: vec!["z".into()],
            hours_min: Some(30),
            hours_max: Some(20),
            home_municipality_code: Some("999".into()),
            avoid_employer_ids: vec![5],
            ..Default::default()
        };
        let e = p.check(|_| false).unwrap_err();
        let keys: Vec<_> = e.0.keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "avoid_employer_ids",
                "home_municipality_code",
                "hours_max",
                "industries_avoided",
                "occupations"
            ]
        );
        let ok = Profile {
            days: vec!["Sat".into(), "mon".into()],
            shifts: vec!["day".into()],
            ..Default::default()
        }
        .check(|_| true)
        .unwrap();
        assert_eq!(
            ok.days,
            [Choice::Known(Weekday::Mon), Choice::Known(Weekday::Sat)]
        );
    }
}
