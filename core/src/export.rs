//! Exports: activities, sites, the inventory ledger and the report as tables with Russian
//! headings. This crate writes a table as CSV and sites as GeoJSON; the server writes the same
//! tables as XLSX. Large exports travel row by row, and [`progress`] counts the rows a
//! download has received.

pub mod csv;
pub mod geojson;
pub mod progress;
pub mod tables;

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use crate::access::{DistrictId, Owner};
use crate::date::Date;
use crate::id::RecordId;
use crate::reference::{District, owners};

/// What can be exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dataset {
    /// Activities of a period.
    Activities,
    /// Sites, with the work of a period at each.
    Sites,
    /// The inventory's movements of a period.
    Ledger,
    /// The report's figures of a period, with their breakdowns.
    Report,
}

/// A file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// RFC 4180 with a BOM.
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// RFC 7946, one feature per line.
    GeoJson,
}

impl Dataset {
    /// Every dataset, in the order a person is offered them.
    pub const ALL: [Dataset; 4] = [
        Dataset::Activities,
        Dataset::Sites,
        Dataset::Ledger,
        Dataset::Report,
    ];

    /// Its name in a file name and an address.
    pub fn key(self) -> &'static str {
        match self {
            Dataset::Activities => "activities",
            Dataset::Sites => "sites",
            Dataset::Ledger => "ledger",
            Dataset::Report => "report",
        }
    }

    /// The formats it can be written in.
    pub fn formats(self) -> &'static [Format] {
        match self {
            Dataset::Activities | Dataset::Ledger => &[Format::Xlsx, Format::Csv],
            Dataset::Sites => &[Format::Xlsx, Format::Csv, Format::GeoJson],
            Dataset::Report => &[Format::Xlsx],
        }
    }
}

impl Format {
    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::GeoJson => "geojson",
        }
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::GeoJson => "application/geo+json",
        }
    }

    /// Whether its file is written row by row, so a download can count its rows as they
    /// come; an XLSX file is whole only at its end and is counted in bytes.
    pub fn streams(self) -> bool {
        !matches!(self, Format::Xlsx)
    }
}

/// A file to export: a dataset in a format, named `dataset.extension`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExportFile {
    /// What it holds.
    pub dataset: Dataset,
    /// How it is written.
    pub format: Format,
}

impl ExportFile {
    /// The name a download of the period `from`–`to` is saved under:
    /// `activities-2025-01-01-2025-12-31.xlsx`.
    pub fn file_name(self, from: Date, to: Date) -> String {
        format!(
            "{}-{from}-{to}.{}",
            self.dataset.key(),
            self.format.extension()
        )
    }
}

impl fmt::Display for ExportFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.dataset.key(), self.format.extension())
    }
}

impl FromStr for ExportFile {
    type Err = ();

    /// `activities.csv`, `sites.geojson`…: only the formats the dataset has.
    fn from_str(name: &str) -> Result<Self, ()> {
        let (dataset, extension) = name.split_once('.').ok_or(())?;
        let dataset = Dataset::ALL
            .into_iter()
            .find(|d| d.key() == dataset)
            .ok_or(())?;
        let format = dataset
            .formats()
            .iter()
            .copied()
            .find(|f| f.extension() == extension)
            .ok_or(())?;
        Ok(ExportFile { dataset, format })
    }
}

/// One value of a table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A number with a fraction (a coordinate).
    Real(f64),
    /// A day.
    Date(Date),
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_owned())
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Self {
        value.map_or(Cell::Empty, Into::into)
    }
}

impl From<Date> for Cell {
    fn from(date: Date) -> Self {
        Cell::Date(date)
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Self {
        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Int(n)
    }
}

/// A table: a sheet of a workbook, or a whole CSV file.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The sheet's name.
    pub name: String,
    /// The column headings.
    pub headings: Vec<String>,
    /// The rows, each as long as the headings.
    pub rows: Vec<Vec<Cell>>,
}

/// The names an export writes instead of ids. Anything missing is written as unknown rather
/// than failing the export.
#[derive(Clone, Debug, Default)]
pub struct Names {
    /// Committees and centres.
    pub owners: HashMap<Owner, String>,
    /// Which district each committee and centre lies in.
    pub owner_district: HashMap<Owner, DistrictId>,
    /// Districts.
    pub districts: HashMap<DistrictId, String>,
    /// Sites by id.
    pub sites: HashMap<RecordId, String>,
    /// Inventory items by id.
    pub items: HashMap<RecordId, String>,
}

impl Names {
    /// The names of the city's districts, committees and centres.
    pub fn of_city(districts: &[District]) -> Names {
        let entries = owners(districts);
        Names {
            owner_district: entries
                .iter()
                .map(|e| (e.owner, e.place.district))
                .collect(),
            owners: entries.into_iter().map(|e| (e.owner, e.name)).collect(),
            districts: districts.iter().map(|d| (d.id, d.name.clone())).collect(),
            ..Names::default()
        }
    }
}
