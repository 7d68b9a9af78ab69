//! Reads for the items pages: the filtered, sorted, paged item list with what its filters
//! offer, everything one item's page shows, and an NGO's portal. Scope is decided by
//! [`super::scope`] and [`super::queries`] exactly as for the API: NGO staff read their own
//! organisation's items only, and anything else is "not found".

use super::queries::ItemDetail;
use super::scope::{self, Scope};
use super::{Actor, Ctx};
use crate::db::audit::AuditEntry;
use crate::db::item_page::{self, NamedShare};
use crate::db::items::Allocation;
use crate::db::ledger::{self, Commitment, Disbursement, Milestone};
use crate::db::milestone_reports::MilestoneReport;
use crate::db::orgs::Organisation;
use crate::domain::Lang;
use crate::domain::role::Permission;
use crate::error::Result;
use std::collections::{BTreeSet, HashMap};

mod list;
mod portal;
mod summary;
pub use list::{ItemList, ItemQuery, ItemRow, PAGE_SIZE, SortKey, list_item_page};
pub use portal::{IssuedFigures, Portal, PortalFigures, PortalItem, portal};
pub use summary::{ItemMoney, money_by_item};

fn pick(lang: Lang, vi: &str, en: &str) -> String {
    if lang == Lang::Vi { vi } else { en }.to_string()
}

fn org_name(o: &Organisation, lang: Lang) -> String {
    pick(lang, &o.name_vi, &o.name_en)
}

/// Everything the item page shows.
pub struct ItemView {
    pub detail: ItemDetail,
    pub donor: String,
    pub funder: Option<String>,
    pub owner: String,
    pub agency: String,
    /// (name, share in basis points).
    pub sectors: Vec<(String, i64)>,
    pub localities: Vec<(String, i64)>,
    pub commitments: Vec<Commitment>,
    pub disbursements: Vec<Disbursement>,
    pub milestones: Vec<(Milestone, Vec<MilestoneReport>)>,
    /// Budgets, then planned disbursements: plans, never summed into the figures.
    pub budgets: Vec<crate::db::budgets::StoredBudget>,
    /// Committed, disbursed, remaining and rate, from the rows above.
    pub money: ItemMoney,
    /// Display names of the people the rows name.
    pub people: HashMap<i64, String>,
    /// The history of the item and its rows, newest first; `None` for NGO staff (the audit
    /// trail is read by province staff only).
    pub audit: Option<Vec<AuditEntry>>,
    /// The evidence documents of its disbursements and milestones.
    pub documents: Vec<crate::db::evidence::Document>,
}

/// Everything the item page shows, in one read transaction of about a dozen statements
/// whatever the item's size: one scope check, one statement per kind of row, names only for
/// what the item names, and its history through the audit index.
pub async fn item_view(ctx: &Ctx, actor: &Actor, id: i64, lang: Lang) -> Result<ItemView> {
    let tx = &mut ctx.store.read().await?;
    // The scope check: everything read below belongs to this item, so it is not repeated.
    let item = scope::item(tx, Scope::of(actor)?, id).await?;
    let named = |s: &NamedShare| match (&s.name_vi, &s.name_en) {
        (Some(vi), Some(en)) => pick(lang, vi, en),
        _ => s.code.clone(),
    };
    let (sector_rows, locality_rows) = item_page::shares(tx, id).await?;
    let sectors = sector_rows.iter().map(|s| (named(s), s.share_bp)).collect();
    let localities = locality_rows
        .iter()
        .map(|s| (named(s), s.share_bp))
        .collect();
    let allocation = |s: NamedShare| Allocation {
        item_id: id,
        code: s.code,
        share_bp: s.share_bp,
    };
    let detail = ItemDetail {
        item,
        sectors: sector_rows.into_iter().map(allocation).collect(),
        localities: locality_rows.into_iter().map(allocation).collect(),
    };
    let commitments = ledger::list_commitments(tx, id).await?;
    let disbursements = ledger::list_disbursements(tx, id).await?;
    let budgets = crate::db::budgets::list_for_item(tx, id).await?;
    let milestones = item_page::milestones(tx, id).await?;
    let it = &detail.item;
    let org_ids: Vec<i64> = [it.donor_id, it.aid_owner_id, it.managing_agency_id]
        .into_iter()
        .chain(it.funding_source_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let audit = if actor.require(Permission::ReadAll).is_ok() {
        Some(item_page::item_history(tx, id, 200).await?)
    } else {
        None
    };
    // The people the rows name, and those who acted in the history.
    let mut ids: BTreeSet<i64> = commitments.iter().filter_map(|c| c.entered_by).collect();
    for d in &disbursements {
        ids.extend(d.entered_by);
        ids.extend(d.verified_by);
    }
    for (_, rs) in &milestones {
        for r in rs {
            ids.insert(r.reported_by);
            ids.extend(r.decided_by);
        }
    }
    ids.extend(audit.iter().flatten().filter_map(|e| e.actor_id));
    let ids: Vec<i64> = ids.into_iter().collect();
    let (org_names, people) = item_page::names(tx, &org_ids, &ids).await?;
    let people = people.into_iter().collect();
    let orgs: HashMap<i64, String> = org_names
        .into_iter()
        .map(|o| (o.id, pick(lang, &o.name_vi, &o.name_en)))
        .collect();
    let org = |id: i64| orgs.get(&id).cloned();
    let donor = org(it.donor_id).unwrap_or_default();
    let funder = it.funding_source_id.and_then(org);
    let owner = org(it.aid_owner_id).unwrap_or_default();
    let agency = org(it.managing_agency_id).unwrap_or_default();
    let money = ItemMoney::of_rows(&commitments, &disbursements);
    let documents = super::evidence::of_items_in(tx, actor, &[&detail.item]).await?;
    Ok(ItemView {
        documents,
        money,
        detail,
        donor,
        funder,
        owner,
        agency,
        sectors,
        localities,
        commitments,
        disbursements,
        milestones,
        budgets,
        people,
        audit,
    })
}
