//! The item list: filtered, sorted and paged, with what its filters offer. NGO staff see
//! their own organisation's items only ([`super::super::scope`]).

use super::summary::money_of_items;
use super::{ItemMoney, money_by_item, org_name, pick};
use crate::actions::queries;
use crate::actions::scope::Scope;
use crate::actions::{Actor, Ctx};
use crate::db::items::AidItem;
use crate::db::items_views;
use crate::domain::Lang;
use crate::domain::item::{ItemStatus, Modality};
use crate::domain::period::Period;
use crate::error::{Error, Result};
use crate::rollup::LookupData;
use std::collections::{BTreeSet, HashMap};

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
        Scope::Organisation(_) => std::sync::Arc::new(look.restricted(|i| scope.sees_item(i))),
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
    let unit_parent = look.unit_parents();
    let shared = queries::ItemMatch::new(
        &look,
        scope,
        (q.status, q.modality, q.donor_id),
        q.q.as_deref(),
    );
    let folded = look.folded(queries::search_key);
    let mut hits: Vec<usize> = look
        .items
        .iter()
        .enumerate()
        .filter(|(ix, i)| shared.keeps(*ix, i))
        .filter(|(_, i)| {
            q.sector.as_deref().is_none_or(|s| {
                look.sectors_of(i.id)
                    .iter()
                    .any(|a| a.code == s || look.sector_parent.get(&a.code).is_some_and(|p| p == s))
            })
        })
        .filter(|(_, i)| {
            q.locality.as_deref().is_none_or(|l| {
                look.localities_of(i.id)
                    .iter()
                    .any(|a| crate::rollup::unit_within(&unit_parent, &a.code, l))
            })
        })
        .filter(|(_, i)| {
            q.period.is_none_or(|p| {
                (i.planned_start <= p.to && i.planned_end >= p.from)
                    || in_period.as_ref().is_some_and(|s| s.contains(&i.id))
            })
        })
        .map(|(ix, _)| ix)
        .collect();
    // Money is read for every item only when the list sorts by it; otherwise for the page.
    let by_money = matches!(
        q.sort,
        SortKey::Committed | SortKey::Disbursed | SortKey::Rate
    );
    let all_money = if by_money {
        money_by_item(tx).await?
    } else {
        HashMap::new()
    };
    let money_of = |id: i64| all_money.get(&id).copied().unwrap_or_default();
    let donor_key: HashMap<i64, String> = hits
        .iter()
        .filter_map(|ix| look.items.get(*ix).map(|i| i.donor_id))
        .collect::<BTreeSet<i64>>()
        .into_iter()
        .map(|id| {
            let name = look.organisation(id).map(|o| org_name(o, lang));
            (id, queries::search_key(&name.unwrap_or_default()))
        })
        .collect();
    let empty = String::new();
    let title = |ix: usize| {
        folded
            .get(ix)
            .map_or(&empty, |f| if lang == Lang::Vi { &f[1] } else { &f[2] })
    };
    let item = |ix: usize| &look.items[ix];
    hits.sort_by(|&a, &b| {
        let (x, y) = (item(a), item(b));
        let primary = match q.sort {
            SortKey::Code => std::cmp::Ordering::Equal,
            SortKey::Title => title(a).cmp(title(b)),
            SortKey::Donor => donor_key.get(&x.donor_id).cmp(&donor_key.get(&y.donor_id)),
            SortKey::Status => x.status.label(lang).cmp(y.status.label(lang)),
            SortKey::PlannedStart => x.planned_start.cmp(&y.planned_start),
            SortKey::Committed => money_of(x.id)
                .committed
                .usd_cents
                .cmp(&money_of(y.id).committed.usd_cents),
            SortKey::Disbursed => money_of(x.id)
                .disbursed
                .usd_cents
                .cmp(&money_of(y.id).disbursed.usd_cents),
            SortKey::Rate => money_of(x.id)
                .rate()
                .basis_points()
                .cmp(&money_of(y.id).rate().basis_points()),
        };
        primary.then_with(|| x.code.cmp(&y.code))
    });
    if q.desc {
        hits.reverse();
    }
    let total = hits.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = q.page.clamp(1, pages);
    let shown: Vec<&AidItem> = hits
        .iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|ix| item(*ix))
        .collect();
    let page_money = if by_money {
        all_money
    } else {
        let ids: Vec<i64> = shown.iter().map(|i| i.id).collect();
        money_of_items(tx, &ids).await?
    };
    let rows = shown
        .into_iter()
        .map(|i| ItemRow {
            item: i.clone(),
            donor: look
                .organisation(i.donor_id)
                .map(|o| org_name(o, lang))
                .unwrap_or_default(),
            money: page_money.get(&i.id).copied().unwrap_or_default(),
        })
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
