//! Spreadsheet round-trip: the templates (one per record type), writing them as CSV or XLSX,
//! and reading them back. This module knows cells and headers, never SQL: the rows it writes
//! are built by [`rows`] from what `db::interchange` reads, and what it reads goes to
//! `actions::sheets`, which checks each row with the same validators as the forms.
//!
//! Every text cell is written through [`crate::domain::cell::guard`] and read back through
//! [`crate::domain::cell::unguard`], so exported text never runs as a formula and an
//! exported file imports back to exactly the same text.

pub mod cells;
pub mod preview;
pub mod read;
pub mod rows;
pub mod template;
pub mod write;

pub use template::{Column, RecordType};

/// One record type's rows, each cell as plain text in template column order (unguarded:
/// the writers guard them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub record: RecordType,
    pub rows: Vec<Vec<String>>,
}

/// The two spreadsheet formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SheetFormat {
    Csv,
    Xlsx,
}
