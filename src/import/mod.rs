//! Bringing data in from the files people already hold: for now the IATI activity XML checks
//! ([`iati`]); the spreadsheet readers and the mapping of imported records to the same typed
//! commands the forms produce will live here too. Nothing here writes to the database: imports
//! go through `actions` like every other change.

pub mod iati;
