//! Who may import which rows, decided before a row is looked at. Each record type needs the
//! permission its form needs (organisations and aid items: a coordinator's; commitments:
//! entering the ledger; exchange rates: a reviewer's), and a refused row says who may import
//! it instead of the action's bare "the role may not do this".
//!
//! NGO staff (`ReportProgress` without the staff permission) import only their own
//! organisation's disbursement reports and milestone progress. A row of another
//! organisation's item gets the same message as an item that does not exist, so a file
//! cannot probe what others hold, and it is refused before the stored row is compared, so
//! its cells are never shown. Their disbursements arrive as drafts (the ledger action decides
//! that); a changed milestone row becomes a progress report for a coordinator to accept.

use super::import::{Importer, Known, refused, savepoint};
use super::rowset::Row;
use crate::actions::Actor;
use crate::actions::progress::{ProgressReport, report_milestone_progress_in};
use crate::actions::scope::Scope;
use crate::db::Tx;
use crate::domain::item::Role;
use crate::domain::role::{Permission, allows};
use crate::error::Result;
use crate::interchange::RecordType;
use crate::interchange::cells::split_reference;
use crate::interchange::preview::Change;
use std::collections::HashSet;

/// What the importing actor may import.
pub(super) struct Gate {
    /// `None`: the system (the command line), which may import everything.
    role: Option<Role>,
    /// Whether the actor reports progress (NGO staff).
    reports: bool,
    /// For NGO staff: the codes of their organisation's items. `None`: no item restriction.
    own_items: Option<HashSet<String>>,
}

/// The staff permission each record type needs.
fn staff_permission(record: RecordType) -> Permission {
    match record {
        RecordType::Organisations => Permission::EditOrganisations,
        RecordType::Items => Permission::EditItems,
        RecordType::Commitments | RecordType::Disbursements => Permission::EditLedger,
        RecordType::Milestones => Permission::EditMilestones,
        RecordType::Rates => Permission::EditRates,
    }
}

/// Who may import rows of `record`, for a refusal.
fn who_may(record: RecordType) -> &'static str {
    match record {
        RecordType::Organisations => "organisations are imported by a coordinator",
        RecordType::Items => "aid items are imported by a coordinator",
        RecordType::Commitments => "commitments are imported by a coordinator",
        RecordType::Rates => "exchange rates are imported by a reviewer",
        RecordType::Disbursements => {
            "disbursements are imported by a coordinator, or by NGO staff for their own organisation's items"
        }
        RecordType::Milestones => {
            "milestones are imported by a coordinator; NGO staff report progress on their own organisation's milestones"
        }
    }
}

impl Gate {
    pub(super) async fn of(tx: &mut Tx, actor: &Actor) -> Result<Gate> {
        let reports = actor.require(Permission::ReportProgress).is_ok();
        let own_items = match actor.role {
            Some(_) if reports && actor.require(Permission::EditLedger).is_err() => {
                let scope = Scope::of(actor)?;
                let items = crate::db::items::list_items(tx).await?;
                Some(
                    items
                        .into_iter()
                        .filter(|i| scope.sees_item(i))
                        .map(|i| i.code)
                        .collect(),
                )
            }
            _ => None,
        };
        Ok(Gate {
            role: actor.role,
            reports,
            own_items,
        })
    }

    /// Why this row may not be imported by the actor, if it may not: the problem's code and
    /// its message.
    pub(super) fn refuses(
        &self,
        record: RecordType,
        key: &str,
        known: &Known,
    ) -> Option<(&'static str, String)> {
        if self
            .role
            .is_none_or(|r| allows(r, staff_permission(record)))
        {
            return None;
        }
        let reportable = matches!(record, RecordType::Disbursements | RecordType::Milestones);
        if !(self.reports && reportable) {
            return Some((
                "import_not_permitted",
                format!("{}: this account may not import them", who_may(record)),
            ));
        }
        if let Some(own) = &self.own_items {
            let code = split_reference(key).map_or(key, |(code, _, _)| code);
            if !own.contains(code) {
                return Some((
                    "unknown_item",
                    format!(
                        "there is no aid item with code \"{code}\" (in the database or earlier in this import)"
                    ),
                ));
            }
        }
        if record == RecordType::Milestones && !known.milestones.contains_key(key) {
            return Some((
                "new_milestone_by_coordinator",
                "NGO staff report progress on existing milestones; a new milestone is added by a coordinator"
                    .into(),
            ));
        }
        None
    }
}

impl Importer<'_> {
    /// A changed milestone row from NGO staff: its status, date reached and evidence become
    /// a progress report for a coordinator to accept; the other columns are a coordinator's
    /// to change.
    pub(super) async fn report_progress(
        &mut self,
        row: &mut Row,
        key: &str,
        changes: &[Change],
    ) -> Result<()> {
        const REPORTED: [&str; 3] = ["status", "actual_date", "evidence"];
        for c in changes.iter().filter(|c| !REPORTED.contains(&c.column)) {
            row.problem(
                Some(c.column),
                "fixed_milestone_column",
                format!(
                    "\"{}\" is stored; NGO staff report a milestone's status, date reached and evidence, and a coordinator changes the rest",
                    c.old
                ),
            );
        }
        let report = ProgressReport {
            status: row
                .parsed("status", "milestone", true)
                .unwrap_or(crate::domain::item::MilestoneStatus::InProgress),
            actual_date: row.date("actual_date", "milestone", false),
            evidence: row.get("evidence").to_string(),
        };
        if !row.problems.is_empty() {
            return Ok(());
        }
        let id = self.known.milestones.get(key).copied().unwrap_or(0);
        let actor = self.actor;
        if let Err(e) = savepoint(self.tx().await?, async move |tx: &mut Tx| {
            report_milestone_progress_in(tx, actor, id, &report).await
        })
        .await
        {
            refused(row, e)?;
        }
        Ok(())
    }
}

/// Whether a changed milestone row of `actor` is a progress report rather than an edit.
pub(super) fn reports_progress(actor: &Actor) -> bool {
    actor.require(Permission::EditMilestones).is_err()
        && actor.require(Permission::ReportProgress).is_ok()
}
