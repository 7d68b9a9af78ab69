//! The choices that make one demo item: which NGO gives it, in which sectors and localities,
//! who owns it on the Vietnamese side, in which currency, how large it is, how many people
//! benefit, and under which decree and authority it is approved. Pure functions of the random
//! stream and the dates.

use super::date;
use super::names::{NGOS, OWNERS};
use super::reference::{DISTRICTS, NEW_UNITS, OLD_UNITS, REFORM, SUB_SECTORS};
use super::rng::{Rng, round_significant};
use crate::domain::Currency;
use crate::domain::item::Modality;
use chrono::NaiveDate;

const DECREE_80: NaiveDate = date(2020, 8, 28);
const DECREE_313: NaiveDate = date(2025, 12, 8);
const CITY: NaiveDate = date(2025, 1, 1);

/// The decree an item is approved under, by approval date (emergency relief has its own).
#[must_use]
pub fn legal_basis(approved: NaiveDate, emergency: bool) -> &'static str {
    if emergency {
        "50/2020/NĐ-CP"
    } else if approved < DECREE_80 {
        "93/2009/NĐ-CP"
    } else if approved < DECREE_313 {
        "80/2020/NĐ-CP"
    } else {
        "313/2025/NĐ-CP"
    }
}

/// Who signs the approval: the Prime Minister for aid touching security and defence,
/// otherwise the Chairperson of the provincial (from 2025, city) People's Committee.
#[must_use]
pub fn authority(approved: NaiveDate, prime_minister: bool) -> &'static str {
    if prime_minister {
        "Thủ tướng Chính phủ"
    } else if approved < CITY {
        "Chủ tịch UBND tỉnh Thừa Thiên Huế"
    } else {
        "Chủ tịch UBND thành phố Huế"
    }
}

/// Relative weight of each donor country, so the value by region lands near the national
/// pattern (Europe ~40 %, North America ~36 %, Asia ~23 %).
fn country_factor(country: &str) -> u32 {
    match country {
        "US" | "CA" => 7,
        "KR" | "JP" => 14,
        "AU" => 5,
        _ => 7,
    }
}

/// A donor whose certificate is still valid on `on`, registered in `sector` if given.
pub fn donor(rng: &mut Rng, on: NaiveDate, sector: Option<&str>) -> usize {
    let weights: Vec<u32> = NGOS
        .iter()
        .map(|n| {
            let ok = n.valid_to >= on && sector.is_none_or(|s| n.sectors.contains(&s));
            if ok {
                n.weight * country_factor(n.country)
            } else {
                0
            }
        })
        .collect();
    rng.weighted(&weights)
}

fn subs_of(top: &str) -> Vec<&'static str> {
    SUB_SECTORS
        .iter()
        .map(|s| s.0)
        .filter(|c| c.split('.').next() == Some(top))
        .collect()
}

/// One to three sub-sectors of the donor's registered sectors, the first the main one. Regular
/// items in the emergency sector are about preparedness or rebuilding, not relief.
pub fn sectors(rng: &mut Rng, donor: usize, emergency: bool) -> Vec<(String, u32)> {
    let regs = NGOS[donor].sectors;
    let candidates = |top: &str| -> Vec<&'static str> {
        let all = subs_of(top);
        match (top, emergency) {
            ("EMERG", true) => vec!["EMERG.RELIEF", "EMERG.RELIEF", "EMERG.FOOD", "EMERG.RECON"],
            ("EMERG", false) => vec!["EMERG.DRR", "EMERG.RECON"],
            _ => all,
        }
    };
    let main_top = if emergency {
        "EMERG"
    } else {
        regs[rng.index(regs.len())]
    };
    let main = candidates(main_top);
    let mut codes = vec![main[rng.index(main.len())]];
    let extra = if emergency {
        usize::from(rng.chance(20))
    } else {
        rng.weighted(&[60, 30, 10])
    };
    for _ in 0..extra {
        let top = regs[rng.index(regs.len())];
        let pool = if top == main_top && emergency {
            main.clone()
        } else {
            candidates(top)
        };
        let c = pool[rng.index(pool.len())];
        if !codes.contains(&c) {
            codes.push(c);
        }
    }
    let shares = rng.split_bp(codes.len());
    codes.into_iter().map(str::to_string).zip(shares).collect()
}

