//! A small closed-loop load generator on hyper-util's legacy client: `conns` tasks, each with
//! one request in flight on a kept-alive connection, for a fixed time or a fixed count, every
//! request's latency recorded. It reads every response body to its end (a page is not served
//! until its last byte is), and counts as an error any transport failure or any status that
//! is not the one a request expects (a 2xx or 3xx unless stated).

use crate::BoxError;
use http_body_util::BodyExt;
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub type Http = Client<HttpConnector, String>;

pub fn client() -> Http {
    Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(256)
        .build_http()
}

/// One request to send; `want` is the status it must get (`None`: any 2xx or 3xx).
#[derive(Clone)]
pub struct Req {
    pub method: Method,
    pub path: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    pub want: Option<StatusCode>,
}

impl Req {
    pub fn get(path: impl Into<String>) -> Req {
        Req {
            method: Method::GET,
            path: path.into(),
            headers: Vec::new(),
            body: String::new(),
            want: None,
        }
    }
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Req {
        self.headers.push((name, value.into()));
        self
    }
}

/// What came back: status, headers and body.
pub struct Answer {
    pub status: StatusCode,
    pub headers: hyper::HeaderMap,
    pub body: Vec<u8>,
}

pub async fn send(c: &Http, base: &str, r: &Req) -> Result<Answer, BoxError> {
    let mut b = Request::builder()
        .method(r.method.clone())
        .uri(format!("{base}{}", r.path));
    for (k, v) in &r.headers {
        b = b.header(*k, v.as_str());
    }
    let resp = c.request(b.body(r.body.clone())?).await?;
    let (parts, body) = resp.into_parts();
    let body = body.collect().await?.to_bytes().to_vec();
    Ok(Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    })
}

/// Latencies of the successful requests, errors, and the wall time of the run.
#[derive(Default)]
pub struct Outcome {
    pub lat: Vec<Duration>,
    pub errors: usize,
    pub first_error: Option<String>,
    pub wall: Duration,
}

impl Outcome {
    pub fn per_sec(&self) -> f64 {
        self.lat.len() as f64 / self.wall.as_secs_f64().max(1e-9)
    }
    /// The `q`-quantile latency (nearest rank), zero when nothing succeeded.
    pub fn quantile(&self, q: f64) -> Duration {
        let mut v = self.lat.clone();
        v.sort_unstable();
        if v.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((v.len() as f64 * q).ceil() as usize).clamp(1, v.len());
        v[rank - 1]
    }
    fn merge(&mut self, o: Outcome) {
        self.lat.extend(o.lat);
        self.errors += o.errors;
        if self.first_error.is_none() {
            self.first_error = o.first_error;
        }
    }
}

/// How long a run lasts: a time (requests started before it ends finish), or a count of
/// requests per connection.
#[derive(Clone, Copy)]
pub enum Until {
    Time(Duration),
    Count(usize),
}

/// Runs `make(n)` (n counts the run's requests, for idempotency keys) on `conns` connections.
pub async fn run<F>(c: &Http, base: &str, conns: usize, until: Until, make: F) -> Outcome
where
    F: Fn(u64) -> Req + Send + Sync + 'static,
{
    let make = Arc::new(make);
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(conns);
    for _ in 0..conns {
        let (c, base, make, next) = (c.clone(), base.to_string(), make.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut out = Outcome::default();
            let mut done = 0;
            loop {
                match until {
                    Until::Time(d) if start.elapsed() >= d => break,
                    Until::Count(n) if done >= n => break,
                    _ => {}
                }
                done += 1;
                let r = make(next.fetch_add(1, Ordering::Relaxed));
                let t = Instant::now();
                let problem = match send(&c, &base, &r).await {
                    Ok(a) if r.want.map_or(a.status.as_u16() < 400, |w| a.status == w) => {
                        out.lat.push(t.elapsed());
                        continue;
                    }
                    Ok(a) => format!(
                        "{} {}: {} {}",
                        r.method,
                        r.path,
                        a.status,
                        String::from_utf8_lossy(&a.body)
                            .chars()
                            .take(300)
                            .collect::<String>()
                    ),
                    Err(e) => format!("{} {}: {e}", r.method, r.path),
                };
                out.errors += 1;
                out.first_error.get_or_insert(problem);
            }
            out
        }));
    }
    let mut all = Outcome::default();
    for t in tasks {
        match t.await {
            Ok(o) => all.merge(o),
            Err(e) => {
                all.errors += 1;
                all.first_error
                    .get_or_insert(format!("a load task failed: {e}"));
            }
        }
    }
    all.wall = start.elapsed();
    all
}
