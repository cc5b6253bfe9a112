//! CSV for spreadsheets. A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
//! return is a formula to Excel and LibreOffice (an employer named `=HYPERLINK(...)`
//! would run when the file is opened), so such cells get a leading apostrophe, which
//! the spreadsheet shows as text; so does one after a `;` or `,` inside a cell, where a
//! spreadsheet splitting on that character starts a cell. Plain numbers such as `-1.5`
//! stay numbers. Text cells are quoted.

use actix_web::HttpResponse;

use crate::domain::spreadsheet::safe_cell;
use crate::error::AppError;

/// A CSV file built row by row, every cell made safe.
pub struct SafeCsv {
    w: csv::Writer<Vec<u8>>,
    /// A UTF-8 byte-order mark first: how Excel knows the file is UTF-8.
    bom: bool,
}

impl Default for SafeCsv {
    fn default() -> Self {
        Self {
            w: csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::NonNumeric)
                .from_writer(Vec::new()),
            bom: false,
        }
    }
}

impl SafeCsv {
    /// As Excel's "CSV (semicolon delimited)" in Finland: semicolons, CRLF and a BOM, so
    /// a double-click opens it in columns with ä and ö intact.
    pub fn spreadsheet() -> Self {
        Self {
            w: csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::NonNumeric)
                .delimiter(b';')
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new()),
            bom: true,
        }
    }
}

impl SafeCsv {
    pub fn row<I, S>(&mut self, cells: I) -> Result<(), AppError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.w
            .write_record(
                cells
                    .into_iter()
                    .map(|c| safe_cell(c.as_ref()).into_owned()),
            )
            .map_err(AppError::internal)
    }

    /// The file as a download.
    pub fn response(self, name: &str) -> Result<HttpResponse, AppError> {
        let mut body = if self.bom {
            "\u{feff}".as_bytes().to_vec()
        } else {
            Vec::new()
        };
        body.extend(self.w.into_inner().map_err(AppError::internal)?);
        Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"{name}\""),
            ))
            .insert_header(("Cache-Control", "no-store"))
            .body(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cells_are_quoted_so_semicolons_cannot_split_them() {
        let mut w = SafeCsv::default();
        w.row(["Kauppa;=cmd|' /C calc'!A0", "3", "-1.5"]).unwrap();
        let body = w.w.into_inner().unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            "\"Kauppa;'=cmd|' /C calc'!A0\",3,-1.5\n"
        );
    }

    #[test]
    fn the_spreadsheet_form_has_a_bom_semicolons_and_crlf() {
        let mut w = SafeCsv::spreadsheet();
        w.row(["Nimi", "Kunta"]).unwrap();
        w.row(["Kukkakauppa Kärkkäinen", "=1"]).unwrap();
        let body = w.w.into_inner().unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            "\"Nimi\";\"Kunta\"\r\n\"Kukkakauppa Kärkkäinen\";\"'=1\"\r\n"
        );
    }
}
