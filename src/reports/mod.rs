//! The official aid-mobilisation report ("báo cáo kết quả công tác vận động, quản lý viện trợ
//! PCPNN") as a PDF, in Vietnamese or English. [`model`] is the document the ledger code
//! assembles (already in the report's language, amounts already formatted); [`labels`] holds the
//! fixed wording of both languages, read from `reports/labels.*.toml`; [`pdf::render`] draws the
//! document. Rendering is pure and deterministic: no database, no clock, no randomness.

mod appendices;
pub mod document;
pub mod labels;
pub mod model;
mod narrative;
pub mod pdf;
pub mod xlsx;

#[cfg(test)]
mod sample;

pub use labels::Labels;
pub use model::{
    Align, BarChart, Block, Column, Header, ReportDocument, Section, Signature, Table,
};
pub use pdf::{RenderError, render};
