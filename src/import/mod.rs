//! What comes into the ledger from files people already hold: IATI activity XML read into
//! plain records ([`activities`]), before it is matched and applied.

pub mod activities;
