//! aidledger: monitoring of foreign non-governmental aid for a Vietnamese province, with an
//! exact multi-currency ledger and the official aid-mobilisation report.
//!
//! Read it in this order:
//! - [`domain`]: money as integer minor units, currencies, exchange rates and conversion,
//!   largest-remainder allocation, the records' vocabularies and the permission matrix. Pure.
//! - [`db`]: the only SQL; one [`db::Store`] over SQLite (embedded default) or PostgreSQL.
//! - [`actions`]: one function per use case: permission, one transaction, audit entry.
//! - [`rollup`]: exact sums by dimension for reports and dashboards.
//! - [`export`]: files to take away, written row by row (the full transaction CSV, IATI XML).
//! - [`web`]: the HTTP surface, built by [`build`] so tests run the very same application.
//! - [`demo`]: the deterministic demo data set of one province.
//! - [`import`]: reading files people already hold (IATI activity XML, checked against the
//!   official schema before anything in it is read).
//! - [`interchange`]: the spreadsheet templates (CSV, XLSX) written and read back, with the
//!   import preview.
//! - [`cli`]: the `aidledger` command line.

pub mod actions;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod export;
pub mod import;
pub mod interchange;
pub mod reports;
pub mod rollup;
pub mod web;

/// mimalloc serves every allocation of every binary linked with the library: Rust's through
/// this declaration, and SQLite's and the C library's through the crate's `override` feature.
/// glibc's allocator was a quarter of a large import's instructions, much of it freeing on one
/// thread what another allocated; with mimalloc an import runs a tenth fewer instructions
/// (callgrind, BENCHMARKS.md "Transaction import").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub use config::Config;
pub use db::Store;

/// Builds the web application over `store`; the caller launches it (or a test client does).
#[must_use]
pub fn build(config: Config, store: Store) -> rocket::Rocket<rocket::Build> {
    web::mount(rocket::build(), actions::Ctx { store, config })
}
