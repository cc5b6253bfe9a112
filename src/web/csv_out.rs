//! CSV for spreadsheets. A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
//! return is a formula to Excel and LibreOffice (an employer named `=HYPERLINK(...)`
//! would run when the file is opened), so such cells get a leading apostrophe, which
//! the spreadsheet shows as text; so does one after a `;` or `,` inside a cell, where a
//! spreadsheet splitting on that character starts a cell. Plain numbers such as `-1.5`
//! stay numbers. Text cells are quoted.

use std::borrow::Cow;

use actix_web::HttpResponse;

use crate::error::AppError;

/// A character that makes a spreadsheet cell a formula when it comes first.
fn risky(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// The cell as a spreadsheet will take it literally. A spreadsheet that splits on the
/// other separator (Finnish Excel splits on `;`, others on `,`) starts a cell after each
/// of them too, so a risky character there gets the apostrophe as well.
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    if cell.replace(',', ".").parse::<f64>().is_ok() {
        return Cow::Borrowed(cell);
    }
    let mut out = String::with_capacity(cell.len() + 2);
    let mut starts_cell = true;
    for c in cell.chars() {
        if starts_cell && risky(c) {
            out.push('\'');
        }
        out.push(c);
        starts_cell = matches!(c, ';' | ',');
    }
    if out.len() == cell.len() {
        Cow::Borrowed(cell)
    } else {
        Cow::Owned(out)
    }
}

/// A CSV file built row by row, every cell made safe.
pub struct SafeCsv(csv::Writer<Vec<u8>>);

impl Default for SafeCsv {
    fn default() -> Self {
        Self(
            csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::NonNumeric)
                .from_writer(Vec::new()),
        )
    }
}

impl SafeCsv {
    pub fn row<I, S>(&mut self, cells: I) -> Result<(), AppError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.0
            .write_record(
                cells
                    .into_iter()
                    .map(|c| safe_cell(c.as_ref()).into_owned()),
            )
            .map_err(AppError::internal)
    }

    /// The file as a download.
    pub fn response(self, name: &str) -> Result<HttpResponse, AppError> {
        let body = self.0.into_inner().map_err(AppError::internal)?;
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
        let body = w.0.into_inner().unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            "\"Kauppa;'=cmd|' /C calc'!A0\",3,-1.5\n"
        );
    }

    #[test]
    fn formulas_become_text_and_numbers_stay() {
        for (cell, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+358 40 123", "'+358 40 123"),
            ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("-1.5", "-1.5"),
            ("-2,5", "-2,5"),
            ("Kauppa Oy", "Kauppa Oy"),
            ("x;=1+1", "x;'=1+1"),
            ("E x,-1;@A1", "E x,'-1;'@A1"),
            ("Kahvila, Oy; auki", "Kahvila, Oy; auki"),
            ("", ""),
        ] {
            assert_eq!(safe_cell(cell), want, "{cell}");
        }
    }
}
