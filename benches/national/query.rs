//! Phase (b), the rollup a report runs: verified disbursements of one window summed by sector,
//! exactly as the application does it (`LookupData::load`, `item_sums`, `breakdown`), timed
//! step by step over several runs in fresh read transactions. Every run checks that the
//! breakdown's rows add up to its totals to the last đồng and cent. Also phase (c)'s memory
//! probe: peak RSS (`VmHWM`), which Linux lets a process reset between phases.

use crate::BoxError;
use aidledger::Store;
use aidledger::rollup::breakdown::breakdown;
use aidledger::rollup::{Dimension, Flow, LookupData, Window, item_sums};
use std::time::{Duration, Instant};

/// One run's steps; `total` includes opening and closing the read transaction.
#[derive(Clone, Copy)]
pub struct Steps {
    pub lookup: Duration,
    pub sums: Duration,
    pub breakdown: Duration,
    pub total: Duration,
}

pub struct QueryReport {
    pub runs: Vec<Steps>,
    /// The queries inside `LookupData::load` timed one by one in an extra pass: table, rows.
    pub parts: Vec<(&'static str, usize, Duration)>,
    pub item_sums: usize,
    pub groups: usize,
    pub total_vnd: i128,
    pub total_usd_cents: i128,
}

impl QueryReport {
    /// Best and median of one step over the runs.
    pub fn stat(&self, step: impl Fn(&Steps) -> Duration) -> (Duration, Duration) {
        let mut v: Vec<Duration> = self.runs.iter().map(step).collect();
        v.sort_unstable();
        let best = v.first().copied().unwrap_or_default();
        let median = match v.len() {
            0 => Duration::ZERO,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2,
        };
        (best, median)
    }
}

pub async fn sum_by_sector(
    store: &Store,
    window: Window,
    runs: usize,
) -> Result<QueryReport, BoxError> {
    let mut report = QueryReport {
        runs: Vec::new(),
        parts: Vec::new(),
        item_sums: 0,
        groups: 0,
        total_vnd: 0,
        total_usd_cents: 0,
    };
    for run in 0..runs.max(1) {
        let t0 = Instant::now();
        let mut tx = store.read().await?;
        let look = LookupData::load(&mut tx).await?;
        let t1 = Instant::now();
        let sums = item_sums(&mut tx, Flow::Disbursed, window).await?;
        let t2 = Instant::now();
        let b = breakdown(&sums, Dimension::Sector, &look.lookup())?;
        let t3 = Instant::now();
        tx.commit().await?;
        let total = t0.elapsed();
        let rows = b.rows.iter().try_fold((0_i128, 0_i128), |(v, u), r| {
            Some((v.checked_add(r.vnd)?, u.checked_add(r.usd_cents)?))
        });
        if rows != Some((b.total_vnd, b.total_usd_cents)) {
            return Err(format!(
                "run {}: the sector rows sum to {rows:?}, not to the totals ({}, {})",
                run + 1,
                b.total_vnd,
                b.total_usd_cents
            )
            .into());
        }
        if run > 0 && (b.total_vnd, b.total_usd_cents) != (report.total_vnd, report.total_usd_cents)
        {
            return Err(format!("run {}: the totals changed between runs", run + 1).into());
        }
        report.runs.push(Steps {
            lookup: t1 - t0,
            sums: t2 - t1,
            breakdown: t3 - t2,
            total,
        });
        (report.item_sums, report.groups) = (sums.len(), b.rows.len());
        (report.total_vnd, report.total_usd_cents) = (b.total_vnd, b.total_usd_cents);
    }
    Ok(report)
}

/// Times the queries `LookupData::load` makes, one by one, in one read transaction: where
/// the lookup's time goes. Not part of the timed runs.
pub async fn lookup_parts(store: &Store) -> Result<Vec<(&'static str, usize, Duration)>, BoxError> {
    use aidledger::db::{items, orgs, reference};
    let mut tx = store.read().await?;
    let mut parts = Vec::new();
    macro_rules! part {
        ($name:literal, $query:expr) => {{
            let start = Instant::now();
            let rows = $query.await?.len();
            parts.push(($name, rows, start.elapsed()));
        }};
    }
    part!("sector", reference::list_sectors(&mut tx));
    part!("aid_item", items::list_items(&mut tx));
    part!("organisation", orgs::list_organisations(&mut tx, None));
    part!("aid_item_sector", items::all_sector_allocations(&mut tx));
    part!(
        "aid_item_locality",
        items::all_locality_allocations(&mut tx)
    );
    part!("admin_unit", reference::list_admin_units(&mut tx));
    tx.commit().await?;
    Ok(parts)
}

/// What this process used during a phase: "RSS at start → peak RSS" and CPU time (user +
/// system). On PostgreSQL the server's work is not in it; the gap to wall time is the server.
pub struct Usage {
    pub rss: String,
    pub cpu: Option<Duration>,
}

pub struct Probe {
    rss: String,
    cpu: Option<Duration>,
}

impl Probe {
    pub fn start() -> Probe {
        reset_peak();
        Probe {
            rss: mib(status_kib("VmRSS")),
            cpu: cpu_time(),
        }
    }
    pub fn finish(self) -> Usage {
        let cpu = cpu_time()
            .zip(self.cpu)
            .map(|(end, start)| end.saturating_sub(start));
        Usage {
            rss: format!("{} → {}", self.rss, mib(status_kib("VmHWM"))),
            cpu,
        }
    }
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(|| "?".into(), |k| format!("{} MiB", k / 1024))
}

/// User + system CPU time of this process, from `/proc/self/stat` (in USER_HZ = 100 ticks).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Resets the peak resident set size (Linux ≥ 4.0); false where that is not allowed.
pub fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// A `kB` field of `/proc/self/status`, such as `VmHWM` (peak RSS) or `VmRSS`, in KiB.
pub fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status
        .lines()
        .find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))?;
    line[field.len() + 1..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}
