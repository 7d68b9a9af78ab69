//! Reads for the items pages: the filtered, sorted, paged item list with what its filters
//! offer, everything one item's page shows, and an NGO's portal. Scope is decided by
//! [`super::scope`] and [`super::queries`] exactly as for the API: NGO staff read their own
//! organisation's items only, and anything else is "not found".

use super::queries::{self, ItemDetail};
use super::scope::Scope;
use super::{Actor, Ctx};
use crate::db::audit::{self, AuditEntry};
use crate::db::items::AidItem;
use crate::db::ledger::{Commitment, Disbursement, Milestone};
use crate::db::milestone_reports::{self, MilestoneReport};
use crate::db::orgs::{self, Organisation};
use crate::db::{Tx, items_views, reference, users};
use crate::domain::Lang;
use crate::domain::item::{ItemStatus, Modality};
use crate::domain::period::Period;
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use crate::rollup::LookupData;
use std::collections::{BTreeSet, HashMap};

mod portal;
mod summary;
pub use portal::{IssuedFigures, Portal, PortalFigures, PortalItem, portal};
pub use summary::{ItemMoney, money_by_item};

/// The columns the item list sorts by. The list opens on the newest items: by planned start,
/// latest first ([`SortKey::DEFAULT_DESC`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    Code,
    Title,
    Donor,
    Status,
    #[default]
    PlannedStart,
    Committed,
    Disbursed,
    Rate,
}

impl SortKey {
    pub const ALL: &'static [SortKey] = &[
        SortKey::Code,
        SortKey::Title,
        SortKey::Donor,
        SortKey::Status,
        SortKey::PlannedStart,
        SortKey::Committed,
        SortKey::Disbursed,
        SortKey::Rate,
    ];

    /// The default sort runs descending: newest first.
    pub const DEFAULT_DESC: bool = true;

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            SortKey::Code => "code",
            SortKey::Title => "title",
            SortKey::Donor => "donor",
            SortKey::Status => "status",
            SortKey::PlannedStart => "start",
            SortKey::Committed => "committed",
            SortKey::Disbursed => "disbursed",
            SortKey::Rate => "rate",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<SortKey> {
        SortKey::ALL.iter().copied().find(|k| k.code() == s)
    }
}

/// Which page of which items. An item is in `period` when it has a commitment or a
/// disbursement dated in it, or its planned dates overlap it.
#[derive(Debug, Clone, Default)]
pub struct ItemQuery {
    pub status: Option<ItemStatus>,
    pub modality: Option<Modality>,
    /// A sector or a sector group: an item matches when one of its shares is in it.
    pub sector: Option<String>,
    /// An administrative unit: an item matches when one of its localities is in it.
    pub locality: Option<String>,
    pub donor_id: Option<i64>,
    pub period: Option<Period>,
    pub q: Option<String>,
    pub sort: SortKey,
    pub desc: bool,
    /// 1-based; a page past the end shows the last page.
    pub page: usize,
}

pub const PAGE_SIZE: usize = 25;

pub struct ItemRow {
    pub item: AidItem,
    pub donor: String,
    /// Committed, disbursed and rate to date (see [`summary`]).
    pub money: ItemMoney,
}

pub struct ItemList {
    pub rows: Vec<ItemRow>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    /// What the filters offer: (id or code, name in the reader's language).
    pub donors: Vec<(i64, String)>,
    pub sectors: Vec<(String, String)>,
    pub localities: Vec<(String, String)>,
}

fn pick(lang: Lang, vi: &str, en: &str) -> String {
    if lang == Lang::Vi { vi } else { en }.to_string()
}

fn org_name(o: &Organisation, lang: Lang) -> String {
    pick(lang, &o.name_vi, &o.name_en)
}

