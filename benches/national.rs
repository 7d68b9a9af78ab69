//! The national-scale benchmark: twenty years of every province (by default 50,000 aid items
//! and 1,000,000 commitments and disbursements in 8 currencies), generated from a seed, loaded
//! into SQLite and PostgreSQL, then summed by sector for one year the way a report does.
//! It prints (a) the load time and rows/s, (b) each step of the sum-by-sector rollup, best and
//! median of several runs, with the totals, and (c) peak RSS and CPU time per phase and the
//! database size.
//! It exits non-zero if a breakdown does not add up to its totals or a total differs from the
//! generated data. A harness, not a test: run it with
//! `cargo bench --bench national -- [--backend sqlite|postgres|both] [--items N]
//! [--transactions N] [--seed S] [--keep PATH] [--runs N] [--year Y] [--http]`.
//! PostgreSQL is `AIDLEDGER_BENCH_PG_URL` (default `postgres://postgres@127.0.0.1:5432/test`);
//! the run uses a fresh schema `bench_<random>` and drops it at the end.
//! With `--http` it then serves each database with the release binary and prints the table of
//! issue 13 (pages, API, POSTs, report, memory, each beside its floor): see national/http.rs.
//! Under `cargo test --all-targets` (no `--bench` argument) it runs as a small smoke test.

#[path = "national/audit.rs"]
mod audit;
#[path = "national/backends.rs"]
mod backends;
#[path = "national/data.rs"]
mod data;
#[path = "national/floors.rs"]
mod floors;
#[path = "national/http.rs"]
mod http;
#[path = "national/http_setup.rs"]
mod http_setup;
#[path = "national/http_table.rs"]
mod http_table;
#[path = "national/items.rs"]
mod items;
#[path = "national/load.rs"]
mod load;
#[path = "national/loadgen.rs"]
mod loadgen;
#[path = "national/milestones.rs"]
mod milestones;
#[path = "national/query.rs"]
mod query;
#[path = "national/reference.rs"]
mod reference;
#[path = "national/report.rs"]
mod report;
#[path = "national/server.rs"]
mod server;

use aidledger::rollup::Window;
use backends::{Bench, DEFAULT_PG_URL};
use report::{count, kib, secs};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

const USAGE: &str = "usage: cargo bench --bench national -- [--backend sqlite|postgres|both] \
    [--items N] [--transactions N] [--seed S] [--keep PATH] [--runs N] [--year 2007..2026] [--http]";

pub struct Args {
    pub sqlite: bool,
    pub postgres: bool,
    pub items: usize,
    pub transactions: usize,
    pub seed: u64,
    pub keep: Option<PathBuf>,
    pub runs: usize,
    pub year: i32,
    /// Serve each database and measure over HTTP (national/http.rs).
    pub http: bool,
}

