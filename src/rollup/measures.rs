//! The one definition of each rate the application states: the report, the dashboard and the
//! API all compute a rate or a growth here and print it with the wording here, so the same
//! period cannot show two different disbursement rates.
//!
//! - The disbursement rate is cumulative: verified disbursements to the end of the period over
//!   commitments (with their amendments and cancellations) to the end of the period, in USD.
//! - Growth compares a period with the same period a year earlier, in USD.
//!
//! USD is the basis of both because it is the currency the donors commit in and the Ministry
//! compares provinces in; the VND equivalent moves with the đồng's own exchange rate.
//! Percentages keep two decimals and are never rounded onto 100 %: a rate just under 100 %
//! is rounded down, one just over is rounded up and flagged.

use super::figures::{Figures, Pair};
use crate::domain::Lang;
use chrono::NaiveDate;

/// An exact ratio `num / den` of two amounts in the same unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Ratio {
    pub num: i128,
    pub den: i128,
}

impl Ratio {
    /// The ratio in hundredths of a percent (basis points), rounded half away from zero,
    /// except that a value that is not exactly 100 % never lands on 100.00 %.
    #[must_use]
    pub fn basis_points(&self) -> Option<i128> {
        if self.den == 0 {
            return None;
        }
        let (num, den) = if self.den < 0 {
            (self.num.checked_neg()?, self.den.checked_neg()?)
        } else {
            (self.num, self.den)
        };
        let scaled = num.checked_mul(10_000)?;
        let (q, r) = (scaled.div_euclid(den), scaled.rem_euclid(den));
        let mut bp = if r.checked_mul(2)? >= den { q + 1 } else { q };
        if bp == 10_000 && scaled != 10_000 * den {
            bp = if scaled < 10_000 * den { 9_999 } else { 10_001 };
        }
        Some(bp)
    }

    /// More than 100 %: disbursed beyond what is committed.
    #[must_use]
    pub fn over_full(&self) -> bool {
        self.den > 0 && self.num > self.den
    }

    /// "71,53%" / "71.53%", or "-" without a base.
    #[must_use]
    pub fn percent(&self, lang: Lang) -> String {
        self.basis_points()
            .map_or_else(|| "-".to_string(), |bp| percent_of_bp(bp, lang))
    }
}

/// Basis points as a percentage with two decimals in `lang`'s notation.
#[must_use]
pub fn percent_of_bp(bp: i128, lang: Lang) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let a = bp.abs();
    let sep = if lang == Lang::Vi { ',' } else { '.' };
    format!("{sign}{}{sep}{:02}%", a / 100, a % 100)
}

/// The cumulative disbursement rate to the end of the period (see the module note).
#[must_use]
pub fn disbursement_rate(f: &Figures) -> Ratio {
    rate_of(f.cumulative_disbursed, f.cumulative_committed)
}

/// The same rate at the end of the same period a year earlier.
#[must_use]
pub fn disbursement_rate_year_earlier(f: &Figures) -> Ratio {
    rate_of(
        f.year_earlier_cumulative_disbursed,
        f.year_earlier_cumulative_committed,
    )
}

/// `disbursed / committed` on the USD basis.
#[must_use]
pub fn rate_of(disbursed: Pair, committed: Pair) -> Ratio {
    Ratio {
        num: disbursed.usd_cents,
        den: committed.usd_cents,
    }
}

/// The change from `before` to `now`, relative to `before`, on the USD basis.
#[must_use]
pub fn growth(now: Pair, before: Pair) -> Ratio {
    Ratio {
        num: now.usd_cents - before.usd_cents,
        den: before.usd_cents,
    }
}

/// The name of the disbursement rate with its definition, as every place prints it.
#[must_use]
pub fn rate_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "Tỷ lệ giải ngân lũy kế (giải ngân lũy kế / cam kết lũy kế, tính theo USD)",
        Lang::En => {
            "Cumulative disbursement rate (cumulative disbursed / cumulative committed, in USD)"
        }
    }
}

