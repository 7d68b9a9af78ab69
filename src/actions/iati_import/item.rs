//! An activity as an aid item: titles in Vietnamese and English (a title in another language
//! stands in for the missing English one, as it is), dates, status, sectors and localities,
//! then creating the item or updating the one already imported under its identifier.
//!
//! What IATI has no element for comes from aidledger's `al:` attributes when our export wrote
//! the file; otherwise: the item code is the activity identifier (its last 40 characters);
//! the modality is emergency relief for a humanitarian activity, else programme; the form is
//! cash; the legal basis names the IATI activity. The ledger only moves an item past the
//! pipeline with its approval decision (number, date, authority), which only aidledger's
//! attributes carry, so an activity without one is imported as pipeline whatever its IATI
//! status, and a re-import without one leaves the stored status alone.
//!
//! Sectors and localities are mapped in [`super::places`]. Allocations and organisations of
//! an existing item stay as created, as in the forms; a file that changes them is refused.
use super::orgs::Parties;
use super::{Importer, Row};
use crate::actions::sheets::savepoint;
use crate::actions::updates::ItemPatch;
use crate::db::Tx;
use crate::db::items::{AidItem, NewAidItem};
use crate::domain::item::{AidForm, ItemStatus, Modality};
use crate::error::Result;
use crate::import::activities::{Activity, Text};
use crate::interchange::preview::{Change, OutcomeKind};
use chrono::NaiveDate;

/// The item an activity was applied to.
pub(crate) struct ItemRef {
    pub id: i64,
    pub code: String,
    pub donor_id: i64,
    pub outcome: OutcomeKind,
    /// aidledger wrote the file (the activity carries `al:code`).
    pub ours: bool,
}

/// A text as (Vietnamese, English): each in its language (a narrative without one is in the
/// activity's language); a missing one takes the other language's text, or any given.
pub(crate) fn bilingual(t: &Text, default_lang: Option<&str>) -> Option<(String, String)> {
    let vi = t.in_lang("vi", default_lang);
    let en = t.in_lang("en", default_lang);
    let other =
        t.0.iter()
            .find(|n| n.lang.as_deref().or(default_lang) != Some("vi"))
            .map(|n| n.text.as_str());
    let vi = vi.or(en).or_else(|| t.first())?;
    let en = en.or(other).unwrap_or(vi);
    Some((vi.to_string(), en.to_string()))
}

fn item_status(a: &Activity) -> ItemStatus {
    if let Some(s) = a.al.get("status").and_then(|s| s.parse().ok()) {
        return s;
    }
    match a.status.as_deref() {
        Some("2" | "3") => ItemStatus::Implementing,
        Some("4") => ItemStatus::Completed,
        Some("5") => ItemStatus::Cancelled,
        Some("6") => ItemStatus::Suspended,
        _ => ItemStatus::Pipeline,
    }
}

