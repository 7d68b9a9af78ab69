//! An import's preview as it is stored (JSON in the `imports` row) and read back for the
//! pages and the API. It mirrors [`Preview`] with owned text, so a stored preview reads back
//! whatever version of the importer wrote it: fields added later default when absent, and
//! fields this version does not name are kept as they are (the API passes them on).

use crate::error::{Error, Result};
use crate::interchange::preview::Preview;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    New,
    Changed,
    Unchanged,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellChange {
    pub column: String,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub column: Option<String>,
    /// The problem's stable code (the action's error code, or the import's own); empty in
    /// previews written before problems had codes.
    #[serde(default)]
    pub code: String,
    pub value: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowResult {
    pub source: String,
    pub line: u64,
    /// The record type's key (`disbursements`, `items`, ...).
    pub record: String,
    pub key: String,
    pub outcome: RowOutcome,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<CellChange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<RowProblem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredPreview {
    pub file: String,
    pub sha256: String,
    pub applied: bool,
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub errors: u64,
    #[serde(default)]
    pub rows: Vec<RowResult>,
    /// Rows counted but not listed (a large file's preview lists the first of each kind).
    #[serde(default)]
    pub unlisted: u64,
    /// Whatever else the importer said about the file.
    #[serde(flatten)]
    pub more: Map<String, Value>,
}

impl StoredPreview {
    /// The preview of a run, named by the file name the user sent.
    pub fn of(p: &Preview, file: &str) -> Result<StoredPreview> {
        let value = serde_json::to_value(p).map_err(|e| Error::Internal(e.to_string()))?;
        let mut out: StoredPreview =
            serde_json::from_value(value).map_err(|e| Error::Internal(e.to_string()))?;
        file.clone_into(&mut out.file);
        Ok(out)
    }

    pub fn parse(json: &str) -> Result<StoredPreview> {
        serde_json::from_str(json)
            .map_err(|e| Error::Internal(format!("a stored import preview does not read: {e}")))
    }

    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::Internal(e.to_string()))
    }

    /// new, changed, unchanged, errors, as stored beside the preview.
    #[must_use]
    pub fn counts(&self) -> [i64; 4] {
        [self.new, self.changed, self.unchanged, self.errors]
            .map(|n| i64::try_from(n).unwrap_or(i64::MAX))
    }
}
