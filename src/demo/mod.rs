//! Demo data: a fictional IPS team of five specialists in Pirkanmaa with about 200
//! employers, so a newcomer sees a living product. Deterministic, so screenshots and
//! tests see the same register every time. `scale` fills region and national sizes.

mod partners;
pub mod scale;

use chrono::NaiveDateTime;

use crate::db::{transaction, DbConn};
use crate::domain::business_id::BusinessId;
use crate::domain::closed_set::Choice;
use crate::domain::contacts::PreferredChannel;
use crate::domain::contacts::{self, ContactInput};
use crate::domain::employers::{service, EmployerInput, Stage};
use crate::domain::users::{count_users, create_user, load_actor, NewUser, Role};
use crate::error::AppError;

pub const ORG: &str = "Pirkanmaan hyvinvointialue – IPS (demo)";
pub const TEAM: &str = "IPS-tiimi Tampere";
pub const PASSWORD: &str = "placefirst-demo";

pub const USERS: [(&str, &str, Role); 7] = [
    (
        "sanna.lehtonen@demo.placefirst.fi",
        "Sanna Lehtonen",
        Role::TeamLead,
    ),
    (
        "mikko.virtanen@demo.placefirst.fi",
        "Mikko Virtanen",
        Role::Specialist,
    ),
    (
        "aino.korhonen@demo.placefirst.fi",
        "Aino Korhonen",
        Role::Specialist,
    ),
    (
        "jussi.makinen@demo.placefirst.fi",
        "Jussi Mäkinen",
        Role::Specialist,
    ),
    (
        "leena.nieminen@demo.placefirst.fi",
        "Leena Nieminen",
        Role::Specialist,
    ),
    (
        "petri.heikkinen@demo.placefirst.fi",
        "Petri Heikkinen",
        Role::Specialist,
    ),
    ("admin@demo.placefirst.fi", "Ylläpito", Role::Admin),
];

/// (kind of business, TOL section, tags)
const KINDS: [(&str, &str, &str); 20] = [
    ("Kahvila", "I", "kahvila,asiakaspalvelu"),
    ("Ravintola", "I", "ravintola,keittiö"),
    ("Rakennus", "F", "rakentaminen"),
    ("Kuljetus", "H", "kuljetus,logistiikka"),
    ("Siivouspalvelu", "N", "siivous"),
    ("Puutarha", "A", "puutarha,kausityö"),
    ("Kirjapaino", "C", "painotyö"),
    ("Autokorjaamo", "G", "autoala,korjaamo"),
    ("Leipomo", "C", "leipomo,elintarvike"),
    ("Kauppa", "G", "kauppa,asiakaspalvelu"),
    ("Varastopalvelu", "H", "varasto,logistiikka"),
    ("Hoivakoti", "Q", "hoiva"),
    ("Kierrätyskeskus", "E", "kierrätys"),
    ("Konepaja", "C", "metalli,teollisuus"),
    ("IT-tuki", "J", "it,tietotekniikka"),
    ("Tilitoimisto", "M", "toimisto"),
    ("Kiinteistöhuolto", "L", "kiinteistö,huolto"),
    ("Hotelli", "I", "majoitus,asiakaspalvelu"),
    ("Liikuntakeskus", "R", "liikunta"),
    ("Pesula", "S", "pesula"),
];

const NAMES: [&str; 24] = [
    "Aurinko",
    "Kuusi",
    "Järvi",
    "Pohjoistuuli",
    "Hiidenkivi",
    "Koivu",
    "Kallio",
    "Tähti",
    "Virta",
    "Kaleva",
    "Ilmari",
    "Sampo",
    "Revontuli",
    "Halla",
    "Pihlaja",
    "Kielo",
    "Otava",
    "Lumme",
    "Ahven",
    "Kataja",
    "Näsi",
    "Pyynikki",
    "Hervanta",
    "Tammela",
];

const SUFFIXES: [&str; 4] = ["Oy", "Oy", "Ky", "Tmi"];

/// Pirkanmaa municipalities; Tampere and its neighbours most often.
const MUNICIPALITIES: [&str; 12] = [
    "837", "837", "837", "837", "211", "536", "604", "418", "980", "908", "790", "020",
];

const FIRST: [&str; 12] = [
    "Anna", "Matti", "Sari", "Timo", "Heidi", "Jari", "Katja", "Ville", "Riikka", "Antti", "Tuula",
    "Eero",
];
const LAST: [&str; 10] = [
    "Laine",
    "Salminen",
    "Järvinen",
    "Lehtinen",
    "Saarinen",
    "Hämäläinen",
    "Koskinen",
    "Rantanen",
    "Mattila",
    "Aalto",
];
const TITLES: [&str; 6] = [
    "Toimitusjohtaja",
    "Myymäläpäällikkö",
    "Henkilöstöpäällikkö",
    "Vuoropäällikkö",
    "Työnjohtaja",
    "Yrittäjä",
];

/// A small linear congruential generator: the same demo every time, no extra crate.
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

pub struct DemoSummary {
    pub employers: usize,
    pub contacts: usize,
    pub outreach: usize,
    pub leads: usize,
}

/// Loads the demo when the database has no users; answers None when it already had some.
/// Why a demo employer asked not to be contacted.
const DNC_REASONS: [&str; 3] = [
    "Pyysi, ettei yhteyttä oteta ennen uutta rekrytointitarvetta.",
    "Omistaja vaihtuu; palataan asiaan keväällä.",
    "Ei halua yhteydenottoja tältä palvelulta.",
];

pub fn load_if_empty(
    conn: &mut DbConn,
    now: NaiveDateTime,
) -> Result<Option<DemoSummary>, AppError> {
    if count_users(conn)? > 0 {
        return Ok(None);
    }
    load(conn, 200, now).map(Some)
}

