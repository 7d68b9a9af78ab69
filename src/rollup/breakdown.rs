//! Splitting per-item sums over a dimension. Each row of a [`Breakdown`] is a group; the rows
//! always sum exactly to the totals, which are the plain sums of the per-item amounts.

use super::sums::ItemSum;
use crate::db::items::{AidItem, Allocation};
use crate::db::orgs::Organisation;
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

/// What a breakdown may need to know about items besides their sums.
pub struct Lookup<'a> {
    pub items: &'a [AidItem],
    pub organisations: &'a [Organisation],
    pub sectors: &'a [Allocation],
    pub localities: &'a [Allocation],
    pub units: &'a [AdminUnit],
    /// Sub-sector code → top-level code.
    pub sector_parent: &'a HashMap<String, String>,
}

fn overflow() -> Error {
    Error::conflict("overflow", "a total is too large to hold exactly")
}

#[derive(Default)]
struct Acc(BTreeMap<String, (i128, i128)>);

impl Acc {
    fn add(&mut self, key: String, vnd: i128, usd: i128) -> Result<()> {
        let e = self.0.entry(key).or_insert((0, 0));
        e.0 = e.0.checked_add(vnd).ok_or_else(overflow)?;
        e.1 = e.1.checked_add(usd).ok_or_else(overflow)?;
        Ok(())
    }
}

/// Splits `sum` over `shares` (in allocation order) and adds each part to its key.
fn add_split(acc: &mut Acc, sum: &ItemSum, shares: &[(String, u32)]) -> Result<()> {
    let bps: Vec<u32> = shares.iter().map(|(_, bp)| *bp).collect();
    let vnd = allocate_wide(sum.vnd, &bps);
    let usd = allocate_wide(sum.usd_cents, &bps);
    for (i, (key, _)) in shares.iter().enumerate() {
        acc.add(key.clone(), vnd[i], usd[i])?;
    }
    Ok(())
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
    let items: HashMap<i64, &AidItem> = look.items.iter().map(|i| (i.id, i)).collect();
    let orgs: HashMap<i64, &Organisation> = look.organisations.iter().map(|o| (o.id, o)).collect();
    let units: HashMap<&str, &AdminUnit> =
        look.units.iter().map(|u| (u.code.as_str(), u)).collect();
    let group = |list: &[Allocation]| {
        let mut m: HashMap<i64, Vec<(String, u32)>> = HashMap::new();
        for a in list {
            m.entry(a.item_id)
                .or_default()
                .push((a.code.clone(), u32::try_from(a.share_bp).unwrap_or(0)));
        }
        m
    };
    let sector_shares = group(look.sectors);
    let locality_shares = group(look.localities);
    let unallocated = || vec![("unallocated".to_string(), 10_000_u32)];
    let mut acc = Acc::default();
    let (mut total_vnd, mut total_usd) = (0_i128, 0_i128);
    for s in sums {
        total_vnd = total_vnd.checked_add(s.vnd).ok_or_else(overflow)?;
        total_usd = total_usd.checked_add(s.usd_cents).ok_or_else(overflow)?;
        let item = items.get(&s.item_id).copied();
        let org_key = |id: Option<i64>| id.map_or_else(|| "unknown".to_string(), |i| i.to_string());
        match dim {
            Dimension::Sector => add_split(
                &mut acc,
                s,
                sector_shares.get(&s.item_id).map_or(&unallocated(), |v| v),
            )?,
            Dimension::SectorGroup => {
                let shares: Vec<(String, u32)> =
                    sector_shares.get(&s.item_id).map_or_else(unallocated, |v| {
                        v.iter()
                            .map(|(c, bp)| {
                                (
                                    look.sector_parent
                                        .get(c)
                                        .cloned()
                                        .unwrap_or_else(|| c.clone()),
                                    *bp,
                                )
                            })
                            .collect()
                    });
                add_split(&mut acc, s, &shares)?;
            }
            Dimension::Locality => {
                let shares: Vec<(String, u32)> =
                    locality_shares
                        .get(&s.item_id)
                        .map_or_else(unallocated, |v| {
                            v.iter()
                                .map(|(c, bp)| (report_unit(c, s.after_reform, &units), *bp))
                                .collect()
                        });
                add_split(&mut acc, s, &shares)?;
            }
            Dimension::Donor => acc.add(org_key(item.map(|i| i.donor_id)), s.vnd, s.usd_cents)?,
            Dimension::AidOwner => {
                acc.add(org_key(item.map(|i| i.aid_owner_id)), s.vnd, s.usd_cents)?
            }
            Dimension::Country => {
                let country = item
                    .and_then(|i| orgs.get(&i.donor_id))
                    .map_or_else(|| "unknown".to_string(), |o| o.nationality.clone());
                acc.add(country, s.vnd, s.usd_cents)?;
            }
            Dimension::Region => {
                let country = item
                    .and_then(|i| orgs.get(&i.donor_id))
                    .map_or("", |o| o.nationality.as_str());
                acc.add(
                    crate::domain::item::region_of(country).to_string(),
                    s.vnd,
                    s.usd_cents,
                )?;
            }
            Dimension::Modality => acc.add(
                item.map_or_else(|| "unknown".to_string(), |i| i.modality.code().to_string()),
                s.vnd,
                s.usd_cents,
            )?,
            Dimension::Status => acc.add(
                item.map_or_else(|| "unknown".to_string(), |i| i.status.code().to_string()),
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