/// The arguments, or `None` after printing the usage for `--help`. Without the `--bench` that
/// `cargo bench` adds (as under `cargo test --all-targets`) and without explicit sizes, the
/// run is a small smoke test, the way libtest and criterion treat benchmarks under test.
fn parse_args() -> Result<Option<Args>, BoxError> {
    let mut a = Args {
        sqlite: true,
        postgres: true,
        items: 50_000,
        transactions: 1_000_000,
        seed: 2026,
        keep: None,
        runs: 5,
        year: 2025,
        http: false,
    };
    let (mut benching, mut sized) = (false, false);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--bench" => {
                benching = true;
                continue;
            }
            "--http" => {
                a.http = true;
                continue;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            _ => {}
        }
        let v = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let num = || {
            v.replace('_', "")
                .parse::<u64>()
                .map_err(|e| format!("{flag} {v}: {e}"))
        };
        match flag.as_str() {
            "--backend" => {
                (a.sqlite, a.postgres) = match v.as_str() {
                    "sqlite" => (true, false),
                    "postgres" => (false, true),
                    "both" => (true, true),
                    _ => return Err(format!("--backend {v}: use sqlite, postgres or both").into()),
                }
            }
            "--items" => (a.items, sized) = (usize::try_from(num()?)?, true),
            "--transactions" => (a.transactions, sized) = (usize::try_from(num()?)?, true),
            "--seed" => a.seed = num()?,
            "--runs" => a.runs = usize::try_from(num()?)?.max(1),
            "--year" => a.year = i32::try_from(num()?)?,
            "--keep" => a.keep = Some(PathBuf::from(v)),
            _ => return Err(format!("unknown argument {flag}\n{USAGE}").into()),
        }
    }
    if !benching && !sized {
        println!("not run by `cargo bench`: a smoke test with 200 items and 4,000 transactions");
        (a.items, a.transactions, a.runs) = (200, 4_000, 1);
    }
    if a.items == 0 || a.transactions < a.items {
        return Err("--items must be at least 1 and --transactions at least --items".into());
    }
    if !(2007..=2026).contains(&a.year) {
        return Err("--year must be within 2007..2026, the years the data covers".into());
    }
    Ok(Some(a))
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), BoxError> {
    let Some(args) = parse_args()? else {
        return Ok(());
    };
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem = meminfo
        .lines()
        .next()
        .unwrap_or("MemTotal: unknown")
        .split_whitespace()
        .skip(1)
        .collect::<Vec<_>>()
        .join(" ");
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("machine: {cpus} CPUs, {mem} memory");
    println!(
        "data: seed {}, {} items, {} transactions, sum by sector for {}, {} runs",
        args.seed,
        count(args.items),
        count(args.transactions),
        args.year,
        args.runs
    );
    let resettable = query::reset_peak();
    if !resettable {
        println!(
            "note: /proc/self/clear_refs is not writable, so every peak below is the process's peak so far"
        );
    }
    let start = Instant::now();
    let data = items::generate(args.items, args.transactions, args.seed)?;
    println!(
        "generated {} commitments and {} disbursements in {} (peak RSS {})",
        count(data.commitments.len()),
        count(data.disbursements.len()),
        secs(start.elapsed()),
        kib("VmHWM")
    );

    let tmp = tempfile::tempdir()?;
    let mut benches = Vec::new();
    if args.sqlite {
        let path = match &args.keep {
            Some(p) if p.exists() => {
                return Err(format!("--keep {}: the file exists", p.display()).into());
            }
            Some(p) => p.clone(),
            None => tmp.path().join("national.sqlite3"),
        };
        benches.push(Bench::sqlite(&path).await?);
    }
    if args.postgres {
        let url = std::env::var("AIDLEDGER_BENCH_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.into());
        match Bench::postgres(&url).await {
            Ok(b) => benches.push(b),
            Err(e) if args.sqlite => {
                println!("\nPostgreSQL is UNREACHABLE ({e}): continuing with SQLite only\n")
            }
            Err(e) => return Err(format!("PostgreSQL is unreachable: {e}").into()),
        }
    }
    let result = measure(&args, data, &mut benches, resettable, tmp.path()).await;
    for b in &benches {
        b.close().await;
    }
    if let (Some(p), true) = (&args.keep, args.sqlite) {
        println!("kept the SQLite database at {}", p.display());
    }
    result
}

/// Issues the year's official report on the loaded database (figures, document, PDF, archive
/// row) exactly as `aidledger report` does, and prints its time, size and peak memory.
async fn year_report(args: &Args, b: &Bench) -> Result<(), BoxError> {
    use aidledger::actions::reports::{IssueCmd, SignerInput, issue_report};
    let ctx = aidledger::actions::Ctx {
        store: b.store.clone(),
        config: aidledger::Config::default(),
    };
    let period = aidledger::domain::period::Period::parse(&args.year.to_string(), false)?;
    let cmd = IssueCmd {
        signer: SignerInput {
            name: Some("Bench".into()),
            ..SignerInput::default()
        },
        recipients: Some(vec!["Lưu: VT".into()]),
        allow_empty_sections: true,
        ..IssueCmd::new(
            period,
            aidledger::domain::Lang::Vi,
            data::ymd(args.year + 1, 1, 5),
            "1/BC-BENCH".into(),
        )
    };
    let probe = query::Probe::start();
    let started = std::time::Instant::now();
    let (issued, pdf) =
        issue_report(&ctx, &aidledger::actions::Actor::system("bench"), &cmd).await?;
    let took = started.elapsed();
    let usage = probe.finish();
    println!(
        "{} {}: year report {} issued in {:.2} s, {} bytes (SHA-256 {}…), RSS {}",
        b.name,
        b.version,
        issued.period,
        took.as_secs_f64(),
        pdf.len(),
        &issued.sha256[..12],
        usage.rss
    );
    Ok(())
}

async fn measure(
    args: &Args,
    data: data::Dataset,
    benches: &mut [Bench],
    resettable: bool,
    dir: &std::path::Path,
) -> Result<(), BoxError> {
    let window = Window {
        from: data::ymd(args.year, 1, 1),
        to: data::ymd(args.year, 12, 31),
    };
    let expected = data
        .disbursed(window.from, window.to)
        .ok_or("the expected total overflows")?;
    for b in benches.iter_mut() {
        println!("\n{} {}: loading", b.name, b.version);
        let probe = query::Probe::start();
        let report = load::load(&b.store, &data).await?;
        b.load_usage = Some(probe.finish());
        b.size = b.db_size().await?;
        b.load = Some(report);
        report::print_load(b);
    }
    drop(data); // the sums are measured without the generated rows in memory
    let mut failures = Vec::new();
    for b in benches.iter_mut() {
        let probe = query::Probe::start();
        let mut r = query::sum_by_sector(&b.store, window, args.runs).await?;
        b.sum_usage = Some(probe.finish());
        r.parts = query::lookup_parts(&b.store).await?;
        if (r.total_vnd, r.total_usd_cents) != (i128::from(expected.0), i128::from(expected.1)) {
            failures.push(format!(
                "{}: the totals differ from the generated data",
                b.name
            ));
        }
        b.sum = Some(r);
        report::print_sum(b, expected);
    }
    for b in benches.iter() {
        year_report(args, b).await?;
    }
    report::summary(args, benches, resettable);
    if args.http {
        for b in benches.iter() {
            let totals = b
                .sum
                .as_ref()
                .map_or((0, 0), |s| (s.total_vnd, s.total_usd_cents));
            failures.extend(http::run(args, b, totals, dir).await?);
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; ").into())
    }
}
