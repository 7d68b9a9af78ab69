//! Bringing data in from the files people already hold: the IATI activity XML schema check
//! and safe reader ([`iati`]) and IATI activities read into plain records ([`activities`]);
//! the spreadsheet readers and the mapping of imported records to the same typed commands the
//! forms produce live here too. Nothing here writes to the database: imports go through
//! `actions` like every other change.

pub mod activities;
pub mod iati;
