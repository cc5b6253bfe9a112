//! Starts the real application on a fresh database (SQLite file or a throwaway
//! PostgreSQL database) on a random port, and talks HTTP to it.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::StatusCode;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use placefirst::app::{AppState, Application};
use placefirst::config::Settings;
use placefirst::db::transaction;
use placefirst::domain::auth::{create_token, random_hex};
use placefirst::domain::clock::{Clock, FixedClock};
use placefirst::domain::users::{create_user, load_actor, NewUser, Role};
use serde_json::Value;

pub const PASSWORD: &str = "correct horse battery";

/// Where the PostgreSQL suite runs: TEST_POSTGRES_URL, or the local default.
pub fn postgres_admin_url() -> String {
    let url = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    // Keep scheme, credentials and host; the database name is ours to choose.
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", &url));
    let host = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{host}")
}

pub fn postgres_required() -> bool {
    std::env::var("PLACEFIRST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    /// The application's clock; starts at the real now, tests may set it.
    pub clock: Arc<FixedClock>,
    pub backend: &'static str,
    /// The database URL, so a test can start a second application on it (a restart).
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((admin, db)) = self.pg.take() {
            if let Ok(mut c) = PgConnection::establish(&format!("{admin}/postgres")) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"));
            }
        }
    }
}

impl TestApp {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("test.db");
        let mut app = Self::start(&format!("sqlite://{}", path.display())).await;
        app._dir = Some(dir);
        app
    }

    /// None when PostgreSQL is unreachable and not required (then the test says so).
    pub async fn postgres() -> Option<Self> {
        let admin = postgres_admin_url();
        let mut conn = match PgConnection::establish(&format!("{admin}/postgres")) {
            Ok(c) => c,
            Err(e) => {
                if postgres_required() {
                    panic!("PostgreSQL at {admin} is required (PLACEFIRST_REQUIRE_POSTGRES=1) but unreachable: {e}");
                }
                eprintln!("SKIPPED: PostgreSQL at {admin} is unreachable ({e}); set TEST_POSTGRES_URL to run this test there");
                return None;
            }
        };
        let db = format!("pf_test_{}", random_hex(8));
        conn.batch_execute(&format!("CREATE DATABASE \"{db}\""))
            .expect("create test database");
        let mut app = Self::start(&format!("{admin}/{db}")).await;
        app.pg = Some((admin, db));
        Some(app)
    }

    pub fn settings_for(url: &str) -> Settings {
        let dir = std::env::temp_dir().join("placefirst-test-mail");
        Self::settings_with_mail(
            url,
            &format!(
                "[mail]\ntransport = \"file\"\nfile_dir = \"{}\"\npoll_seconds = 0\n",
                dir.display()
            ),
        )
    }

    /// Test settings with this `[mail]` section.
    pub fn settings_with_mail(url: &str, mail: &str) -> Settings {
        Self::settings_with(url, mail, "")
    }

    /// Test settings with this `[mail]` section and these lines in `[security]`.
    pub fn settings_with(url: &str, mail: &str, security: &str) -> Settings {
        Settings::from_toml_override(&format!(
            "[server]\nport = 0\nworkers = 1\n[database]\nurl = \"{url}\"\npool_size = 4\n[log]\nlevel = \"warn\"\n[security]\nlogin_max_failures = 3\n{security}\n[calendar]\nallow_internal_addresses = true\n{mail}"
        ))
        .expect("test settings")
    }

    async fn start(url: &str) -> Self {
        Self::start_with_settings(Self::settings_for(url)).await
    }

    /// A second application on this one's database, with lines added to `[security]`
    /// (trusted proxies, say).
    pub async fn sibling_with_security(&self, security: &str) -> Self {
        let dir = std::env::temp_dir().join("placefirst-test-mail");
        let mail = format!(
            "[mail]\ntransport = \"file\"\nfile_dir = \"{}\"\npoll_seconds = 0\n",
            dir.display()
        );
        Self::start_with_settings(Self::settings_with(&self.url, &mail, security)).await
    }

    async fn start_with_settings(settings: Settings) -> Self {
        // Errors the server logs show up with the failing test's output.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter("warn")
            .try_init();
        let url = match &settings.database_url {
            placefirst::db::DatabaseUrl::Sqlite(p) => format!("sqlite://{p}"),
            placefirst::db::DatabaseUrl::Postgres(u) => u.clone(),
        };
        let (pool, _) = placefirst::app::open_database(&settings).expect("database opens");
        let clock = Arc::new(FixedClock::running());
        let app =
            Application::build_with(settings, pool, clock.clone()).expect("application starts");
        let base = format!("http://127.0.0.1:{}", app.port);
        let state = app.state.clone();
        let backend = state.pool.backend_name();
        actix_web::rt::spawn(app.into_server());
        Self {
            base,
            state,
            clock,
            backend,
            url,
            _dir: None,
            pg: None,
        }
    }

    /// A user in `org` with a personal token, as an API client.
    pub fn user(&self, org: &str, email: &str, role: Role) -> Api {
        let mut conn = self.state.pool.get().expect("connection");
        let id = transaction(&mut conn, |c| {
            create_user(
                c,
                &NewUser {
                    org_name: org,
                    team_name: Some("Tiimi"),
                    email,
                    display_name: email,
                    role,
                    password: PASSWORD,
                },
                self.clock.now(),
            )
        })
        .expect("user created");
        let actor = load_actor(&mut conn, id).unwrap().unwrap();
        let (_, token) = create_token(&mut conn, &actor, "test", self.clock.now()).unwrap();
        Api {
            client: client(),
            base: self.base.clone(),
            token: Some(token),
            lang: None,
            user_id: id,
            org_id: actor.org_id,
        }
    }

    pub fn browser(&self) -> Browser {
        Browser {
            client: client(),
            base: self.base.clone(),
            cookies: HashMap::new(),
        }
    }
}