impl Importer<'_> {
    /// The item the activity describes, created or updated; `None` when it has problems.
    pub(super) async fn item(
        &mut self,
        a: &Activity,
        p: Parties,
        row: &mut Row,
    ) -> Result<Option<ItemRef>> {
        let lang = a.lang.as_deref();
        let code = a.al.get("code").cloned().unwrap_or_else(|| {
            let chars: Vec<char> = a.identifier.chars().collect();
            chars[chars.len().saturating_sub(40)..].iter().collect()
        });
        let (title_vi, title_en) = bilingual(&a.title, lang).unwrap_or_else(|| {
            row.problem(
                Some("title"),
                "title_required",
                "",
                "the activity has no title",
            );
            Default::default()
        });
        let date = |k: &str| a.date(k);
        let (planned_start, planned_end) =
            match (date("1").or(date("2")), date("3").or(date("4"))) {
                (Some(s), Some(e)) => (s, e),
                _ => {
                    row.problem(
                    Some("activity-date"), "dates_required",
                    "",
                    "the activity needs a start date (type 1 or 2) and an end date (type 3 or 4)",
                );
                    (NaiveDate::default(), NaiveDate::default())
                }
            };
        let al_date = |k: &str| {
            a.al.get(k)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        };
        let sectors = self.sectors(a, row);
        let localities = self.localities(a, planned_start, planned_end, row);
        let mut legal: String =
            a.al.get("legal-basis")
                .cloned()
                .unwrap_or_else(|| format!("IATI activity {}", a.identifier));
        if legal.chars().count() > 100 {
            legal = legal.chars().take(100).collect();
        }
        let mut cmd = NewAidItem {
            code: code.clone(),
            title_vi,
            title_en,
            modality: a.al.get("modality").and_then(|m| m.parse().ok()).unwrap_or(
                if a.humanitarian {
                    Modality::EmergencyRelief
                } else {
                    Modality::Programme
                },
            ),
            form: a
                .al
                .get("form")
                .and_then(|f| f.parse().ok())
                .unwrap_or(AidForm::Cash),
            donor_id: p.donor.unwrap_or(0),
            funding_source_id: p.funding_source,
            aid_owner_id: p.aid_owner.unwrap_or(0),
            managing_agency_id: p.managing_agency.unwrap_or(0),
            approval_number: a.al.get("approval-number").cloned(),
            approval_date: al_date("approval-date"),
            approval_authority: a.al.get("approval-authority").cloned(),
            legal_basis: legal,
            planned_start,
            planned_end,
            actual_start: date("2"),
            actual_end: date("4"),
            status: item_status(a),
            beneficiaries: a
                .descriptions
                .iter()
                .find(|(k, _)| k.as_deref() == Some("3"))
                .and_then(|(_, t)| t.first().map(str::to_string)),
            sectors,
            localities,
        };
        if p.donor.is_none() || !row.problems.is_empty() {
            return Ok(None);
        }
        let existing = match self.by_identifier.get(&a.identifier) {
            Some(&id) => Some(id),
            None => self.by_code.get(&code).copied(),
        };
        let ours = a.al.contains_key("code");
        let Some(id) = existing else {
            let approved = cmd.approval_number.is_some()
                && cmd.approval_date.is_some()
                && cmd.approval_authority.is_some();
            if !approved && !matches!(cmd.status, ItemStatus::Cancelled) {
                cmd.status = ItemStatus::Pipeline;
            }
            let (actor, ident) = (self.actor, a.identifier.clone());
            let donor_id = cmd.donor_id;
            let r = savepoint(&mut self.tx, async move |tx: &mut Tx| {
                let id = crate::actions::items::create_item_in(tx, actor, cmd).await?;
                crate::db::iati::set_item_identifier(tx, id, &ident).await?;
                Ok(id)
            })
            .await;
            return match r {
                Ok(id) => {
                    self.by_identifier.insert(a.identifier.clone(), id);
                    self.by_code.insert(code.clone(), id);
                    Ok(Some(ItemRef {
                        id,
                        code,
                        donor_id,
                        outcome: OutcomeKind::New,
                        ours,
                    }))
                }
                Err(e) => {
                    row.refused(e)?;
                    Ok(None)
                }
            };
        };
        self.update(a, id, cmd, row).await
    }

    /// Updates a stored item to what the file says of it (titles, status, approval, dates,
    /// beneficiaries); blank in the file means unchanged.
    async fn update(
        &mut self,
        a: &Activity,
        id: i64,
        cmd: NewAidItem,
        row: &mut Row,
    ) -> Result<Option<ItemRef>> {
        let Some(stored) = crate::db::items::get_item(&mut self.tx, id).await? else {
            return Ok(None);
        };
        let known: Option<String> = self
            .by_identifier
            .iter()
            .find(|(_, v)| **v == id)
            .map(|(k, _)| k.clone());
        if known.as_deref().is_some_and(|k| k != a.identifier) {
            row.problem(
                Some("iati-identifier"),
                "identifier_taken",
                &a.identifier,
                format!(
                    "item {} is already the IATI activity {}",
                    stored.code,
                    known.unwrap_or_default()
                ),
            );
            return Ok(None);
        }
        let (sectors, localities) = crate::db::items::item_allocations(&mut self.tx, id).await?;
        let same = |stored: &[crate::db::items::Allocation], new: &[(String, u32)]| {
            stored.len() == new.len()
                && stored
                    .iter()
                    .zip(new)
                    .all(|(s, (c, bp))| s.code == *c && s.share_bp == i64::from(*bp))
        };
        if !same(&sectors, &cmd.sectors) || !same(&localities, &cmd.localities) {
            row.problem(None, "allocations_changed", "", format!("the sector or locality shares differ from item {}'s; an item's allocations stay as created (a change there is a new item)", stored.code));
        }
        let orgs = [
            (stored.donor_id, cmd.donor_id),
            (stored.aid_owner_id, cmd.aid_owner_id),
            (stored.managing_agency_id, cmd.managing_agency_id),
        ];
        if orgs.iter().any(|(s, n)| s != n) || stored.funding_source_id != cmd.funding_source_id {
            row.problem(Some("participating-org"), "organisations_changed", "", format!("the organisations differ from item {}'s; an item's organisations stay as created", stored.code));
        }
        if !row.problems.is_empty() {
            return Ok(None);
        }
        let (patch, mut changes) = patch_of(&stored, &cmd);
        if known.is_none() {
            changes.push(Change {
                column: "iati_identifier",
                old: String::new(),
                new: a.identifier.clone(),
            });
        }
        let outcome = if changes.is_empty() {
            OutcomeKind::Unchanged
        } else {
            OutcomeKind::Changed
        };
        row.changes = changes;
        if outcome == OutcomeKind::Changed {
            let (actor, ident) = (self.actor, a.identifier.clone());
            let r = savepoint(&mut self.tx, async move |tx: &mut Tx| {
                if patch != ItemPatch::default() {
                    crate::actions::updates::update_item_in(tx, actor, id, &patch).await?;
                }
                crate::db::iati::set_item_identifier(tx, id, &ident).await
            })
            .await;
            if let Err(e) = r {
                row.refused(e)?;
                return Ok(None);
            }
            self.by_identifier.insert(a.identifier.clone(), id);
        }
        Ok(Some(ItemRef {
            id,
            code: stored.code,
            donor_id: stored.donor_id,
            outcome,
            ours: a.al.contains_key("code"),
        }))
    }
}

