//! Importing IATI 2.03 activity XML into the ledger: the file is checked against the official
//! schema first (an invalid file is refused whole, naming its first violations), then read
//! into plain activities ([`crate::import::activities`]), then each activity is mapped to one
//! aid item with its organisations, sectors, localities, milestones and money rows, through
//! the same actions the forms and the spreadsheet import call, so the same rules and messages
//! apply. Everything happens in ONE write transaction: a dry run, or any activity with an
//! error, rolls it all back; an applied import is audited once with the file's SHA-256.
//!
//! Items are matched by their stored IATI identifier (then by item code), so importing a newer
//! file updates the item and never adds it twice. Money rows are never updated: a transaction
//! that matches a stored row (by its `ref`, or else by type, date, amount and currency) is
//! unchanged, any other is added. NGO staff import only activities their own organisation
//! reports (lacking the right to create items, organisations or commitments, they can only
//! report disbursements of existing items, which arrive as drafts). How each IATI element maps is documented where it is mapped:
//! organisations in [`orgs`], the item's own fields in [`item`], sectors and places in
//! [`places`], results in [`results`], transactions in [`money`], and budgets and planned
//! disbursements in [`budgets`].

mod budgets;
mod item;
mod money;
mod orgs;
mod places;
mod results;

use super::scope::Scope;
use super::sheets::display;
use super::{Actor, Ctx};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::import::activities::{self, Activity};
use crate::import::iati::{self as schema, CheckError};
use crate::interchange::RecordType;
use crate::interchange::preview::{Change, Outcome, OutcomeKind, Preview, Problem};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What to import and how.
#[derive(Debug, Clone)]
pub struct IatiImportRequest {
    /// The IATI activities XML file.
    pub path: PathBuf,
    /// Check every activity and roll everything back, whatever the outcome.
    pub dry_run: bool,
}

/// The one way this import builds a problem, so a change to [`Problem`]'s fields is one edit.
/// `code` is the action's error code, or the import's own (`unknown_sector`, ...).
pub(crate) fn problem(
    column: Option<&str>,
    code: &str,
    value: &str,
    message: impl Into<String>,
) -> Problem {
    Problem {
        column: column.map(str::to_string),
        code: code.to_string(),
        value: value.to_string(),
        message: message.into(),
    }
}

/// One preview row being built: what it is, where it came from, and what is wrong with it.
pub(crate) struct Row {
    pub line: u32,
    pub record: RecordType,
    pub key: String,
    pub changes: Vec<Change>,
    pub problems: Vec<Problem>,
}

impl Row {
    pub fn new(line: u32, record: RecordType, key: impl Into<String>) -> Row {
        Row {
            line,
            record,
            key: key.into(),
            changes: Vec::new(),
            problems: Vec::new(),
        }
    }

    pub fn problem(
        &mut self,
        column: Option<&str>,
        code: &str,
        value: &str,
        message: impl Into<String>,
    ) {
        self.problems.push(problem(column, code, value, message));
    }

    /// Turns an action's refusal into this row's problem; other errors (the database
    /// failing) stop the import.
    pub fn refused(&mut self, e: Error) -> Result<()> {
        let code = e.code();
        match e {
            Error::Invalid { field, message, .. } => {
                self.problem(field.as_deref(), code, "", message);
                Ok(())
            }
            Error::Conflict { message, .. } | Error::Forbidden(message) => {
                self.problem(None, code, "", message);
                Ok(())
            }
            Error::NotFound(what) => {
                self.problem(None, "not_found", "", format!("{what} was not found"));
                Ok(())
            }
            other => Err(other),
        }
    }
}

/// The import's state: the transaction, who imports, and what it knows of the ledger.
pub(crate) struct Importer<'a> {
    pub tx: Tx,
    pub actor: &'a Actor,
    pub scope: Scope,
    pub max_age_days: u32,
    pub source: String,
    pub preview: Preview,
    pub orgs: orgs::Known,
    pub reference: places::Reference,
    /// Items by IATI identifier and by code, kept up to date as activities are applied.
    pub by_identifier: HashMap<String, i64>,
    pub by_code: HashMap<String, i64>,
    /// The line of each identifier already seen in this file.
    pub seen: HashMap<String, u32>,
}

impl Importer<'_> {
    /// Adds a finished row to the preview: an error if it has problems, else `kind`.
    pub fn push(&mut self, row: Row, kind: OutcomeKind) {
        let outcome = if row.problems.is_empty() {
            kind
        } else {
            OutcomeKind::Error
        };
        self.push_as(row, outcome);
    }

    /// Adds a row with exactly this outcome, whatever its problems say: a note on an
    /// unchanged row (something the file holds that the ledger does not import) is not an
    /// error.
    pub fn push_as(&mut self, row: Row, outcome: OutcomeKind) {
        self.preview.push(Outcome {
            source: self.source.clone(),
            line: u64::from(row.line),
            record: row.record,
            key: row.key,
            outcome,
            changes: row.changes,
            problems: row.problems,
        });
    }
}

