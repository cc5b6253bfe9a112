//! Performance budget of issue 3 on the national-scale database, on SQLite and on
//! PostgreSQL: the weekly plan (API and page) and the employer timeline under 20 ms at
//! the 95th percentile, logging a contact under 10 ms, the employer list with a filter
//! under 20 ms. Run: `cargo bench --bench national` (about two minutes with both
//! databases). It generates the data with `placefirst demo --scale national`'s code,
//! times the domain functions (server work) and the real HTTP endpoints over loopback,
//! and prints the query plans the figures rely on. Figures: docs/performance.md.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use placefirst::app::Application;
use placefirst::config::Settings;
use placefirst::db::schema::{employers, users};
use placefirst::db::{migrate, transaction, DatabaseUrl, DbConn, DbPool};
use placefirst::demo::scale::{generate, Scale};
use placefirst::domain::clock::SystemClock;
use placefirst::domain::employers::list::{list, ListParams};
use placefirst::domain::matching::find;
use placefirst::domain::outreach::{service as outreach, timeline, OutreachInput};
use placefirst::domain::users::{load_actor, Actor};
use placefirst::domain::week::Week;
use placefirst::domain::{plan, Rules};
use placefirst::error::AppError;

const RUNS: usize = 300;

struct Stats(Vec<Duration>);

impl Stats {
    fn line(mut self, label: &str) -> String {
        self.0.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let p = |q: usize| ms(self.0[(self.0.len() * q / 100).min(self.0.len() - 1)]);
        format!("| {label} | {:.2} | {:.2} | {:.2} |", p(50), p(95), p(99))
    }
}

fn time<T>(mut f: impl FnMut(usize) -> Option<T>) -> Stats {
    let mut v = Vec::with_capacity(RUNS);
    let mut i = 0;
    while v.len() < RUNS {
        let t = Instant::now();
        if f(i).is_some() {
            v.push(t.elapsed());
        }
        i += 1;
    }
    Stats(v)
}

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

fn explain(conn: &mut DbConn, label: &str, sql: &str) {
    println!("\n{label}:\n    {sql}");
    match conn {
        DbConn::Sqlite(c) => {
            let rows: Vec<PlanLine> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
                .load(&mut **c)
                .unwrap();
            for r in rows {
                println!("    → {}", r.detail);
            }
        }
        DbConn::Postgres(c) => {
            let rows: Vec<PgPlanLine> = diesel::sql_query(format!("EXPLAIN {sql}"))
                .load(&mut **c)
                .unwrap();
            for r in rows {
                println!("    → {}", r.line);
            }
        }
    }
}

fn run(url: DatabaseUrl) {
    let pool = DbPool::open(&url, 4, 30).unwrap();
    let mut conn = pool.get().unwrap();
    migrate::run_pending(&mut conn).unwrap();
    let now = placefirst::domain::clock::Clock::now(&placefirst::domain::clock::SystemClock);
    let t = Instant::now();
    let g = generate(&mut conn, Scale::National, now).unwrap();
    placefirst::db_run!(&mut conn, |c| c.batch_execute("ANALYZE")).unwrap();
    println!(
        "\n## {}\n\nGenerated {} employers, {} contact persons, {} contact log entries, {} leads in {:.1} s.\n",
        url.backend_name(),
        g.employers,
        g.contacts,
        g.outreach,
        g.leads,
        t.elapsed().as_secs_f64()
    );
    // A specialist of the largest organisation.
    let user_id: i64 = placefirst::db_run!(&mut conn, |c| users::table
        .filter(users::role.eq("specialist"))
        .order(users::id.asc())
        .select(users::id)
        .first(c))
    .unwrap();
    let actor: Actor = load_actor(&mut conn, user_id).unwrap().unwrap();
    let ids: Vec<i64> = placefirst::db_run!(&mut conn, |c| employers::table
        .filter(employers::organisation_id.eq(actor.org_id))
        .select(employers::id)
        .load(c))
    .unwrap();
    let settings = Settings::from_toml_override("").unwrap();
    let rules: Rules = settings.rules;
    let week = Week::of(now.date());
    println!(
        "Organisation of the timed specialist: {} employers.\n",
        ids.len()
    );
    println!("| server work (domain function, one connection) | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|");
    println!(
        "{}",
        time(|_| transaction(&mut conn, |c| plan::week(
            c, &actor, user_id, week, now, &rules
        ))
        .ok())
        .line("weekly plan")
    );
    println!(
        "{}",
        time(|i| timeline::timeline(
            &mut conn,
            &actor,
            ids[(i * 7919) % ids.len()],
            now.date(),
            50
        )
        .ok())
        .line("employer timeline")
    );
    // Logging as a specialist does: the guard looks first; employers a colleague has
    // just contacted are skipped (the guard answers then, nothing is written).
    println!(
        "{}",
        time(|i| {
            let input = OutreachInput {
                employer_id: Some(ids[(i * 104_729) % ids.len()]),
                ..Default::default()
            };
            match transaction(&mut conn, |c| {
                outreach::create(
                    c,
                    &actor,
                    input,
                    placefirst::domain::clock::Clock::now(&placefirst::domain::clock::SystemClock),
                    &rules,
                )
            }) {
                Ok(e) => Some(e),
                Err(AppError::Collision(_)) => None,
                Err(e) => panic!("{e:?}"),
            }
        })
        .line("log a contact (guard + insert + commit)")
    );
    let any_municipality: String = placefirst::db_run!(&mut conn, |c| employers::table
        .filter(employers::organisation_id.eq(actor.org_id))
        .select(employers::municipality_code)
        .first::<Option<String>>(c))
    .unwrap()
    .unwrap();
    let filter = ListParams {
        municipality: Some(any_municipality.clone()),
        stage: Some("active".into()),
        ..Default::default()
    }
    .parse(25)
    .unwrap();
    println!(
        "{}",
        time(|_| list(&mut conn, &actor, &filter).ok())
            .line("employer list, municipality + stage filter")
    );
    matching(&mut conn, &actor, &settings);
    calendar_feed(&mut conn, &actor, &ids, now, &rules);
    drop(conn);
    http(pool.clone(), settings, &actor, &ids, week);
    let mut conn = pool.get().unwrap();
    explain_all(
        &mut conn,
        &actor,
        &any_municipality,
        week.utc_range(rules.tz),
        now,
    );
}

