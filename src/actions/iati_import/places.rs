//! Sectors and places of an activity as the ledger's sector and locality shares (basis points).
//!
//! Sectors: the ledger code in `al:code`, else the DAC purpose code (vocabulary 1) or category
//! (2) through [`crate::domain::dac`], else a ledger code given in vocabulary 98/99; IATI lets
//! each vocabulary sum to 100 on its own, so one vocabulary is used, the most precise given.
//! Unknown codes are named. Locations: the administrative unit whose code is the location's
//! `ref`, else the one whose Vietnamese or English name matches, ignoring case and diacritics
//! (the full name first, then without a leading "xã", "phường", … or trailing "commune",
//! "ward", …), and that was valid when the activity started, since the 2025 reform replaced
//! districts and communes (one valid at some time during the activity when none was at its
//! start). An unmatched or ambiguous place is the coordinator's to choose: the problem lists
//! the candidates and their validity. Shares the file does not give are equal.

use super::{Importer, Row};
use crate::db::Tx;
use crate::db::reference::{AdminUnit, Sector};
use crate::error::Result;
use crate::import::activities::Activity;
use crate::interchange::template::fold;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The reference data places and sectors are matched against.
pub(crate) struct Reference {
    pub sectors: Vec<Sector>,
    pub units: Vec<AdminUnit>,
}

impl Reference {
    pub async fn load(tx: &mut Tx) -> Result<Reference> {
        Ok(Reference {
            sectors: crate::db::reference::list_sectors(tx).await?,
            units: crate::db::reference::list_admin_units(tx).await?,
        })
    }
}

/// Leading and trailing words naming a unit's kind, folded, which a name may or may not carry.
const KIND_WORDS: &[&str] = &[
    "thanh pho ",
    "thi xa ",
    "thi tran ",
    "phuong ",
    "xa ",
    "huyen ",
    "quan ",
    "tinh ",
];
const KIND_SUFFIXES: &[&str] = &[
    " ward",
    " commune",
    " district",
    " town",
    " township",
    " city",
    " province",
];

fn bare(name: &str) -> String {
    let mut n = fold(name);
    for w in KIND_WORDS {
        if let Some(rest) = n.strip_prefix(w) {
            n = rest.to_string();
            break;
        }
    }
    for w in KIND_SUFFIXES {
        if let Some(rest) = n.strip_suffix(w) {
            n = rest.to_string();
            break;
        }
    }
    n
}

fn valid_on(u: &AdminUnit, d: NaiveDate) -> bool {
    u.valid_from <= d && u.valid_to.is_none_or(|t| t >= d)
}

fn shown_unit(u: &AdminUnit) -> String {
    match u.valid_to {
        Some(t) => format!("{} {} (until {t})", u.code, u.name_vi),
        None => format!("{} {} (since {})", u.code, u.name_vi, u.valid_from),
    }
}

/// A percentage as basis points, if it has at most two decimals and is in range.
fn basis_points(p: Decimal) -> Option<u32> {
    let bp = p * Decimal::ONE_HUNDRED;
    use rust_decimal::prelude::ToPrimitive;
    (bp.fract().is_zero() && bp > Decimal::ZERO)
        .then(|| bp.to_u32())
        .flatten()
}

