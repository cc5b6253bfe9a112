//! A table's columns as the database describes them, and the one form each kind of
//! value takes in the archive, whichever database wrote it: timestamps as
//! `2026-12-03 09:30:00.123456` (as diesel writes them to SQLite), booleans as
//! `true`/`false`, dates as `2026-12-03`.

use diesel::prelude::*;
use diesel::sql_types::Text;
use serde_json::{Map, Value};

use crate::db::DbConn;
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Timestamp,
    Date,
    Bool,
    Integer,
    Text,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

#[derive(QueryableByName)]
struct Described {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    ty: String,
}

fn kind(ty: &str) -> Kind {
    let ty = ty.to_ascii_lowercase();
    if ty.contains("timestamp") {
        Kind::Timestamp
    } else if ty.starts_with("bool") {
        Kind::Bool
    } else if ty == "date" {
        Kind::Date
    } else if ty.contains("int") {
        Kind::Integer
    } else {
        Kind::Text
    }
}

impl Kind {
    /// What a value of this kind is called in a refusal.
    pub fn described(self) -> &'static str {
        match self {
            Kind::Timestamp => "a time (2026-12-03 09:30:00)",
            Kind::Date => "a date (2026-12-03)",
            Kind::Bool => "true or false",
            Kind::Integer => "a whole number",
            Kind::Text => "text",
        }
    }

    /// Whether an archived value fits a column of this kind (NULL is the database's to
    /// judge: it knows which columns may be empty).
    pub fn fits(self, v: &Value) -> bool {
        match (self, v) {
            (_, Value::Null) => true,
            (Kind::Timestamp, Value::String(s)) => timestamp(s).is_some(),
            (Kind::Date, Value::String(s)) => {
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
            }
            (Kind::Bool, Value::Bool(_)) => true,
            (Kind::Integer, Value::Number(n)) => n.is_i64(),
            (Kind::Text, Value::String(_)) => true,
            _ => false,
        }
    }
}

/// The table's columns in their defined order (empty when there is no such table).
pub fn of(conn: &mut DbConn, table: &str) -> Result<Vec<Column>, AppError> {
    let rows: Vec<Described> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            "SELECT name AS name, type AS ty FROM pragma_table_info(?) ORDER BY cid",
        )
        .bind::<Text, _>(table)
        .load(&mut **c)?,
        DbConn::Postgres(c) => diesel::sql_query(
            "SELECT column_name::text AS name, data_type::text AS ty \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 \
             ORDER BY ordinal_position",
        )
        .bind::<Text, _>(table)
        .load(&mut **c)?,
    };
    Ok(rows
        .into_iter()
        .map(|d| Column {
            kind: kind(&d.ty),
            name: d.name,
        })
        .collect())
}

/// Every table of the database (for the check that the archive misses none).
pub fn tables(conn: &mut DbConn) -> Result<Vec<String>, AppError> {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let rows: Vec<Name> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .load(&mut **c)?,
        DbConn::Postgres(c) => diesel::sql_query(
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             ORDER BY 1",
        )
        .load(&mut **c)?,
    };
    Ok(rows.into_iter().map(|n| n.name).collect())
}

const TIMESTAMP_IN: &[&str] = &["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"];

/// Puts one row read from either database into the archive's form, keeping only
/// `keep` columns.
pub fn normalise(row: Map<String, Value>, columns: &[&Column]) -> Map<String, Value> {
    let mut row = row;
    let mut out = Map::new();
    for c in columns {
        let v = row.remove(&c.name).unwrap_or(Value::Null);
        let v = match (c.kind, v) {
            (Kind::Timestamp, Value::String(s)) => Value::String(timestamp(&s).unwrap_or(s)),
            (Kind::Bool, Value::Number(n)) => Value::Bool(n.as_i64() != Some(0)),
            (_, v) => v,
        };
        out.insert(c.name.clone(), v);
    }
    out
}

/// `2026-12-03T09:30:00.5` or `2026-12-03 09:30:00.500000` as diesel writes it.
fn timestamp(s: &str) -> Option<String> {
    TIMESTAMP_IN.iter().find_map(|f| {
        chrono::NaiveDateTime::parse_from_str(s, f)
            .ok()
            .map(|t| t.format("%Y-%m-%d %H:%M:%S%.f").to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_take_one_form() {
        assert_eq!(
            timestamp("2026-12-03T09:30:00.5").as_deref(),
            Some("2026-12-03 09:30:00.500")
        );
        assert_eq!(
            timestamp("2026-12-03 09:30:00.123456").as_deref(),
            Some("2026-12-03 09:30:00.123456")
        );
        assert_eq!(
            timestamp("2026-12-03 09:30:00").as_deref(),
            Some("2026-12-03 09:30:00")
        );
        assert_eq!(timestamp("not a time"), None);
    }

    #[test]
    fn booleans_from_sqlite_become_true_and_false() {
        let cols = [
            Column {
                name: "active".into(),
                kind: Kind::Bool,
            },
            Column {
                name: "n".into(),
                kind: Kind::Integer,
            },
        ];
        let refs: Vec<&Column> = cols.iter().collect();
        assert!(Kind::Integer.fits(&serde_json::json!(7)));
        assert!(!Kind::Integer.fits(&serde_json::json!("kaksikymmentä")));
        assert!(!Kind::Timestamp.fits(&serde_json::json!("not a date")));
        assert!(!Kind::Timestamp.fits(&serde_json::json!(12345)));
        assert!(Kind::Date.fits(&serde_json::json!("2026-12-03")));
        assert!(Kind::Text.fits(&Value::Null));
        let row = serde_json::json!({"active": 0, "n": 1, "dropped": "x"});
        let out = normalise(row.as_object().cloned().unwrap(), &refs);
        assert_eq!(
            Value::Object(out),
            serde_json::json!({"active": false, "n": 1})
        );
    }
}
