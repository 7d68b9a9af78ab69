//! Splitting per-item sums over a dimension. Each row of a [`Breakdown`] is a group; the rows
//! always sum exactly to the totals, which are the plain sums of the per-item amounts.

use super::sums::ItemSum;
use crate::db::items::Allocation;
use crate::db::reference::AdminUnit;
use crate::domain::allocation::allocate_wide;
use crate::error::{Error, Result};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Sector,
    SectorGroup,
    Locality,
    Donor,
    Country,
    Region,
    Modality,
    AidOwner,
    Status,
}

impl std::str::FromStr for Dimension {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Ok(match s {
            "sector" => Dimension::Sector,
            "sector_group" => Dimension::SectorGroup,
            "locality" => Dimension::Locality,
            "donor" => Dimension::Donor,
            "country" => Dimension::Country,
            "region" => Dimension::Region,
            "modality" => Dimension::Modality,
            "aid_owner" => Dimension::AidOwner,
            "status" => Dimension::Status,
            other => {
                return Err(format!(
                    "cannot break down by \"{}\": use sector, sector_group, locality, donor, country, region, modality, aid_owner or status",
                    other.chars().take(30).collect::<String>()
                ));
            }
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BreakdownRow {
    /// The group's stable key: a sector or unit code, an organisation id, a country code…
    pub key: String,
    pub vnd: i128,
    pub usd_cents: i128,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Breakdown {
    pub rows: Vec<BreakdownRow>,
    pub total_vnd: i128,
    pub total_usd_cents: i128,
}

/// What a breakdown may need to know about items besides their sums: the lookup data with
/// its indexes, which the process keeps between requests (see [`super::LookupData::load`]).
pub struct Lookup<'a> {
    pub(super) data: &'a super::LookupData,
}

fn overflow() -> Error {
    Error::conflict("overflow", "a total is too large to hold exactly")
}

#[derive(Default)]
struct Acc(BTreeMap<String, (i128, i128)>);

impl Acc {
    fn add(&mut self, key: &str, vnd: i128, usd: i128) -> Result<()> {
        if !self.0.contains_key(key) {
            self.0.insert(key.to_string(), (0, 0));
        }
        if let Some(e) = self.0.get_mut(key) {
            e.0 = e.0.checked_add(vnd).ok_or_else(overflow)?;
            e.1 = e.1.checked_add(usd).ok_or_else(overflow)?;
        }
        Ok(())
    }
}

/// Splits `sum` over `shares` (in allocation order) and adds each part to its key.
fn add_split<K: AsRef<str>>(acc: &mut Acc, sum: &ItemSum, shares: &[(K, u32)]) -> Result<()> {
    let bps: Vec<u32> = shares.iter().map(|(_, bp)| *bp).collect();
    let vnd = allocate_wide(sum.vnd, &bps);
    let usd = allocate_wide(sum.usd_cents, &bps);
    for (i, (key, _)) in shares.iter().enumerate() {
        acc.add(key.as_ref(), vnd[i], usd[i])?;
    }
    Ok(())
}

/// An item's shares as (code, basis points) in allocation order; an item without any is
/// wholly `"unallocated"`, so nothing silently drops out of a total.
fn shares_of(list: &[Allocation]) -> Vec<(&str, u32)> {
    if list.is_empty() {
        return vec![("unallocated", 10_000)];
    }
    list.iter()
        .map(|a| (a.code.as_str(), u32::try_from(a.share_bp).unwrap_or(0)))
        .collect()
}

/// Where a unit's amounts are reported for one side of the reform: before it, communes roll
/// up to their district; after it, units that have ended follow their successor.
fn report_unit(code: &str, after_reform: bool, units: &HashMap<&str, &AdminUnit>) -> String {
    let mut current = code;
    if after_reform {
        for _ in 0..8 {
            match units.get(current) {
                Some(u) if u.valid_to.is_some() && u.successor_code.is_some() => {
                    current = u.successor_code.as_deref().unwrap_or(current)
                }
                _ => break,
            }
        }
    } else if let Some(u) = units.get(current)
        && u.level == crate::domain::item::AdminLevel::Commune
        && u.valid_to.is_some()
        && let Some(p) = &u.parent_code
    {
        current = p;
    }
    current.to_string()
}

/// Every unit's code → the unit in force today that it has become under the July 2025
/// successor mapping (itself when it has no successor).
#[must_use]
pub fn current_units(units: &[AdminUnit]) -> HashMap<String, String> {
    let by_code: HashMap<&str, &AdminUnit> = units.iter().map(|u| (u.code.as_str(), u)).collect();
    units
        .iter()
        .map(|u| (u.code.clone(), report_unit(&u.code, true, &by_code)))
        .collect()
}

/// Breaks `sums` down by `dim`. Items without allocations in a split dimension go to the key
/// `"unallocated"`, so nothing silently drops out of a total.
pub fn breakdown(sums: &[ItemSum], dim: Dimension, look: &Lookup<'_>) -> Result<Breakdown> {
    // Only the indexes the data already keeps are used per item: building maps of every
    // item and share on each call was most of a national rollup's time in Rust.
    let data = look.data;
    let units: HashMap<&str, &AdminUnit> = if dim == Dimension::Locality {
        data.units.iter().map(|u| (u.code.as_str(), u)).collect()
    } else {
        HashMap::new()
    };
    let mut acc = Acc::default();
    let (mut total_vnd, mut total_usd) = (0_i128, 0_i128);
    for s in sums {
        total_vnd = total_vnd.checked_add(s.vnd).ok_or_else(overflow)?;
        total_usd = total_usd.checked_add(s.usd_cents).ok_or_else(overflow)?;
        let item = data.item(s.item_id);
        let org_key = |id: Option<i64>| id.map_or_else(|| "unknown".to_string(), |i| i.to_string());
        let donor = || item.and_then(|i| data.organisation(i.donor_id));
        match dim {
            Dimension::Sector => add_split(&mut acc, s, &shares_of(data.sectors_of(s.item_id)))?,
            Dimension::SectorGroup => {
                let shares: Vec<(&str, u32)> = shares_of(data.sectors_of(s.item_id))
                    .into_iter()
                    .map(|(c, bp)| (data.sector_parent.get(c).map_or(c, String::as_str), bp))
                    .collect();
                add_split(&mut acc, s, &shares)?;
            }
            Dimension::Locality => {
                let shares: Vec<(String, u32)> = shares_of(data.localities_of(s.item_id))
                    .into_iter()
                    .map(|(c, bp)| match c {
                        "unallocated" => (c.to_string(), bp),
                        _ => (report_unit(c, s.after_reform, &units), bp),
                    })
                    .collect();
                add_split(&mut acc, s, &shares)?;
            }
            Dimension::Donor => acc.add(&org_key(item.map(|i| i.donor_id)), s.vnd, s.usd_cents)?,
            Dimension::AidOwner => {
                acc.add(&org_key(item.map(|i| i.aid_owner_id)), s.vnd, s.usd_cents)?
            }
            Dimension::Country => {
                let country = donor().map_or("unknown", |o| o.nationality.as_str());
                acc.add(country, s.vnd, s.usd_cents)?;
            }
            Dimension::Region => {
                let country = donor().map_or("", |o| o.nationality.as_str());
                acc.add(crate::domain::item::region_of(country), s.vnd, s.usd_cents)?;
            }
            Dimension::Modality => acc.add(
                item.map_or("unknown", |i| i.modality.code()),
                s.vnd,
                s.usd_cents,
            )?,
            Dimension::Status => acc.add(
                item.map_or("unknown", |i| i.status.code()),
                s.vnd,
                s.usd_cents,
            )?,
        }
    }
    let rows = acc
        .0
        .into_iter()
        .map(|(key, (vnd, usd_cents))| BreakdownRow {
            key,
            vnd,
            usd_cents,
        })
        .collect();
    Ok(Breakdown {
        rows,
        total_vnd,
        total_usd_cents: total_usd,
    })
}
