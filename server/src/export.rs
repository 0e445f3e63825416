//! Writing exports: records turned into rows by `dvor_core::export::tables`, written as CSV or
//! GeoJSON chunk by chunk while they are read, or as an XLSX workbook on a blocking thread.

use std::collections::HashMap;

use axum::body::Body;
use dvor_core::export::csv;
use dvor_core::export::geojson::{self, CLOSING, OPENING, feature_line};
use dvor_core::export::tables::{
    activity_headings, activity_row, ledger_headings, ledger_row, site_headings, site_row,
};
use dvor_core::export::{Cell, Dataset, Format, Names, Table};
use dvor_core::i18n::Strings;
use dvor_core::id::RecordId;
use dvor_core::inventory::ledger::Movement;
use dvor_core::map::sites::SiteSummary;
use dvor_core::record::Envelope;
use dvor_core::site::Site;
use dvor_core::{activity::Activity, date::Date};
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook, Worksheet, XlsxError};

use crate::db::DbError;
use crate::db::export::RecordFeed;

/// What a streamed response gathers before sending it on.
const CHUNK: usize = 64 * 1024;

/// Failures while writing an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the records failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The workbook could not be written.
    #[error("cannot write the workbook: {0}")]
    Xlsx(#[from] XlsxError),
    /// The writing thread ended without an answer.
    #[error("the export's writer stopped: {0}")]
    Writer(#[from] tokio::task::JoinError),
}

/// The datasets read record by record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Records {
    /// Activities.
    Activities,
    /// Sites.
    Sites,
    /// The inventory's movements.
    Ledger,
}

impl Records {
    fn dataset(self) -> Dataset {
        match self {
            Records::Activities => Dataset::Activities,
            Records::Sites => Dataset::Sites,
            Records::Ledger => Dataset::Ledger,
        }
    }
}

/// How a dataset's records become rows and features.
pub struct Shape {
    /// What the records are.
    pub records: Records,
    /// The names written instead of ids.
    pub names: Names,
    /// The work of the period at each site (for sites).
    pub work: HashMap<RecordId, SiteSummary>,
    /// The language of the headings.
    pub t: &'static Strings,
}

impl Shape {
    fn headings(&self) -> Vec<String> {
        match self.records {
            Records::Activities => activity_headings(self.t),
            Records::Sites => site_headings(self.t),
            Records::Ledger => ledger_headings(self.t),
        }
    }

    /// The record's row, or none for a record that does not read as the dataset's kind.
    fn row(&self, record: &Envelope) -> Option<Vec<Cell>> {
        let (names, t) = (&self.names, self.t);
        match self.records {
            Records::Activities => {
                Activity::from_stored(record).map(|a| activity_row(&a, names, t))
            }
            Records::Sites => {
                Site::from_stored(record).map(|s| site_row(&s, self.work.get(&s.id), names, t))
            }
            Records::Ledger => Movement::from_stored(record).map(|m| ledger_row(&m, names, t)),
        }
    }

    fn feature(&self, record: &Envelope) -> Option<String> {
        Site::from_stored(record).map(|s| geojson::feature(&s, self.work.get(&s.id), &self.names))
    }
}

/// A CSV or GeoJSON file written while its records are read. A failure of the reading cuts
/// the response short, so the download fails rather than ending as if whole.
pub fn streamed(feed: RecordFeed, shape: Shape, format: Format) -> Body {
    let lines = Lines {
        feed,
        shape,
        format,
        written: 0,
        opened: false,
        done: false,
    };
    // Fused: a reader may poll again after the end (the compression layer does), and `unfold`
    // panics if asked twice for nothing.
    let stream = futures_util::stream::unfold(lines, |mut lines| async move {
        if lines.done {
            return None;
        }
        let chunk = lines.next_chunk().await;
        if chunk.is_err() {
            lines.done = true;
        }
        Some((chunk, lines))
    });
    Body::from_stream(futures_util::StreamExt::fuse(stream))
}

struct Lines {
    feed: RecordFeed,
    shape: Shape,
    format: Format,
    written: u64,
    opened: bool,
    done: bool,
}

