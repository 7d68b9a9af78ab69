//! The integration suite: one binary, real databases, the real HTTP stack.
//!
//! Every test gets a fresh database. By default that is a SQLite file in a temporary folder;
//! with `AIDLEDGER_TEST_PG_URL` set (as `.ci/run` does) every test runs on PostgreSQL instead,
//! each in its own schema, and the cross-backend comparisons run too.
#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

mod activities;
mod api;
mod audit_filters;
mod auth;
mod cli;
mod cli_export;
mod cli_import;
mod conversion;
mod cross_backend;
mod evidence;
mod evidence_lists;
mod fuzz_bodies;
mod hardening_auth;
mod hardening_faults;
mod hardening_input;
mod hardening_storage;
mod health;
mod iati_budgets;
mod iati_export;
mod iati_import;
mod iati_import_hand;
mod iati_schema;
mod iati_schema_edges;
mod mobilisation_report;
mod pages;
mod pages_dash;
mod pages_forms;
mod pages_items;
mod pages_lang;
mod pages_lists;
mod pages_mobilisation;
mod pages_overdue;
mod pages_pager;
mod pages_periods;
mod pages_portal;
mod pages_review;
mod periods;
mod properties;
mod report_figures;
mod report_issue;
mod report_milestones;
mod reports;
mod review;
mod schema;
mod scope;
mod sheets_bulk;
mod sheets_export;
mod sheets_import;
mod web_imports;
mod web_imports_pages;
