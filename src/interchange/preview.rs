//! What an import would do, row by row: new, changed (with the changed cells, old → new),
//! unchanged, or an error (line, column, value and what is wrong). The preview keeps only
//! these outcomes, never the file's rows, and of a large file only the first few thousand
//! of each kind (every kind is counted), so a million-row import previews in bounded memory.

use super::RecordType;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    New,
    Changed,
    Unchanged,
    Error,
}

/// One changed cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub column: &'static str,
    pub old: String,
    pub new: String,
}

/// One thing wrong with a row: the column to blame (None: the row as a whole), the value as
/// the file has it, its code, and the message (the same as the forms and the API give).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub column: Option<String>,
    /// A stable code for the kind of problem: the action's error code (the forms' and the
    /// API's), or the import's own (`required`, `unknown_item`, ...). Pages word the problem
    /// in the reader's language by this code.
    pub code: String,
    pub value: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The file (or sheet) the row is in.
    pub source: String,
    pub line: u64,
    pub record: RecordType,
    /// The row's stable key: organisation or item code, `ITEM/D3`, or `EUR 2025-01-02`.
    pub key: String,
    pub outcome: OutcomeKind,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

/// The preview of one import, and whether it was applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub file: String,
    pub sha256: String,
    pub applied: bool,
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub errors: u64,
    /// The first outcomes of each kind, up to [`LISTED_ERRORS`] errors and [`LISTED`] of
    /// each other kind, in file order.
    pub rows: Vec<Outcome>,
    /// How many outcomes are counted but not listed in `rows`.
    pub unlisted: u64,
}

/// How many new, changed or unchanged rows a preview lists (each kind apart).
pub const LISTED: u64 = 2_000;
/// How many error rows a preview lists.
pub const LISTED_ERRORS: u64 = 10_000;

impl Preview {
    #[must_use]
    pub fn new(file: String, sha256: String) -> Preview {
        Preview {
            file,
            sha256,
            applied: false,
            new: 0,
            changed: 0,
            unchanged: 0,
            errors: 0,
            rows: Vec::new(),
            unlisted: 0,
        }
    }

    pub fn push(&mut self, o: Outcome) {
        let (seen, cap) = match o.outcome {
            OutcomeKind::New => (&mut self.new, LISTED),
            OutcomeKind::Changed => (&mut self.changed, LISTED),
            OutcomeKind::Unchanged => (&mut self.unchanged, LISTED),
            OutcomeKind::Error => (&mut self.errors, LISTED_ERRORS),
        };
        *seen += 1;
        if *seen <= cap {
            self.rows.push(o);
        } else {
            self.unlisted += 1;
        }
    }

    /// The preview as a plain-text table: one line per row that is not unchanged (an
    /// unchanged row needs no attention), each problem and change on its own line, then
    /// the counts.
    #[must_use]
    pub fn table(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        for o in self
            .rows
            .iter()
            .filter(|o| o.outcome != OutcomeKind::Unchanged)
        {
            let kind = match o.outcome {
                OutcomeKind::New => "new",
                OutcomeKind::Changed => "changed",
                OutcomeKind::Unchanged => "unchanged",
                OutcomeKind::Error => "ERROR",
            };
            let _ = writeln!(
                s,
                "{}:{}  {:<13} {:<9} {}",
                o.source,
                o.line,
                o.record.key(),
                kind,
                o.key
            );
            for c in &o.changes {
                let _ = writeln!(s, "    {}: \"{}\" -> \"{}\"", c.column, c.old, c.new);
            }
            for p in &o.problems {
                let col = p.column.as_deref().unwrap_or("(row)");
                let _ = writeln!(s, "    column {col}, value \"{}\": {}", p.value, p.message);
            }
        }
        if self.unlisted > 0 {
            let _ = writeln!(
                s,
                "({} more rows are counted below but not listed: a preview lists the first {LISTED_ERRORS} errors and the first {LISTED} rows of each other kind)",
                self.unlisted
            );
        }
        let _ = writeln!(
            s,
            "{}: {} new, {} changed, {} unchanged, {} with errors; {} (SHA-256 {})",
            self.file,
            self.new,
            self.changed,
            self.unchanged,
            self.errors,
            if self.applied {
                "applied"
            } else if self.errors > 0 {
                "nothing was applied"
            } else {
                "not applied (dry run)"
            },
            self.sha256
        );
        s
    }
}
