//! Exact sums of converted money by period and by dimension.
//!
//! The database does what it does exactly: integer `SUM` of the stored converted amounts per
//! aid item (and per side of the 1 July 2025 reform, because localities are reported by
//! district before it and by commune after). Rust then splits each item's sum over its sector
//! or locality shares with the largest-remainder method, so every breakdown's rows add up to
//! its total to the last đồng and cent, whatever the dimension.

pub mod breakdown;
pub mod figures;
pub mod sums;
pub mod table;

pub use breakdown::{Breakdown, BreakdownRow, Dimension};
pub use sums::{Flow, ItemSum, Window, item_sums};

use crate::db::{Tx, items, orgs, reference};
use crate::error::Result;
use std::collections::HashMap;

/// Everything a breakdown looks up, loaded once per rollup in the rollup's transaction.
pub struct LookupData {
    pub items: Vec<crate::db::items::AidItem>,
    pub organisations: Vec<crate::db::orgs::Organisation>,
    pub sectors: Vec<crate::db::items::Allocation>,
    pub localities: Vec<crate::db::items::Allocation>,
    pub units: Vec<crate::db::reference::AdminUnit>,
    pub sector_list: Vec<crate::db::reference::Sector>,
    pub sector_parent: HashMap<String, String>,
}

impl LookupData {
    pub async fn load(tx: &mut Tx) -> Result<LookupData> {
        let sector_list = reference::list_sectors(tx).await?;
        let sector_parent = sector_list
            .iter()
            .filter_map(|s| s.parent_code.clone().map(|p| (s.code.clone(), p)))
            .collect();
        Ok(LookupData {
            items: items::list_items(tx).await?,
            organisations: orgs::list_organisations(tx, None).await?,
            sectors: items::all_sector_allocations(tx).await?,
            localities: items::all_locality_allocations(tx).await?,
            units: reference::list_admin_units(tx).await?,
            sector_list,
            sector_parent,
        })
    }

    #[must_use]
    pub fn lookup(&self) -> breakdown::Lookup<'_> {
        breakdown::Lookup {
            items: &self.items,
            organisations: &self.organisations,
            sectors: &self.sectors,
            localities: &self.localities,
            units: &self.units,
            sector_parent: &self.sector_parent,
        }
    }
}
