//! Importing one template row: find the stored record by its stable key, compare canonical
//! cells (a blank cell means "unchanged"), then create or update it through the same
//! actions the forms and the API call, inside a savepoint so a refused row leaves the
//! transaction usable for the rows after it (the preview lists every error, not only the
//! first). Money rows are never updated.

use super::rowset::Row;
use crate::actions::{Actor, ledger, orgs, rates};
use crate::db::ledger::{NewCommitment, NewMilestone};
use crate::db::orgs::NewOrganisation;
use crate::db::{Tx, exec};
use crate::error::{Error, Result};
use crate::interchange::RecordType;
use crate::interchange::cells::split_reference;
use crate::interchange::preview::{Change, OutcomeKind};
use std::collections::HashMap;

/// What the importer knows of the database, kept up to date as rows are applied.
pub(super) struct Known {
    /// Stored rows as an export writes them, by (record type, key).
    pub rows: HashMap<(RecordType, String), Vec<String>>,
    pub orgs: HashMap<String, i64>,
    pub items: HashMap<String, i64>,
    pub milestones: HashMap<String, i64>,
    pub disbursements: HashMap<String, i64>,
    /// How many rows of each letter (C, D, M) each item has.
    pub counts: HashMap<(i64, char), usize>,
    /// username → (id, role, organisation).
    pub users: HashMap<String, crate::db::users::User>,
    /// The items stored before the import, by id, and `(id, username)` of every user: what
    /// [`Known::load_item`] needs to write an item's rows as the template does.
    pub stored_items: HashMap<i64, crate::db::items::AidItem>,
    pub usernames: Vec<(i64, String)>,
    /// The items whose stored rows have been read.
    pub loaded: std::collections::HashSet<i64>,
}

/// The action field an error names, as the template's column key.
fn column_of(record: RecordType, field: &str) -> Option<String> {
    let key = match (record, field) {
        (RecordType::Commitments, "reference") => "document",
        (_, "reverses_id") => "reverses",
        (_, "milestone_id") => "milestone",
        (_, f) => f.strip_suffix("_id").unwrap_or(f),
    };
    record.index(key).map(|_| key.to_string())
}

/// Runs `f` inside a savepoint: undone on error, so the transaction goes on.
pub(crate) async fn savepoint<T>(
    tx: &mut Tx,
    f: impl AsyncFnOnce(&mut Tx) -> Result<T>,
) -> Result<T> {
    exec!(tx, c => sqlx::query("SAVEPOINT sheet_row").execute(&mut *c).await)?;
    let out = f(tx).await;
    if out.is_err() {
        exec!(tx, c => sqlx::query("ROLLBACK TO SAVEPOINT sheet_row").execute(&mut *c).await)?;
    }
    exec!(tx, c => sqlx::query("RELEASE SAVEPOINT sheet_row").execute(&mut *c).await)?;
    out
}

/// Turns an action's refusal into the row's problem; other errors (the database failing)
/// stop the import.
pub(super) fn refused(row: &mut Row, e: Error) -> Result<()> {
    match e {
        Error::Invalid {
            field,
            code,
            message,
        } => {
            let col = field.as_deref().and_then(|f| column_of(row.record, f));
            row.problem(col.as_deref(), code, message);
            Ok(())
        }
        Error::Conflict { code, message } => {
            row.problem(None, code, message);
            Ok(())
        }
        Error::Forbidden(message) => {
            row.problem(None, "forbidden", message);
            Ok(())
        }
        Error::NotFound(what) => {
            row.problem(None, "not_found", format!("{what} was not found"));
            Ok(())
        }
        other => Err(other),
    }
}

pub(super) struct Importer<'a> {
    /// The import's transaction; `None` while a batch is being written on it.
    tx: Option<Tx>,
    /// The batch of new disbursements being written, by a task of its own that hands the
    /// transaction back: the import checks its next rows meanwhile, so on two cores the
    /// database's work and the checking overlap (a third of a million-row import, measured).
    writing: Option<tokio::task::JoinHandle<(Tx, Result<Vec<i64>>)>>,
    pub actor: &'a Actor,
    pub max_age_days: u32,
    pub known: Known,
    /// The item of the money row or milestone being created.
    pub item: Option<i64>,
    /// New disbursements checked and waiting to be written many at a time (read on the
    /// first one, after every rate row of the import is applied).
    pub batch: Option<crate::actions::ledger_batch::DisbursementBatch>,
}

impl<'a> Importer<'a> {
    pub fn new(tx: Tx, actor: &'a Actor, max_age_days: u32, known: Known) -> Self {
        Self {
            tx: Some(tx),
            writing: None,
            actor,
            max_age_days,
            known,
            item: None,
            batch: None,
        }
    }

