//! The employer register as a download: every employer a list query finds (its filters,
//! no pages), in the columns the employer import reads back.

use crate::db::DbConn;
use crate::domain::employers::list::{list, Cursor, ListQuery};
use crate::domain::employers::Employer;
use crate::domain::imports::mapping::Field;
use crate::domain::reference::MUNICIPALITIES;
use crate::domain::users::Actor;
use crate::error::AppError;
use crate::i18n::{self, Lang};

/// The columns, in order: the employer import's fields, headed by their import labels,
/// so the import maps them back.
pub use crate::domain::imports::employers::FIELDS as COLUMNS;

/// Every employer `q` finds, in its order.
pub fn all(conn: &mut DbConn, actor: &Actor, mut q: ListQuery) -> Result<Vec<Employer>, AppError> {
    q.limit = 1000;
    q.cursor = None;
    let mut out = Vec::new();
    loop {
        let page = list(conn, actor, &q)?;
        out.extend(page.items);
        match page.next.as_deref().and_then(Cursor::decode) {
            Some(c) => q.cursor = Some(c),
            None => return Ok(out),
        }
    }
}

/// The header row in the reader's language.
pub fn header(lang: Lang) -> Vec<String> {
    COLUMNS
        .iter()
        .map(|f| i18n::t(lang, &format!("import_field.{}", f.as_str())))
        .collect()
}

/// One employer's cells, as the header names them (a municipality by its name).
pub fn cells(e: &Employer, lang: Lang) -> Vec<String> {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    COLUMNS
        .iter()
        .map(|f| match f {
            Field::Name => e.name.clone(),
            Field::BusinessId => o(&e.business_id),
            Field::Municipality => e
                .municipality_code
                .as_deref()
                .and_then(|c| MUNICIPALITIES.get(c))
                .map(|m| m.name(lang).to_string())
                .unwrap_or_default(),
            Field::StreetAddress => o(&e.street_address),
            Field::PostalCode => o(&e.postal_code),
            Field::Industry => e.industry.map(|i| i.to_string()).unwrap_or_default(),
            Field::Website => o(&e.website),
            Field::Description => o(&e.description),
            Field::Tags => e.tags.join(", "),
            // Not an employer import column.
            _ => String::new(),
        })
        .collect()
}
