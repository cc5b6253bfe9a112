//! Realistic, fictional data at scale, written in bulk so a national-size database
//! (300 specialists, 100,000 employers, 200,000 contact persons, 1,000,000 contact log
//! entries over three years, 50,000 leads) fills in minutes on two cores.
//!
//! Each wellbeing services county is its own organisation, as in real deployments.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{
    contacts, employers, follow_ups, leads, organisations, outreach, planned_contacts, teams, users,
};
use crate::db::{transaction, DbConn};
use crate::db_run;
use crate::demo::Lcg;
use crate::domain::business_id::BusinessId;
use crate::domain::clients::{ClientStatus, Disclosure};
use crate::domain::closed_set::Choice;
use crate::domain::employers::Stage;
use crate::domain::follow_ups::FollowUpStatus;
use crate::domain::leads::{LeadSource, LeadStatus};
use crate::domain::outreach::{Channel, OnBehalf, Purpose, VisitKind};
use crate::domain::plan::PlanStatus;
use crate::domain::reference::SizeClass;
use crate::domain::reference::MUNICIPALITIES;
use crate::domain::users::hash_password;
use crate::domain::users::Role;
use crate::domain::week::Week;
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Small,
    Region,
    National,
}

impl Scale {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "small" => Some(Self::Small),
            "region" => Some(Self::Region),
            "national" => Some(Self::National),
            _ => None,
        }
    }

    /// (organisations, specialists, employers, outreach entries, leads)
    pub fn size(self) -> Size {
        match self {
            Self::Small => Size {
                organisations: 1,
                specialists: 5,
                employers: 200,
                outreach: 2_000,
                leads: 60,
                job_seekers: 24,
            },
            Self::Region => Size {
                organisations: 1,
                specialists: 30,
                employers: 10_000,
                outreach: 100_000,
                leads: 5_000,
                job_seekers: 600,
            },
            Self::National => Size {
                organisations: 21,
                specialists: 300,
                employers: 100_000,
                outreach: 1_000_000,
                leads: 50_000,
                job_seekers: 6_000,
            },
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub organisations: usize,
    pub specialists: usize,
    pub employers: usize,
    pub outreach: usize,
    pub leads: usize,
    pub job_seekers: usize,
}

#[derive(Debug, Default)]
pub struct Generated {
    pub organisations: usize,
    pub users: usize,
    pub employers: usize,
    pub contacts: usize,
    pub outreach: usize,
    pub leads: usize,
    pub planned: usize,
    pub follow_ups: usize,
    pub job_seekers: usize,
}

pub const PASSWORD: &str = "placefirst-demo";
const CHUNK: usize = 800;
/// Weighted: most contacts are visits.
const CHANNELS: [Channel; 5] = [
    Channel::InPerson,
    Channel::InPerson,
    Channel::InPerson,
    Channel::Phone,
    Channel::Email,
];
const PURPOSES: &[Purpose] = Purpose::ALL;
/// Every stage but do-not-contact.
const STAGES: [Stage; 6] = [
    Stage::NotContacted,
    Stage::Introduced,
    Stage::LearningNeeds,
    Stage::Active,
    Stage::HiringPartner,
    Stage::Paused,
];
const KINDS: [(&str, &str); 10] = [
    ("Kahvila", "I"),
    ("Rakennus", "F"),
    ("Kuljetus", "H"),
    ("Siivous", "N"),
    ("Kauppa", "G"),
    ("Hoiva", "Q"),
    ("Konepaja", "C"),
    ("Varasto", "H"),
    ("Leipomo", "C"),
    ("Hotelli", "I"),
];
const NAMES: [&str; 16] = [
    "Aurinko",
    "Kuusi",
    "Järvi",
    "Kallio",
    "Virta",
    "Tähti",
    "Koivu",
    "Kaleva",
    "Pihlaja",
    "Otava",
    "Lumme",
    "Sampo",
    "Halla",
    "Kielo",
    "Revontuli",
    "Kataja",
];
const FIRST: [&str; 8] = [
    "Anna", "Matti", "Sari", "Timo", "Heidi", "Jari", "Katja", "Ville",
];
const LAST: [&str; 8] = [
    "Laine",
    "Salminen",
    "Järvinen",
    "Lehtinen",
    "Saarinen",
    "Koskinen",
    "Rantanen",
    "Aalto",
];
const LEAD_TITLES: [(&str, &str); 8] = [
    ("Barista", "5132"),
    ("Keittiöapulainen", "9412"),
    ("Varastotyöntekijä", "9333"),
    ("Myyjä", "5223"),
    ("Siivooja", "9112"),
    ("Kiinteistöhuoltaja", "5153"),
    ("Hoiva-avustaja", "5322"),
    ("Kokki", "5120"),
];

/// Inserts rows in chunks; `rows` is consumed.
macro_rules! bulk {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let rows = $rows;
        for chunk in rows.chunks(CHUNK) {
            db_run!($conn, |c| diesel::insert_into($table)
                .values(chunk)
                .execute(c))?;
        }
        rows.len()
    }};
}

