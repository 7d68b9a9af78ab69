//! `--http`: the issue-13 table. On the loaded database it gives the bench users passwords
//! (through the application's own action), measures the floors (floors.rs), starts the
//! release server (server.rs), logs in as the coordinator (session cookie and API token) and
//! the reviewer, drives the pages and the API with the load generator (loadgen.rs), runs the
//! year report through the CLI, and prints one table: measure | value | floor | ratio | goal.
//! Heavy pages are measured serially (one connection, median of 3 to 5 requests); the item
//! page, the API item and `/healthz` on 32 connections; the disbursement POST on 1, 8 and 32.
//! Every request that must succeed is checked; the failures are returned, and fail the run.

use crate::backends::Bench;
use crate::http_setup::{PASSWORD, enc, json_post, picks, session, token};
use crate::http_table::{Table, ms, rate_text, rss};
use crate::loadgen::{self, Outcome, Req, Until};
use crate::server::{self, Server};
use crate::{Args, BoxError, floors};
use aidledger::actions::{Actor, Ctx};
use hyper::StatusCode;
use std::path::Path;
use std::time::Duration;

/// Runs the table on one loaded backend; `app_totals` are the app's own sector rollup totals
/// (VND, US cents) from the rollup phase. Returns the failures.
pub async fn run(
    args: &Args,
    b: &Bench,
    app_totals: (i128, i128),
    dir: &Path,
) -> Result<Vec<String>, BoxError> {
    let ctx = Ctx {
        store: b.store.clone(),
        config: aidledger::Config::default(),
    };
    for user in ["bench-admin", "bench-coordinator", "bench-reviewer"] {
        aidledger::actions::users::set_password(
            &ctx,
            &Actor::system("bench"),
            user,
            PASSWORD.into(),
        )
        .await?;
    }
    let full = args.items >= 10_000;
    let secs = Duration::from_secs(if full { 5 } else { 1 });
    let n = args.runs.clamp(3, 5);
    let split = floors::split_by_sector(&b.store, args.year, n).await?;
    let mut failures = Vec::new();
    if (split.vnd, split.usd_cents) != app_totals {
        failures.push(format!(
            "{}: the SQL split's totals {:?} differ from the app's {:?}",
            b.name,
            (split.vnd, split.usd_cents),
            app_totals
        ));
    }
    let inserts = floors::insert_rate(&b.store, Duration::from_secs(2)).await?;
    let p = picks(&b.store).await?;
    let url = b.server_url();
    let c = loadgen::client();
    let srv = Server::start(&url, &dir.join(format!("server-{}.log", b.name)), &c).await?;
    let base = srv.base.clone();
    let mut t = Table::new(b.name, c.clone(), base.clone());
    let fresh = rss(srv.pid());
    t.line(
        "server start to /healthz (verifies the whole audit trail)",
        format!("{:.2} s", srv.started_in.as_secs_f64()),
        "—".into(),
        "—".into(),
        "—",
    );
    let coord = session(&c, &base, "bench-coordinator").await?;
    let reviewer = session(&c, &base, "bench-reviewer").await?;
    let bearer = format!("Bearer {}", token(&c, &base, "bench-coordinator").await?);
    let page = |path: String| Req::get(path).header("Cookie", coord.clone());
    let api =
        |path: String| Req::get(format!("/api/v1{path}")).header("Authorization", bearer.clone());
    let y = args.year;
    t.serial(
        &format!("dashboard page for {y}"),
        page(format!("/?period={y}")),
        n,
        None,
        "≤ 200 ms",
    )
    .await;
    t.serial(
        "review queue page",
        Req::get("/review").header("Cookie", reviewer.clone()),
        n,
        None,
        "≤ 100 ms",
    )
    .await;
    t.serial(
        "overdue milestones page, first",
        page("/milestones/overdue".into()),
        n,
        None,
        "≤ 50 ms",
    )
    .await;
    t.serial(
        "overdue milestones page, halfway down",
        page(format!("/milestones/overdue?after={}", p.overdue_mid)),
        n,
        None,
        "≤ 50 ms",
    )
    .await;
    t.serial(
        "item list page, first page",
        page("/items".into()),
        n,
        None,
        "≤ 50 ms",
    )
    .await;
    t.serial(
        "item list page, page=1000",
        page("/items?page=1000".into()),
        n,
        None,
        "≤ 50 ms",
    )
    .await;
    t.serial(
        &format!("item list page, filter sector={}", p.sector),
        page(format!("/items?sector={}", enc(&p.sector))),
        n,
        None,
        "≤ 50 ms",
    )
    .await;
    t.serial(
        &format!("item list page, search q={}", p.word),
        page(format!("/items?q={}", enc(&p.word))),
        n,
        None,
        "≤ 50 ms",
    )
    .await;
    t.serial(
        "API item list",
        api("/aid-items".into()),
        n,
        None,
        "≤ 30 ms",
    )
    .await;
    for by in ["sector", "locality", "donor"] {
        let floor = (by == "sector").then_some(split.time);
        t.serial(
            &format!("API rollup by {by}, {y}"),
            api(format!("/rollups?period={y}&by={by}")),
            n,
            floor,
            "≤ 1.5× floor",
        )
        .await;
    }
    t.line(
        format!(
            "  floor: exact split by sector in one SQL statement ({} rows)",
            split.rows
        ),
        ms(split.time),
        "—".into(),
        "—".into(),
        "—",
    );
    let item = format!("/items/{}", p.typical);
    let html = loadgen::run(&c, &base, 32, Until::Time(secs), {
        let r = page(item.clone());
        move |_| r.clone()
    })
    .await;
    t.check("HTML item page", &html);
    let api_item = loadgen::run(&c, &base, 32, Until::Time(secs), {
        let r = api(format!("/aid-items/{}", p.typical));
        move |_| r.clone()
    })
    .await;
    t.check("API item", &api_item);
    let health = loadgen::run(&c, &base, 32, Until::Time(secs), |_| Req::get("/healthz")).await;
    t.check("/healthz", &health);
    let ratio =
        |floor: &Outcome, o: &Outcome| format!("{:.1}×", floor.per_sec() / o.per_sec().max(1e-9));
    t.line(
        format!("HTML item page {item}, 32 connections"),
        rate_text(&html),
        format!("API item {:.0} req/s", api_item.per_sec()),
        ratio(&api_item, &html),
        "≥ 3,000 req/s, p99 ≤ 50 ms",
    );
    t.line(
        "  API item, 32 connections",
        rate_text(&api_item),
        format!("/healthz {:.0} req/s", health.per_sec()),
        ratio(&health, &api_item),
        "—",
    );
    t.line(
        "  /healthz, 32 connections",
        rate_text(&health),
        "—".into(),
        "—".into(),
        "—",
    );
    let (busy, rows) = p.busiest;
    let what = format!("HTML item page /items/{busy} ({rows} disbursements, each audited)");
    let serial = t
        .serial(
            &format!("{what}, serial"),
            page(format!("/items/{busy}")),
            n,
            None,
            "—",
        )
        .await;
    if serial < Duration::from_millis(200) {
        let o = loadgen::run(&c, &base, 32, Until::Time(secs), {
            let r = page(format!("/items/{busy}"));
            move |_| r.clone()
        })
        .await;
        t.check(&what, &o);
        t.line(
            format!("{what}, 32 connections"),
            rate_text(&o),
            format!("typical item {:.0} req/s", html.per_sec()),
            ratio(&html, &o),
            "≥ 3,000 req/s as above",
        );
    }
    let after_heavy = rss(srv.pid());
    let nonce = hex::encode(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_nanos()
            .to_be_bytes(),
    );
    let body = serde_json::json!({"amount": "10.00", "currency": "USD", "value_date": p.usd_date})
        .to_string();
    for conns in [1, 8, 32] {
        let (bearer, body, nonce) = (bearer.clone(), body.clone(), nonce.clone());
        let path = format!("/api/v1/aid-items/{}/disbursements", p.open_item);
        let o = loadgen::run(&c, &base, conns, Until::Time(secs), move |i| {
            Req {
                want: Some(StatusCode::CREATED),
                ..json_post(&path, body.clone())
            }
            .header("Authorization", bearer.clone())
            .header("Idempotency-Key", format!("bench-{nonce}-{conns}-{i}"))
        })
        .await;
        t.check(&format!("disbursement POST, {conns} connections"), &o);
        t.line(
            format!("disbursement POST (token, idempotency key, audit), {conns} conn."),
            rate_text(&o),
            format!("bare INSERT + commit {inserts:.0}/s"),
            format!("{:.1}×", inserts / o.per_sec().max(1e-9)),
            "≥ 2,500/s, p99 ≤ 50 ms at 32",
        );
    }
    let after_posts = rss(srv.pid());
    drop(srv);
    let (took, peak) =
        server::report_pdf(&url, y, &dir.join(format!("report-{}.pdf", b.name))).await?;
    t.line(
        format!("year report PDF {y} (CLI, --draft)"),
        format!("{:.2} s, peak {} MiB", took.as_secs_f64(), peak / 1024),
        "—".into(),
        "—".into(),
        "≤ 1 s, ≤ 150 MiB",
    );
    t.line(
        "server RSS",
        format!(
            "fresh: {fresh}; after the heavy pages: {after_heavy}; after the POSTs: {after_posts}"
        ),
        "—".into(),
        "—".into(),
        "≤ 200 MB under load",
    );
    if let Some(l) = &b.load {
        for tt in &l.tables {
            if ["aid_item", "commitment", "disbursement", "audit_entry"].contains(&tt.table) {
                let rate = tt.rows as f64 / tt.time.as_secs_f64().max(1e-9);
                t.line(
                    format!("bulk load {}", tt.table),
                    format!(
                        "{} rows in {:.2} s, {rate:.0} rows/s",
                        tt.rows,
                        tt.time.as_secs_f64()
                    ),
                    "—".into(),
                    "—".into(),
                    "keep",
                );
            }
        }
    }
    crate::http_table::print(args, b, &t.lines);
    failures.extend(t.failures);
    Ok(failures)
}