/// The same through the running server over loopback, with a personal token.
fn http(pool: DbPool, settings: Settings, actor: &Actor, ids: &[i64], week: Week) {
    let mut conn = pool.get().unwrap();
    let seekers: Vec<i64> =
        placefirst::db_run!(&mut conn, |c| placefirst::db::schema::clients::table
            .filter(placefirst::db::schema::clients::organisation_id.eq(actor.org_id))
            .filter(placefirst::db::schema::clients::status.eq_any(["exploring", "job_search"]))
            .select(placefirst::db::schema::clients::id)
            .load(c))
        .unwrap();
    let open_leads: Vec<i64> =
        placefirst::db_run!(&mut conn, |c| placefirst::db::schema::leads::table
            .filter(placefirst::db::schema::leads::organisation_id.eq(actor.org_id))
            .filter(placefirst::db::schema::leads::status.eq_any(["open", "candidates_proposed"]))
            .select(placefirst::db::schema::leads::id)
            .load(c))
        .unwrap();
    let (_, token) = placefirst::domain::auth::create_token(
        &mut conn,
        actor,
        "bench",
        placefirst::domain::clock::Clock::now(&placefirst::domain::clock::SystemClock),
    )
    .unwrap();
    let team_id = actor.team_id;
    let session = placefirst::domain::auth::create_session(
        &mut conn,
        actor,
        1,
        placefirst::domain::clock::Clock::now(&placefirst::domain::clock::SystemClock),
    )
    .unwrap();
    drop(conn);
    let settings = Settings {
        port: 0,
        workers: 2,
        ..settings
    };
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build_with(settings, pool, Arc::new(SystemClock)).unwrap();
        let base = format!("http://127.0.0.1:{}", app.port);
        let handle = app.server_handle();
        actix_web::rt::spawn(app.into_server());
        let client = awc::Client::builder().timeout(Duration::from_secs(30)).finish();
        println!("\n| over HTTP on loopback (client-measured, includes HTTP) | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|");
        let label = week.label();
        let today = placefirst::domain::clock::Clock::now(&placefirst::domain::clock::SystemClock).date();
        let team = team_id;
        let mut cases: Vec<(&str, String)> = vec![
            ("GET /api/v1/plan/week", format!("/api/v1/plan/week?week={label}")),
            ("GET /plan (page)", format!("/plan?week={label}")),
            ("GET /api/v1/employers/{id}/timeline", String::new()),
            ("GET /employers/{id} (page with timeline)", String::new()),
            ("GET /api/v1/employers?stage=active&industry=C", "/api/v1/employers?stage=active&industry=C".into()),
            ("GET /api/v1/clients/{id}/matches?limit=20", String::new()),
            ("GET /api/v1/leads/{id}/matches?limit=20", String::new()),
            ("GET /fidelity (organisation, a year; page with charts)", format!(
                "/fidelity?scope=org&from={}&to={}",
                today - chrono::Duration::days(364),
                today
            )),
            ("GET /fidelity (team, last 4 weeks; page with charts)", format!(
                "/fidelity?scope=team:{}",
                team.unwrap_or_default()
            )),
            ("GET /api/v1/fidelity (organisation, a year)", format!(
                "/api/v1/fidelity?from={}&to={}",
                today - chrono::Duration::days(364),
                today
            )),
        ];
        for (name, path) in cases.drain(..) {
            let mut v = Vec::with_capacity(RUNS);
            for i in 0..RUNS {
                let p = match name {
                    "GET /api/v1/employers/{id}/timeline" => format!("/api/v1/employers/{}/timeline", ids[(i * 7919) % ids.len()]),
                    "GET /employers/{id} (page with timeline)" => format!("/employers/{}", ids[(i * 7919) % ids.len()]),
                    "GET /api/v1/clients/{id}/matches?limit=20" => format!("/api/v1/clients/{}/matches?limit=20", seekers[i % seekers.len()]),
                    "GET /api/v1/leads/{id}/matches?limit=20" => format!("/api/v1/leads/{}/matches?limit=20", open_leads[i % open_leads.len()]),
                    _ => path.clone(),
                };
                let t = Instant::now();
                let mut res = client
                    .get(format!("{base}{p}"))
                    .bearer_auth(&token)
                    .insert_header(("Cookie", format!("pf_session={session}")))
                    .send()
                    .await
                    .unwrap();
                let body = res.body().limit(10_000_000).await.unwrap();
                assert!(res.status().is_success(), "{p}: {}", res.status());
                assert!(!body.is_empty());
                v.push(t.elapsed());
            }
            println!("{}", Stats(v).line(name));
        }
        let mut v = Vec::with_capacity(RUNS);
        let mut i = 0;
        while v.len() < RUNS {
            let employer = ids[(i * 15_485_863) % ids.len()];
            i += 1;
            let t = Instant::now();
            let mut res = client
                .post(format!("{base}/api/v1/outreach"))
                .bearer_auth(&token)
                .send_json(&serde_json::json!({"employer_id": employer, "channel": "phone"}))
                .await
                .unwrap();
            let _ = res.body().await;
            if res.status().as_u16() == 201 {
                v.push(t.elapsed());
            }
        }
        println!("{}", Stats(v).line("POST /api/v1/outreach (logged, 201)"));
        handle.stop(true).await;
    });
}

