//! Hostile input, on the backend this run selects (issue 10, points 1 to 4): amounts at and above
//! the per-transaction maximum, sums far beyond a BIGINT, text that spoofs or breaks, malformed
//! Idempotency-Keys and impossible dates, through the HTTP API and a form.

use crate::api::{App, PASSWORD};
use aidledger::actions::ledger::{record_commitment_in, record_disbursement_in};
use aidledger::db::Store;
use aidledger::db::ledger::{MoneyTable, NewCommitment, NewDisbursement, totals_by_currency};
use aidledger::domain::Currency;
use aidledger::domain::item::{CommitmentKind, DisbursementStatus};
use aidledger::domain::period::Period;
use aidledger::rollup::{Flow, LookupData, Window, item_sums};
use rocket::http::{ContentType, Status};
use serde_json::{Value, json};

/// Rows at the maximum the test stores: hundreds, each 10^18 đồng once converted.
const ROWS: i64 = 300;

fn assert_refused(s: Status, b: &Value, field: &str, code: &str) {
    assert_eq!(s, Status::UnprocessableEntity, "{b}");
    assert_eq!(b["error"]["field"], field, "{b}");
    assert_eq!(b["error"]["code"], code, "{b}");
}

async fn count(app: &App, table: &str) -> i64 {
    let sql = sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"));
    match app.db.store() {
        Store::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        Store::Pg(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
    }
}

#[rocket::async_test]
async fn the_issue_s_huge_disbursements_are_refused_naming_the_maximum() {
    let app = App::new().await;
    app.rates().await;
    let path = format!("/aid-items/{}/disbursements", app.item_a);
    for amount in ["236901679028804.00", "10000000000.01"] {
        let body = json!({"amount": amount, "currency": "USD", "value_date": "2025-03-10"});
        let (s, b) = app.post(&path, "coordinator", &body).await;
        assert_refused(s, &b, "amount", "amount_above_maximum");
        let m = b["error"]["message"].as_str().unwrap();
        assert!(m.contains("10000000000.00 USD"), "{m}");
    }
    let body = json!({"amount": "250000000000001", "currency": "VND", "value_date": "2025-03-10"});
    let (s, b) = app.post(&path, "coordinator", &body).await;
    assert_refused(s, &b, "amount", "amount_above_maximum");
    assert_eq!(count(&app, "disbursement").await, 0);
    // The maximum itself is accepted.
    app.disburse(
        app.item_a,
        "coordinator",
        "10000000000.00",
        "USD",
        "2025-03-10",
    )
    .await;
    // A rate so large that the largest transaction could not be converted exactly is refused,
    // naming the field and the bound.
    let (s, b) = app
        .send(
            "PUT",
            "/exchange-rates",
            "reviewer",
            Some(&json!({"currency": "USD", "date": "2025-03-02", "to_vnd": "100000001", "to_usd": "1", "source": "SBV"})),
            None,
        )
        .await;
    assert_refused(s, &b, "to_vnd", "invalid_rate");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("100000000")
    );
}

