//! The `--http` table: its lines (measure | value | floor | ratio | goal), the serial
//! measurement of a heavy page, and printing with the command, machine and data size above it.

use crate::backends::Bench;
use crate::loadgen::{self, Http, Outcome, Req, Until};
use crate::{Args, server};
use std::time::Duration;

pub struct Line {
    measure: String,
    value: String,
    floor: String,
    ratio: String,
    goal: &'static str,
}

pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// The measurements of one backend, collected as the run goes; failures fail the run.
pub struct Table {
    pub lines: Vec<Line>,
    pub failures: Vec<String>,
    name: &'static str,
    c: Http,
    base: String,
}

impl Table {
    pub fn new(name: &'static str, c: Http, base: String) -> Table {
        Table {
            lines: Vec::new(),
            failures: Vec::new(),
            name,
            c,
            base,
        }
    }

    pub fn check(&mut self, what: &str, o: &Outcome) {
        if o.errors > 0 {
            let first = o.first_error.clone().unwrap_or_default();
            self.failures.push(format!(
                "{}: {what}: {} failed requests, first: {first}",
                self.name, o.errors
            ));
        }
    }
    pub fn line(
        &mut self,
        measure: impl Into<String>,
        value: String,
        floor: String,
        ratio: String,
        goal: &'static str,
    ) {
        self.lines.push(Line {
            measure: measure.into(),
            value,
            floor,
            ratio,
            goal,
        });
    }
    /// A heavy page or API call, one connection, median of `n`.
    pub async fn serial(
        &mut self,
        what: &str,
        r: Req,
        n: usize,
        floor: Option<Duration>,
        goal: &'static str,
    ) -> Duration {
        let o = loadgen::run(&self.c, &self.base, 1, Until::Count(n), move |_| r.clone()).await;
        self.check(what, &o);
        let p50 = o.quantile(0.5);
        let (f, ratio) = floor.map_or(("—".into(), "—".into()), |f| {
            (
                ms(f),
                format!("{:.1}×", p50.as_secs_f64() / f.as_secs_f64().max(1e-9)),
            )
        });
        self.line(
            what,
            format!("{} (median of {n}, max {})", ms(p50), ms(o.quantile(1.0))),
            f,
            ratio,
            goal,
        );
        p50
    }
}

pub fn rate_text(o: &Outcome) -> String {
    format!(
        "{:.0} req/s, p50 {}, p99 {} ({} req, {} errors)",
        o.per_sec(),
        ms(o.quantile(0.5)),
        ms(o.quantile(0.99)),
        o.lat.len(),
        o.errors
    )
}

pub fn rss(pid: u32) -> String {
    let mib = |f| server::status_kib(pid, f).map_or("?".into(), |k| format!("{} MiB", k / 1024));
    format!("VmRSS {}, VmHWM {}", mib("VmRSS"), mib("VmHWM"))
}

/// Prints the table with the command, machine and data size above it.
pub fn print(args: &Args, b: &Bench, lines: &[Line]) {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mut cmd: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    cmd.insert(0, "cargo bench --bench national --".into());
    println!("\n## {} {} over HTTP: {}", b.name, b.version, cmd.join(" "));
    println!(
        "machine: {cpus} CPUs; data: {} items, {} transactions, seed {}, year {}; server: release binary on 127.0.0.1",
        args.items, args.transactions, args.seed, args.year
    );
    println!("\n| measure | value | floor | ratio | goal |\n|---|---|---|---|---|");
    for l in lines {
        println!(
            "| {} | {} | {} | {} | {} |",
            l.measure, l.value, l.floor, l.ratio, l.goal
        );
    }
}
