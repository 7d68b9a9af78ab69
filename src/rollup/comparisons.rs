//! The figures of a period that are only ever totals, the report's and the dashboard's alike:
//! the quarters, the period before, the same period a year earlier (and its cumulative totals,
//! worked out from the period's own) and the unverified money. Each is added up by the
//! database (see [`total_sums`]); no per-item row crosses to Rust.

use super::figures::{Figures, Pair};
use super::sums::{Flow, Window, total_sums};
use crate::db::Tx;
use crate::domain::period::Period;
use crate::error::Result;

/// The total of a flow in a window, added up by the database (see [`total_sums`]).
pub(super) async fn total(tx: &mut Tx, flow: Flow, window: Window) -> Result<Pair> {
    let (vnd, usd_cents) = total_sums(tx, flow, window).await?;
    Ok(Pair { vnd, usd_cents })
}

/// The figures of a period that are only ever totals, the report's and the dashboard's alike:
/// the quarters, the period before, the same period a year earlier and the unverified money.
pub(super) struct Comparisons {
    quarterly_disbursed: Vec<(String, Pair)>,
    unverified: Pair,
    previous: (Pair, Pair),
    year_earlier: (Pair, Pair),
    year_earlier_cumulative: (Pair, Pair),
}

/// What a period's comparisons are worked out from: its own committed and disbursed, in the
/// period and to its end.
#[derive(Clone, Copy)]
pub(super) struct Now {
    pub(super) in_period: (Pair, Pair),
    pub(super) to_date: (Pair, Pair),
}

impl Comparisons {
    pub(super) async fn of(tx: &mut Tx, period: &Period, now: Now) -> Result<Comparisons> {
        let window_of = |p: &Period| Window {
            from: p.from,
            to: p.to,
        };
        let mut quarterly_disbursed = Vec::new();
        for (code, from, to) in super::measures::period_quarters(period) {
            quarterly_disbursed
                .push((code, total(tx, Flow::Disbursed, Window { from, to }).await?));
        }
        let (prev, ago) = (period.previous(), period.year_earlier());
        let previous = both(tx, window_of(&prev)).await?;
        // A year's previous period is the year a year earlier: sum it once.
        let year_earlier = if window_of(&ago) == window_of(&prev) {
            previous
        } else {
            both(tx, window_of(&ago)).await?
        };
        // To the end of the same period a year earlier: to this period's end less the year
        // between, which for a year (or any period a year long) is the period itself. Summing
        // from the first day instead re-reads every row dated since then.
        let between = match ago.to.succ_opt() {
            Some(from) if from == period.from => now.in_period,
            Some(from) => {
                both(
                    tx,
                    Window {
                        from,
                        to: period.to,
                    },
                )
                .await?
            }
            None => (Pair::default(), Pair::default()),
        };
        Ok(Comparisons {
            quarterly_disbursed,
            unverified: total(tx, Flow::Unverified, window_of(period)).await?,
            previous,
            year_earlier,
            year_earlier_cumulative: (
                now.to_date.0.minus(between.0)?,
                now.to_date.1.minus(between.1)?,
            ),
        })
    }

    /// These figures, and the period's name and dates; everything else empty.
    pub(super) fn into_figures(self, period: &Period) -> Figures {
        Figures {
            period: period.code(),
            from: period.from,
            to: period.to,
            unverified: self.unverified,
            previous_committed: self.previous.0,
            previous_disbursed: self.previous.1,
            year_earlier_committed: self.year_earlier.0,
            year_earlier_disbursed: self.year_earlier.1,
            year_earlier_cumulative_committed: self.year_earlier_cumulative.0,
            year_earlier_cumulative_disbursed: self.year_earlier_cumulative.1,
            quarterly_disbursed: self.quarterly_disbursed,
            ..Figures::default()
        }
    }
}

/// Committed and disbursed in `w`.
pub(super) async fn both(tx: &mut Tx, w: Window) -> Result<(Pair, Pair)> {
    Ok((
        total(tx, Flow::Committed, w).await?,
        total(tx, Flow::Disbursed, w).await?,
    ))
}