#[rocket::async_test]
async fn hundreds_of_rows_at_the_maximum_sum_exactly_in_rollup_dashboard_and_report() {
    let app = App::new().await;
    // The largest USD rate there can be, so every row converts to exactly 10^18 đồng.
    let (s, b) = app
        .send(
            "PUT",
            "/exchange-rates",
            "reviewer",
            Some(&json!({"currency": "USD", "date": "2025-03-01", "to_vnd": "100000000", "to_usd": "1", "source": "bound"})),
            None,
        )
        .await;
    assert_eq!(s, Status::Ok, "{b}");
    let max = aidledger::domain::money::limits::max_minor(Currency::USD);
    let reviewer = app.actors["reviewer"].user_id;
    let coordinator = &crate::common::system();
    let mut tx = app.db.store().write().await.unwrap();
    for n in 0..ROWS {
        let cmd = NewDisbursement {
            item_id: app.item_a,
            amount_minor: max,
            currency: Currency::USD,
            value_date: crate::common::date("2025-03-10"),
            tranche: None,
            milestone_id: None,
            reverses_id: None,
            status: DisbursementStatus::Verified,
            entered_by: None,
            verified_by: reviewer,
            verified_at: Some(aidledger::db::now()),
        };
        record_disbursement_in(&mut tx, coordinator, cmd, 3650)
            .await
            .unwrap_or_else(|e| panic!("row {n}: {e}"));
        if n % 3 == 0 {
            let cmd = NewCommitment {
                item_id: app.item_a,
                kind: CommitmentKind::Original,
                amount_minor: max,
                currency: Currency::USD,
                date: crate::common::date("2025-03-11"),
                reference: None,
                entered_by: None,
            };
            record_commitment_in(&mut tx, coordinator, cmd, 3650)
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();
    let per_row_vnd: i128 = 1_000_000_000_000_000_000;
    let per_row_cents = i128::from(max);
    let (vnd, cents) = (
        per_row_vnd * i128::from(ROWS),
        per_row_cents * i128::from(ROWS),
    );
    assert!(
        vnd > i128::from(i64::MAX),
        "the total must be beyond a BIGINT"
    );

    // The sums straight from the database, counted and exact.
    let mut tx = app.db.store().read().await.unwrap();
    let w = Window {
        from: crate::common::date("2025-03-01"),
        to: crate::common::date("2025-03-31"),
    };
    let sums = item_sums(&mut tx, Flow::Disbursed, w).await.unwrap();
    assert_eq!(sums.iter().map(|s| s.rows).sum::<i64>(), ROWS);
    assert_eq!(sums.iter().map(|s| s.vnd).sum::<i128>(), vnd);
    assert_eq!(sums.iter().map(|s| s.usd_cents).sum::<i128>(), cents);
    let totals = totals_by_currency(&mut tx, MoneyTable::Disbursement)
        .await
        .unwrap();
    assert_eq!(totals.len(), 1);
    assert_eq!((totals[0].rows, totals[0].amount_minor), (ROWS, cents));
    // The report's figures, for the month and for the year that contains it.
    let look = LookupData::load(&mut tx).await.unwrap();
    for code in ["2025-M03", "2025"] {
        let period = Period::parse(code, false).unwrap();
        let fig = aidledger::rollup::figures::figures(&mut tx, &look, &period)
            .await
            .unwrap();
        assert_eq!((fig.disbursed.vnd, fig.disbursed.usd_cents), (vnd, cents));
        assert_eq!(fig.committed.vnd, per_row_vnd * i128::from(ROWS / 3));
        let item = &fig.item_figures[&app.item_a];
        assert_eq!(
            item.committed_original,
            vec![(Currency::USD, per_row_cents * i128::from(ROWS / 3))]
        );
    }
    drop(tx);

    // The API's rollups, for the month, the year and a range containing it.
    for period in ["2025-M03", "2025", "2024-06-01..2025-12-31"] {
        let (s, b) = app
            .get(
                &format!("/rollups?period={period}&by=donor&lang=en"),
                "reviewer",
            )
            .await;
        assert_eq!(s, Status::Ok, "{period}: {b}");
        assert_eq!(b["total"]["disbursed_vnd"], vnd.to_string(), "{b}");
        assert_eq!(b["total"]["disbursed_usd"], "3000000000000.00", "{b}");
    }
    // The dashboard shows the exact total (Vietnamese grouping).
    login(&app, "reviewer").await;
    let r = app.client.get("/?period=2025-M03").dispatch().await;
    assert_eq!(r.status(), Status::Ok);
    let html = r.into_string().await.unwrap();
    assert!(
        html.contains("300.000.000.000.000.000.000"),
        "dashboard total missing"
    );
}

async fn login(app: &App, who: &str) {
    let page = app
        .client
        .get("/login")
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    let body = format!(
        "_csrf={}&username={who}&password={}",
        csrf(&page),
        PASSWORD.replace(' ', "%20")
    );
    let r = app
        .client
        .post("/login")
        .header(ContentType::Form)
        .body(body)
        .dispatch()
        .await;
    assert_eq!(r.status(), Status::SeeOther, "login as {who}");
}

fn csrf(html: &str) -> String {
    let at = html
        .find("name=\"_csrf\" value=\"")
        .expect("a form with a CSRF token");
    let rest = &html[at + 20..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// Each hostile title of the issue, and the field's error code.
const HOSTILE_TITLES: &[(&str, &str)] = &[
    ("Water\u{0}works", "text_control"),
    ("Clean water \u{202E}gpj.exe", "text_bidi"),
    ("\u{2067}isolated\u{2069}", "text_bidi"),
    ("\u{200B}\u{200B}\u{FEFF}", "invalid_text"),
    ("Line one\r\nline two", "text_line_break"),
    ("Line one\nline two", "text_line_break"),
    ("Bell\u{7}", "text_control"),
    ("C1 \u{85} control", "text_control"),
];

#[rocket::async_test]
async fn hostile_text_is_refused_by_the_api_and_nfd_is_stored_as_nfc() {
    let app = App::new().await;
    let path = format!("/aid-items/{}/milestones", app.item_a);
    let long = "x".repeat(301);
    let mut cases: Vec<(&str, &str)> = HOSTILE_TITLES.to_vec();
    cases.push((&long, "invalid_text"));
    for (title, code) in cases {
        let body = json!({"title_vi": title, "title_en": "Fine", "planned_date": "2025-06-01"});
        let (s, b) = app.post(&path, "coordinator", &body).await;
        assert_refused(s, &b, "title_vi", code);
        // The same rule holds for a name on another record.
        let body = json!({"kind": "foreign_ngo", "name_vi": title, "name_en": "Fine", "nationality": "KR"});
        let (s, b) = app.post("/organisations", "coordinator", &body).await;
        assert_refused(s, &b, "name_vi", code);
    }
    assert_eq!(count(&app, "milestone").await, 0);
    // A multi-line field keeps its line breaks (CRLF stored as LF) but not a NUL.
    let body = json!({"title_vi": "Mốc", "title_en": "M", "planned_date": "2025-06-01", "evidence": "a\u{0}b"});
    let (s, b) = app.post(&path, "coordinator", &body).await;
    assert_refused(s, &b, "evidence", "text_control");
    // "Nguyễn" typed with combining marks is stored composed; the evidence keeps its lines.
    let nfd = "Nguye\u{302}\u{303}n";
    let body = json!({"title_vi": nfd, "title_en": " M ", "planned_date": "2025-06-01", "evidence": "line 1\r\nline 2"});
    let (s, b) = app.post(&path, "coordinator", &body).await;
    assert_eq!(s, Status::Created, "{b}");
    assert_eq!(b["title_vi"], "Nguy\u{1EC5}n");
    assert_eq!(b["title_en"], "M");
    assert_eq!(b["evidence"], "line 1\nline 2");
    let mut tx = app.db.store().read().await.unwrap();
    let ms = aidledger::db::ledger::list_milestones(&mut tx, app.item_a)
        .await
        .unwrap();
    assert_eq!(ms.len(), 1);
    assert_eq!(ms[0].title_vi, "Nguy\u{1EC5}n");
}

#[rocket::async_test]
async fn hostile_text_in_a_form_comes_back_with_the_field_s_error_in_the_person_s_language() {
    let app = App::new().await;
    login(&app, "coordinator").await;
    let path = format!("/items/{}/milestones/new", app.item_a);
    for (title, vi, en) in [
        ("Ab\u{202E}cd", "đổi chiều", "direction control"),
        ("Ab\u{0}cd", "điều khiển", "control character"),
    ] {
        let page = app.client.get(path.clone()).dispatch().await;
        let token = csrf(&page.into_string().await.unwrap());
        let body = format!(
            "_csrf={token}&title_vi={title}&title_en=Fine&planned_date=2025-06-01&status=planned"
        );
        let r = app
            .client
            .post(path.clone())
            .header(ContentType::Form)
            .body(body)
            .dispatch()
            .await;
        assert_eq!(r.status(), Status::UnprocessableEntity);
        let html = r.into_string().await.unwrap();
        assert!(
            html.contains(vi) || html.contains(en),
            "no text error shown"
        );
    }
    // An impossible date is refused in the form with the range.
    let page = app.client.get(path.clone()).dispatch().await;
    let token = csrf(&page.into_string().await.unwrap());
    let body =
        format!("_csrf={token}&title_vi=Fine&title_en=Fine&planned_date=1000-01-01&status=planned");
    let r = app
        .client
        .post(path.clone())
        .header(ContentType::Form)
        .body(body)
        .dispatch()
        .await;
    assert_eq!(r.status(), Status::UnprocessableEntity);
    let html = r.into_string().await.unwrap();
    assert!(
        html.contains("1990") && html.contains("2100"),
        "no range shown"
    );
    assert_eq!(count(&app, "milestone").await, 0);
    // An amount above the maximum is refused in the disbursement form, naming the maximum in
    // the reader's format.
    app.rates().await;
    let path = format!("/items/{}/disbursements/new", app.item_a);
    let page = app.client.get(path.clone()).dispatch().await;
    let token = csrf(&page.into_string().await.unwrap());
    let body =
        format!("_csrf={token}&amount=236.901.679.028.804,00&currency=USD&value_date=2025-03-10");
    let r = app
        .client
        .post(path)
        .header(ContentType::Form)
        .body(body)
        .dispatch()
        .await;
    assert_eq!(r.status(), Status::UnprocessableEntity);
    let html = r.into_string().await.unwrap();
    assert!(
        html.contains("10.000.000.000,00 USD") || html.contains("10,000,000,000.00 USD"),
        "maximum not shown"
    );
    assert_eq!(count(&app, "disbursement").await, 0);
}

#[rocket::async_test]
async fn malformed_idempotency_keys_are_refused_never_ignored() {
    let app = App::new().await;
    app.rates().await;
    let path = format!("/aid-items/{}/disbursements", app.item_a);
    let body = json!({"amount": "10.00", "currency": "EUR", "value_date": "2025-03-10"});
    let long = "k".repeat(201);
    // U+00E9 arrives as UTF-8 here; the raw byte 0xE9, which is not UTF-8, can only be sent
    // over a socket: `an_idempotency_key_that_is_not_utf8_is_refused` does that.
    for key in [
        "retry-\u{e9}-1",
        "",
        " ",
        "a b",
        "tab\tkey",
        &long,
        "ключ",
        "nul\u{7f}",
    ] {
        for _ in 0..2 {
            let (s, b) = app
                .send("POST", &path, "coordinator", Some(&body), Some(key))
                .await;
            assert_refused(s, &b, "Idempotency-Key", "invalid_idempotency_key");
        }
    }
    assert_eq!(count(&app, "disbursement").await, 0);
    // A good key, sent twice, applies once.
    let key = "k".repeat(200);
    for _ in 0..2 {
        let (s, b) = app
            .send("POST", &path, "coordinator", Some(&body), Some(&key))
            .await;
        assert_eq!(s, Status::Created, "{b}");
    }
    assert_eq!(count(&app, "disbursement").await, 1);
}

#[rocket::async_test]
async fn dates_outside_the_reportable_range_are_refused_with_the_range() {
    let app = App::new().await;
    app.rates().await;
    let item = app.item_a;
    let cases = [
        (
            format!("/aid-items/{item}/disbursements"),
            json!({"amount": "1.00", "currency": "EUR", "value_date": "0000-01-01"}),
            "value_date",
        ),
        (
            format!("/aid-items/{item}/disbursements"),
            json!({"amount": "1.00", "currency": "EUR", "value_date": "1000-01-01"}),
            "value_date",
        ),
        (
            format!("/aid-items/{item}/commitments"),
            json!({"amount": "1.00", "currency": "EUR", "date": "1989-12-31"}),
            "date",
        ),
        (
            format!("/aid-items/{item}/milestones"),
            json!({"title_vi": "M", "title_en": "M", "planned_date": "2101-01-01"}),
            "planned_date",
        ),
    ];
    for (path, body, field) in cases {
        let (s, b) = app.post(&path, "coordinator", &body).await;
        assert_refused(s, &b, field, "date_out_of_range");
        let m = b["error"]["message"].as_str().unwrap();
        assert!(m.contains("1990-01-01 to 2100-12-31"), "{m}");
    }
    let (s, b) = app
        .send(
            "PUT",
            "/exchange-rates",
            "reviewer",
            Some(&json!({"currency": "EUR", "date": "1000-03-01", "to_vnd": "27000", "to_usd": "1.08", "source": "SBV"})),
            None,
        )
        .await;
    assert_refused(s, &b, "date", "date_out_of_range");
    let (s, b) = app
        .get(
            "/rollups?period=0001-01-01..0001-12-31&by=donor&lang=en",
            "reviewer",
        )
        .await;
    assert_eq!(s, Status::UnprocessableEntity, "{b}");
    assert_eq!(count(&app, "disbursement").await, 0);
    assert_eq!(count(&app, "commitment").await, 0);
    assert_eq!(count(&app, "milestone").await, 0);
}

/// Sends raw bytes to a real server and returns the status code and body: the local client
/// only carries headers that are already `str`, and the bytes at issue never are.
async fn raw_http(port: u16, request: &[u8]) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    s.write_all(request).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    let text = String::from_utf8_lossy(&out);
    let status: u16 = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {text}"));
    let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[rocket::async_test]
async fn an_idempotency_key_that_is_not_utf8_is_refused() {
    let app = App::new().await;
    app.rates().await;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let figment = rocket::Config::figment()
        .merge(("port", port))
        .merge(("address", "127.0.0.1"))
        .merge(("log_level", "off"));
    let server =
        aidledger::build(app.db.ctx.config.clone(), app.db.store().clone()).configure(figment);
    let handle = tokio::spawn(async move { server.launch().await });
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let body = r#"{"amount": "10.00", "currency": "EUR", "value_date": "2025-03-10"}"#;
    let auth = app.bearer("coordinator");
    let mut request = format!(
        "POST /api/v1/aid-items/{}/disbursements HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Connection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Authorization: {}\r\nIdempotency-Key: retry-",
        app.item_a,
        body.len(),
        auth.value()
    )
    .into_bytes();
    // Latin-1 é, as a client that encodes headers in Latin-1 sends it.
    request.push(0xE9);
    request.extend_from_slice(b"-1\r\n\r\n");
    request.extend_from_slice(body.as_bytes());
    for _ in 0..2 {
        let (status, b) = raw_http(port, &request).await;
        assert_eq!(status, 422, "{b}");
        assert_eq!(b["error"]["code"], "invalid_idempotency_key", "{b}");
        assert_eq!(b["error"]["field"], "Idempotency-Key", "{b}");
    }
    assert_eq!(count(&app, "disbursement").await, 0);
    // The same request with a valid key is stored once: the refusal above was the key's alone.
    let good: Vec<u8> = request
        .windows(1)
        .map(|w| if w[0] == 0xE9 { b'e' } else { w[0] })
        .collect();
    for _ in 0..2 {
        let (status, b) = raw_http(port, &good).await;
        assert_eq!(status, 201, "{b}");
    }
    assert_eq!(count(&app, "disbursement").await, 1);
    handle.abort();
}