fn client() -> awc::Client {
    awc::Client::builder()
        .disable_redirects()
        .timeout(std::time::Duration::from_secs(30))
        .finish()
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub content_type: String,
    pub location: Option<String>,
    pub text: String,
    /// The body as sent (a zip, say).
    pub bytes: Vec<u8>,
    pub json: Value,
    pub set_cookies: Vec<String>,
    /// Every header by lower-case name (the last value when repeated).
    pub headers: HashMap<String, String>,
}

async fn read(
    mut res: awc::ClientResponse<
        impl futures_core::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>>
            + Unpin,
    >,
) -> Resp {
    let status = res.status();
    let header = |n: &str| {
        res.headers()
            .get(n)
            .and_then(|h| h.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header("content-type").unwrap_or_default();
    let location = header("location");
    let set_cookies = res
        .headers()
        .get_all("set-cookie")
        .filter_map(|h| h.to_str().ok())
        .map(str::to_string)
        .collect();
    let headers = res
        .headers()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    let body = res.body().limit(20_000_000).await.expect("body");
    let text = String::from_utf8_lossy(&body).to_string();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp {
        status,
        content_type,
        location,
        text,
        bytes: body.to_vec(),
        json,
        set_cookies,
        headers,
    }
}

/// An API client with a bearer token.
#[derive(Clone)]
pub struct Api {
    pub client: awc::Client,
    pub base: String,
    pub token: Option<String>,
    pub lang: Option<&'static str>,
    pub user_id: i64,
    pub org_id: i64,
}

impl Api {
    fn req(&self, method: awc::http::Method, path: &str) -> awc::ClientRequest {
        let mut r = self
            .client
            .request(method, format!("{}{}", self.base, path));
        if let Some(t) = &self.token {
            r = r.bearer_auth(t);
        }
        if let Some(l) = self.lang {
            r = r.insert_header(("Accept-Language", l));
        }
        r
    }

    pub async fn get(&self, path: &str) -> Resp {
        read(
            self.req(awc::http::Method::GET, path)
                .send()
                .await
                .expect("request"),
        )
        .await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        read(
            self.req(awc::http::Method::POST, path)
                .send_json(&body)
                .await
                .expect("request"),
        )
        .await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        read(
            self.req(awc::http::Method::PATCH, path)
                .send_json(&body)
                .await
                .expect("request"),
        )
        .await
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        read(
            self.req(awc::http::Method::PUT, path)
                .send_json(&body)
                .await
                .expect("request"),
        )
        .await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        read(
            self.req(awc::http::Method::DELETE, path)
                .send()
                .await
                .expect("request"),
        )
        .await
    }

    pub async fn post_text(&self, path: &str, content_type: &str, body: String) -> Resp {
        self.post_bytes(path, content_type, body.into_bytes()).await
    }

    pub async fn post_bytes(&self, path: &str, content_type: &str, body: Vec<u8>) -> Resp {
        read(
            self.req(awc::http::Method::POST, path)
                .insert_header(("Content-Type", content_type.to_string()))
                .send_body(body)
                .await
                .expect("request"),
        )
        .await
    }

    /// A JSON body exactly as written (keys twice, odd spacing), with any method.
    pub async fn send_json_text(&self, method: awc::http::Method, path: &str, body: &str) -> Resp {
        read(
            self.req(method, path)
                .insert_header(("Content-Type", "application/json"))
                .send_body(body.to_string())
                .await
                .expect("request"),
        )
        .await
    }

    pub async fn post_raw(&self, path: &str, content_type: &str, body: &'static str) -> Resp {
        self.post_bytes(path, content_type, body.as_bytes().to_vec())
            .await
    }
}

/// A browser: keeps cookies, never follows redirects, fills in the CSRF token.
pub struct Browser {
    client: awc::Client,
    base: String,
    pub cookies: HashMap<String, String>,
}

impl Browser {
    fn remember(&mut self, r: &Resp) {
        for c in &r.set_cookies {
            let first = c.split(';').next().unwrap_or_default();
            if let Some((k, v)) = first.split_once('=') {
                let removed = c.to_ascii_lowercase().contains("max-age=0") || v.is_empty();
                if removed {
                    self.cookies.remove(k.trim());
                } else {
                    self.cookies
                        .insert(k.trim().to_string(), v.trim().to_string());
                }
            }
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        let r = read(
            self.client
                .get(format!("{}{}", self.base, path))
                .insert_header(("Cookie", self.cookie_header()))
                .send()
                .await
                .expect("request"),
        )
        .await;
        self.remember(&r);
        r
    }

    /// The token a page would carry: bound to the session once signed in.
    pub fn csrf(&self) -> String {
        match self.cookies.get("pf_session") {
            Some(s) => placefirst::domain::auth::sha256_hex(&format!("csrf:{s}")),
            None => self.cookies.get("pf_csrf").cloned().unwrap_or_default(),
        }
    }

    /// Posts a form with the browser's CSRF token added.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let token = self.csrf();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_raw(path, &all).await
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        if self.cookies.is_empty() {
            self.get("/login").await;
        }
        let r = read(
            self.client
                .post(format!("{}{}", self.base, path))
                .insert_header(("Cookie", self.cookie_header()))
                .send_form(&fields)
                .await
                .expect("request"),
        )
        .await;
        self.remember(&r);
        r
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Resp {
        self.get("/login").await;
        self.post(
            "/login",
            &[("email", email), ("password", password), ("next", "")],
        )
        .await
    }
}

/// Runs each named `async fn(TestApp)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[actix_web::test]
            async fn sqlite() {
                super::$name($crate::helpers::TestApp::sqlite().await).await
            }
            #[actix_web::test]
            async fn postgres() {
                if let Some(app) = $crate::helpers::TestApp::postgres().await {
                    super::$name(app).await
                }
            }
        }
    )*};
}

