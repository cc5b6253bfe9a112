//! A spreadsheet file as rows of text: the encoding recognised (UTF-8 with or without a
//! byte-order mark, UTF-16 from Excel's "Unicode text", else Windows-1252, which is what
//! Excel's "CSV (semicolon delimited)" writes in Finland), the delimiter found from the
//! header row, and each row numbered as the spreadsheet numbers it: a line break inside
//! quotes stays in its cell and does not start a row.

use serde::Serialize;

use crate::error::{AppError, FieldErrors, Msg};

crate::closed_set! {
    /// How the file's bytes were read.
    pub enum Encoding ("import_encoding") {
        Utf8 = "utf-8",
        Utf8Bom = "utf-8-bom",
        Utf16 = "utf-16",
        Windows1252 = "windows-1252",
    }
}

/// The most rows one file may have.
pub const MAX_ROWS: usize = 200_000;

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The row's number in a spreadsheet (the header is row 1).
    pub line: usize,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub encoding: Encoding,
    pub delimiter: char,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// The text of the file and how it was encoded.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (
            String::from_utf8_lossy(rest).into_owned(),
            Encoding::Utf8Bom,
        );
    }
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, _) = enc.decode(bytes);
        return (text.into_owned(), Encoding::Utf16);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), Encoding::Utf8),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), Encoding::Windows1252)
        }
    }
}

/// `;`, `,` or a tab, whichever the header row has most of (Finnish Excel: `;`).
fn delimiter(header: &str) -> u8 {
    [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| header.bytes().filter(|b| b == d).count())
        .filter(|d| header.bytes().any(|b| b == *d))
        .unwrap_or(b',')
}

/// Byte offsets where a new spreadsheet row starts: after each line break that is not
/// inside quotes (`\r\n`, `\n` or a lone `\r`).
fn row_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut quoted = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b'\r' if !quoted => {
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                starts.push(i + 1);
            }
            b'\n' if !quoted => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

fn file_error(msg: Msg) -> AppError {
    AppError::Validation(FieldErrors::single("file", msg))
}

/// Reads a whole file; a file that is not text, has no header row, or has more rows than
/// [`MAX_ROWS`] is refused whole.
pub fn read(bytes: &[u8]) -> Result<Table, AppError> {
    // An Excel workbook (.xlsx is a zip, .xls an OLE file) chosen instead of its CSV.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(file_error(Msg::new("error.import.workbook")));
    }
    let (text, encoding) = decode(bytes);
    if let Some(c) = crate::domain::validate::forbidden_char(&text) {
        let at = text.find(c).unwrap_or(0);
        let line = row_starts(&text[..at]).len();
        return Err(file_error(
            Msg::new("error.import.control_char")
                .arg("line", line)
                .arg("code", format!("U+{:04X}", c as u32)),
        ));
    }
    let header_line = text.lines().next().unwrap_or_default();
    let delim = delimiter(header_line);
    let starts = row_starts(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e
                .position()
                .map(|p| starts.partition_point(|s| *s <= p.byte() as usize))
                .unwrap_or(1);
            file_error(Msg::new("error.import.unreadable").arg("line", line))
        })?;
        // The reader's position may still be on the line break before the record.
        let mut byte = record.position().map(|p| p.byte() as usize).unwrap_or(0);
        while matches!(text.as_bytes().get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        let line = starts.partition_point(|s| *s <= byte);
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        match headers {
            None => headers = Some(cells.iter().map(|h| h.trim().to_string()).collect()),
            Some(_) => {
                if cells.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                if rows.len() == MAX_ROWS {
                    return Err(file_error(
                        Msg::new("error.import.too_many_rows").arg("max", MAX_ROWS),
                    ));
                }
                rows.push(Row { line, cells });
            }
        }
    }
    let headers = headers.ok_or_else(|| file_error(Msg::new("error.import.empty")))?;
    Ok(Table {
        encoding,
        delimiter: delim as char,
        headers,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_semicolon_csv_in_windows_1252() {
        let bytes = b"Nimi;Kunta\r\nK\xe4rkk\xe4inen;\xc5bo\r\n\"Kaksi\r\nrivi\xe4\";Tampere\r\n\r\nViimeinen;Nokia\r\n";
        let t = read(bytes).unwrap();
        assert_eq!(t.encoding, Encoding::Windows1252);
        assert_eq!(t.delimiter, ';');
        assert_eq!(t.headers, vec!["Nimi", "Kunta"]);
        let rows: Vec<(usize, Vec<&str>)> = t
            .rows
            .iter()
            .map(|r| (r.line, r.cells.iter().map(String::as_str).collect()))
            .collect();
        // Row 4 is the blank one a spreadsheet shows; the quoted break stays in row 3.
        assert_eq!(
            rows,
            vec![
                (2, vec!["Kärkkäinen", "Åbo"]),
                (3, vec!["Kaksi\r\nriviä", "Tampere"]),
                (5, vec!["Viimeinen", "Nokia"]),
            ]
        );
    }

    #[test]
    fn utf8_with_and_without_bom_and_utf16() {
        let t = read("\u{feff}a,b\n1,2".as_bytes()).unwrap();
        assert_eq!((t.encoding, t.delimiter), (Encoding::Utf8Bom, ','));
        assert_eq!(t.headers, vec!["a", "b"]);
        let t = read("a\tb\nä\tö\n".as_bytes()).unwrap();
        assert_eq!((t.encoding, t.delimiter), (Encoding::Utf8, '\t'));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "nimi\tkunta\r\nÄssä\tOulu\r\n".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        let t = read(&utf16).unwrap();
        assert_eq!(t.encoding, Encoding::Utf16);
        assert_eq!(t.rows[0].cells, vec!["Ässä", "Oulu"]);
    }

    #[test]
    fn lone_cr_line_ends_and_a_control_character_name_their_row() {
        let t = read(b"a;b\r1;2\r3;4").unwrap();
        assert_eq!(
            t.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![2, 3]
        );
        let e = read(b"a;b\r\n1;2\r\n3\x00;4\r\n").unwrap_err();
        let AppError::Validation(f) = e else {
            panic!("{e:?}")
        };
        assert_eq!(f.0["file"][0].key, "error.import.control_char");
        assert_eq!(f.0["file"][0].args[0].1, "3");
    }
}
