//! What leaves the ledger as files for other systems: IATI activity XML.

pub mod iati;
