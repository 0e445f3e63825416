//! Tables as CSV: RFC 4180, CRLF line ends, and a BOM so spreadsheet programs read UTF-8.

use super::{Cell, Table};

/// Opens every CSV file: the byte order mark.
pub const BOM: &str = "\u{feff}";

/// One row as a CSV line, its line end included. A value with a comma, a quote or a line
/// break is quoted, its quotes doubled.
pub fn line<'a>(cells: impl IntoIterator<Item = &'a Cell>) -> String {
    let mut line = String::new();
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let text = match cell {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
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
}