impl TestApp {
    /// Another API client for the same user with a different token.
    pub fn browserless_api(api: &Api, token: &str) -> Api {
        Api {
            client: client(),
            base: api.base.clone(),
            token: Some(token.into()),
            lang: None,
            user_id: api.user_id,
            org_id: api.org_id,
        }
    }
}

impl Browser {
    /// A JSON call carrying the browser's session cookie (and optionally X-CSRF-Token).
    pub async fn api_post_with_cookie(
        &mut self,
        path: &str,
        body: Value,
        csrf: Option<&str>,
    ) -> Resp {
        let mut req = self
            .client
            .post(format!("{}{}", self.base, path))
            .insert_header(("Cookie", self.cookie_header()));
        if let Some(t) = csrf {
            req = req.insert_header(("X-CSRF-Token", t));
        }
        read(req.send_json(&body).await.expect("request")).await
    }
}

impl TestApp {
    /// The application on an existing database URL (kept after the test).
    pub async fn start_on(url: &str) -> Self {
        Self::start(url).await
    }
}

impl Api {
    pub fn with_token(base: &str, token: &str) -> Self {
        Api {
            client: client(),
            base: base.to_string(),
            token: Some(token.into()),
            lang: None,
            user_id: 0,
            org_id: 0,
        }
    }
}

/// A UTC instant from "YYYY-MM-DD HH:MM".
pub fn utc(s: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test time")
}
