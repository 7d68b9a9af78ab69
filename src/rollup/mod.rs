//! Exact sums of converted money by period and by dimension.
//!
//! The database does what it does exactly: integer `SUM` of the stored converted amounts per
//! aid item (and per side of the 1 July 2025 reform, because localities are reported by
//! district before it and by commune after). Rust then splits each item's sum over its sector
//! or locality shares with the largest-remainder method, so every breakdown's rows add up to
//! its total to the last đồng and cent, whatever the dimension.

pub mod breakdown;
mod cache;
mod comparisons;
pub mod figures;
pub mod kinds;
pub mod measures;
pub mod progress;
pub mod sums;
pub mod table;

pub use breakdown::{Breakdown, BreakdownRow, Dimension};
pub use sums::{Flow, ItemSum, Window, item_sums};

use crate::db::{Tx, items, orgs, reference};
use crate::error::Result;
use std::collections::HashMap;
use std::sync::Arc;

/// Everything a breakdown looks up, loaded once per rollup in the rollup's transaction.
pub struct LookupData {
    pub items: Vec<crate::db::items::AidItem>,
    pub organisations: Vec<crate::db::orgs::Organisation>,
    pub sectors: Vec<crate::db::items::Allocation>,
    pub localities: Vec<crate::db::items::Allocation>,
    pub units: Vec<crate::db::reference::AdminUnit>,
    pub sector_list: Vec<crate::db::reference::Sector>,
    pub sector_parent: HashMap<String, String>,
    /// Indexes so look-ups stay constant-time at national scale (50,000 items).
    item_index: HashMap<i64, usize>,
    org_index: HashMap<i64, usize>,
    sector_ranges: HashMap<i64, std::ops::Range<usize>>,
    locality_ranges: HashMap<i64, std::ops::Range<usize>>,
    /// Each item's code and titles folded for search and sorting, made on first use by the
    /// item list and kept with the cached copy (see [`LookupData::folded`]).
    folded: std::sync::OnceLock<Vec<[String; 3]>>,
}

/// Where each item's rows start and end in a list sorted by item id.
fn ranges(list: &[crate::db::items::Allocation]) -> HashMap<i64, std::ops::Range<usize>> {
    let mut m: HashMap<i64, std::ops::Range<usize>> = HashMap::new();
    for (i, a) in list.iter().enumerate() {
        m.entry(a.item_id)
            .and_modify(|r| r.end = i + 1)
            .or_insert(i..i + 1);
    }
    m
}

impl LookupData {
    /// The lookup data as `tx` sees it: the copy this process already holds when the
    /// database's `lookup_version` still has the value it was read with, else read afresh
    /// (see [`cache`]). At national scale a fresh read is most of a rollup's time.
    pub async fn load(tx: &mut Tx) -> Result<Arc<LookupData>> {
        let version = cache::version(tx).await?;
        if let Some(hit) = cache::get(version) {
            return Ok(hit);
        }
        let _reading = cache::READING.lock().await;
        if let Some(hit) = cache::get(version) {
            return Ok(hit);
        }
        let fresh = Arc::new(LookupData::read(tx).await?);
        cache::put(version, Arc::clone(&fresh));
        Ok(fresh)
    }

    async fn read(tx: &mut Tx) -> Result<LookupData> {
        let sector_list = reference::list_sectors(tx).await?;
        let sector_parent = sector_list
            .iter()
            .filter_map(|s| s.parent_code.clone().map(|p| (s.code.clone(), p)))
            .collect();
        let items = items::list_items(tx).await?;
        let organisations = orgs::list_organisations(tx, None).await?;
        let sectors = items::all_sector_allocations(tx).await?;
        let localities = items::all_locality_allocations(tx).await?;
        Ok(LookupData {
            item_index: items.iter().enumerate().map(|(i, x)| (x.id, i)).collect(),
            org_index: organisations
                .iter()
                .enumerate()
                .map(|(i, x)| (x.id, i))
                .collect(),
            sector_ranges: ranges(&sectors),
            locality_ranges: ranges(&localities),
            folded: std::sync::OnceLock::new(),
            items,
            organisations,
            sectors,
            localities,
            units: reference::list_admin_units(tx).await?,
            sector_list,
            sector_parent,
        })
    }