pub async fn list_item_page(
    ctx: &Ctx,
    actor: &Actor,
    q: &ItemQuery,
    lang: Lang,
) -> Result<ItemList> {
    let tx = &mut ctx.store.read().await?;
    let scope = Scope::of(actor)?;
    if q.q.as_deref().is_some_and(|s| s.chars().count() > 200) {
        return Err(Error::invalid(
            "q",
            "too_long",
            "a search text may have at most 200 characters",
        ));
    }
    let look = LookupData::load(tx).await?;
    let look = match scope {
        Scope::All => look,
        Scope::Organisation(_) => look.restricted(|i| scope.sees_item(i)),
    };
    let in_period: Option<BTreeSet<i64>> = match q.period {
        Some(p) => Some(
            items_views::items_with_money_between(tx, p.from, p.to)
                .await?
                .into_iter()
                .collect(),
        ),
        None => None,
    };
    let unit_parent: HashMap<&str, &str> = look
        .units
        .iter()
        .filter_map(|u| u.parent_code.as_deref().map(|p| (u.code.as_str(), p)))
        .collect();
    let in_unit = |code: &str, want: &str| {
        let mut at = Some(code);
        for _ in 0..6 {
            match at {
                Some(c) if c == want => return true,
                Some(c) => at = unit_parent.get(c).copied(),
                None => return false,
            }
        }
        false
    };
    // Two grouped sums for every item, not one query per row: the list sorts by them.
    let money = money_by_item(tx).await?;
    let text = q.q.as_deref().map(queries::search_key);
    let text = text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let donor_of = |i: &AidItem| {
        look.organisation(i.donor_id)
            .map(|o| org_name(o, lang))
            .unwrap_or_default()
    };
    let mut rows: Vec<ItemRow> = look
        .items
        .iter()
        .filter(|i| scope.sees_item(i))
        .filter(|i| q.status.is_none_or(|s| i.status == s))
        .filter(|i| q.modality.is_none_or(|m| i.modality == m))
        .filter(|i| q.donor_id.is_none_or(|d| i.donor_id == d))
        .filter(|i| {
            q.sector.as_deref().is_none_or(|s| {
                look.sectors_of(i.id)
                    .iter()
                    .any(|a| a.code == s || look.sector_parent.get(&a.code).is_some_and(|p| p == s))
            })
        })
        .filter(|i| {
            q.locality
                .as_deref()
                .is_none_or(|l| look.localities_of(i.id).iter().any(|a| in_unit(&a.code, l)))
        })
        .filter(|i| {
            q.period.is_none_or(|p| {
                (i.planned_start <= p.to && i.planned_end >= p.from)
                    || in_period.as_ref().is_some_and(|s| s.contains(&i.id))
            })
        })
        .filter(|i| {
            text.is_none_or(|t| {
                [&i.code, &i.title_vi, &i.title_en]
                    .iter()
                    .any(|f| queries::search_key(f).contains(t))
            })
        })
        .map(|i| ItemRow {
            item: i.clone(),
            donor: donor_of(i),
            money: money.get(&i.id).copied().unwrap_or_default(),
        })
        .collect();
    let title = |i: &AidItem| queries::search_key(&pick(lang, &i.title_vi, &i.title_en));
    rows.sort_by(|a, b| {
        let (x, y) = (&a.item, &b.item);
        let primary = match q.sort {
            SortKey::Code => std::cmp::Ordering::Equal,
            SortKey::Title => title(x).cmp(&title(y)),
            SortKey::Donor => queries::search_key(&a.donor).cmp(&queries::search_key(&b.donor)),
            SortKey::Status => x.status.label(lang).cmp(y.status.label(lang)),
            SortKey::PlannedStart => x.planned_start.cmp(&y.planned_start),
            SortKey::Committed => a
                .money
                .committed
                .usd_cents
                .cmp(&b.money.committed.usd_cents),
            SortKey::Disbursed => a
                .money
                .disbursed
                .usd_cents
                .cmp(&b.money.disbursed.usd_cents),
            SortKey::Rate => a
                .money
                .rate()
                .basis_points()
                .cmp(&b.money.rate().basis_points()),
        };
        primary.then_with(|| x.code.cmp(&y.code))
    });
    if q.desc {
        rows.reverse();
    }
    let total = rows.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = q.page.clamp(1, pages);
    let rows = rows
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    let donor_ids: BTreeSet<i64> = look
        .items
        .iter()
        .filter(|i| scope.sees_item(i))
        .map(|i| i.donor_id)
        .collect();
    let mut donors: Vec<(i64, String)> = donor_ids
        .into_iter()
        .filter_map(|id| look.organisation(id).map(|o| (id, org_name(o, lang))))
        .collect();
    donors.sort_by_key(|(_, n)| queries::search_key(n));
    let sectors = look
        .sector_list
        .iter()
        .map(|s| (s.code.clone(), pick(lang, &s.name_vi, &s.name_en)))
        .collect();
    // Only the units some item is allocated to, and the units above them.
    let mut used: BTreeSet<&str> = BTreeSet::new();
    for a in &look.localities {
        let mut at = Some(a.code.as_str());
        while let Some(c) = at {
            if !used.insert(c) {
                break;
            }
            at = unit_parent.get(c).copied();
        }
    }
    let localities = look
        .units
        .iter()
        .filter(|u| used.contains(u.code.as_str()))
        .map(|u| (u.code.clone(), pick(lang, &u.name_vi, &u.name_en)))
        .collect();
    Ok(ItemList {
        rows,
        total,
        page,
        pages,
        donors,
        sectors,
        localities,
    })
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
}

