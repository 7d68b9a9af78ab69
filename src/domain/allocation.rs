//! Splitting an amount over sectors or localities by percentage so that the parts always sum
//! to the whole.
//!
//! Shares are integer basis points (hundredths of a percent, so `12.50 %` is 1250) and must
//! sum to exactly 10 000. Each part is first floored, then the minor units left over go one by
//! one to the parts with the largest remainders (ties to the earlier part), the
//! largest-remainder method. Negative amounts (cancellations, reversals) are split as their
//! absolute value and negated, so a reversal exactly undoes its entry in every breakdown.
#![deny(clippy::float_arithmetic)]

use std::str::FromStr;

pub const WHOLE_BP: u32 = 10_000;

/// A percentage with at most two decimals, held as basis points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Share(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    #[error("share \"{0}\" is not a percentage such as 40 or 12.5")]
    Malformed(String),
    #[error("share \"{0}\" has more than two decimal places")]
    TooPrecise(String),
    #[error("share \"{0}\" must be more than 0 and at most 100")]
    OutOfRange(String),
    #[error("shares add up to {0} %, not 100 %")]
    NotWhole(String),
    #[error("no shares given: at least one is needed, adding up to 100 %")]
    Empty,
    #[error("\"{0}\" appears more than once")]
    Duplicate(String),
}

impl Share {
    pub fn from_bp(bp: u32) -> Result<Self, ShareError> {
        if bp == 0 || bp > WHOLE_BP {
            return Err(ShareError::OutOfRange(format_bp(bp)));
        }
        Ok(Share(bp))
    }

    #[must_use]
    pub fn bp(self) -> u32 {
        self.0
    }

    /// `"12.50"` style text for tables and JSON.
    #[must_use]
    pub fn percent_text(self) -> String {
        format_bp(self.0)
    }
}

fn format_bp(bp: u32) -> String {
    format!("{}.{:02}", bp / 100, bp % 100)
}

impl FromStr for Share {
    type Err = ShareError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let shown: String = s.chars().take(20).collect();
        let (i, f) = s.split_once('.').unwrap_or((s, ""));
        let ok = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if i.is_empty() || i.len() > 3 || !ok(i) || !ok(f) || (s.contains('.') && f.is_empty()) {
            return Err(ShareError::Malformed(shown));
        }
        if f.len() > 2 {
            return Err(ShareError::TooPrecise(shown));
        }
        let whole: u32 = i
            .parse()
            .map_err(|_| ShareError::Malformed(shown.clone()))?;
        let frac: u32 = if f.is_empty() {
            0
        } else {
            format!("{f:0<2}")
                .parse()
                .map_err(|_| ShareError::Malformed(shown.clone()))?
        };
        Share::from_bp(whole * 100 + frac).map_err(|_| ShareError::OutOfRange(shown))
    }
}

/// Checks that a list of keyed shares is non-empty, has no repeated key and sums to 100 %.
pub fn validate_shares<K: PartialEq + ToString>(shares: &[(K, Share)]) -> Result<(), ShareError> {
    if shares.is_empty() {
        return Err(ShareError::Empty);
    }
    for (i, (k, _)) in shares.iter().enumerate() {
        if shares[..i].iter().any(|(o, _)| o == k) {
            return Err(ShareError::Duplicate(k.to_string()));
        }
    }
    let total: u32 = shares.iter().map(|(_, s)| s.bp()).sum();
    if total != WHOLE_BP {
        return Err(ShareError::NotWhole(format_bp(total)));
    }
    Ok(())
}

/// Splits `amount` (minor units) by `shares` (basis points summing to 10 000). The result has
/// one part per share, in the same order, and the parts sum to `amount` exactly.
///
/// Shares that do not sum to 10 000 are scaled by their own total, so a caller holding an
/// unvalidated list still gets parts that sum to the whole (and an empty list gets nothing).
#[must_use]
pub fn allocate(amount: i64, shares: &[u32]) -> Vec<i64> {
    allocate_wide(i128::from(amount), shares)
        .into_iter()
        // Every part is at most |amount|, which came from an i64, so it fits.
        .map(|p| i64::try_from(p).unwrap_or(if p < 0 { i64::MIN } else { i64::MAX }))
        .collect()
}

