//! The command line: serve (default), migrate, demo, user and token administration,
//! backup and restore.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use placefirst::app::{open_database, Application};
use placefirst::config::Settings;
use placefirst::db::{transaction, DbPool};
use placefirst::domain::archive;
use placefirst::domain::auth::{create_token, random_hex};
use placefirst::domain::clock::{Clock, SystemClock};
use placefirst::domain::users::{
    create_user, find_by_email, load_actor, set_password, NewUser, Role,
};
use placefirst::error::AppError;
use placefirst::{demo, telemetry};

#[derive(Parser)]
#[command(
    name = "placefirst",
    version,
    about = "Employer outreach and job development for IPS teams"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server (the default).
    Serve {
        /// Load the demo data first when the database is empty, and print the demo logins.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and report them.
    Migrate,
    /// Load the demo data into the configured database.
    Demo {
        /// small (one team, 200 employers), region (30 specialists, 10,000 employers) or
        /// national (21 counties, 300 specialists, 100,000 employers, 1,000,000 contacts).
        #[arg(long, default_value = "small")]
        scale: String,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Manage personal API tokens.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Copy the SQLite database to a new file while the server runs, and check the copy.
    Backup {
        /// The file to write (must not exist yet).
        path: std::path::PathBuf,
    },
    /// Write everything one organisation holds to a zip (as an admin downloads it from
    /// `GET /api/v1/exports/organisation`), recorded as that admin's export.
    ExportOrganisation {
        /// An admin of the organisation.
        #[arg(long)]
        admin: String,
        /// The zip to write (must not exist yet).
        path: std::path::PathBuf,
    },
    /// Read an organisation archive into this database, which must hold no organisation
    /// yet (an empty database). One transaction: all or nothing.
    /// Passwords stay behind: set them with `placefirst user password`.
    ImportOrganisation {
        /// The zip from `export-organisation` or the API.
        path: std::path::PathBuf,
    },
    /// Check a backup and put its contents in place of the database's (one transaction:
    /// a running server sees the old data or the new). Older backups are migrated.
    Restore {
        /// The backup file.
        path: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Create a user (and the organisation and team when missing). The password is read
    /// from standard input; without one, a password is generated and printed once.
    Create {
        #[arg(long)]
        org: String,
        #[arg(long)]
        email: String,
        /// admin, team_lead, specialist or viewer
        #[arg(long)]
        role: String,
        #[arg(long)]
        team: Option<String>,
        /// The name shown to colleagues (defaults to the e-mail address).
        #[arg(long)]
        name: Option<String>,
    },
    /// Set a user's password (read from standard input; without one, a password is
    /// generated and printed once). The user is signed out everywhere.
    Password {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
enum TokenAction {
    /// Create a personal API token; it is printed alone on the last line.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("placefirst: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings);
    match run(
        cli.command.unwrap_or(Command::Serve { demo: false }),
        settings,
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("placefirst: {e}");
            ExitCode::FAILURE
        }
    }
}

fn open(settings: &Settings) -> Result<(DbPool, Vec<String>), String> {
    open_database(settings).map_err(|e| e.to_string())
}

fn describe(e: AppError) -> String {
    match &e {
        AppError::Validation(f) | AppError::Conflict(f) => f
            .translated(placefirst::i18n::Lang::En)
            .into_iter()
            .map(|(k, v)| format!("{k}: {}", v.join("; ")))
            .collect::<Vec<_>>()
            .join(", "),
        AppError::BadBody(why) => why.clone(),
        _ => e.to_string(),
    }
}

fn run(command: Command, settings: Settings) -> Result<(), String> {
    match command {
        Command::Serve { demo } => serve(settings, demo),
        Command::Backup { path } => {
            let s = placefirst::db::backup::backup(&settings.database_url, &path)?;
            println!(
                "Backup written to {} ({s}); integrity check ok.",
                path.display()
            );
            Ok(())
        }
        Command::Restore { path } => {
            let s = placefirst::db::backup::restore(&settings.database_url, &path)?;
            println!(
                "Restored from {} ({s}); integrity check ok.",
                path.display()
            );
            Ok(())
        }
        Command::Migrate => {
            let (_, applied) = open(&settings)?;
            if applied.is_empty() {
                println!(
                    "No pending migrations ({}).",
                    settings.database_url.backend_name()
                );
            }
            for m in applied {
                println!("Applied migration {m}");
            }
            Ok(())
        }
        Command::Demo { scale } => {
            let scale = demo::scale::Scale::parse(&scale).ok_or_else(|| {
                format!("unknown scale \"{scale}\": use small, region or national")
            })?;
            let (pool, _) = open(&settings)?;
            let mut conn = pool.get().map_err(describe)?;
            if scale == demo::scale::Scale::Small {
                if find_by_email(&mut conn, demo::USERS[0].0)
                    .map_err(describe)?
                    .is_some()
                {
                    println!("The demo data is already loaded.");
                } else {
                    let s = demo::load(&mut conn, 200, SystemClock.now()).map_err(describe)?;
                    println!(
                        "Loaded the demo: {} employers, {} contact persons, {} contact log entries, {} leads.",
                        s.employers, s.contacts, s.outreach, s.leads
                    );
                }
                print_demo_logins();
                return Ok(());
            }
            let started = std::time::Instant::now();
            let g = demo::scale::generate(&mut conn, scale, SystemClock.now()).map_err(describe)?;
            println!(
                "Generated in {:.0} s: {} organisations, {} users, {} employers, {} contact persons, {} contact log entries, {} leads, {} planned contacts, {} follow-ups, {} job seekers.",
                started.elapsed().as_secs_f64(),
                g.organisations, g.users, g.employers, g.contacts, g.outreach, g.leads, g.planned, g.follow_ups, g.job_seekers
            );
            println!(
                "Logins: lead.<n>.<scale>@demo.placefirst.fi and specialist.<n>.<i>.<scale>@demo.placefirst.fi, password \"{}\".",
                demo::scale::PASSWORD
            );
            Ok(())
        }
        Command::User {
            action:
                UserAction::Create {
                    org,
                    email,
                    role,
                    team,
                    name,
                },
        } => {
            let role = Role::parse(&role).ok_or_else(|| {
                format!("unknown role \"{role}\": use admin, team_lead, specialist or viewer")
            })?;
            let (password, generated) = read_password()?;
            let (pool, _) = open(&settings)?;
            let mut conn = pool.get().map_err(describe)?;
            let new = NewUser {
                org_name: &org,
                team_name: team.as_deref(),
                email: &email,
                display_name: name.as_deref().unwrap_or(""),
                role,
                password: &password,
            };
            let id = transaction(&mut conn, |c| create_user(c, &new, SystemClock.now()))
                .map_err(describe)?;
            println!(
                "Created user {} (id {id}, role {}) in {org}.",
                email.trim().to_lowercase(),
                role.as_str()
            );
            if generated {
                println!("Generated password (shown only now): {password}");
            }
            Ok(())
        }
        Command::User {
            action: UserAction::Password { email },
        } => {
            let (password, generated) = read_password()?;
            let (pool, _) = open(&settings)?;
            let mut conn = pool.get().map_err(describe)?;
            transaction(&mut conn, |c| {
                set_password(c, &email, &password, SystemClock.now())
            })
            .map_err(|e| match e {
                AppError::NotFound => format!("no user {email}"),
                e => describe(e),
            })?;
            println!("Set the password of {}.", email.trim().to_lowercase());
            if generated {
                println!("Generated password (shown only now): {password}");
            }
            Ok(())
        }
        Command::ExportOrganisation { admin, path } => {
            if path.exists() {
                return Err(format!("{}: already exists", path.display()));
            }
            let (pool, _) = open(&settings)?;
            let mut conn = pool.get().map_err(describe)?;
            let user = find_by_email(&mut conn, &admin)
                .map_err(describe)?
                .ok_or(format!("no user {admin}"))?;
            let actor = load_actor(&mut conn, user.id)
                .map_err(describe)?
                .ok_or(format!("user {admin} is inactive"))?;
            let zip = transaction(&mut conn, |c| {
                archive::write::archive(c, &actor, SystemClock.now())
            })
            .map_err(|e| match e {
                AppError::Forbidden => format!("{admin} is not an admin"),
                e => describe(e),
            })?;
            std::fs::write(&path, zip).map_err(|e| format!("{}: {e}", path.display()))?;
            println!("Wrote {} ({}).", path.display(), actor.org_name);
            Ok(())
        }
        Command::ImportOrganisation { path } => {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let (pool, _) = open(&settings)?;
            let mut conn = pool.get().map_err(describe)?;
            let loaded = transaction(&mut conn, |c| {
                archive::load::load(c, &bytes, SystemClock.now())
            })
            .map_err(describe)?;
            let total: usize = loaded.rows.iter().map(|(_, n)| n).sum();
            println!(
                "Imported organisation {} (\"{}\"): {total} rows.",
                loaded.organisation_id, loaded.organisation_name
            );
            for (table, n) in loaded.rows.iter().filter(|(_, n)| *n > 0) {
                println!("  {table}: {n}");
            }
            println!("Passwords were not carried over: set them with `placefirst user password --email ...`.");
            Ok(())
        }
        Command::Token {
            action: TokenAction::Create { email, name },
        } => {
            let (pool, _) = open(&settings)?;
            let mut conn = pool.get().map_err(describe)?;
            let user = find_by_email(&mut conn, &email)
                .map_err(describe)?
                .ok_or(format!("no user {email}"))?;
            let actor = load_actor(&mut conn, user.id)
                .map_err(describe)?
                .ok_or(format!("user {email} is inactive"))?;
            let (token, secret) = create_token(
                &mut conn,
                &actor,
                name.as_deref().unwrap_or("CLI"),
                SystemClock.now(),
            )
            .map_err(describe)?;
            println!(
                "Created token \"{}\" for {email}. Keep it secret; it is shown only now:",
                token.name
            );
            println!("{secret}");
            Ok(())
        }
    }
}

/// The password from standard input, or a generated one when none is given.
fn read_password() -> Result<(String, bool), String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut buf = String::new();
        stdin
            .lock()
            .read_to_string(&mut buf)
            .map_err(|e| format!("reading the password: {e}"))?;
        let pw = buf
            .lines()
            .next()
            .unwrap_or("")
            .trim_end_matches('\r')
            .to_string();
        if !pw.is_empty() {
            return Ok((pw, false));
        }
    }
    Ok((random_hex(10), true))
}

fn print_demo_logins() {
    println!("Demo logins (password \"{}\" for each):", demo::PASSWORD);
    for (email, name, role) in demo::USERS {
        println!("  {email:<40} {name} ({})", role.as_str());
    }
}

fn serve(settings: Settings, with_demo: bool) -> Result<(), String> {
    let (pool, applied) = open(&settings)?;
    for m in &applied {
        tracing::info!(migration = %m, "migration applied");
    }
    if with_demo {
        let mut conn = pool.get().map_err(describe)?;
        if let Some(s) = demo::load_if_empty(&mut conn, SystemClock.now()).map_err(describe)? {
            println!(
                "Loaded the demo: {} employers, {} contact persons, {} contact log entries, {} leads.",
                s.employers, s.contacts, s.outreach, s.leads
            );
        }
        print_demo_logins();
    }
    let system = actix_web::rt::System::new();
    system.block_on(async move {
        let app = Application::build_with_pool(settings, pool).map_err(|e| e.to_string())?;
        let host = app.state.settings.host.clone();
        println!(
            "Placefirst is running at http://{host}:{}/ (database: {})",
            app.port,
            app.state.pool.backend_name()
        );
        app.run_until_stopped().await.map_err(|e| e.to_string())
    })
}