    /// The same data cut down to the items `keep` accepts and the organisations those items
    /// name, so a table built from it cannot show anyone else's names or amounts (an NGO
    /// user's rollup covers only its own items).
    #[must_use]
    pub fn restricted(&self, keep: impl Fn(&crate::db::items::AidItem) -> bool) -> LookupData {
        let items: Vec<_> = self.items.iter().filter(|i| keep(i)).cloned().collect();
        let ids: std::collections::HashSet<i64> = items.iter().map(|i| i.id).collect();
        let named: std::collections::HashSet<i64> = items
            .iter()
            .flat_map(|i| {
                [i.donor_id, i.aid_owner_id, i.managing_agency_id]
                    .into_iter()
                    .chain(i.funding_source_id)
            })
            .collect();
        let organisations: Vec<_> = self
            .organisations
            .iter()
            .filter(|o| named.contains(&o.id))
            .cloned()
            .collect();
        let sectors: Vec<_> = self
            .sectors
            .iter()
            .filter(|a| ids.contains(&a.item_id))
            .cloned()
            .collect();
        let localities: Vec<_> = self
            .localities
            .iter()
            .filter(|a| ids.contains(&a.item_id))
            .cloned()
            .collect();
        LookupData {
            item_index: items.iter().enumerate().map(|(i, x)| (x.id, i)).collect(),
            org_index: organisations
                .iter()
                .enumerate()
                .map(|(i, x)| (x.id, i))
                .collect(),
            sector_ranges: ranges(&sectors),
            locality_ranges: ranges(&localities),
            folded: std::sync::OnceLock::new(),
            items,
            organisations,
            sectors,
            localities,
            units: self.units.clone(),
            sector_list: self.sector_list.clone(),
            sector_parent: self.sector_parent.clone(),
        }
    }

    /// `fold` of every item (code, Vietnamese title, English title), in item order, made once
    /// per copy: the item list searches and sorts by them on every request.
    pub fn folded(&self, fold: impl Fn(&str) -> String) -> &[[String; 3]] {
        self.folded.get_or_init(|| {
            self.items
                .iter()
                .map(|i| [fold(&i.code), fold(&i.title_vi), fold(&i.title_en)])
                .collect()
        })
    }

    #[must_use]
    pub fn item(&self, id: i64) -> Option<&crate::db::items::AidItem> {
        self.item_index.get(&id).and_then(|i| self.items.get(*i))
    }

    #[must_use]
    pub fn organisation(&self, id: i64) -> Option<&crate::db::orgs::Organisation> {
        self.org_index
            .get(&id)
            .and_then(|i| self.organisations.get(*i))
    }

    /// The item's sector shares, in allocation order.
    #[must_use]
    pub fn sectors_of(&self, id: i64) -> &[crate::db::items::Allocation] {
        self.sector_ranges
            .get(&id)
            .and_then(|r| self.sectors.get(r.clone()))
            .unwrap_or(&[])
    }

    /// The item's locality shares, in allocation order.
    #[must_use]
    pub fn localities_of(&self, id: i64) -> &[crate::db::items::Allocation] {
        self.locality_ranges
            .get(&id)
            .and_then(|r| self.localities.get(r.clone()))
            .unwrap_or(&[])
    }

    /// Each administrative unit's parent unit, by code (for [`unit_within`]).
    #[must_use]
    pub fn unit_parents(&self) -> HashMap<&str, &str> {
        self.units
            .iter()
            .filter_map(|u| u.parent_code.as_deref().map(|p| (u.code.as_str(), p)))
            .collect()
    }

    #[must_use]
    pub fn lookup(&self) -> breakdown::Lookup<'_> {
        breakdown::Lookup { data: self }
    }
}

/// Whether this process keeps its copies of the lookup data between reads (see
/// [`LookupData::load`]). A server does; a command that runs once (a report, an export) should
/// not, so that its one copy is freed as soon as its output no longer needs it.
pub fn keep_lookup_copies(keep: bool) {
    cache::keep(keep);
}

/// Whether unit `key` is `code` or lies inside it, following `parents` (from
/// [`LookupData::unit_parents`]) a few levels up; the bound also stops a cycle.
#[must_use]
pub fn unit_within(parents: &HashMap<&str, &str>, key: &str, code: &str) -> bool {
    let mut at = key;
    for _ in 0..8 {
        if at == code {
            return true;
        }
        match parents.get(at) {
            Some(p) => at = p,
            None => return false,
        }
    }
    false
}