/// Fills the database with the given scale. The organisations must not exist yet.
pub fn generate(
    conn: &mut DbConn,
    scale: Scale,
    now: NaiveDateTime,
) -> Result<Generated, AppError> {
    let size = scale.size();
    let mut rng = Lcg(48);
    let mut out = Generated::default();
    let hash = hash_password(PASSWORD)?;
    // Counties with their municipalities; the national scale takes the 21 largest.
    let mut counties: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for m in &MUNICIPALITIES.all {
        counties
            .entry(m.wellbeing_county_fi.as_str())
            .or_default()
            .push(m.code.as_str());
    }
    let mut county_list: Vec<(&str, Vec<&str>)> = counties.into_iter().collect();
    county_list.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let tag = match scale {
        Scale::Small => "small",
        Scale::Region => "region",
        Scale::National => "national",
    };
    let chosen: Vec<(&str, Vec<&str>)> = county_list.into_iter().take(size.organisations).collect();
    let per_org_specialists = size.specialists.div_ceil(chosen.len());
    let per_org_employers = size.employers / chosen.len();
    let per_org_outreach = size.outreach / chosen.len();
    let per_org_leads = size.leads / chosen.len();
    let per_org_seekers = size.job_seekers / chosen.len();
    // The national scale keeps every lead open, as its matching budget assumes.
    let all_open = scale == Scale::National;
    for (org_no, (county, municipalities)) in chosen.iter().enumerate() {
        transaction(conn, |conn| {
            let org_name = format!("{county} – IPS ({tag} demo)");
            let org_id: i64 = db_run!(conn, |c| diesel::insert_into(organisations::table)
                .values((
                    organisations::name.eq(&org_name),
                    organisations::created_at.eq(now)
                ))
                .returning(organisations::id)
                .get_result(c))?;
            out.organisations += 1;
            let team_id: i64 = db_run!(conn, |c| diesel::insert_into(teams::table)
                .values((
                    teams::organisation_id.eq(org_id),
                    teams::name.eq("IPS-tiimi"),
                    teams::created_at.eq(now)
                ))
                .returning(teams::id)
                .get_result(c))?;
            let user_rows: Vec<_> = (0..=per_org_specialists)
                .map(|i| {
                    let (email, role) = if i == 0 {
                        (
                            format!("lead.{org_no}.{tag}@demo.placefirst.fi"),
                            Role::TeamLead,
                        )
                    } else {
                        (
                            format!("specialist.{org_no}.{i}.{tag}@demo.placefirst.fi"),
                            Role::Specialist,
                        )
                    };
                    (
                        users::organisation_id.eq(org_id),
                        users::team_id.eq(Some(team_id)),
                        users::display_name.eq(format!(
                            "{} {}",
                            FIRST[(i + org_no) % 8],
                            LAST[(i * 3 + org_no) % 8]
                        )),
                        users::email.eq(email),
                        users::role.eq(role),
                        users::password_hash.eq(hash.clone()),
                        users::active.eq(true),
                        users::created_at.eq(now),
                        users::updated_at.eq(now),
                    )
                })
                .collect();
            out.users += bulk!(conn, users::table, user_rows);
            let people: Vec<i64> = db_run!(conn, |c| users::table
                .filter(users::organisation_id.eq(org_id))
                .order(users::id.asc())
                .select(users::id)
                .load(c))?;
            let specialists = &people[1..];
            // Employers and two contact persons each.
            // Business ids are random: the rare duplicate within an organisation is dropped.
            let mut seen = std::collections::HashSet::new();
            let employer_rows: Vec<_> = (0..per_org_employers)
                .map(|i| {
                    let (kind, industry) = KINDS[rng.next(KINDS.len())];
                    let name = format!(
                        "{} {} {} {}",
                        NAMES[rng.next(NAMES.len())],
                        kind,
                        org_no * 100_000 + i,
                        ["Oy", "Ky", "Tmi"][rng.next(3)]
                    );
                    let stage = STAGES[rng.next(STAGES.len())];
                    let mut digits = [0u32; 7];
                    for d in digits.iter_mut() {
                        *d = rng.next(10) as u32;
                    }
                    let bid = (rng.next(2) == 0)
                        .then(|| BusinessId::from_digits(digits))
                        .flatten()
                        .map(|b| b.as_str().to_string())
                        .filter(|b| seen.insert(b.clone()));
                    let created = now - Duration::days(rng.next(3 * 365) as i64 + 30);
                    (
                        (
                            employers::organisation_id.eq(org_id),
                            employers::name_lower.eq(name.to_lowercase()),
                            employers::name.eq(name),
                            employers::business_id.eq(bid),
                            employers::industry.eq(Some(industry)),
                            employers::size_class.eq(Some(SizeClass::ALL[rng.next(4)])),
                            employers::municipality_code
                                .eq(Some(municipalities[rng.next(municipalities.len())])),
                            employers::tags.eq(format!(",{},", kind.to_lowercase())),
                        ),
                        (
                            employers::owner_id.eq((stage != Stage::NotContacted)
                                .then(|| specialists[rng.next(specialists.len())])),
                            employers::stage.eq(stage),
                            employers::created_at.eq(created),
                            employers::updated_at.eq(created),
                        ),
                    )
                })
                .collect();
            out.employers += bulk!(conn, employers::table, employer_rows);
            let emp: Vec<(i64, Option<i64>)> = db_run!(conn, |c| employers::table
                .filter(employers::organisation_id.eq(org_id))
                .order(employers::id.asc())
                .select((employers::id, employers::owner_id))
                .load(c))?;
            let contact_rows: Vec<_> = emp
                .iter()
                .flat_map(|(eid, _)| [0, 1].map(|k| (*eid, k)))
                .map(|(eid, k)| {
                    let (f, l) = (FIRST[rng.next(8)], LAST[rng.next(8)]);
                    (
                        contacts::organisation_id.eq(org_id),
                        contacts::employer_id.eq(eid),
                        contacts::name.eq(format!("{f} {l}")),
                        contacts::title.eq(Some(
                            ["Toimitusjohtaja", "Esihenkilö", "HR-päällikkö"][rng.next(3)],
                        )),
                        contacts::email.eq(Some(format!(
                            "{}.{}{}@example.fi",
                            f.to_lowercase(),
                            eid,
                            k
                        ))),
                        contacts::can_hire.eq(k == 0),
                        contacts::created_at.eq(now),
                        contacts::updated_at.eq(now),
                    )
                })
                .collect();
            out.contacts += bulk!(conn, contacts::table, contact_rows);
            let (o, l, p, f) = all_activity(
                conn,
                org_id,
                specialists,
                &emp,
                per_org_outreach,
                per_org_leads,
                all_open,
                now,
                &mut rng,
            )?;
            out.job_seekers += job_seekers(
                conn,
                org_id,
                team_id,
                specialists,
                municipalities,
                per_org_seekers,
                now,
                &mut rng,
            )?;
            out.outreach += o;
            out.leads += l;
            out.planned += p;
            out.follow_ups += f;
            Ok(())
        })?;
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn all_activity(
    conn: &mut DbConn,
    org_id: i64,
    specialists: &[i64],
    emp: &[(i64, Option<i64>)],
    outreach_n: usize,
    leads_n: usize,
    all_open: bool,
    now: NaiveDateTime,
    rng: &mut Lcg,
) -> Result<(usize, usize, usize, usize), AppError> {
    let o = activity(conn, org_id, specialists, emp, outreach_n, now, rng)?;
    let l = leads_for(conn, org_id, specialists, emp, leads_n, all_open, now, rng)?;
    let (p, f) = this_week(conn, org_id, specialists, emp, now, rng)?;
    Ok((o, l, p, f))
}

/// History, leads and this week's plans for an organisation that has specialists and
/// employers already (the small demo).
pub fn activity_for_org(
    conn: &mut DbConn,
    org_id: i64,
    outreach_n: usize,
    leads_n: usize,
    now: NaiveDateTime,
) -> Result<Generated, AppError> {
    let specialists: Vec<i64> = db_run!(conn, |c| users::table
        .filter(users::organisation_id.eq(org_id))
        .filter(users::role.eq(Role::Specialist))
        .order(users::id.asc())
        .select(users::id)
        .load(c))?;
    let emp: Vec<(i64, Option<i64>)> = db_run!(conn, |c| employers::table
        .filter(employers::organisation_id.eq(org_id))
        .order(employers::id.asc())
        .select((employers::id, employers::owner_id))
        .load(c))?;
    if specialists.is_empty() || emp.is_empty() {
        return Ok(Generated::default());
    }
    let mut rng = Lcg(7);
    transaction(conn, |conn| {
        let (outreach, leads, planned, follow_ups) = all_activity(
            conn,
            org_id,
            &specialists,
            &emp,
            outreach_n,
            leads_n,
            // Open leads, so the demo's job seekers have matches to look at.
            true,
            now,
            &mut rng,
        )?;
        let team: Option<i64> = db_run!(conn, |c| users::table
            .filter(users::id.eq(specialists[0]))
            .select(users::team_id)
            .first(c))?;
        let places = ["837", "211", "536", "604", "418", "980"];
        let job_seekers = job_seekers(
            conn,
            org_id,
            team.unwrap_or_default(),
            &specialists,
            &places,
            outreach_n / 80,
            now,
            &mut rng,
        )?;
        Ok(Generated {
            outreach,
            leads,
            planned,
            follow_ups,
            job_seekers,
            ..Default::default()
        })
    })
}

/// Contact log entries over three years, most by the employer's owner.
fn activity(
    conn: &mut DbConn,
    org_id: i64,
    specialists: &[i64],
    emp: &[(i64, Option<i64>)],
    n: usize,
    now: NaiveDateTime,
    rng: &mut Lcg,
) -> Result<usize, AppError> {
    let span = 3 * 365 * 24 * 60;
    let rows: Vec<_> = (0..n)
        .map(|_| {
            let (eid, owner) = emp[rng.next(emp.len())];
            let who = match owner {
                Some(o) if rng.next(4) > 0 => o,
                _ => specialists[rng.next(specialists.len())],
            };
            let at = now - Duration::minutes(rng.next(span) as i64 + 60);
            let purpose = PURPOSES[rng.next(PURPOSES.len())];
            (
                (
                    outreach::organisation_id.eq(org_id),
                    outreach::specialist_id.eq(who),
                    outreach::employer_id.eq(eid),
                    outreach::occurred_at.eq(at),
                    outreach::channel.eq(CHANNELS[rng.next(CHANNELS.len())]),
                    outreach::visit_kind.eq([
                        VisitKind::First,
                        VisitKind::Second,
                        VisitKind::Ongoing,
                        VisitKind::Ongoing,
                    ][rng.next(4)]),
                    outreach::met_hiring_authority.eq(rng.next(3) == 0),
                    outreach::on_behalf_of.eq(OnBehalf::General),
                ),
                (
                    outreach::client_present.eq(rng.next(5) == 0),
                    outreach::purpose.eq(purpose),
                    outreach::learned.eq((rng.next(3) == 0)
                        .then_some("Tarvitsevat joustavia osa-aikaisia tekijöitä.")),
                    outreach::created_at.eq(at),
                    outreach::updated_at.eq(at),
                ),
            )
        })
        .collect();
    Ok(bulk!(conn, outreach::table, rows))
}

#[allow(clippy::too_many_arguments)]
fn leads_for(
    conn: &mut DbConn,
    org_id: i64,
    specialists: &[i64],
    emp: &[(i64, Option<i64>)],
    n: usize,
    all_open: bool,
    now: NaiveDateTime,
    rng: &mut Lcg,
) -> Result<usize, AppError> {
    let today = now.date();
    let rows: Vec<_> = (0..n)
        .map(|_| {
            let (eid, _) = emp[rng.next(emp.len())];
            let (title, isco) = LEAD_TITLES[rng.next(LEAD_TITLES.len())];
            let created = now - Duration::days(rng.next(3 * 365) as i64);
            let apply_by = if all_open {
                today + Duration::days(1 + rng.next(60) as i64)
            } else {
                created.date() + Duration::days(14 + rng.next(30) as i64)
            };
            // Old leads have ended; only the current ones are open.
            let status = if apply_by >= today {
                [
                    LeadStatus::Open,
                    LeadStatus::Open,
                    LeadStatus::CandidatesProposed,
                    LeadStatus::Interviewing,
                ][rng.next(4)]
            } else {
                [
                    LeadStatus::Expired,
                    LeadStatus::FilledByUs,
                    LeadStatus::FilledOtherwise,
                    LeadStatus::Withdrawn,
                ][rng.next(4)]
            };
            let lo = [8, 10, 15, 20, 30][rng.next(5)];
            let place = emp_place(rng);
            (
                (
                    leads::organisation_id.eq(org_id),
                    leads::employer_id.eq(eid),
                    leads::title.eq(title),
                    leads::isco_code.eq(Some(isco)),
                    leads::hours_min.eq(Some(lo)),
                    leads::hours_max.eq(Some(lo + 10)),
                    leads::schedule_days.eq("mon,tue,wed,thu,fri"),
                    leads::schedule_shifts
                        .eq(["day", "day,evening", "evening,weekend"][rng.next(3)]),
                    leads::municipality_code.eq(place),
                ),
                (
                    leads::apply_by.eq(Some(apply_by)),
                    leads::source.eq(LeadSource::ALL[rng.next(5)]),
                    leads::status.eq(status),
                    leads::found_by.eq(Some(specialists[rng.next(specialists.len())])),
                    leads::created_at.eq(created),
                    leads::updated_at.eq(created),
                ),
            )
        })
        .collect();
    Ok(bulk!(conn, leads::table, rows))
}

/// Each specialist's plan for this week and next, and open follow-ups.
fn this_week(
    conn: &mut DbConn,
    org_id: i64,
    specialists: &[i64],
    emp: &[(i64, Option<i64>)],
    now: NaiveDateTime,
    rng: &mut Lcg,
) -> Result<(usize, usize), AppError> {
    let monday = Week::of(now.date()).monday();
    let mut plans = Vec::new();
    let mut tasks = Vec::new();
    for s in specialists {
        for k in 0..12 {
            let (eid, _) = emp[rng.next(emp.len())];
            let day = monday + Duration::days((k % 5 + if k >= 6 { 7 } else { 0 }) as i64);
            plans.push((
                planned_contacts::organisation_id.eq(org_id),
                planned_contacts::specialist_id.eq(*s),
                planned_contacts::employer_id.eq(eid),
                planned_contacts::planned_on.eq(day),
                planned_contacts::planned_time.eq(Some(format!("{:02}:00", 8 + rng.next(8)))),
                planned_contacts::channel.eq(CHANNELS[rng.next(CHANNELS.len())]),
                planned_contacts::purpose.eq(PURPOSES[rng.next(4)]),
                planned_contacts::status.eq(PlanStatus::Planned),
                planned_contacts::created_at.eq(now),
                planned_contacts::updated_at.eq(now),
            ));
        }
        for k in 0..6 {
            let (eid, _) = emp[rng.next(emp.len())];
            tasks.push((
                follow_ups::organisation_id.eq(org_id),
                follow_ups::employer_id.eq(eid),
                follow_ups::assignee_id.eq(*s),
                follow_ups::title.eq([
                    "Soita ja kysy kuulumiset",
                    "Lähetä kiitoskortti",
                    "Sovi seuraava käynti",
                ][k % 3]),
                follow_ups::due_on.eq(monday + Duration::days(k as i64 * 2 - 3)),
                follow_ups::status.eq(FollowUpStatus::Open),
                follow_ups::created_at.eq(now),
                follow_ups::updated_at.eq(now),
            ));
        }
    }
    Ok((
        bulk!(conn, planned_contacts::table, plans),
        bulk!(conn, follow_ups::table, tasks),
    ))
}

/// Leads mostly use the employer's municipality; a few name one explicitly.
fn emp_place(rng: &mut Lcg) -> Option<String> {
    let all = &MUNICIPALITIES.all;
    (rng.next(4) == 0).then(|| all[rng.next(all.len())].code.clone())
}

/// Job seekers with a profile each: occupations from the leads' titles, so matches exist.
#[allow(clippy::too_many_arguments)]
fn job_seekers(
    conn: &mut DbConn,
    org_id: i64,
    team_id: i64,
    specialists: &[i64],
    places: &[&str],
    n: usize,
    now: NaiveDateTime,
    rng: &mut Lcg,
) -> Result<usize, AppError> {
    use crate::db::schema::{client_profiles, clients};
    use crate::domain::clients::profile::Profile;
    if n == 0 {
        return Ok(0);
    }
    let first_id: i64 = db_run!(conn, |c| clients::table
        .select(diesel::dsl::max(clients::id))
        .first::<Option<i64>>(c))?
    .unwrap_or(0)
        + 1;
    let statuses = [
        ClientStatus::Exploring,
        ClientStatus::JobSearch,
        ClientStatus::JobSearch,
        ClientStatus::JobSearch,
        ClientStatus::Working,
        ClientStatus::FollowAlong,
    ];
    let rows: Vec<_> = (0..n)
        .map(|i| {
            let intake = now.date() - Duration::days(rng.next(700) as i64 + 5);
            (
                clients::organisation_id.eq(org_id),
                clients::team_id.eq(Some(team_id)),
                clients::specialist_id.eq(specialists[i % specialists.len()]),
                clients::display_name.eq(format!(
                    "{}. {}.",
                    FIRST[rng.next(8)].chars().next().unwrap_or('A'),
                    LAST[rng.next(8)].chars().next().unwrap_or('B')
                )),
                clients::intake_date.eq(intake),
                clients::status.eq(statuses[rng.next(statuses.len())]),
                clients::wants_work.eq(Some(true)),
                clients::consent_to_contact_employers.eq(rng.next(3) > 0),
                clients::disclosure.eq(Disclosure::ALL[rng.next(3)]),
                clients::created_at.eq(now),
                clients::updated_at.eq(now),
            )
        })
        .collect();
    let inserted = bulk!(conn, clients::table, rows);
    let ids: Vec<i64> = db_run!(conn, |c| clients::table
        .filter(clients::organisation_id.eq(org_id))
        .filter(clients::id.ge(first_id))
        .order(clients::id.asc())
        .select(clients::id)
        .load(c))?;
    let profiles: Vec<_> = ids
        .iter()
        .map(|id| {
            let lo = [8, 10, 15, 20, 25][rng.next(5)];
            let p = Profile {
                occupations: (0..1 + rng.next(2))
                    .map(|_| LEAD_TITLES[rng.next(LEAD_TITLES.len())].1.to_string())
                    .collect(),
                job_wishes: [
                    "kahvila tai kauppa",
                    "varasto, mieluiten päivisin",
                    "siivous tai kiinteistöhuolto",
                    "keittiö",
                ][rng.next(4)]
                .into(),
                hours_min: Some(lo),
                hours_max: Some(lo + [5, 10, 15, 20][rng.next(4)]),
                shifts: [
                    vec!["day"],
                    vec!["day", "evening"],
                    vec!["day", "evening", "weekend"],
                ][rng.next(3)]
                .iter()
                .map(|s| Choice::from_text(s))
                .collect(),
                home_municipality_code: Some(places[rng.next(places.len())].to_string()),
                max_commute_km: Some([10, 20, 30, 60][rng.next(4)]),
                strengths: "Täsmällinen ja ystävällinen.".into(),
                skills: vec!["kassa".into(), "asiakaspalvelu".into()],
                ..Default::default()
            };
            (
                client_profiles::organisation_id.eq(org_id),
                client_profiles::client_id.eq(*id),
                client_profiles::version.eq(1),
                client_profiles::data.eq(serde_json::to_string(&p).unwrap_or_default()),
                client_profiles::created_at.eq(now),
            )
        })
        .collect();
    bulk!(conn, client_profiles::table, profiles);
    Ok(inserted)
}