fn explain_all(
    conn: &mut DbConn,
    actor: &Actor,
    municipality: &str,
    (from, to): (chrono::NaiveDateTime, chrono::NaiveDateTime),
    now: chrono::NaiveDateTime,
) {
    let (org, user) = (actor.org_id, actor.user_id);
    let ts = |t: chrono::NaiveDateTime| t.format("'%Y-%m-%d %H:%M:%S'").to_string();
    let day = |t: chrono::NaiveDateTime| t.format("'%Y-%m-%d'").to_string();
    println!("\n### Query plans ({})", conn_name(conn));
    explain(conn, "Plan: the week's planned contacts", &format!(
        "SELECT p.id, e.name FROM planned_contacts p JOIN employers e ON e.id = p.employer_id WHERE p.organisation_id = {org} AND p.specialist_id = {user} AND p.planned_on >= {} AND p.planned_on <= {} ORDER BY p.planned_on, p.planned_time, p.id",
        day(from), day(to)));
    explain(conn, "Plan: in-person contacts in a week", &format!(
        "SELECT COUNT(*) FROM outreach WHERE organisation_id = {org} AND specialist_id = {user} AND channel = 'in_person' AND occurred_at >= {} AND occurred_at < {}",
        ts(from), ts(to)));
    explain(conn, "Plan: owned employers gone quiet", &format!(
        "SELECT e.id FROM employers e WHERE e.organisation_id = {org} AND e.owner_id = {user} AND e.archived_at IS NULL AND e.stage IN ('introduced','learning_needs','active','hiring_partner') AND NOT EXISTS (SELECT 1 FROM outreach o WHERE o.organisation_id = {org} AND o.employer_id = e.id AND o.occurred_at >= {}) ORDER BY e.updated_at, e.id LIMIT 8",
        ts(now - chrono::Duration::days(60))));
    explain(conn, "Plan: open follow-ups due", &format!(
        "SELECT f.id FROM follow_ups f JOIN employers e ON e.id = f.employer_id WHERE f.organisation_id = {org} AND f.status = 'open' AND f.assignee_id = {user} AND f.due_on < {} ORDER BY f.due_on, f.id LIMIT 500",
        day(to)));
    explain(conn, "Plan and lists: expiring leads", &format!(
        "UPDATE leads SET status = 'expired' WHERE organisation_id = {org} AND status IN ('open','candidates_proposed') AND apply_by < {}",
        day(now)));
    explain(conn, "Timeline and guard: an employer's contacts", &format!(
        "SELECT o.id FROM outreach o JOIN users u ON u.id = o.specialist_id WHERE o.organisation_id = {org} AND o.employer_id = 1 ORDER BY o.occurred_at DESC, o.id DESC LIMIT 50"));
    explain(conn, "Employer list: filter and first page", &format!(
        "SELECT id FROM employers WHERE organisation_id = {org} AND archived_at IS NULL AND municipality_code = '{municipality}' AND stage = 'active' ORDER BY name_lower, id LIMIT 26"));
}