/// The note after a rate above 100 %.
#[must_use]
pub fn over_full_note(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "vượt giá trị cam kết",
        Lang::En => "above the amount committed",
    }
}

/// The basis growth figures are stated on.
#[must_use]
pub fn growth_basis(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "tính theo USD",
        Lang::En => "in USD terms",
    }
}

/// The rate as printed: "71,53%", or "100,04% (vượt giá trị cam kết)".
#[must_use]
pub fn rate_text(r: Ratio, lang: Lang) -> String {
    if r.over_full() {
        format!("{} ({})", r.percent(lang), over_full_note(lang))
    } else {
        r.percent(lang)
    }
}

/// The rate in a narrow table cell: "100,04% (vượt)" / "100.04% (over)"; the table's note
/// explains the flag with [`over_full_note`].
#[must_use]
pub fn rate_cell(r: Ratio, lang: Lang) -> String {
    match (r.over_full(), lang) {
        (true, Lang::Vi) => format!("{} (vượt)", r.percent(lang)),
        (true, Lang::En) => format!("{} (over)", r.percent(lang)),
        (false, _) => r.percent(lang),
    }
}

/// The quarters a period's chart shows: each quarter of the period's year (under the
/// Vietnamese cut-off convention, the convention's quarters, from 15 December) cut to the
/// period, and only those the period covers. Codes are "2025-Q1".
#[must_use]
pub fn period_quarters(p: &crate::domain::period::Period) -> Vec<(String, NaiveDate, NaiveDate)> {
    let first = if p.vn_cutoff {
        NaiveDate::from_ymd_opt(p.year - 1, 12, 15)
    } else {
        NaiveDate::from_ymd_opt(p.year, 1, 1)
    };
    let Some(first) = first else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for q in 0..4_u32 {
        let (Some(start), Some(next)) = (
            first.checked_add_months(chrono::Months::new(3 * q)),
            first.checked_add_months(chrono::Months::new(3 * q + 3)),
        ) else {
            continue;
        };
        let Some(end) = next.pred_opt() else { continue };
        let (from, to) = (start.max(p.from), end.min(p.to));
        if from <= to {
            out.push((format!("{}-Q{}", p.year, q + 1), from, to));
        }
    }
    out
}

/// "Quý I/2025" / "Q1 2025" for a code "2025-Q1"; other codes stay as they are.
#[must_use]
pub fn quarter_label(code: &str, lang: Lang) -> String {
    let Some((year, q)) = code.split_once("-Q") else {
        return code.to_string();
    };
    let roman = match q {
        "1" => "I",
        "2" => "II",
        "3" => "III",
        "4" => "IV",
        _ => return code.to_string(),
    };
    match lang {
        Lang::Vi => format!("Quý {roman}/{year}"),
        Lang::En => format!("Q{q} {year}"),
    }
}

/// An amount of đồng as officers write it in a sentence: "29,96 tỷ đồng", "845,3 triệu
/// đồng" (two significant decimals at most, rounded half up), or exact below a million.
#[must_use]
pub fn vnd_in_words(vnd: i128, lang: Lang) -> String {
    const BILLION: i128 = 1_000_000_000;
    const MILLION: i128 = 1_000_000;
    let (unit, vi, en) = if vnd.abs() >= BILLION {
        (BILLION, "tỷ đồng", "billion")
    } else if vnd.abs() >= MILLION {
        (MILLION, "triệu đồng", "million")
    } else {
        let exact = crate::domain::money::format_sum(vnd, crate::domain::Currency::VND, lang);
        return match lang {
            Lang::Vi => format!("{exact} đồng"),
            Lang::En => format!("VND {exact}"),
        };
    };
    let number = scaled(vnd, unit, lang);
    match lang {
        Lang::Vi => format!("{number} {vi}"),
        Lang::En => format!("VND {number} {en}"),
    }
}

