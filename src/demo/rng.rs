//! The demo's only source of variation: SplitMix64, a tiny seeded generator, and the few
//! integer helpers the generator needs (uniform ranges, weighted picks, percentage splits and
//! heavy-tailed amounts). No floats and no clock, so the same seed gives the same data set on
//! every machine and on both database backends. Each part of the data set draws from its own
//! named stream ([`Rng::stream`]), so adding a field in one part does not reshuffle the others.

/// SplitMix64 (Steele, Lea and Flood 2014): 64 bits of state, full period, good enough mixing
/// for demo data. Not for anything secret.
#[derive(Debug, Clone)]
pub struct Rng(u64);

/// The seed of the whole demo data set.
pub const SEED: u64 = 0x4855_4520_4149_4431; // "HUE AID1"

/// 10^(k/20) × 1000 for k in 0..20: twenty log-spaced steps per decade, for heavy tails.
const LOG_STEPS: [i64; 20] = [
    1000, 1122, 1259, 1413, 1585, 1778, 1995, 2239, 2512, 2818, 3162, 3548, 3981, 4467, 5012, 5623,
    6310, 7079, 7943, 8913,
];

impl Rng {
    #[cfg(test)]
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// An independent stream named `label`, derived from [`SEED`] with FNV-1a.
    #[must_use]
    pub fn stream(label: &str) -> Self {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in label.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        Rng(SEED ^ h)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0), without modulo bias.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// Uniform in `lo..=hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = hi.abs_diff(lo).saturating_add(1);
        let k = self.below(span);
        lo.saturating_add_unsigned(k)
    }

    /// A position in a slice of `len` elements (0 for an empty one).
    pub fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// An index drawn with probability proportional to `weights[i]` (0 if all are zero).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < u64::from(w) {
                return i;
            }
            x -= u64::from(w);
        }
        0
    }

    /// `n` shares in basis points summing to exactly 10 000, the first the largest, each a
    /// multiple of 500 where possible (as people write percentages), never zero.
    pub fn split_bp(&mut self, n: usize) -> Vec<u32> {
        match n {
            0 => Vec::new(),
            1 => vec![10_000],
            2 => {
                let first = [5000, 6000, 7000, 8000][self.index(4)];
                vec![first, 10_000 - first]
            }
            _ => {
                let options: [[u32; 3]; 4] = [
                    [4000, 3000, 3000],
                    [5000, 2500, 2500],
                    [6000, 2500, 1500],
                    [3334, 3333, 3333],
                ];
                let mut v = options[self.index(options.len())].to_vec();
                v.truncate(n);
                v
            }
        }
    }

    /// A heavy-tailed (log-uniform) whole number in `lo..=hi`, both positive: each decade
    /// between them is equally likely, so small values are common and large ones rare.
    pub fn log_uniform(&mut self, lo: i64, hi: i64) -> i64 {
        if lo <= 0 || hi <= lo {
            return lo.max(1);
        }
        // Count the log steps from lo up to hi, then pick one and jitter inside it.
        let value_at = |k: i64| -> i64 {
            let decades = u32::try_from(k / 20).unwrap_or(0);
            let step = LOG_STEPS[usize::try_from(k % 20).unwrap_or(0)];
            lo.saturating_mul(10_i64.saturating_pow(decades))
                .saturating_mul(step)
                / 1000
        };
        let mut steps = 0_i64;
        while value_at(steps + 1) <= hi {
            steps += 1;
        }
        let k = self.range(0, steps);
        let base = value_at(k);
        let next = value_at(k + 1).min(hi.saturating_add(1));
        self.range(base, (next - 1).max(base)).clamp(lo, hi)
    }
}

/// Rounds a positive whole number to `digits` significant digits (half up), as people quote
/// budgets: 123 456 789 → 123 000 000.
#[must_use]
pub fn round_significant(x: i64, digits: u32) -> i64 {
    let mut scale = 1_i64;
    while x / scale >= 10_i64.pow(digits) {
        scale *= 10;
    }
    ((x + scale / 2) / scale) * scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..5).map(|_| Rng::stream("x").next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Rng::stream("x").next_u64(), Rng::stream("y").next_u64());
    }

    #[test]
    fn helpers_stay_in_range() {
        let mut r = Rng::new(7);
        for _ in 0..2000 {
            let v = r.range(-3, 9);
            assert!((-3..=9).contains(&v));
            let l = r.log_uniform(50_000_000, 2_000_000_000);
            assert!((50_000_000..=2_000_000_000).contains(&l));
            for n in 1..=3 {
                let s = r.split_bp(n);
                assert_eq!(s.len(), n);
                assert_eq!(s.iter().sum::<u32>(), 10_000);
                assert!(s.iter().all(|&x| x > 0));
            }
            assert!(r.weighted(&[0, 3, 0]) == 1);
        }
        assert_eq!(round_significant(123_456_789, 3), 123_000_000);
        assert_eq!(round_significant(987, 3), 987);
        assert_eq!(round_significant(99_960, 3), 100_000);
    }
}