/// Reads the file, refusing one over the size limit before reading it.
fn read_bounded(path: &Path) -> Result<Vec<u8>> {
    let cannot = |e: std::io::Error| {
        Error::invalid(
            "path",
            "file_unreadable",
            format!("cannot read {}: {e}", display(path)),
        )
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let max = schema::MAX_BYTES;
    let too_large = || Error::Request {
        status: 413,
        code: "file_too_large",
        message: format!("{} is larger than {max} bytes", display(path)),
    };
    let len = file.metadata().map_err(cannot)?.len();
    if usize::try_from(len).map_or(true, |l| l > max) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    // The bound holds even if the file grows while it is read.
    file.take(u64::try_from(max).unwrap_or(u64::MAX) + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() > max {
        return Err(too_large());
    }
    Ok(bytes)
}

fn refused_file(code: &'static str, message: String) -> Error {
    Error::Request {
        status: 422,
        code,
        message,
    }
}

/// Checks the file against the IATI 2.03 activity schema and reads its activities; a file
/// that is unsafe, breaks the schema or cannot be read as activities is refused whole.
fn activities_of(name: &str, bytes: &[u8]) -> Result<Vec<Activity>> {
    match schema::check_schema(bytes) {
        Ok(()) => {}
        Err(CheckError::Unsafe(r)) => {
            return Err(refused_file(
                "unsafe_xml",
                format!("{name} was not read: {r}"),
            ));
        }
        Err(CheckError::Invalid(violations)) => {
            let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
            return Err(refused_file(
                "invalid_iati",
                format!(
                    "{name} is not valid against the IATI 2.03 activity schema: {}",
                    list.join("; ")
                ),
            ));
        }
    }
    let mut out = Vec::new();
    activities::read(bytes, |a| {
        out.push(a);
        Ok(())
    })
    .map_err(|e| {
        refused_file(
            "invalid_iati",
            format!("{name}, line {}: {}", e.line, e.message),
        )
    })?;
    Ok(out)
}

/// Checks every activity of an IATI file and, unless it is a dry run or any activity has an
/// error, applies them all in ONE transaction, audited as one import naming the file's
/// SHA-256. An invalid or unsafe file is refused (422) before anything is read as data.
pub async fn import_iati(ctx: &Ctx, actor: &Actor, req: &IatiImportRequest) -> Result<Preview> {
    import_iati_then(ctx, actor, req, async |_: &mut Tx, _: &Preview| Ok(())).await
}

/// [`import_iati`], with `before_commit` run inside the import's transaction just before it
/// commits (only when applied), as [`super::sheets::import_file_then`] does for spreadsheets.
pub async fn import_iati_then(
    ctx: &Ctx,
    actor: &Actor,
    req: &IatiImportRequest,
    before_commit: impl AsyncFnOnce(&mut Tx, &Preview) -> Result<()>,
) -> Result<Preview> {
    let scope = Scope::of(actor)?;
    let name = display(&req.path);
    let bytes = read_bounded(&req.path)?;
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&bytes))
    };
    let list = activities_of(&name, &bytes)?;
    drop(bytes);
    let mut tx = ctx.store.write().await?;
    let orgs = orgs::Known::load(&mut tx).await?;
    let reference = places::Reference::load(&mut tx).await?;
    let by_identifier = crate::db::iati::item_identifiers(&mut tx)
        .await?
        .into_iter()
        .map(|(id, ident)| (ident, id))
        .collect();
    let by_code = crate::db::items::list_items(&mut tx)
        .await?
        .into_iter()
        .map(|i| (i.code, i.id))
        .collect();
    let mut imp = Importer {
        tx,
        actor,
        scope,
        max_age_days: ctx.config.rate_max_age_days,
        source: name.clone(),
        preview: Preview::new(name, sha.clone()),
        orgs,
        reference,
        by_identifier,
        by_code,
        seen: HashMap::new(),
    };
    for a in &list {
        imp.activity(a).await?;
    }
    let (mut tx, mut preview) = (imp.tx, imp.preview);
    if preview.errors == 0 && !req.dry_run {
        let after = serde_json::json!({
            "file": preview.file, "sha256": sha, "activities": list.len(), "new": preview.new,
            "changed": preview.changed, "unchanged": preview.unchanged,
        });
        super::record::<(), _>(
            &mut tx,
            actor,
            "iati.import",
            "import",
            &sha,
            None,
            Some(&after),
            crate::db::now(),
        )
        .await?;
        preview.applied = true;
        before_commit(&mut tx, &preview).await?;
        tx.commit().await?;
    }
    Ok(preview)
}

impl Importer<'_> {
    /// One activity: its organisations, then the item, then (when the item is sound) its
    /// milestones, money rows, budgets and planned disbursements.
    async fn activity(&mut self, a: &Activity) -> Result<()> {
        let mut row = Row::new(a.line, RecordType::Items, a.identifier.clone());
        if let Some(first) = self.seen.get(&a.identifier) {
            row.problem(
                None,
                "duplicate_activity",
                &a.identifier,
                format!(
                    "this activity identifier appears twice in the file (first at line {first})"
                ),
            );
            self.push(row, OutcomeKind::Error);
            return Ok(());
        }
        self.seen.insert(a.identifier.clone(), a.line);
        if !a.countries.is_empty() && !a.countries.iter().any(|(c, _)| c == "VN") {
            let codes: Vec<&str> = a.countries.iter().map(|(c, _)| c.as_str()).collect();
            row.problem(
                Some("recipient-country"), "outside_viet_nam",
                &codes.join(" "),
                "the activity is not in Viet Nam (recipient-country VN), so it is not aid this ledger records",
            );
        }
        let parties = self.parties(a, &mut row).await?;
        // NGO staff import their own organisation's activities only, as the scope rule says.
        if let Scope::Organisation(own) = self.scope
            && parties.donor.is_some_and(|d| d != own)
        {
            row.problem(
                Some("reporting-org"), "other_organisation",
                a.reporting_org.identifier.as_deref().unwrap_or(""),
                "NGO staff import only their own organisation's activities, and this one is reported by another organisation",
            );
        }
        let Some(item) = self.item(a, parties, &mut row).await? else {
            self.push(row, OutcomeKind::Error);
            return self.budgets(a, None).await;
        };
        self.push(row, item.outcome);
        self.money(a, &item).await?;
        self.budgets(a, Some(&item)).await
    }
}