/// The patch taking `stored` to what the file says, and the changed fields, old → new.
fn patch_of(stored: &AidItem, cmd: &NewAidItem) -> (ItemPatch, Vec<Change>) {
    let mut p = ItemPatch::default();
    let mut changes = Vec::new();
    let mut note = |column: &'static str, old: String, new: String| {
        changes.push(Change { column, old, new });
    };
    let opt = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    if cmd.title_vi != stored.title_vi {
        note("title_vi", stored.title_vi.clone(), cmd.title_vi.clone());
        p.title_vi = Some(cmd.title_vi.clone());
    }
    if cmd.title_en != stored.title_en {
        note("title_en", stored.title_en.clone(), cmd.title_en.clone());
        p.title_en = Some(cmd.title_en.clone());
    }
    for (col, new, old, slot) in [
        (
            "approval_number",
            &cmd.approval_number,
            &stored.approval_number,
            &mut p.approval_number,
        ),
        (
            "approval_authority",
            &cmd.approval_authority,
            &stored.approval_authority,
            &mut p.approval_authority,
        ),
        (
            "beneficiaries",
            &cmd.beneficiaries,
            &stored.beneficiaries,
            &mut p.beneficiaries,
        ),
    ] {
        if new.is_some() && new != old {
            note(
                col,
                old.clone().unwrap_or_default(),
                new.clone().unwrap_or_default(),
            );
            *slot = Some(new.clone());
        }
    }
    for (col, new, old, slot) in [
        (
            "approval_date",
            cmd.approval_date,
            stored.approval_date,
            &mut p.approval_date,
        ),
        (
            "actual_start",
            cmd.actual_start,
            stored.actual_start,
            &mut p.actual_start,
        ),
        (
            "actual_end",
            cmd.actual_end,
            stored.actual_end,
            &mut p.actual_end,
        ),
    ] {
        if new.is_some() && new != old {
            note(col, opt(old), opt(new));
            *slot = Some(new);
        }
    }
    if cmd.planned_start != stored.planned_start {
        note(
            "planned_start",
            stored.planned_start.to_string(),
            cmd.planned_start.to_string(),
        );
        p.planned_start = Some(cmd.planned_start);
    }
    if cmd.planned_end != stored.planned_end {
        note(
            "planned_end",
            stored.planned_end.to_string(),
            cmd.planned_end.to_string(),
        );
        p.planned_end = Some(cmd.planned_end);
    }
    // The status follows the file only with an approval decision behind it (see the module).
    let approved = p
        .approval_number
        .clone()
        .flatten()
        .or(stored.approval_number.clone())
        .is_some();
    if cmd.status != stored.status
        && (approved || matches!(cmd.status, ItemStatus::Pipeline | ItemStatus::Cancelled))
    {
        note(
            "status",
            stored.status.code().into(),
            cmd.status.code().into(),
        );
        p.status = Some(cmd.status);
    }
    (p, changes)
}