/// An aid owner that works in `top` and existed on `on`; local People's Committees less often.
pub fn owner(rng: &mut Rng, on: NaiveDate, top: &str) -> usize {
    let weights: Vec<u32> = OWNERS
        .iter()
        .map(|o| {
            if on < o.from || on > o.until {
                0
            } else if o.sectors.contains(&top) {
                6
            } else if o.sectors.is_empty() {
                1
            } else {
                0
            }
        })
        .collect();
    rng.weighted(&weights)
}

/// One to three localities valid on `on`: old communes or whole districts before the reform,
/// new communes after it; inside the owner's own area when the owner is a local committee.
pub fn localities(rng: &mut Rng, on: NaiveDate, owner: usize) -> Vec<(String, u32)> {
    let before = on < REFORM;
    let mut pool: Vec<&str> = match (OWNERS[owner].area, before) {
        (Some(area), true) => {
            let mut v: Vec<&str> = OLD_UNITS
                .iter()
                .filter(|u| u.1 == area)
                .map(|u| u.0)
                .collect();
            if rng.chance(30) {
                v = vec![area];
            }
            v
        }
        (Some(area), false) => vec![area],
        (None, true) if rng.chance(20) => DISTRICTS.iter().map(|d| d.0).collect(),
        (None, true) => OLD_UNITS.iter().map(|u| u.0).collect(),
        (None, false) => NEW_UNITS.iter().map(|u| u.0).collect(),
    };
    let want = (rng.weighted(&[60, 30, 10]) + 1).min(pool.len());
    let mut codes = Vec::new();
    while codes.len() < want {
        let i = rng.index(pool.len());
        codes.push(pool.remove(i));
    }
    let shares = rng.split_bp(codes.len());
    codes.into_iter().map(str::to_string).zip(shares).collect()
}

fn parse(code: &str) -> Currency {
    code.parse().unwrap_or(Currency::USD)
}

/// The currency an NGO of `country` gives in: its own for most projects, often đồng for
/// small in-kind and relief aid bought in Viet Nam.
pub fn currency(rng: &mut Rng, country: &str, modality: Modality) -> Currency {
    let local = matches!(modality, Modality::NonProject | Modality::EmergencyRelief);
    if local && rng.chance(55) {
        return Currency::VND;
    }
    let (own, percent) = match country {
        "DE" | "FR" | "NL" => ("EUR", 70),
        "KR" => ("KRW", 55),
        "JP" => ("JPY", 60),
        "AU" => ("AUD", 65),
        _ => ("USD", 0),
    };
    if rng.chance(percent) {
        parse(own)
    } else {
        Currency::USD
    }
}

/// The original committed value in minor units of `cur`: heavy-tailed within the realistic
/// ranges (non-project VND 50 million–2 billion, projects USD 20k–500k), three significant
/// digits, converted to `cur` with round figures (no rate table needed).
pub fn value(rng: &mut Rng, modality: Modality, cur: Currency) -> i64 {
    // Sizes in US cents; đồng-denominated kinds are drawn in đồng (250 VND per cent).
    let cents = match modality {
        Modality::InvestmentProject => rng.log_uniform(50_000, 500_000) * 100,
        Modality::TechnicalAssistance | Modality::Programme => {
            rng.log_uniform(20_000, 300_000) * 100
        }
        Modality::NonProject => rng.log_uniform(50_000_000, 2_000_000_000) / 250,
        Modality::EmergencyRelief => rng.log_uniform(100_000_000, 3_000_000_000) / 250,
    };
    let (num, den) = match cur.code() {
        "VND" => (250, 1),
        "EUR" => (23, 25),
        "KRW" => (13, 1),
        "JPY" => (29, 20),
        "AUD" => (3, 2),
        _ => (1, 1),
    };
    let minor = cents * num / den;
    let unit = 10_i64.pow(cur.minor_units());
    round_significant((minor / unit).max(1), 3) * unit
}

/// Whether a date falls in the COVID-19 period, when small health aid was mostly supplies.
#[must_use]
pub fn covid(on: NaiveDate) -> bool {
    on >= date(2020, 2, 1) && on <= date(2021, 12, 31)
}

/// A beneficiary count in words, two significant digits, Vietnamese digit grouping.
pub fn beneficiaries(rng: &mut Rng, lo: i64, hi: i64) -> Option<String> {
    let n = round_significant(rng.log_uniform(lo, hi), 2);
    let text = crate::domain::money::format_parts(n, 0, ".", ",");
    Some(format!("{text} người hưởng lợi trực tiếp"))
}
