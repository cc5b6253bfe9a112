//! Builds the state, binds the listener and serves. Used by `main` and by the tests,
//! which bind port 0 and talk HTTP to the real server.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{App, HttpServer};
use tracing_actix_web::TracingLogger;

use crate::config::Settings;
use crate::db::{migrate, DbPool};
use crate::domain::clock::{Clock, SystemClock};
use crate::web;
use crate::web::render::Templates;
use actix_web::web::Data;

/// Everything a request handler may need, shared by all workers.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub settings: Arc<Settings>,
    pub templates: Arc<Templates>,
    pub clock: Arc<dyn Clock>,
    pub lead_cache: Arc<crate::domain::matching::cache::LeadCache>,
    pub mailer: Arc<crate::mail::Mailer>,
    pub mail_templates: Arc<crate::mail::templates::MailTemplates>,
    /// Set to stop the outbox worker thread.
    pub mail_stop: Arc<std::sync::atomic::AtomicBool>,
}

impl AppState {
    /// Now, in UTC, by the application's clock.
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.clock.now()
    }

    /// Today in the configured time zone.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today(self.settings.timezone)
    }

    pub fn throttle_limits(&self) -> crate::domain::throttle::Limits {
        crate::domain::throttle::Limits {
            max_failures: self.settings.login_max_failures,
            lockout_minutes: self.settings.login_lockout_minutes,
        }
    }

    pub fn rules(&self) -> crate::domain::Rules {
        self.settings.rules
    }

    /// The outbox worker over this state (the background thread runs one; tests call
    /// `run_once` on their own).
    pub fn mail_worker(&self) -> crate::mail::worker::Worker {
        crate::mail::worker::Worker {
            pool: self.pool.clone(),
            mailer: self.mailer.clone(),
            templates: self.mail_templates.clone(),
            settings: self.settings.mail.clone(),
            rules: self.settings.rules,
            matching: self.settings.matching,
            lead_cache: self.lead_cache.clone(),
            fidelity: self.settings.fidelity,
            meeting_weekday: self.settings.meeting_weekday,
            allow_internal_calendars: self.settings.allow_internal_calendars,
            retention_months: self.settings.retention_months,
            clock: self.clock.clone(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] crate::db::DbOpenError),
    #[error("{0}")]
    Migrate(String),
    #[error("mail: {0}")]
    Mail(String),
    #[error("cannot listen on {addr}: {why}")]
    Bind { addr: String, why: std::io::Error },
}

/// Opens the database and applies pending migrations; answers the pool and what was applied.
pub fn open_database(settings: &Settings) -> Result<(DbPool, Vec<String>), StartError> {
    let pool = DbPool::open(
        &settings.database_url,
        settings.pool_size,
        settings.db_timeout_seconds,
    )?;
    let mut conn = pool.get().map_err(|e| StartError::Migrate(e.to_string()))?;
    let applied =
        migrate::run_pending(&mut conn).map_err(|e| StartError::Migrate(format!("{e}: {e:?}")))?;
    Ok((pool, applied))
}

pub struct Application {
    pub port: u16,
    pub state: AppState,
    server: Server,
}

impl Application {
    pub fn build(settings: Settings) -> Result<Self, StartError> {
        let (pool, applied) = open_database(&settings)?;
        for m in &applied {
            tracing::info!(migration = %m, "migration applied");
        }
        Self::build_with_pool(settings, pool)
    }

    pub fn build_with_pool(settings: Settings, pool: DbPool) -> Result<Self, StartError> {
        Self::build_with(settings, pool, Arc::new(SystemClock))
    }

    /// With a clock of the caller's choosing (tests use a fixed one).
    pub fn build_with(
        settings: Settings,
        pool: DbPool,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StartError> {
        let addr = format!("{}:{}", settings.host, settings.port);
        let listener = TcpListener::bind(&addr).map_err(|why| StartError::Bind {
            addr: addr.clone(),
            why,
        })?;
        let port = listener
            .local_addr()
            .map_err(|why| StartError::Bind { addr, why })?
            .port();
        let state = AppState {
            pool,
            templates: Arc::new(Templates::new()),
            clock,
            lead_cache: Arc::default(),
            mailer: Arc::new(crate::mail::Mailer::new(&settings.mail).map_err(StartError::Mail)?),
            mail_templates: Arc::new(crate::mail::templates::MailTemplates::new()),
            mail_stop: Arc::default(),
            settings: Arc::new(settings),
        };
        if state.settings.mail.poll_seconds > 0 {
            state.mail_worker().spawn(state.mail_stop.clone());
        }
        let workers = state.settings.workers;
        let data = Data::new(state.clone());
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .configure(web::routes)
                .wrap(actix_web::middleware::from_fn(web::input_guard::guard))
                .wrap(actix_web::middleware::from_fn(web::errors::render_errors))
                // Pages and lists gzip to a fraction of their size on a phone's network.
                .wrap(actix_web::middleware::Compress::default())
                .wrap(actix_web::middleware::from_fn(web::csrf::ensure_cookie))
                .wrap(actix_web::middleware::from_fn(web::security_headers::add))
                .wrap(actix_web::middleware::from_fn(web::request_id_header))
                .wrap(TracingLogger::<web::log_redact::RedactedSpan>::new())
        })
        .shutdown_timeout(10)
        .listen(listener)
        .map_err(|why| StartError::Bind {
            addr: "listener".into(),
            why,
        })?;
        if workers > 0 {
            server = server.workers(workers);
        }
        Ok(Self {
            port,
            state,
            server: server.run(),
        })
    }

    /// Serves until SIGTERM or SIGINT, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    pub fn server_handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub fn into_server(self) -> Server {
        self.server
    }
}
