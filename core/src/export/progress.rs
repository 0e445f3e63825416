//! Counting the rows of a download as its bytes arrive, in chunks cut anywhere, so the screen
//! can say how much of an export has come.

use super::Format;

/// Counts the rows ended so far in a CSV or GeoJSON download.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowCounter {
    lines: bool,
    quoted: bool,
    rows: u64,
}

impl RowCounter {
    /// A counter for a download in `format`, or none when the format is not written row by
    /// row.
    pub fn for_format(format: Format) -> Option<RowCounter> {
        format.streams().then_some(RowCounter {
            lines: format == Format::GeoJson,
            ..RowCounter::default()
        })
    }

    /// Reads the next chunk. A CSV row ends at a line feed outside quotes (a quote inside a
    /// value is doubled, so quotes toggle in pairs); GeoJSON puts each feature on its own line
    /// and JSON escapes every line feed inside a string.
    pub fn feed(&mut self, chunk: &[u8]) {
        for &byte in chunk {
            match byte {
                b'"' if !self.lines => self.quoted = !self.quoted,
                b'\n' if !self.quoted => self.rows += 1,
                _ => {}
            }
        }
    }

    /// Rows received so far: the lines ended, less the first (the headings, or the
    /// collection's opening).
    pub fn rows(&self) -> u64 {
        self.rows.saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::export::csv::line;
    use crate::export::geojson::collection_lines;
    use crate::export::{Cell, Format};

    fn text() -> impl Strategy<Value = String> {
        prop::string::string_regex("[a-zА-я ,\"\r\n{}\\\\]{0,12}").expect("a pattern")
    }

    fn cut(bytes: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
        let mut points: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
        points.sort_unstable();
        let mut chunks = Vec::new();
        let mut start = 0;
        for point in points.into_iter().chain([bytes.len()]) {
            chunks.push(bytes[start..point].to_vec());
            start = point;
        }
        chunks
    }

    proptest! {
        #[test]
        fn a_csv_download_counts_every_row_however_it_is_cut(
            rows in prop::collection::vec(prop::collection::vec(text(), 1..4), 0..20),
            cuts in prop::collection::vec(any::<usize>(), 0..8),
        ) {
            let mut csv = String::from("Заголовок\r\n");
            for row in &rows {
                let cells: Vec<Cell> = row.iter().map(|t| Cell::Text(t.clone())).collect();
                csv.push_str(&line(&cells));
            }
            let mut counter = RowCounter::for_format(Format::Csv).expect("CSV streams");
            for chunk in cut(csv.as_bytes(), &cuts) {
                counter.feed(&chunk);
            }
            prop_assert_eq!(counter.rows(), rows.len() as u64);
        }

        #[test]
        fn a_geojson_download_counts_every_feature(
            names in prop::collection::vec(text(), 0..20),
            cuts in prop::collection::vec(any::<usize>(), 0..8),
        ) {
            let features: Vec<String> = names
                .iter()
                .map(|n| serde_json::json!({"type": "Feature", "properties": {"name": n}}).to_string())
                .collect();
            let file: String = collection_lines(features.iter().cloned()).collect();
            let mut counter = RowCounter::for_format(Format::GeoJson).expect("GeoJSON streams");
            for chunk in cut(file.as_bytes(), &cuts) {
                counter.feed(&chunk);
            }
            prop_assert_eq!(counter.rows(), names.len() as u64);
            let parsed: serde_json::Value = serde_json::from_str(&file).expect("valid JSON");
            prop_assert_eq!(parsed["features"].as_array().map(Vec::len), Some(names.len()));
        }
    }

    #[test]
    fn an_xlsx_download_is_not_counted_by_rows() {
        assert_eq!(RowCounter::for_format(Format::Xlsx), None);
    }
}