async fn name_of(tx: &mut Tx, id: Option<i64>, lang: Lang) -> Result<Option<String>> {
    Ok(match id {
        Some(id) => orgs::get_organisation(tx, id)
            .await?
            .map(|o| org_name(&o, lang)),
        None => None,
    })
}

async fn people(tx: &mut Tx, ids: impl IntoIterator<Item = i64>) -> Result<HashMap<i64, String>> {
    let mut out = HashMap::new();
    for id in ids.into_iter().collect::<BTreeSet<_>>() {
        if let Some(u) = users::get_user(tx, id).await? {
            out.insert(id, u.display_name);
        }
    }
    Ok(out)
}

pub async fn item_view(ctx: &Ctx, actor: &Actor, id: i64, lang: Lang) -> Result<ItemView> {
    let tx = &mut ctx.store.read().await?;
    let detail = queries::get_item_in(tx, actor, id).await?;
    let commitments = queries::list_commitments_in(tx, actor, id).await?;
    let disbursements = queries::list_disbursements_in(tx, actor, id).await?;
    // The item was read through its scope check above, so its plans may be shown.
    let budgets = crate::db::budgets::list_for_item(tx, id).await?;
    let mut milestones = Vec::new();
    for m in queries::list_milestones_in(tx, actor, id).await? {
        let reports = milestone_reports::list_reports(tx, m.id).await?;
        milestones.push((m, reports));
    }
    let sector_names: HashMap<String, String> = reference::list_sectors(tx)
        .await?
        .into_iter()
        .map(|s| (s.code, pick(lang, &s.name_vi, &s.name_en)))
        .collect();
    let unit_names: HashMap<String, String> = reference::list_admin_units(tx)
        .await?
        .into_iter()
        .map(|u| (u.code, pick(lang, &u.name_vi, &u.name_en)))
        .collect();
    let named = |names: &HashMap<String, String>, code: &str| {
        names.get(code).cloned().unwrap_or_else(|| code.to_string())
    };
    let sectors = detail
        .sectors
        .iter()
        .map(|a| (named(&sector_names, &a.code), a.share_bp))
        .collect();
    let localities = detail
        .localities
        .iter()
        .map(|a| (named(&unit_names, &a.code), a.share_bp))
        .collect();
    let it = &detail.item;
    let donor = name_of(tx, Some(it.donor_id), lang)
        .await?
        .unwrap_or_default();
    let funder = name_of(tx, it.funding_source_id, lang).await?;
    let owner = name_of(tx, Some(it.aid_owner_id), lang)
        .await?
        .unwrap_or_default();
    let agency = name_of(tx, Some(it.managing_agency_id), lang)
        .await?
        .unwrap_or_default();
    let mut ids: Vec<i64> = commitments.iter().filter_map(|c| c.entered_by).collect();
    for d in &disbursements {
        ids.extend(d.entered_by);
        ids.extend(d.verified_by);
    }
    for (_, rs) in &milestones {
        for r in rs {
            ids.push(r.reported_by);
            ids.extend(r.decided_by);
        }
    }
    let people = people(tx, ids).await?;
    let audit = if actor.require(Permission::ReadAll).is_ok() {
        let mut keys: Vec<(&str, i64)> = vec![("aid_item", id), ("item_budget", id)];
        keys.extend(commitments.iter().map(|c| ("commitment", c.id)));
        keys.extend(disbursements.iter().map(|d| ("disbursement", d.id)));
        keys.extend(milestones.iter().map(|(m, _)| ("milestone", m.id)));
        for (_, rs) in &milestones {
            keys.extend(rs.iter().map(|r| ("milestone_report", r.id)));
        }
        let mut all = Vec::new();
        for (entity, eid) in keys {
            let key = eid.to_string();
            all.extend(audit::list_filtered(tx, Some(entity), Some(&key), None, None, 200).await?);
        }
        all.sort_by_key(|e| std::cmp::Reverse(e.id));
        all.truncate(200);
        Some(all)
    } else {
        None
    };
    // The history names the people who acted too, not only those the rows name.
    let mut people = people;
    if let Some(entries) = &audit {
        let more: Vec<i64> = entries
            .iter()
            .filter_map(|e| e.actor_id)
            .filter(|id| !people.contains_key(id))
            .collect();
        people.extend(self::people(tx, more).await?);
    }
    let money = ItemMoney::of_rows(&commitments, &disbursements);
    Ok(ItemView {
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