    /// The transaction, once the batch being written (if any) is stored; later rows (a
    /// reversal naming one of its rows, found in the database) and the import's own audit
    /// entry then see it. The new rows' references are not remembered: memory stays the same
    /// however many rows a file has.
    pub async fn tx(&mut self) -> Result<&mut Tx> {
        if let Some(w) = self.writing.take() {
            let (tx, written) = w
                .await
                .map_err(|e| Error::Internal(format!("the import's writer stopped: {e}")))?;
            self.tx = Some(tx);
            written?;
        }
        self.tx
            .as_mut()
            .ok_or_else(|| Error::Internal("the import's transaction is gone".into()))
    }

    /// Reads the stored rows of the item with `code`, once (see [`Known::load_item`]).
    pub async fn load_item(&mut self, code: &str) -> Result<()> {
        // Asked on every row: only an item not read yet may wait for the batch being written.
        if !self.known.unread(code) {
            return Ok(());
        }
        self.tx().await?;
        let Some(tx) = self.tx.as_mut() else {
            return Err(Error::Internal("the import's transaction is gone".into()));
        };
        self.known.load_item(tx, code).await
    }

    /// Starts writing the waiting disbursements, after the batch before them is stored.
    pub async fn send(&mut self) -> Result<()> {
        self.tx().await?;
        let pending = self.batch.as_mut().map(|b| b.take()).unwrap_or_default();
        if pending.is_empty() {
            return Ok(());
        }
        let Some(mut tx) = self.tx.take() else {
            return Err(Error::Internal("the import's transaction is gone".into()));
        };
        let actor = self.actor.clone();
        self.writing = Some(tokio::spawn(async move {
            let written = crate::actions::ledger_batch::write(&mut tx, &actor, pending).await;
            (tx, written)
        }));
        Ok(())
    }

    /// Writes every waiting disbursement and waits until they are stored.
    pub async fn flush(&mut self) -> Result<()> {
        self.send().await?;
        self.tx().await.map(|_| ())
    }

    /// The transaction, with everything checked written to it.
    pub async fn finish(mut self) -> Result<Tx> {
        self.flush().await?;
        self.tx
            .take()
            .ok_or_else(|| Error::Internal("the import's transaction is gone".into()))
    }
}

/// The key of a row: its code, its reference, or a rate's currency and date.
pub(super) fn key_of(row: &Row) -> String {
    match row.record {
        RecordType::Rates => format!("{} {}", row.get("currency"), row.get("date")),
        RecordType::Organisations | RecordType::Items => row.raw("code").to_string(),
        _ => row.raw("ref").to_string(),
    }
}

