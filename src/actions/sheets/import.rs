//! Importing one template row: find the stored record by its stable key, compare canonical
//! cells (a blank cell means "unchanged"), then create or update it through the same
//! actions the forms and the API call, inside a savepoint so a refused row leaves the
//! transaction usable for the rows after it (the preview lists every error, not only the
//! first). Money rows are never updated.

use super::rowset::Row;
use crate::actions::{Actor, ledger, orgs, rates, review, updates};
use crate::db::items::NewAidItem;
use crate::db::ledger::{NewCommitment, NewDisbursement, NewMilestone};
use crate::db::orgs::NewOrganisation;
use crate::db::{Tx, exec};
use crate::domain::item::DisbursementStatus;
use crate::domain::role::{Permission, allows};
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
async fn savepoint<T>(tx: &mut Tx, f: impl AsyncFnOnce(&mut Tx) -> Result<T>) -> Result<T> {
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
fn refused(row: &mut Row, e: Error) -> Result<()> {
    match e {
        Error::Invalid { field, message, .. } => {
            let col = field.as_deref().and_then(|f| column_of(row.record, f));
            row.problem(col.as_deref(), message);
            Ok(())
        }
        Error::Conflict { message, .. } | Error::Forbidden(message) => {
            row.problem(None, message);
            Ok(())
        }
        Error::NotFound(what) => {
            row.problem(None, format!("{what} was not found"));
            Ok(())
        }
        other => Err(other),
    }
}

pub(super) struct Importer<'a> {
    pub tx: Tx,
    pub actor: &'a Actor,
    pub max_age_days: u32,
    pub known: Known,
    /// The item of the money row or milestone being created.
    pub item: Option<i64>,
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
                format!("a reference is the item code, a slash, {letter} and the row's number, such as DA-001/{letter}1"),
            );
            return None;
        };
        let Some(&item) = self.known.items.get(code) else {
            row.problem(Some("ref"), format!("there is no aid item with code \"{code}\" (in the database or earlier in this import)"));
            return None;
        };
        let count = self.known.counts.entry((item, letter)).or_default();
        if n != *count + 1 {
            row.problem(
                Some("ref"),
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
                let r = savepoint(&mut self.tx, async move |tx: &mut Tx| {
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
                let r = savepoint(&mut self.tx, async move |tx: &mut Tx| {
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
                let r = savepoint(&mut self.tx, async move |tx: &mut Tx| {
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
                let r = savepoint(&mut self.tx, async move |tx: &mut Tx| {
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

    async fn create_item(&mut self, row: &mut Row, key: &str) -> Result<()> {
        let what = "aid item";
        let actor = self.actor;
        let org = |row: &mut Row, col: &str, required: bool| -> Option<i64> {
            let code = if required {
                row.req(col, what)
            } else {
                row.get(col).to_string()
            };
            if code.is_empty() {
                return None;
            }
            let id = self.known.orgs.get(&code).copied();
            if id.is_none() {
                row.problem(Some(col), format!("there is no organisation with code \"{code}\" (in the database or earlier in this import)"));
            }
            id
        };
        let donor_id = org(row, "donor", true).unwrap_or(0);
        let funding_source_id = org(row, "funding_source", false);
        let aid_owner_id = org(row, "aid_owner", true).unwrap_or(0);
        let managing_agency_id = org(row, "managing_agency", true).unwrap_or(0);
        let cmd = NewAidItem {
            code: key.to_string(),
            title_vi: row.req("title_vi", what),
            title_en: row.req("title_en", what),
            modality: row
                .parsed("modality", what, true)
                .unwrap_or(crate::domain::item::Modality::Programme),
            form: row
                .parsed("form", what, true)
                .unwrap_or(crate::domain::item::AidForm::Cash),
            donor_id,
            funding_source_id,
            aid_owner_id,
            managing_agency_id,
            approval_number: row.opt("approval_number"),
            approval_date: row.date("approval_date", what, false),
            approval_authority: row.opt("approval_authority"),
            legal_basis: row.req("legal_basis", what),
            planned_start: row.date("planned_start", what, true).unwrap_or_default(),
            planned_end: row.date("planned_end", what, true).unwrap_or_default(),
            actual_start: row.date("actual_start", what, false),
            actual_end: row.date("actual_end", what, false),
            status: row
                .parsed("status", what, true)
                .unwrap_or(crate::domain::item::ItemStatus::Pipeline),
            beneficiaries: row.opt("beneficiaries"),
            sectors: row.shares("sectors"),
            localities: row.shares("localities"),
        };
        if !row.problems.is_empty() {
            return Ok(());
        }
        let r = savepoint(&mut self.tx, async move |tx: &mut Tx| {
            crate::actions::items::create_item_in(tx, actor, cmd).await
        })
        .await;
        match r {
            Ok(id) => {
                self.known.items.insert(key.to_string(), id);
            }
            Err(e) => refused(row, e)?,
        }
        Ok(())
    }

    /// A disbursement is recorded as the file's draft or submitted; a verified or rejected
    /// row is then reviewed in the same transaction by the reviewer the file names (verified)
    /// or by the importing system (rejected, with the file's reason). Only the system (an
    /// administrator's command line) may import reviewed rows: a person's import cannot mark
    /// rows verified or rejected, since the four-eyes rule wants another person to review them.
    async fn create_disbursement(&mut self, row: &mut Row, key: &str) -> Result<()> {
        let what = "disbursement";
        let (actor, max_age) = (self.actor, self.max_age_days);
        let Some(item_id) = self.item else {
            return Ok(());
        };
        let currency = row.parsed("currency", what, true);
        let amount = row.req("amount", what);
        let link = |row: &mut Row, col: &str, map: &HashMap<String, i64>| -> Option<i64> {
            let r = row.get(col).to_string();
            if r.is_empty() {
                return None;
            }
            let id = map.get(&r).copied();
            if id.is_none() {
                row.problem(Some(col), format!("\"{r}\" names no row of this item (in the database or earlier in this import)"));
            }
            id
        };
        let milestone_id = link(row, "milestone", &self.known.milestones);
        let reverses_id = link(row, "reverses", &self.known.disbursements);
        let status: DisbursementStatus = row
            .parsed("status", what, false)
            .unwrap_or(DisbursementStatus::Submitted);
        let reviewer = match (status, row.opt("verified_by")) {
            (DisbursementStatus::Verified | DisbursementStatus::Rejected, _)
                if actor.role.is_some() =>
            {
                row.problem(Some("status"), "an import by a person cannot verify or reject disbursements (four eyes): import them as submitted and have a reviewer verify them in the review queue");
                None
            }
            (DisbursementStatus::Verified, None) => {
                row.problem(
                    Some("verified_by"),
                    "a verified disbursement must name who verified it (the reviewer's username)",
                );
                None
            }
            (DisbursementStatus::Verified, Some(name)) => match self.known.users.get(&name) {
                Some(u) if u.active && allows(u.role, Permission::VerifyDisbursements) => {
                    Some(Actor::user(u.id, &u.username, u.role, u.organisation_id))
                }
                Some(_) => {
                    row.problem(
                        Some("verified_by"),
                        format!("user \"{name}\" may not verify disbursements"),
                    );
                    None
                }
                None => {
                    row.problem(
                        Some("verified_by"),
                        format!("there is no user \"{name}\": create the reviewer's account first"),
                    );
                    None
                }
            },
            (_, Some(_)) => {
                row.problem(
                    Some("verified_by"),
                    "only a verified disbursement names who verified it",
                );
                None
            }
            _ => None,
        };
        let reason = row.opt("rejection_reason");
        if reason.is_some() && status != DisbursementStatus::Rejected {
            row.problem(
                Some("rejection_reason"),
                "only a rejected disbursement has a rejection reason",
            );
        }
        // A rejection with its reason is replayed through the review action; one recorded
        // without a reason (as older records and the demo data hold) is stored as it is,
        // which only the system may do (a person's rejected row was refused above).
        let direct = status == DisbursementStatus::Rejected && reason.is_none();
        let cmd = NewDisbursement {
            item_id,
            amount_minor: currency
                .and_then(|c| crate::domain::Money::parse(&amount, c).ok())
                .map_or(0, crate::domain::Money::minor),
            currency: currency.unwrap_or(crate::domain::Currency::VND),
            value_date: row.date("value_date", what, true).unwrap_or_default(),
            tranche: row.parsed("tranche", what, false),
            milestone_id,
            reverses_id,
            status: if status == DisbursementStatus::Draft || direct {
                status
            } else {
                DisbursementStatus::Submitted
            },
            entered_by: None,
            verified_by: None,
            verified_at: None,
        };
        if !row.problems.is_empty() {
            return Ok(());
        }
        let r = savepoint(&mut self.tx, async move |tx: &mut Tx| {
            let d = ledger::record_disbursement_row_in(tx, actor, cmd, max_age).await?;
            match (status, &reviewer) {
                (DisbursementStatus::Verified, Some(rv)) => {
                    review::verify_disbursement_in(tx, rv, d.id).await?;
                }
                (DisbursementStatus::Rejected, _) if !direct => {
                    review::reject_disbursement_in(
                        tx,
                        actor,
                        d.id,
                        reason.as_deref().unwrap_or(""),
                    )
                    .await?;
                }
                _ => {}
            }
            Ok(d.id)
        })
        .await;
        match r {
            Ok(id) => {
                self.known.disbursements.insert(key.to_string(), id);
            }
            Err(e) => refused(row, e)?,
        }
        Ok(())
    }

    async fn update(&mut self, row: &mut Row, key: &str, changes: &[Change]) -> Result<()> {
        let actor = self.actor;
        let fixed = |row: &mut Row, allowed: &[&str], why: &str| {
            for c in changes.iter().filter(|c| !allowed.contains(&c.column)) {
                row.problem(Some(c.column), format!("\"{}\" is stored; {why}", c.old));
            }
        };
        match row.record {
            RecordType::Organisations => {
                let allowed = [
                    "name_vi",
                    "name_en",
                    "acronym",
                    "iati_ref",
                    "cert_type",
                    "cert_number",
                    "cert_valid_from",
                    "cert_valid_to",
                ];
                fixed(
                    row,
                    &allowed,
                    "an import changes an organisation's names, IATI identifier and certificate only",
                );
                let p = updates::OrganisationPatch {
                    name_vi: row.opt("name_vi"),
                    name_en: row.opt("name_en"),
                    acronym: row.opt("acronym").map(Some),
                    iati_ref: row.opt("iati_ref").map(Some),
                    cert_type: row.parsed("cert_type", "", false).map(Some),
                    cert_number: row.opt("cert_number").map(Some),
                    cert_valid_from: row.date("cert_valid_from", "", false).map(Some),
                    cert_valid_to: row.date("cert_valid_to", "", false).map(Some),
                };
                let id = self.known.orgs.get(key).copied().unwrap_or(0);
                if row.problems.is_empty()
                    && let Err(e) = savepoint(&mut self.tx, async move |tx: &mut Tx| {
                        updates::update_organisation_in(tx, actor, id, &p).await
                    })
                    .await
                {
                    refused(row, e)?;
                }
            }
            RecordType::Rates => {
                let cmd = rates::RateCmd {
                    currency: row
                        .parsed("currency", "", false)
                        .unwrap_or(crate::domain::Currency::VND),
                    date: row.date("date", "", false).unwrap_or_default(),
                    to_vnd: row
                        .parsed("to_vnd", "", false)
                        .unwrap_or_else(crate::domain::rate::RateValue::one),
                    to_usd: row
                        .parsed("to_usd", "", false)
                        .unwrap_or_else(crate::domain::rate::RateValue::one),
                    source: row.get("source").to_string(),
                };
                // A correction needs every value: blank cells take the stored ones.
                let stored = self
                    .known
                    .rows
                    .get(&(RecordType::Rates, key.to_string()))
                    .cloned()
                    .unwrap_or_default();
                let pick = |k: &str, v: String| {
                    if v.is_empty() {
                        stored
                            .get(RecordType::Rates.index(k).unwrap_or(0))
                            .cloned()
                            .unwrap_or_default()
                    } else {
                        v
                    }
                };
                let cmd = rates::RateCmd {
                    to_vnd: pick("to_vnd", row.get("to_vnd").to_string())
                        .parse()
                        .unwrap_or(cmd.to_vnd),
                    to_usd: pick("to_usd", row.get("to_usd").to_string())
                        .parse()
                        .unwrap_or(cmd.to_usd),
                    source: pick("source", cmd.source),
                    ..cmd
                };
                let max_age = self.max_age_days;
                if let Err(e) = savepoint(&mut self.tx, async move |tx: &mut Tx| {
                    rates::enter_rate_in(tx, actor, &cmd, max_age).await
                })
                .await
                {
                    refused(row, e)?;
                }
            }
            RecordType::Items => {
                let allowed = [
                    "title_vi",
                    "title_en",
                    "status",
                    "approval_number",
                    "approval_date",
                    "approval_authority",
                    "planned_start",
                    "planned_end",
                    "actual_start",
                    "actual_end",
                    "beneficiaries",
                ];
                fixed(row, &allowed, "it is fixed once the item is created");
                let p = updates::ItemPatch {
                    title_vi: row.opt("title_vi"),
                    title_en: row.opt("title_en"),
                    status: row.parsed("status", "", false),
                    approval_number: row.opt("approval_number").map(Some),
                    approval_date: row.date("approval_date", "", false).map(Some),
                    approval_authority: row.opt("approval_authority").map(Some),
                    planned_start: row.date("planned_start", "", false),
                    planned_end: row.date("planned_end", "", false),
                    actual_start: row.date("actual_start", "", false).map(Some),
                    actual_end: row.date("actual_end", "", false).map(Some),
                    beneficiaries: row.opt("beneficiaries").map(Some),
                };
                let id = self.known.items.get(key).copied().unwrap_or(0);
                if row.problems.is_empty()
                    && let Err(e) = savepoint(&mut self.tx, async move |tx: &mut Tx| {
                        updates::update_item_in(tx, actor, id, &p).await
                    })
                    .await
                {
                    refused(row, e)?;
                }
            }
            RecordType::Milestones => {
                let p = updates::MilestonePatch {
                    title_vi: row.opt("title_vi"),
                    title_en: row.opt("title_en"),
                    planned_date: row.date("planned_date", "", false),
                    actual_date: row.date("actual_date", "", false).map(Some),
                    status: row.parsed("status", "", false),
                    evidence: row.opt("evidence").map(Some),
                };
                let id = self.known.milestones.get(key).copied().unwrap_or(0);
                if let Err(e) = savepoint(&mut self.tx, async move |tx: &mut Tx| {
                    updates::update_milestone_in(tx, actor, id, &p).await
                })
                .await
                {
                    refused(row, e)?;
                }
            }
            RecordType::Commitments => fixed(
                row,
                &[],
                "a commitment is never changed: record an amendment or cancellation (a new row) instead",
            ),
            RecordType::Disbursements => fixed(
                row,
                &[],
                "a disbursement is never changed: record a reversal (a new row) instead, and review it in the review queue",
            ),
        }
        Ok(())
    }
}