/// Loads the demo organisation with `employers` employers, and a history of contacts,
/// leads, this week's plans and follow-ups around `now`.
pub fn load(
    conn: &mut DbConn,
    employers: usize,
    now: NaiveDateTime,
) -> Result<DemoSummary, AppError> {
    let (mut summary, org_id) = load_register(conn, employers, now)?;
    let activity = scale::activity_for_org(conn, org_id, employers * 10, employers / 3, now)?;
    summary.outreach = activity.outreach;
    summary.leads = activity.leads;
    partners::load(conn, USERS[6].0, now)?;
    Ok(summary)
}

fn load_register(
    conn: &mut DbConn,
    employers: usize,
    now: NaiveDateTime,
) -> Result<(DemoSummary, i64), AppError> {
    transaction(conn, |conn| {
        let mut ids = Vec::new();
        for (email, name, role) in USERS {
            ids.push(create_user(
                conn,
                &NewUser {
                    org_name: ORG,
                    team_name: Some(TEAM),
                    email,
                    display_name: name,
                    role,
                    password: PASSWORD,
                },
                now,
            )?);
        }
        let admin =
            load_actor(conn, ids[6])?.ok_or_else(|| AppError::internal("demo admin missing"))?;
        let specialists = &ids[1..6];
        let mut rng = Lcg(2026);
        let mut contact_count = 0;
        let mut used_names = std::collections::HashSet::new();
        for i in 0..employers {
            let (kind, industry, tags) = KINDS[rng.next(KINDS.len())];
            let mut name = format!(
                "{} {} {}",
                NAMES[rng.next(NAMES.len())],
                kind,
                SUFFIXES[rng.next(SUFFIXES.len())]
            );
            if !used_names.insert(name.clone()) {
                name = format!("{name} ({})", i + 1);
            }
            let business_id = (rng.next(3) > 0).then(|| loop {
                let mut d = [0u32; 7];
                d[0] = 1 + rng.next(3) as u32;
                for x in d.iter_mut().skip(1) {
                    *x = rng.next(10) as u32;
                }
                if let Some(b) = BusinessId::from_digits(d) {
                    break b.as_str().to_string();
                }
            });
            let stage = Stage::ALL[[0, 0, 1, 1, 2, 3, 3, 4, 5, 6][rng.next(10)]];
            let input = EmployerInput {
                name: Some(name.clone()),
                business_id,
                industry: Some(industry.into()),
                size_class: Some(["1-9", "1-9", "10-49", "50-249", "250+"][rng.next(5)].into()),
                street_address: Some(format!(
                    "{}katu {}",
                    NAMES[rng.next(NAMES.len())],
                    1 + rng.next(60)
                )),
                postal_code: Some(format!("33{:03}", 100 + rng.next(800))),
                municipality_code: Some(MUNICIPALITIES[rng.next(MUNICIPALITIES.len())].into()),
                website: (rng.next(2) == 0).then(|| {
                    format!(
                        "www.{}.example.fi",
                        name.split(' ').next().unwrap_or("yritys").to_lowercase()
                    )
                }),
                description: Some(format!("{kind} – demoaineiston kuvitteellinen työnantaja.")),
                tags: tags.split(',').map(str::to_string).collect(),
                owner_id: (stage != Stage::NotContacted)
                    .then(|| specialists[rng.next(specialists.len())]),
                stage: Some(Choice::Known(stage)),
                contact_interval_days: (rng.next(8) == 0).then_some(30),
                // Chosen by name, not by the generator, so the rest of the data stays put.
                do_not_contact_reason: (stage == Stage::DoNotContact)
                    .then(|| DNC_REASONS[name.len() % DNC_REASONS.len()].into()),
                // Generated names and shared demo websites look alike by design.
                acknowledge_duplicates: Some(true),
            };
            // Business ids are random: skip the rare duplicate rather than fail the demo.
            let employer = match service::create(conn, &admin, input.clone(), now) {
                Ok(e) => e,
                Err(AppError::Conflict(_)) => service::create(
                    conn,
                    &admin,
                    EmployerInput {
                        business_id: None,
                        ..input
                    },
                    now,
                )?,
                Err(e) => return Err(e),
            };
            if stage != Stage::NotContacted {
                for k in 0..(1 + rng.next(2)) {
                    let first = FIRST[rng.next(FIRST.len())];
                    let last = LAST[rng.next(LAST.len())];
                    contacts::create(
                        conn,
                        &admin,
                        employer.id,
                        ContactInput {
                            // Random names may repeat at one employer.
                            acknowledge_duplicates: Some(true),
                            name: Some(format!("{first} {last}")),
                            title: Some(TITLES[rng.next(TITLES.len())].into()),
                            phone: Some(format!(
                                "040 {:03} {:04}",
                                rng.next(1000),
                                rng.next(10000)
                            )),
                            email: Some(format!(
                                "{}.{}@example.fi",
                                first.to_lowercase(),
                                last.to_lowercase().replace('ä', "a").replace('ö', "o")
                            )),
                            preferred_channel: Some(Choice::Known(
                                [
                                    PreferredChannel::Email,
                                    PreferredChannel::Phone,
                                    PreferredChannel::InPerson,
                                ][rng.next(3)],
                            )),
                            can_hire: Some(k == 0),
                            notes: None,
                        },
                        now,
                    )?;
                    contact_count += 1;
                }
            }
        }
        Ok((
            DemoSummary {
                employers,
                contacts: contact_count,
                outreach: 0,
                leads: 0,
            },
            admin.org_id,
        ))
    })
}
