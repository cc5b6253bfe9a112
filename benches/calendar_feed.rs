//! A user's calendar feed with a year of events (budget: under 10 ms): 365 planned visits,
//! open follow-ups, and a weekly recurring contact day (52 occurrences, two of them
//! exceptions), rendered as the subscription URL serves it. SQLite and, when reachable,
//! PostgreSQL. Run: `cargo bench --bench calendar_feed`.

mod common;

use std::time::Instant;

use chrono::Duration;
use placefirst::config::Settings;
use placefirst::db::{migrate, transaction, DatabaseUrl, DbPool};
use placefirst::domain::calendar::feed_ics;
use placefirst::domain::contact_days::{self, ContactDayInput, ContactDayPatch};
use placefirst::domain::employers::{service, EmployerInput};
use placefirst::domain::plan::{self, PlanInput};
use placefirst::domain::users::{create_user, load_actor, NewUser, Role};
use placefirst::i18n::Lang;
use placefirst::mail::contact_day::Outbox;

fn run(url: DatabaseUrl) {
    let pool = DbPool::open(&url, 2, 30).unwrap();
    let mut conn = pool.get().unwrap();
    migrate::run_pending(&mut conn).unwrap();
    let rules = Settings::from_toml_override("").unwrap().rules;
    let id = transaction(&mut conn, |c| {
        create_user(
            c,
            &NewUser {
                org_name: "Bench",
                team_name: None,
                email: "feed@example.fi",
                display_name: "Feed Bench",
                role: Role::TeamLead,
                password: "bench-password",
            },
            placefirst::domain::clock::Clock::now(&placefirst::domain::clock::SystemClock),
        )
    })
    .unwrap();
    let actor = load_actor(&mut conn, id).unwrap().unwrap();
    let now = placefirst::domain::clock::Clock::now(&placefirst::domain::clock::SystemClock);
    let today = now.date();
    transaction(&mut conn, |c| {
        let mut employers = Vec::new();
        for i in 0..40 {
            let e = service::create(
                c,
                &actor,
                EmployerInput {
                    name: Some(format!("Feed Oy {i}")),
                    ..Default::default()
                },
                placefirst::domain::clock::Clock::now(&placefirst::domain::clock::SystemClock),
            )?;
            employers.push(e.id);
        }
        for d in 1..=365 {
            plan::create(
                c,
                &actor,
                PlanInput {
                    employer_id: Some(employers[d % employers.len()]),
                    planned_on: Some((today + Duration::days(d as i64)).to_string()),
                    planned_time: Some("10:00".into()),
                    acknowledge_collisions: Some(true),
                    ..Default::default()
                },
                now,
                &rules,
            )?;
        }
        let day = contact_days::create(
            c,
            &actor,
            ContactDayInput {
                date: Some((today + Duration::days(3)).to_string()),
                starts_at: Some("09:00".into()),
                ends_at: Some("13:00".into()),
                place: Some("Toimisto".into()),
                theme: Some("Viikoittainen työnantajapäivä".into()),
                participant_ids: vec![actor.user_id],
                rrule: Some("FREQ=WEEKLY;COUNT=52".into()),
                ..Default::default()
            },
            &Outbox,
            &rules,
            now,
        )?;
        let days = contact_days::list(c, &actor, today, today + Duration::days(400))?;
        contact_days::cancel(c, &actor, days[5].id, &Outbox, &rules, now)?;
        contact_days::update(
            c,
            &actor,
            days[9].id,
            ContactDayPatch {
                starts_at: Some("10:00".into()),
                ..Default::default()
            },
            &Outbox,
            &rules,
            now,
        )?;
        let _ = day;
        Ok(())
    })
    .unwrap();
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..60 {
        let t = Instant::now();
        let text = feed_ics(&mut conn, &actor, today, rules.tz, Lang::Fi).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        size = text.len();
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "| {} | {} kB | p50 {:.2} ms | p95 {:.2} ms |",
        url.backend_name(),
        size / 1024,
        times[times.len() / 2],
        times[times.len() * 95 / 100]
    );
}

fn main() {
    common::on_both_databases("calendar_feed", run);
}