fn conn_name(conn: &DbConn) -> &'static str {
    match conn {
        DbConn::Sqlite(_) => "SQLite",
        DbConn::Postgres(_) => "PostgreSQL",
    }
}

fn main() {
    common::on_both_databases("national", run);
}

/// Issue 4: matching for one job seeker and for one lead, and the weekly digest.
fn matching(conn: &mut DbConn, actor: &Actor, settings: &Settings) {
    use placefirst::db::schema::{clients, leads, organisations};
    use placefirst::domain::matching::{evaluate, load};
    let m = settings.matching;
    let w = m.weights;
    let cache = placefirst::domain::matching::cache::LeadCache::default();
    let seekers: Vec<i64> = placefirst::db_run!(conn, |c| clients::table
        .filter(clients::organisation_id.eq(actor.org_id))
        .filter(clients::status.eq_any(["exploring", "job_search"]))
        .select(clients::id)
        .load(c))
    .unwrap();
    let open: Vec<i64> = placefirst::db_run!(conn, |c| leads::table
        .filter(leads::organisation_id.eq(actor.org_id))
        .filter(leads::status.eq_any(["open", "candidates_proposed"]))
        .select(leads::id)
        .load(c))
    .unwrap();
    println!(
        "{}",
        time(
            |i| find::for_client(conn, actor, seekers[i % seekers.len()], &m, Some(&cache))
                .ok()
                .map(|m| m.into_iter().take(20).count())
        )
        .line(&format!(
            "top 20 leads for a job seeker ({} open leads in the organisation)",
            open.len()
        ))
    );
    println!(
        "{}",
        time(|i| find::for_lead(conn, actor, open[i % open.len()], &m)
            .ok()
            .map(|m| m.into_iter().take(20).count()))
        .line(&format!(
            "job seekers for a lead ({} searching)",
            seekers.len()
        ))
    );
    let t = Instant::now();
    let orgs: Vec<i64> = placefirst::db_run!(conn, |c| organisations::table
        .select(organisations::id)
        .load(c))
    .unwrap();
    let (mut pairs, mut found) = (0usize, 0usize);
    for org in orgs {
        let s = load::seekers(conn, org, load::Who::Searching).unwrap();
        let l = load::open_leads(conn, org, None).unwrap();
        pairs += s.len() * l.len();
        // Two cores: half of the job seekers each.
        let (a, b) = s.split_at(s.len() / 2);
        let count = |part: &[placefirst::domain::matching::Seeker]| -> usize {
            part.iter()
                .map(|x| l.iter().filter_map(|y| evaluate(x, y, &w)).count())
                .sum()
        };
        found += std::thread::scope(|scope| {
            let h = scope.spawn(|| count(a));
            count(b) + h.join().unwrap()
        });
    }
    println!(
        "\nWeekly digest: every searching job seeker against every open lead of their organisation, all organisations, loading included: {pairs} pairs, {found} matches, {:.1} s.\n",
        t.elapsed().as_secs_f64()
    );
}

/// Issue 5: a user's feed with a year of events (a planned visit every day, plus the
/// generated follow-ups).
fn calendar_feed(
    conn: &mut DbConn,
    actor: &Actor,
    ids: &[i64],
    now: chrono::NaiveDateTime,
    rules: &Rules,
) {
    use placefirst::db::schema::planned_contacts as p;
    let today = now.date();
    let rows: Vec<_> = (0..365)
        .map(|d| {
            (
                p::organisation_id.eq(actor.org_id),
                p::specialist_id.eq(actor.user_id),
                p::employer_id.eq(ids[(d * 31) % ids.len()]),
                p::planned_on.eq(today + chrono::Duration::days(d as i64)),
                p::planned_time.eq(Some("10:00")),
                p::channel.eq("in_person"),
                p::purpose.eq("learn_needs"),
                p::status.eq("planned"),
                p::created_at.eq(now),
                p::updated_at.eq(now),
            )
        })
        .collect();
    placefirst::db_run!(conn, |c| diesel::insert_into(p::table)
        .values(&rows)
        .execute(c))
    .unwrap();
    let mut size = 0;
    let stats = time(|_| {
        let body = placefirst::domain::calendar::feed_ics(
            conn,
            actor,
            today,
            rules.tz,
            placefirst::i18n::Lang::Fi,
        )
        .ok()?;
        size = body.len();
        Some(body)
    });
    println!(
        "{}",
        stats.line(&format!(
            "calendar feed with a year of events ({size} bytes)"
        ))
    );
}