impl Lines {
    async fn next_chunk(&mut self) -> Result<String, ExportError> {
        let mut chunk = String::with_capacity(CHUNK + 1024);
        if !self.opened {
            self.opened = true;
            if self.format == Format::GeoJson {
                chunk.push_str(OPENING);
            } else {
                chunk.push_str(csv::BOM);
                chunk.push_str(&csv::headings(&self.shape.headings()));
            }
        }
        while chunk.len() < CHUNK {
            let Some(record) = self.feed.records.recv().await else {
                self.done = true;
                if self.format == Format::GeoJson {
                    chunk.push_str(CLOSING);
                }
                break;
            };
            let record = record?;
            let line = if self.format == Format::GeoJson {
                self.shape
                    .feature(&record)
                    .map(|feature| feature_line(self.written, &feature))
            } else {
                self.shape.row(&record).map(|row| csv::line(&row))
            };
            match line {
                Some(line) => {
                    chunk.push_str(&line);
                    self.written += 1;
                }
                None => left_out(&record),
            }
        }
        Ok(chunk)
    }
}

/// Logs a stored record that does not read as its kind, which an export leaves out.
fn left_out(record: &Envelope) {
    tracing::warn!(id = %record.id, "a record left out of an export: it does not read");
}

/// The records of `feed` as a one-sheet workbook, written as they are read.
pub async fn workbook_of_feed(feed: RecordFeed, shape: Shape) -> Result<Vec<u8>, ExportError> {
    let RecordFeed { mut records, .. } = feed;
    tokio::task::spawn_blocking(move || {
        let mut workbook = Workbook::new();
        let name = (shape.t.common.export_dataset)(shape.records.dataset());
        let rows = std::iter::from_fn(|| {
            loop {
                match records.blocking_recv()? {
                    Ok(record) => {
                        if let Some(row) = shape.row(&record) {
                            return Some(Ok(row));
                        }
                        left_out(&record);
                    }
                    Err(error) => return Some(Err(ExportError::from(error))),
                }
            }
        });
        write_sheet(&mut workbook, name, &shape.headings(), rows)?;
        Ok(workbook.save_to_buffer()?)
    })
    .await?
}

/// `tables` as a workbook, a sheet each.
pub async fn workbook_of_tables(tables: Vec<Table>) -> Result<Vec<u8>, ExportError> {
    tokio::task::spawn_blocking(move || {
        let mut workbook = Workbook::new();
        for table in tables {
            let rows = table.rows.into_iter().map(Ok);
            write_sheet(&mut workbook, &table.name, &table.headings, rows)?;
        }
        Ok(workbook.save_to_buffer()?)
    })
    .await?
}

/// Adds a sheet of bold, frozen, filterable headings and `rows`, written in order so the
/// workbook keeps only the current row in memory.
fn write_sheet(
    workbook: &mut Workbook,
    name: &str,
    headings: &[String],
    rows: impl Iterator<Item = Result<Vec<Cell>, ExportError>>,
) -> Result<(), ExportError> {
    let bold = CellFormat::new().set_bold().set_text_wrap();
    let day = CellFormat::new().set_num_format("dd.mm.yyyy");
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(name)?;
    for (column, heading) in (0u16..).zip(headings) {
        sheet.write_string_with_format(0, column, heading, &bold)?;
        let width = heading.chars().count().clamp(10, 30);
        sheet.set_column_width(column, u16::try_from(width).unwrap_or(30))?;
    }
    let mut last = 0u32;
    for (row, cells) in (1u32..).zip(rows) {
        for (column, cell) in (0u16..).zip(cells?) {
            write_cell(sheet, row, column, cell, &day)?;
        }
        last = row;
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_column = u16::try_from(headings.len().saturating_sub(1)).unwrap_or(u16::MAX);
    sheet.autofilter(0, 0, last, last_column)?;
    Ok(())
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    cell: Cell,
    day: &CellFormat,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(text) => {
            sheet.write_string(row, column, text)?;
        }
        // Counts stay far below 2^53, where an Excel number is exact.
        #[allow(clippy::cast_precision_loss)]
        Cell::Int(n) => {
            sheet.write_number(row, column, n as f64)?;
        }
        Cell::Real(x) => {
            sheet.write_number(row, column, x)?;
        }
        Cell::Date(date) => {
            sheet.write_datetime_with_format(row, column, excel_date(date)?, day)?;
        }
    }
    Ok(())
}

fn excel_date(date: Date) -> Result<ExcelDateTime, XlsxError> {
    let part = |n: u32| u8::try_from(n).unwrap_or(u8::MAX);
    ExcelDateTime::from_ymd(
        u16::try_from(date.year()).unwrap_or(u16::MAX),
        part(date.month()),
        part(date.day()),
    )
}
