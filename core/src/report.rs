//! The city's annual report from records. Each figure is declared once ([`figures::FIGURES`]):
//! which activities it takes and what it counts. The server's SQL groups activities into
//! [`tally::TallyRow`]s (a device does the same with what it holds, offline); the figures, their
//! breakdowns by place and the trend by month are computed from those rows here, so every side
//! shows the same numbers.

pub mod figures;
pub mod tally;
pub mod totals;
