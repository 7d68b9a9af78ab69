//! What the harness prints: each phase as it ends, then a summary table in Markdown (so it can
//! go straight into BENCHMARKS.md), with one column per backend. Durations and rates are `f64`
//! only for display; money is formatted from its integer minor units.

use crate::backends::Bench;
use crate::{Args, query};
use aidledger::domain::money::format_parts;
use std::time::Duration;

pub fn print_load(b: &Bench) {
    let (Some(l), Some(u)) = (&b.load, &b.load_usage) else {
        return;
    };
    println!("  {:<18} {:>15} {:>10}", "migrate", "", secs(l.migrate));
    for t in &l.tables {
        let (rows, rate) = (count(t.rows), per_sec(t.rows, t.time));
        println!(
            "  {:<18} {rows:>10} rows {:>10} {rate:>12} rows/s",
            t.table,
            secs(t.time)
        );
    }
    println!(
        "  load {} ({} rows/s, harness CPU {}), then ANALYZE etc. {}; size {}; RSS {}",
        secs(l.load_time()),
        per_sec(l.rows(), l.load_time()),
        u.cpu.map_or_else(|| "?".into(), secs),
        secs(l.finish),
        mib(b.size),
        u.rss
    );
}

pub fn print_sum(b: &Bench, expected: (i64, i64)) {
    let Some(r) = &b.sum else { return };
    println!(
        "\n{}: {} item sums → {} sector rows; total {} VND = {} USD (generated data: {} VND = {} USD)",
        b.name,
        count(r.item_sums),
        r.groups,
        money(r.total_vnd, 0),
        money(r.total_usd_cents, 2),
        money(expected.0, 0),
        money(expected.1, 2)
    );
    for (i, s) in r.runs.iter().enumerate() {
        let (l, m, k, t) = (
            secs(s.lookup),
            secs(s.sums),
            secs(s.breakdown),
            secs(s.total),
        );
        println!(
            "  run {}: lookup {l} + item_sums {m} + breakdown {k} = {t}",
            i + 1
        );
    }
    let parts: Vec<String> = r
        .parts
        .iter()
        .map(|p| format!("{} {} rows {}", p.0, count(p.1), secs(p.2)))
        .collect();
    println!("  inside LookupData::load: {}", parts.join(", "));
}

/// Picks one step's duration out of a run.
type Step = fn(&query::Steps) -> Duration;

pub fn summary(args: &Args, benches: &[Bench], resettable: bool) {
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let mut row = |label: &str, f: &dyn Fn(&Bench) -> Option<String>| {
        let cells = benches
            .iter()
            .map(|b| f(b).unwrap_or_else(|| "–".into()))
            .collect();
        rows.push((label.to_string(), cells));
    };
    row("server version", &|b| Some(b.version.clone()));
    row("**load**: migrate + inserts + commits", &|b| {
        b.load.as_ref().map(|l| secs(l.load_time()))
    });
    row("rows loaded", &|b| b.load.as_ref().map(|l| count(l.rows())));
    row("rows/s, all tables", &|b| {
        b.load.as_ref().map(|l| per_sec(l.rows(), l.load_time()))
    });
    row("rows/s, disbursement table", &|b| {
        let t = b
            .load
            .as_ref()?
            .tables
            .iter()
            .find(|t| t.table == "disbursement")?;
        Some(per_sec(t.rows, t.time))
    });
    row("harness CPU during load", &|b| {
        b.load_usage.as_ref()?.cpu.map(secs)
    });
    row("then ANALYZE (+ WAL checkpoint)", &|b| {
        b.load.as_ref().map(|l| secs(l.finish))
    });
    row("database size", &|b| b.load.as_ref().map(|_| mib(b.size)));
    row("RSS during load: start → peak", &|b| {
        b.load_usage.as_ref().map(|u| u.rss.clone())
    });
    let steps: [(&str, Step); 4] = [
        ("LookupData::load", |s| s.lookup),
        ("item_sums", |s| s.sums),
        ("breakdown(Sector)", |s| s.breakdown),
        ("**sum by sector, total**", |s| s.total),
    ];
    for (label, step) in steps {
        row(&format!("{label}: best / median"), &|b| {
            let (best, median) = b.sum.as_ref()?.stat(step);
            Some(format!("{} / {}", secs(best), secs(median)))
        });
        if label == "LookupData::load" {
            for table in ["aid_item", "aid_item_sector", "aid_item_locality"] {
                row(&format!("… of the lookup: {table}"), &|b| {
                    let p = b.sum.as_ref()?.parts.iter().find(|p| p.0 == table)?;
                    Some(format!("{} ({} rows)", secs(p.2), count(p.1)))
                });
            }
        }
    }
    row("harness CPU during the runs", &|b| {
        b.sum_usage.as_ref()?.cpu.map(secs)
    });
    row("RSS during the runs: start → peak", &|b| {
        b.sum_usage.as_ref().map(|u| u.rss.clone())
    });
    row("item sums → sector rows", &|b| {
        b.sum
            .as_ref()
            .map(|s| format!("{} → {}", count(s.item_sums), s.groups))
    });
    row("total VND", &|b| {
        b.sum.as_ref().map(|s| money(s.total_vnd, 0))
    });
    row("total USD", &|b| {
        b.sum.as_ref().map(|s| money(s.total_usd_cents, 2))
    });
    println!(
        "\n### seed {}, {} items, {} transactions; verified disbursements of {} by sector, best / median of {} runs{}\n",
        args.seed,
        count(args.items),
        count(args.transactions),
        args.year,
        args.runs,
        if resettable {
            ""
        } else {
            " (peaks are cumulative)"
        }
    );
    let names: Vec<&str> = benches.iter().map(|b| b.name).collect();
    println!(
        "| | {} |\n|---|{}",
        names.join(" | "),
        "---:|".repeat(benches.len())
    );
    for (label, cells) in rows {
        println!("| {label} | {} |", cells.join(" | "));
    }
}

pub fn count(n: usize) -> String {
    format_parts(i64::try_from(n).unwrap_or(i64::MAX), 0, ",", ".")
}
pub fn money(minor: impl Into<i128>, units: u32) -> String {
    format_parts(minor, units, ",", ".")
}
pub fn secs(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{:.1} ms", d.as_secs_f64() * 1e3)
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}
pub fn per_sec(rows: usize, d: Duration) -> String {
    let rate = rows as f64 / d.as_secs_f64().max(1e-9);
    count(rate.round() as usize)
}
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / 1_048_576.0)
}
pub fn kib(field: &str) -> String {
    query::status_kib(field).map_or_else(|| "?".into(), |k| format!("{} MiB", k / 1024))
}
