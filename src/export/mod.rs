//! Files for people to take away: the full transaction export as CSV ([`transactions`]) and
//! aid items as IATI 2.03 activity XML ([`iati`]).
//! Writers here turn rows the database already selected into bytes; they choose no rows,
//! check no permission and hold no more than one row at a time.

pub mod iati;
pub mod transactions;

use crate::error::Error;

/// The UTF-8 byte order mark: without it Excel reads a CSV file in the machine's legacy code
/// page and mangles Vietnamese text.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A failure to write the output (a full disk, a closed pipe): the export stops and says so.
pub(crate) fn write_error(e: impl std::fmt::Display) -> Error {
    Error::config(format!("cannot write the export: {e}"))
}