/// An amount of US cents in a sentence: "1,16 triệu USD" / "USD 1.16 million", "845,3
/// nghìn USD", or exact below a thousand dollars.
#[must_use]
pub fn usd_in_words(cents: i128, lang: Lang) -> String {
    const MILLION: i128 = 100_000_000;
    const THOUSAND: i128 = 100_000;
    let (unit, vi, en) = if cents.abs() >= MILLION {
        (MILLION, "triệu USD", "million")
    } else if cents.abs() >= THOUSAND {
        (THOUSAND, "nghìn USD", "thousand")
    } else {
        let exact = crate::domain::money::format_sum(cents, crate::domain::Currency::USD, lang);
        return match lang {
            Lang::Vi => format!("{exact} USD"),
            Lang::En => format!("USD {exact}"),
        };
    };
    let number = scaled(cents, unit, lang);
    match lang {
        Lang::Vi => format!("{number} {vi}"),
        Lang::En => format!("USD {number} {en}"),
    }
}

/// `value / unit` with at most two decimals, rounded half away from zero, in `lang`'s notation.
fn scaled(value: i128, unit: i128, lang: Lang) -> String {
    let hundredths = (value.abs() * 100 + unit / 2) / unit;
    let sign = if value < 0 { "-" } else { "" };
    let whole =
        crate::domain::money::format_sum(hundredths / 100, crate::domain::Currency::VND, lang);
    let sep = if lang == Lang::Vi { ',' } else { '.' };
    let number = match hundredths % 100 {
        0 => whole,
        f if f % 10 == 0 => format!("{whole}{sep}{}", f / 10),
        f => format!("{whole}{sep}{f:02}"),
    };
    format!("{sign}{number}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn rates_never_round_onto_one_hundred() {
        let r = |num, den| Ratio { num, den }.basis_points();
        assert_eq!(r(1, 2), Some(5_000));
        assert_eq!(r(999_999, 1_000_000), Some(9_999));
        assert_eq!(r(1_000_001, 1_000_000), Some(10_001));
        assert_eq!(r(1_000_000, 1_000_000), Some(10_000));
        assert_eq!(r(10_004, 10_000), Some(10_004));
        assert_eq!(r(1, 0), None);
        assert!(
            Ratio {
                num: 10_004,
                den: 10_000
            }
            .over_full()
        );
        assert_eq!(
            rate_text(
                Ratio {
                    num: 10_004,
                    den: 10_000
                },
                Lang::Vi
            ),
            "100,04% (vượt giá trị cam kết)"
        );
        assert_eq!(Ratio { num: -1, den: 3 }.percent(Lang::En), "-33.33%");
    }

    #[test]
    fn amounts_in_words_follow_officers_usage() {
        assert_eq!(vnd_in_words(29_960_161_622, Lang::Vi), "29,96 tỷ đồng");
        assert_eq!(vnd_in_words(29_960_161_622, Lang::En), "VND 29.96 billion");
        assert_eq!(vnd_in_words(845_300_000, Lang::Vi), "845,3 triệu đồng");
        assert_eq!(vnd_in_words(2_000_000_000, Lang::Vi), "2 tỷ đồng");
        assert_eq!(
            vnd_in_words(1_234_567_890_123, Lang::Vi),
            "1.234,57 tỷ đồng"
        );
        assert_eq!(vnd_in_words(950_000, Lang::Vi), "950.000 đồng");
    }

    #[test]
    fn quarters_are_the_periods_own() {
        use crate::domain::period::{Period, PeriodKind};
        let h1 = Period::of(2025, PeriodKind::Half(1), false);
        let q: Vec<String> = period_quarters(&h1).into_iter().map(|x| x.0).collect();
        assert_eq!(q, ["2025-Q1", "2025-Q2"]);
        let cut = Period::of(2025, PeriodKind::Half(1), true);
        let q = period_quarters(&cut);
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].1, NaiveDate::from_ymd_opt(2024, 12, 15).unwrap());
        assert_eq!(q[1].2, NaiveDate::from_ymd_opt(2025, 6, 14).unwrap());
        assert_eq!(quarter_label("2025-Q1", Lang::Vi), "Quý I/2025");
        assert_eq!(quarter_label("2025-Q4", Lang::En), "Q4 2025");
    }
}