impl Importer<'_> {
    /// Applies one row; returns its outcome and the changed cells.
    pub async fn apply(&mut self, row: &mut Row, key: &str) -> Result<(OutcomeKind, Vec<Change>)> {
        let stored = self.known.rows.get(&(row.record, key.to_string())).cloned();
        let letter = match row.record {
            RecordType::Milestones => Some('M'),
            RecordType::Commitments => Some('C'),
            RecordType::Disbursements => Some('D'),
            _ => None,
        };
        // A new row takes its number even when it has errors, so the rows after it are
        // checked as they would be once it is fixed, not refused one after another.
        let item = match (letter, &stored) {
            (Some(l), None) => self.reserve(row, l),
            _ => None,
        };
        if !row.problems.is_empty() {
            return Ok((OutcomeKind::Error, Vec::new()));
        }
        let Some(stored) = stored else {
            self.item = item;
            self.create(row, key).await?;
            let kind = if row.problems.is_empty() {
                OutcomeKind::New
            } else {
                OutcomeKind::Error
            };
            return Ok((kind, Vec::new()));
        };
        let changes: Vec<Change> = row
            .record
            .columns()
            .iter()
            .zip(row.cells.iter().zip(&stored))
            .filter(|(_, (new, old))| !new.is_empty() && new != old)
            .map(|(c, (new, old))| Change {
                column: c.key,
                old: old.clone(),
                new: new.clone(),
            })
            .collect();
        if changes.is_empty() {
            return Ok((OutcomeKind::Unchanged, changes));
        }
        self.update(row, key, &changes).await?;
        let kind = if row.problems.is_empty() {
            OutcomeKind::Changed
        } else {
            OutcomeKind::Error
        };
        Ok((kind, changes))
    }

    /// The item a new row's reference names, checked to be of `letter` and numbered next
    /// (so importing the same file twice cannot add it twice); takes that number.
    fn reserve(&mut self, row: &mut Row, letter: char) -> Option<i64> {
        let r = row.raw("ref").to_string();
        let Some((code, _, n)) = split_reference(&r).filter(|(_, l, _)| *l == letter) else {
            row.problem(
                Some("ref"),
                "reference_form",
                format!("a reference is the item code, a slash, {letter} and the row's number, such as DA-001/{letter}1"),
            );
            return None;
        };
        let Some(&item) = self.known.items.get(code) else {
            row.problem(Some("ref"), "unknown_item", format!("there is no aid item with code \"{code}\" (in the database or earlier in this import)"));
            return None;
        };
        let count = self.known.counts.entry((item, letter)).or_default();
        if n != *count + 1 {
            row.problem(
                Some("ref"),
                "reference_number",
                format!(
                    "aid item {code} has {count} such rows: a new one must be numbered {letter}{}",
                    *count + 1
                ),
            );
            return None;
        }
        *count += 1;
        Some(item)
    }

    async fn create(&mut self, row: &mut Row, key: &str) -> Result<()> {
        let (actor, max_age) = (self.actor, self.max_age_days);
        match row.record {
            RecordType::Organisations => {
                let what = "organisation";
                let code = key.to_string();
                let mut code_check = code.clone();
                if let Err(e) = crate::domain::text::line_field("code", &mut code_check, 40) {
                    return refused(row, e);
                }
                let cmd = NewOrganisation {
                    kind: row
                        .parsed("kind", what, true)
                        .unwrap_or(crate::domain::item::OrgKind::Funder),
                    name_vi: row.req("name_vi", what),
                    name_en: row.req("name_en", what),
                    acronym: row.opt("acronym"),
                    nationality: row.req("nationality", what),
                    iati_ref: row.opt("iati_ref"),
                    cert_type: row.parsed("cert_type", what, false),
                    cert_number: row.opt("cert_number"),
                    cert_valid_from: row.date("cert_valid_from", what, false),
                    cert_valid_to: row.date("cert_valid_to", what, false),
                    sectors: row.list("sectors"),
                    provinces: row.list("provinces"),
                };
                if !row.problems.is_empty() {
                    return Ok(());
                }
                let r = savepoint(self.tx().await?, async move |tx: &mut Tx| {
                    let id = orgs::create_organisation_in(tx, actor, cmd).await?;
                    crate::db::orgs::set_code(tx, id, &code).await?;
                    Ok(id)
                })
                .await;
                match r {
                    Ok(id) => {
                        self.known.orgs.insert(key.to_string(), id);
                    }
                    Err(e) => refused(row, e)?,
                }
            }
            RecordType::Rates => {
                let what = "rate";
                let cmd = rates::RateCmd {
                    currency: row
                        .parsed("currency", what, true)
                        .unwrap_or(crate::domain::Currency::VND),
                    date: row.date("date", what, true).unwrap_or_default(),
                    to_vnd: row
                        .parsed("to_vnd", what, true)
                        .unwrap_or_else(crate::domain::rate::RateValue::one),
                    to_usd: row
                        .parsed("to_usd", what, true)
                        .unwrap_or_else(crate::domain::rate::RateValue::one),
                    source: row.req("source", what),
                };
                if !row.problems.is_empty() {
                    return Ok(());
                }
                let r = savepoint(self.tx().await?, async move |tx: &mut Tx| {
                    rates::enter_rate_in(tx, actor, &cmd, max_age).await
                })
                .await;
                if let Err(e) = r {
                    refused(row, e)?;
                }
            }
            RecordType::Items => self.create_item(row, key).await?,
            RecordType::Milestones => {
                let what = "milestone";
                let Some(item_id) = self.item else {
                    return Ok(());
                };
                let cmd = NewMilestone {
                    item_id,
                    title_vi: row.req("title_vi", what),
                    title_en: row.req("title_en", what),
                    planned_date: row.date("planned_date", what, true).unwrap_or_default(),
                    actual_date: row.date("actual_date", what, false),
                    status: row
                        .parsed("status", what, true)
                        .unwrap_or(crate::domain::item::MilestoneStatus::Planned),
                    evidence: row.opt("evidence"),
                };
                if !row.problems.is_empty() {
                    return Ok(());
                }
                let r = savepoint(self.tx().await?, async move |tx: &mut Tx| {
                    ledger::record_milestone_in(tx, actor, cmd).await
                })
                .await;
                match r {
                    Ok(id) => {
                        self.known.milestones.insert(key.to_string(), id);
                    }
                    Err(e) => refused(row, e)?,
                }
            }
            RecordType::Commitments => {
                let what = "commitment";
                let Some(item_id) = self.item else {
                    return Ok(());
                };
                let currency = row.parsed("currency", what, true);
                let amount = row.req("amount", what);
                let cmd = NewCommitment {
                    item_id,
                    kind: row
                        .parsed("kind", what, true)
                        .unwrap_or(crate::domain::item::CommitmentKind::Original),
                    amount_minor: currency
                        .and_then(|c| crate::domain::Money::parse(&amount, c).ok())
                        .map_or(0, crate::domain::Money::minor),
                    currency: currency.unwrap_or(crate::domain::Currency::VND),
                    date: row.date("date", what, true).unwrap_or_default(),
                    reference: row.opt("document"),
                    entered_by: None,
                };
                if !row.problems.is_empty() {
                    return Ok(());
                }
                let r = savepoint(self.tx().await?, async move |tx: &mut Tx| {
                    ledger::record_commitment_in(tx, actor, cmd, max_age).await
                })
                .await;
                match r {
                    Ok(_) => {}
                    Err(e) => refused(row, e)?,
                }
            }
            RecordType::Disbursements => self.create_disbursement(row, key).await?,
        }
        Ok(())
    }
}
