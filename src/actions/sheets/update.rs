//! Updating a stored record from a changed row: the columns the update actions change go
//! through them; any other changed column (and any change to a money row) is an error that
//! says what to do instead.

use super::import::{Importer, refused, savepoint};
use super::rowset::Row;
use crate::actions::{rates, updates};
use crate::db::Tx;
use crate::error::Result;
use crate::interchange::RecordType;
use crate::interchange::preview::Change;

impl Importer<'_> {
    pub(super) async fn update(
        &mut self,
        row: &mut Row,
        key: &str,
        changes: &[Change],
    ) -> Result<()> {
        let actor = self.actor;
        let fixed = |row: &mut Row, allowed: &[&str], code: &str, why: &str| {
            for c in changes.iter().filter(|c| !allowed.contains(&c.column)) {
                row.problem(
                    Some(c.column),
                    code,
                    format!("\"{}\" is stored; {why}", c.old),
                );
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
                    "fixed_organisation_column",
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
                    && let Err(e) = savepoint(self.tx().await?, async move |tx: &mut Tx| {
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
                if let Err(e) = savepoint(self.tx().await?, async move |tx: &mut Tx| {
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
                fixed(
                    row,
                    &allowed,
                    "fixed_item_column",
                    "it is fixed once the item is created",
                );
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
                    && let Err(e) = savepoint(self.tx().await?, async move |tx: &mut Tx| {
                        updates::update_item_in(tx, actor, id, &p).await
                    })
                    .await
                {
                    refused(row, e)?;
                }
            }
            RecordType::Milestones if super::gate::reports_progress(actor) => {
                self.report_progress(row, key, changes).await?;
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
                if let Err(e) = savepoint(self.tx().await?, async move |tx: &mut Tx| {
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
                "commitment_unchangeable",
                "a commitment is never changed: record an amendment or cancellation (a new row) instead",
            ),
            RecordType::Disbursements => fixed(
                row,
                &[],
                "disbursement_unchangeable",
                "a disbursement is never changed: record a reversal (a new row) instead, and review it in the review queue",
            ),
        }
        Ok(())
    }
}
