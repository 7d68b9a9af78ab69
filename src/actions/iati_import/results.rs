//! An activity's results. Each result indicator is a milestone: aidledger's `al:` attributes
//! give its reference, dates and status; otherwise its planned date is the end of its last
//! period, and it is planned (done when an actual date is given). A matched milestone (by
//! reference, else by title and planned date) is updated, since milestones are not money.
//! Budgets and planned disbursements are the item's plans, stored by [`super::budgets`].

use super::item::{ItemRef, bilingual};
use super::money::position;
use super::{Importer, Row};
use crate::actions::sheets::savepoint;
use crate::actions::{ledger, updates};
use crate::db::Tx;
use crate::db::ledger::NewMilestone;
use crate::domain::item::MilestoneStatus;
use crate::error::Result;
use crate::import::activities::Activity;
use crate::interchange::RecordType;
use crate::interchange::preview::OutcomeKind;
use chrono::NaiveDate;
use std::collections::HashMap;

fn ymd(s: Option<&String>) -> Option<NaiveDate> {
    s.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

impl Importer<'_> {
    /// Milestones from the result indicators; returns each one's reference → id.
    pub(super) async fn milestones(
        &mut self,
        a: &Activity,
        item: &ItemRef,
    ) -> Result<HashMap<String, i64>> {
        let stored = crate::db::ledger::list_milestones(&mut self.tx, item.id).await?;
        let mut refs: HashMap<String, i64> = stored
            .iter()
            .enumerate()
            .map(|(n, m)| (format!("{}/M{}", item.code, n + 1), m.id))
            .collect();
        let mut taken = vec![false; stored.len()];
        for ind in a.results.iter().flat_map(|r| &r.indicators) {
            let al_ref = ind.al.get("ref").cloned();
            let key = al_ref
                .clone()
                .or_else(|| ind.title.first().map(str::to_string))
                .unwrap_or_default();
            let mut row = Row::new(ind.line, RecordType::Milestones, key);
            let Some((title_vi, title_en)) = bilingual(&ind.title, a.lang.as_deref()) else {
                row.problem(
                    Some("title"),
                    "title_required",
                    "",
                    "the indicator has no title, which its milestone needs",
                );
                self.push(row, OutcomeKind::Error);
                continue;
            };
            let planned =
                ymd(ind.al.get("planned")).or_else(|| ind.periods.iter().map(|p| p.1).max());
            let Some(planned) = planned else {
                row.problem(
                    Some("period"),
                    "period_required",
                    "",
                    "the indicator has no period, so its milestone has no planned date",
                );
                self.push(row, OutcomeKind::Error);
                continue;
            };
            let actual = ymd(ind.al.get("actual"));
            let status =
                ind.al
                    .get("status")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(if actual.is_some() {
                        MilestoneStatus::Done
                    } else {
                        MilestoneStatus::Planned
                    });
            let found = position(al_ref.as_deref(), &item.code, 'M')
                .filter(|n| *n <= stored.len() && !taken[n - 1])
                .map(|n| n - 1)
                .or_else(|| {
                    stored.iter().enumerate().position(|(i, m)| {
                        !taken[i]
                            && m.planned_date == planned
                            && (m.title_en == title_en || m.title_vi == title_vi)
                    })
                });
            let (actor, item_id) = (self.actor, item.id);
            if let Some(i) = found {
                taken[i] = true;
                let m = &stored[i];
                if let Some(r) = &al_ref {
                    refs.insert(r.clone(), m.id);
                }
                let patch = updates::MilestonePatch {
                    title_vi: (m.title_vi != title_vi).then_some(title_vi),
                    title_en: (m.title_en != title_en).then_some(title_en),
                    planned_date: (m.planned_date != planned).then_some(planned),
                    actual_date: (m.actual_date != actual).then_some(actual),
                    status: (m.status != status).then_some(status),
                    evidence: None,
                };
                if patch == updates::MilestonePatch::default() {
                    self.push(row, OutcomeKind::Unchanged);
                    continue;
                }
                let id = m.id;
                let r = savepoint(&mut self.tx, async move |tx: &mut Tx| {
                    updates::update_milestone_in(tx, actor, id, &patch).await
                })
                .await;
                if let Err(e) = r {
                    row.refused(e)?;
                }
                self.push(row, OutcomeKind::Changed);
                continue;
            }
            let cmd = NewMilestone {
                item_id,
                title_vi,
                title_en,
                planned_date: planned,
                actual_date: actual,
                status,
                evidence: None,
            };
            match savepoint(&mut self.tx, async move |tx: &mut Tx| {
                ledger::record_milestone_in(tx, actor, cmd).await
            })
            .await
            {
                Ok(id) => {
                    if let Some(r) = al_ref {
                        refs.insert(r, id);
                    }
                }
                Err(e) => row.refused(e)?,
            }
            self.push(row, OutcomeKind::New);
        }
        Ok(refs)
    }
}
