//! Spreadsheet cells: what a spreadsheet would run as a formula is written as text (a
//! leading apostrophe), and read back as it was. A cell that begins with `=`, `+`, `-`,
//! `@`, a tab or a carriage return is a formula to Excel and LibreOffice (an employer
//! named `=HYPERLINK(...)` would run when the file is opened); so is one after a `;` or
//! `,` inside a cell, where a spreadsheet splitting on that character starts a cell.
//! Plain numbers such as `-1.5` stay numbers.

use std::borrow::Cow;

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

/// A cell written by `safe_cell`, as it was: the apostrophes it added are taken out, so
/// an export imports back unchanged.
pub fn restore_cell(cell: &str) -> Cow<'_, str> {
    if !cell.contains('\'') {
        return Cow::Borrowed(cell);
    }
    let chars: Vec<char> = cell.chars().collect();
    let mut out = String::with_capacity(cell.len());
    let mut starts_cell = true;
    for (i, &c) in chars.iter().enumerate() {
        let added = c == '\'' && starts_cell && chars.get(i + 1).is_some_and(|n| risky(*n));
        if !added {
            out.push(c);
        }
        starts_cell = !added && matches!(c, ';' | ',');
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_safe_cell_reads_back_as_it_was() {
        for cell in [
            "=HYPERLINK(\"http://x\")",
            "+358 40 123",
            "x;=1+1",
            "E x,-1;@A1",
            "Kahvila, Oy; auki",
            "O'Brien's Pub",
            "-1.5",
            "",
        ] {
            assert_eq!(restore_cell(&safe_cell(cell)), cell, "{cell}");
        }
    }
}
