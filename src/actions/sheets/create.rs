//! Creating the aid items and disbursements an import names, through the same actions as
//! the forms, with the four-eyes rule for imported reviews (see [`Importer::create_disbursement`]).

use super::import::{Importer, refused, savepoint};
use super::rowset::Row;
use crate::actions::ledger_batch::DisbursementBatch;
use crate::actions::{Actor, ledger, review};
use crate::db::Tx;
use crate::db::items::NewAidItem;
use crate::db::ledger::NewDisbursement;
use crate::domain::item::DisbursementStatus;
use crate::domain::role::{Permission, allows};
use crate::error::Result;
use crate::interchange::cells::split_reference;
use std::collections::HashMap;

impl Importer<'_> {
    pub(super) async fn create_item(&mut self, row: &mut Row, key: &str) -> Result<()> {
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
                row.problem(Some(col), "unknown_organisation", format!("there is no organisation with code \"{code}\" (in the database or earlier in this import)"));
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
        let r = savepoint(self.tx().await?, async move |tx: &mut Tx| {
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

    /// Queues a checked new disbursement; true when the batch is full.
    async fn batch_push(&mut self, cmd: NewDisbursement) -> Result<bool> {
        if self.batch.is_none() {
            let max_age = self.max_age_days;
            self.batch = Some(DisbursementBatch::load(self.tx().await?, max_age).await?);
        }
        match self.batch.as_mut() {
            Some(b) => b.push(self.actor, cmd),
            None => Ok(false),
        }
    }

    /// A disbursement is recorded as the file's draft or submitted; a verified or rejected
    /// row is then reviewed in the same transaction by the reviewer the file names (verified)
    /// or by the importing system (rejected, with the file's reason). Only the system (an
    /// administrator's command line) may import reviewed rows: a person's import cannot mark
    /// rows verified or rejected, since the four-eyes rule wants another person to review them.
    pub(super) async fn create_disbursement(&mut self, row: &mut Row, key: &str) -> Result<()> {
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
                row.problem(Some(col), "unknown_row", format!("\"{r}\" names no row of this item (in the database or earlier in this import)"));
            }
            id
        };
        let milestone_id = link(row, "milestone", &self.known.milestones);
        // A milestone reference names its item (ITEM/M2): another item's milestone is refused
        // as the ledger refuses it.
        let milestone_item = split_reference(row.get("milestone")).map(|(c, ..)| c.to_string());
        let own_code = split_reference(key).map(|(c, ..)| c.to_string());
        let reverses_id = match self.stored_disbursement(row.get("reverses")).await? {
            Some(id) => Some(id),
            None => link(row, "reverses", &self.known.disbursements),
        };
        let status: DisbursementStatus = row
            .parsed("status", what, false)
            .unwrap_or(DisbursementStatus::Submitted);
        let reviewer = match (status, row.opt("verified_by")) {
            (DisbursementStatus::Verified | DisbursementStatus::Rejected, _)
                if actor.role.is_some() =>
            {
                row.problem(Some("status"), "import_four_eyes", "an import by a person cannot verify or reject disbursements (four eyes): import them as submitted and have a reviewer verify them in the review queue");
                None
            }
            (DisbursementStatus::Verified, None) => {
                row.problem(
                    Some("verified_by"),
                    "verifier_required",
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
                        "verifier_not_allowed",
                        format!("user \"{name}\" may not verify disbursements"),
                    );
                    None
                }
                None => {
                    row.problem(
                        Some("verified_by"),
                        "verifier_unknown",
                        format!("there is no user \"{name}\": create the reviewer's account first"),
                    );
                    None
                }
            },
            (_, Some(_)) => {
                row.problem(
                    Some("verified_by"),
                    "verifier_not_verified",
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
                "reason_not_rejected",
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
        // A row the file says is verified or rejected is replayed through the review
        // actions, row by row; only rows that stay draft or submitted are batched.
        let stays = matches!(
            status,
            DisbursementStatus::Draft | DisbursementStatus::Submitted
        );
        if stays && DisbursementBatch::takes(actor, &cmd) {
            let r = match (milestone_id, milestone_item == own_code) {
                (Some(m), false) => Err(ledger::not_the_items_milestone(m, item_id)),
                _ => self.batch_push(cmd).await,
            };
            return match r {
                Ok(true) => self.send().await,
                Ok(false) => Ok(()),
                Err(e) => refused(row, e),
            };
        }
        self.flush().await?;
        let r = savepoint(self.tx().await?, async move |tx: &mut Tx| {
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
            Ok(_) => Ok(()),
            Err(e) => refused(row, e),
        }
    }

    /// The id of a disbursement the import wrote (or the database held before it and the
    /// snapshot missed), by its reference; `None` when there is none.
    async fn stored_disbursement(&mut self, reference: &str) -> Result<Option<i64>> {
        if reference.is_empty() || self.known.disbursements.contains_key(reference) {
            return Ok(None);
        }
        let Some((code, 'D', n)) = split_reference(reference) else {
            return Ok(None);
        };
        let Some(&item) = self.known.items.get(code) else {
            return Ok(None);
        };
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        self.flush().await?;
        crate::db::interchange::nth_disbursement(self.tx().await?, item, n).await
    }
}