/// [`allocate`] for sums, which are held in `i128` so that no total of accepted rows can
/// overflow. The arithmetic is exact for any `|amount| * 10 000` below `u128::MAX`, far beyond
/// any sum the ledger can hold.
#[must_use]
pub fn allocate_wide(amount: i128, shares: &[u32]) -> Vec<i128> {
    let total: u128 = shares.iter().map(|&s| u128::from(s)).sum();
    if total == 0 {
        return vec![0; shares.len()];
    }
    let negative = amount < 0;
    let whole = amount.unsigned_abs();
    let mut parts: Vec<u128> = Vec::with_capacity(shares.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(shares.len());
    for (i, &s) in shares.iter().enumerate() {
        let exact = whole.saturating_mul(u128::from(s));
        parts.push(exact / total);
        remainders.push((exact % total, i));
    }
    let given: u128 = parts.iter().sum();
    let mut left = whole - given;
    // Largest remainder first; ties go to the earlier part so the split is deterministic.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in &remainders {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts
        .into_iter()
        .map(|p| {
            // Every part is at most |amount|, an i128, so it fits.
            let p = i128::try_from(p).unwrap_or(i128::MAX);
            if negative { -p } else { p }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_by_largest_remainder() {
        assert_eq!(allocate(100, &[3334, 3333, 3333]), vec![34, 33, 33]);
        assert_eq!(allocate(10, &[3333, 3333, 3334]), vec![3, 3, 4]);
        assert_eq!(allocate(1, &[5000, 5000]), vec![1, 0]);
        assert_eq!(allocate(-1, &[5000, 5000]), vec![-1, 0]);
        assert_eq!(
            allocate(i64::MIN, &[5000, 5000])
                .iter()
                .map(|&p| i128::from(p))
                .sum::<i128>(),
            i128::from(i64::MIN)
        );
        assert!(allocate(5, &[]).is_empty());
    }

    #[test]
    fn shares_parse_and_validate() {
        assert_eq!("12.5".parse::<Share>().unwrap().bp(), 1250);
        assert_eq!("100".parse::<Share>().unwrap().bp(), 10_000);
        for bad in ["0", "100.01", "12.345", "-5", "1e2", "", "5.", "abc"] {
            assert!(bad.parse::<Share>().is_err(), "{bad}");
        }
        let s = |k: &str, v: &str| (k.to_string(), v.parse::<Share>().unwrap());
        assert!(validate_shares(&[s("a", "60"), s("b", "40")]).is_ok());
        assert!(
            matches!(validate_shares(&[s("a", "60"), s("b", "39.99")]), Err(ShareError::NotWhole(t)) if t == "99.99")
        );
        assert!(matches!(
            validate_shares(&[s("a", "50"), s("a", "50")]),
            Err(ShareError::Duplicate(_))
        ));
        assert!(matches!(
            validate_shares::<String>(&[]),
            Err(ShareError::Empty)
        ));
    }

    fn shares_summing_to_whole() -> impl Strategy<Value = Vec<u32>> {
        proptest::collection::vec(1_u32..10_000, 0..7).prop_map(|mut cuts| {
            cuts.sort_unstable();
            cuts.dedup();
            let mut out = Vec::new();
            let mut prev = 0;
            for c in cuts.into_iter().chain(std::iter::once(WHOLE_BP)) {
                out.push(c - prev);
                prev = c;
            }
            out
        })
    }

    proptest! {
        #[test]
        fn parts_always_sum_to_the_whole(amount in any::<i64>(), shares in shares_summing_to_whole()) {
            let parts = allocate(amount, &shares);
            prop_assert_eq!(parts.len(), shares.len());
            prop_assert_eq!(parts.iter().map(|&p| i128::from(p)).sum::<i128>(), i128::from(amount));
        }

        #[test]
        fn each_part_is_within_one_unit_of_its_exact_share(amount in -1_000_000_000_000_i64..1_000_000_000_000, shares in shares_summing_to_whole()) {
            for (p, s) in allocate(amount, &shares).iter().zip(&shares) {
                let exact = i128::from(amount) * i128::from(*s);
                let diff = (i128::from(*p) * 10_000 - exact).abs();
                prop_assert!(diff < 10_000, "part {} share {}", p, s);
            }
        }

        #[test]
        fn a_reversal_undoes_its_entry(amount in any::<i64>().prop_filter("negatable", |a| *a != i64::MIN), shares in shares_summing_to_whole()) {
            let a = allocate(amount, &shares);
            let b = allocate(-amount, &shares);
            prop_assert!(a.iter().zip(&b).all(|(x, y)| x + y == 0));
        }
    }
}