impl Importer<'_> {
    pub(super) fn sectors(&self, a: &Activity, row: &mut Row) -> Vec<(String, u32)> {
        let vocab = |s: &crate::import::activities::Sector| {
            s.vocabulary.clone().unwrap_or_else(|| "1".into())
        };
        // IATI lets each vocabulary sum to 100 on its own; one is used, the most precise.
        let chosen = ["1", "2", "99", "98"]
            .into_iter()
            .find(|v| a.sectors.iter().any(|s| vocab(s) == *v));
        let used: Vec<_> = a
            .sectors
            .iter()
            .filter(|s| s.al_code.is_some() || Some(vocab(s).as_str()) == chosen)
            .collect();
        let mut out: BTreeMap<String, u32> = BTreeMap::new();
        for s in &used {
            let v = vocab(s);
            let code = s.al_code.clone().or_else(|| match v.as_str() {
                "1" | "2" => {
                    crate::domain::dac::ledger_sector(Some(&v), &s.code).map(str::to_string)
                }
                _ => Some(s.code.clone()),
            });
            let Some(code) = code.filter(|c| self.reference.sectors.iter().any(|x| &x.code == c))
            else {
                row.problem(
                    Some("sector"), "unknown_sector",
                    &s.code,
                    format!("sector code {} (vocabulary {v}, line {}) matches none of the ledger's sectors", s.code, s.line),
                );
                continue;
            };
            let bp = match s.percentage {
                None if used.len() == 1 => Some(10_000),
                None => None,
                Some(p) => basis_points(p),
            };
            let Some(bp) = bp else {
                row.problem(
                    Some("sector"),
                    "invalid_share",
                    &s.percentage.map(|p| p.to_string()).unwrap_or_default(),
                    format!(
                        "sector {} (line {}) needs a percentage above 0 with at most two decimals",
                        s.code, s.line
                    ),
                );
                continue;
            };
            *out.entry(code).or_default() += bp;
        }
        if a.sectors.is_empty() {
            row.problem(
                Some("sector"),
                "sector_required",
                "",
                "the activity names no sector; the ledger needs at least one",
            );
        }
        out.into_iter().collect()
    }

    pub(super) fn localities(
        &self,
        a: &Activity,
        start: NaiveDate,
        end: NaiveDate,
        row: &mut Row,
    ) -> Vec<(String, u32)> {
        let units = &self.reference.units;
        let n = u32::try_from(a.locations.len()).unwrap_or(u32::MAX).max(1);
        let mut out: BTreeMap<String, u32> = BTreeMap::new();
        for (i, l) in a.locations.iter().enumerate() {
            let by_ref = l
                .reference
                .as_deref()
                .and_then(|r| units.iter().find(|u| u.code == r));
            let unit = by_ref.or_else(|| {
                // The full name first ("A Luoi district"), then without the kind of unit
                // ("A Luoi"), which old and new units may share.
                let by = |f: fn(&str) -> String| -> Vec<&AdminUnit> {
                    let names: Vec<String> = l.name.0.iter().map(|x| f(&x.text)).collect();
                    units
                        .iter()
                        .filter(|u| names.iter().any(|x| !x.is_empty() && (*x == f(&u.name_vi) || *x == f(&u.name_en))))
                        .collect()
                };
                let exact = by(fold);
                let named = if exact.is_empty() { by(bare) } else { exact };
                let at_start: Vec<&AdminUnit> = named.iter().copied().filter(|u| valid_on(u, start)).collect();
                let during: Vec<&AdminUnit> = named
                    .iter()
                    .copied()
                    .filter(|u| u.valid_from <= end && u.valid_to.is_none_or(|t| t >= start))
                    .collect();
                let pick = if at_start.is_empty() { &during } else { &at_start };
                if pick.len() == 1 {
                    return Some(pick[0]);
                }
                let shown = l.name.first().or(l.reference.as_deref()).unwrap_or("");
                let code = if named.is_empty() {
                    "unknown_place"
                } else {
                    "ambiguous_place"
                };
                let message = if named.is_empty() {
                    format!("location \"{shown}\" (line {}) matches no administrative unit by code or name: give the unit's code as its ref", l.line)
                } else {
                    let list: Vec<String> = named.iter().map(|u| shown_unit(u)).collect();
                    format!(
                        "location \"{shown}\" (line {}) matches {} for the activity's dates ({start} to {end}); choose one by giving its code as the location's ref: {}",
                        l.line,
                        if pick.is_empty() { "no unit valid" } else { "several units" },
                        list.join(", ")
                    )
                };
                row.problem(Some("location"), code, shown, message);
                None
            });
            let Some(unit) = unit else { continue };
            let bp = l
                .al_share_bp
                .and_then(|b| u32::try_from(b).ok())
                .unwrap_or_else(|| {
                    // Shares the file does not give are equal, the remainder going to the first.
                    10_000 / n + u32::from(u32::try_from(i).unwrap_or(u32::MAX) < 10_000 % n)
                });
            *out.entry(unit.code.clone()).or_default() += bp;
        }
        if a.locations.is_empty() {
            row.problem(
                Some("location"),
                "location_required",
                "",
                "the activity names no location; the ledger needs at least one administrative unit",
            );
        }
        out.into_iter().collect()
    }
}
