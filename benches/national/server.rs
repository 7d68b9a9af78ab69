//! The release binary as child processes: `aidledger serve` on a free loopback port (stopped
//! when the [`Server`] is dropped, so even after an error), and `aidledger report --draft`
//! timed with its peak memory. The binary is the one cargo built for this profile
//! (`CARGO_BIN_EXE_aidledger`), so the run measures the code under test.

use crate::BoxError;
use crate::loadgen::{self, Http, Req};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_aidledger");

/// The environment every child gets: the database, calendar periods, quiet logs.
fn command(database_url: &str) -> Command {
    let mut c = Command::new(BINARY);
    c.env("DATABASE_URL", database_url)
        .env("AIDLEDGER_REPORTING_PERIODS", "calendar")
        .env("ROCKET_LOG_LEVEL", "critical")
        .env("ROCKET_CLI_COLORS", "false")
        .env_remove("AIDLEDGER_TEST_PG_URL");
    c
}

pub struct Server {
    child: Child,
    pub base: String,
    /// How long the start took until `/healthz` answered (it verifies the audit trail first).
    pub started_in: Duration,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, BoxError> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl Server {
    /// Starts the server with its output in `log`, and waits (up to 15 minutes: the start
    /// verifies the whole audit trail) until `/healthz` answers 200 and says it is not degraded.
    pub async fn start(database_url: &str, log: &Path, c: &Http) -> Result<Server, BoxError> {
        let port = free_port()?;
        let mut key = [0_u8; 32];
        getrandom::fill(&mut key).map_err(|e| format!("no random secret key: {e}"))?;
        let out = std::fs::File::create(log)?;
        let started = Instant::now();
        let child = command(database_url)
            .arg("serve")
            .env("ROCKET_ADDRESS", "127.0.0.1")
            .env("ROCKET_PORT", port.to_string())
            .env("ROCKET_SECRET_KEY", hex::encode(key))
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()?;
        let mut s = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            started_in: Duration::ZERO,
        };
        loop {
            if let Some(status) = s.child.try_wait()? {
                let said = std::fs::read_to_string(log).unwrap_or_default();
                return Err(format!("the server stopped ({status}): {said}").into());
            }
            if started.elapsed() > Duration::from_secs(900) {
                return Err("the server did not answer /healthz within 15 minutes".into());
            }
            if let Ok(a) = loadgen::send(c, &s.base, &Req::get("/healthz")).await {
                let body = String::from_utf8_lossy(&a.body).into_owned();
                if a.status.as_u16() == 200 && !body.contains("degraded") {
                    s.started_in = started.elapsed();
                    return Ok(s);
                }
                return Err(format!("/healthz answered {}: {body}", a.status).into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// A field of /proc/<pid>/status in KiB (`VmRSS`, `VmHWM`).
pub fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Runs `aidledger report --period <year> --draft` and returns its wall time and peak RSS
/// in KiB. The peak is the child's `VmHWM` (a high-water mark) sampled every 5 ms until it
/// exits, so at most the last 5 ms of its life go unseen.
pub async fn report_pdf(
    database_url: &str,
    year: i32,
    out: &Path,
) -> Result<(Duration, u64), BoxError> {
    let started = Instant::now();
    let mut child = command(database_url)
        .args(["report", "--period", &year.to_string(), "--draft", "--out"])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let pid = child.id();
    let mut peak = 0;
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        peak = peak.max(status_kib(pid, "VmHWM").unwrap_or(0));
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let took = started.elapsed();
    if !status.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            use std::io::Read;
            e.read_to_string(&mut err)?;
        }
        return Err(format!("aidledger report --draft failed ({status}): {err}").into());
    }
    Ok((took, peak))
}
