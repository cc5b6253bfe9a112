//! The organisation archive: everything one organisation holds, as one zip an admin
//! downloads and `placefirst import-organisation` reads back into an empty database.
//!
//! Each table is written twice: `data/{table}.jsonl` (one JSON object per row, every
//! column, values in one form on both databases) is what the import reads, losslessly;
//! `csv/{table}.csv` is the same rows for a spreadsheet. Credentials stay behind:
//! sessions, API tokens, calendar feed links, review packs' secret links and password
//! hashes (imported users set a new password with `placefirst user password`).

pub mod columns;
pub mod load;
pub mod write;

use serde::{Deserialize, Serialize};

/// What the archive's `manifest.json` says.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    pub version: u32,
    /// The newest migration of the database it was taken from.
    pub schema_version: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    /// UTC.
    pub exported_at: String,
    pub tables: Vec<TableEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TableEntry {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: usize,
    /// The highest id the table has handed out, deleted rows included, so the import
    /// never hands a deleted record's id (named in the audit trail) to a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_id: Option<i64>,
    /// SHA-256 of `data/{name}.jsonl`, so a file damaged on the way is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

pub const FORMAT: &str = "placefirst-organisation";
pub const VERSION: u32 = 1;

/// What the import writes in a column the archive leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// An empty text (a password hash that matches no password).
    Empty,
    /// A new random secret (a link's, so the old link opens nothing).
    Secret,
}

/// A table the archive carries, in an order that inserts parents before children.
pub struct Spec {
    pub name: &'static str,
    /// Deterministic row order (the primary key).
    pub order_by: &'static str,
    /// Columns left out of the archive (credentials), and what the import writes there.
    pub withheld: &'static [(&'static str, Fill)],
}

const fn table(name: &'static str) -> Spec {
    Spec {
        name,
        order_by: "id",
        withheld: &[],
    }
}

const fn keyed(name: &'static str, order_by: &'static str) -> Spec {
    Spec {
        name,
        order_by,
        withheld: &[],
    }
}

/// Every table of an organisation, parents first (PostgreSQL checks each foreign key
/// as the row goes in).
pub const TABLES: &[Spec] = &[
    table("organisations"),
    table("teams"),
    Spec {
        name: "users",
        order_by: "id",
        // An empty hash matches no password: the user sets a new one.
        withheld: &[("password_hash", Fill::Empty)],
    },
    keyed("mail_opt_outs", "user_id, kind"),
    table("partners"),
    table("partner_contacts"),
    table("partner_agreements"),
    table("events"),
    table("partner_events"),
    keyed("partner_event_attendees", "partner_event_id, user_id"),
    table("calendar_subscriptions"),
    table("employers"),
    keyed("partner_members", "partner_id, employer_id"),
    table("contacts"),
    table("contact_day_series"),
    table("contact_days"),
    keyed("contact_day_participants", "contact_day_id, user_id"),
    keyed("contact_day_targets", "contact_day_id, employer_id"),
    table("clients"),
    table("client_profiles"),
    table("outreach"),
    keyed("outreach_clients", "outreach_id, client_id"),
    table("planned_contacts"),
    table("follow_ups"),
    table("leads"),
    table("lead_proposals"),
    table("placements"),
    table("support_contacts"),
    table("employer_events"),
    Spec {
        name: "review_packs",
        order_by: "id",
        // A pack's link opens it without signing in: a new one is made.
        withheld: &[("secret", Fill::Secret)],
    },
    table("outbox"),
    table("deleted_outreach"),
    table("employer_merges"),
    table("audit_events"),
];

/// Tables the archive leaves out, and why.
pub const LEFT_OUT: &[(&str, &str)] = &[
    ("sessions", "sign-ins: credentials"),
    ("api_tokens", "credentials"),
    ("calendar_feeds", "secret feed links: credentials"),
    ("login_attempts", "throttling state, no organisation"),
    ("__diesel_schema_migrations", "the schema's own bookkeeping"),
];

pub fn spec(name: &str) -> Option<&'static Spec> {
    TABLES.iter().find(|s| s.name == name)
}

/// The predicate that picks one organisation's rows of `table` (`{p}` is the bound id).
fn scope(table: &str, p: &str) -> String {
    if table == "organisations" {
        format!("id = {p}")
    } else {
        format!("organisation_id = {p}")
    }
}

/// `"name"`, quoted for SQL (names come from the schema, never from a request).
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
