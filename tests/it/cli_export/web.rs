//! `GET /exports/transactions.csv` through the real login form: the same bytes as the action,
//! the period and organisation in the query and the file name, NGO staff held to their own
//! organisation, and nothing for a visitor who is not logged in.

use super::{Csv, export_transactions};
use crate::common::system;
use aidledger::actions::Actor;
use aidledger::actions::export::TransactionSelection;
use aidledger::domain::period::Period;

/// The `_csrf` value of the first form in `html`.
fn csrf(html: &str) -> String {
    let at = html
        .find("name=\"_csrf\" value=\"")
        .expect("a form with a CSRF token");
    let rest = &html[at + 20..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// A browser logged in as `who` through the login form.
async fn browser(app: &crate::api::App, who: &str) -> rocket::local::asynchronous::Client {
    use rocket::http::{ContentType, Status};
    let client = rocket::local::asynchronous::Client::tracked(aidledger::build(
        app.db.ctx.config.clone(),
        app.db.store().clone(),
    ))
    .await
    .unwrap();
    let html = client
        .get("/login")
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    let res = client
        .post("/login")
        .header(ContentType::Form)
        .body(format!(
            "_csrf={}&username={who}&password={}",
            csrf(&html),
            crate::api::PASSWORD.replace(' ', "%20")
        ))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::SeeOther, "login as {who}");
    drop(res);
    client
}

/// Downloads `path`; returns the status, content type, disposition and body.
async fn download(
    client: &rocket::local::asynchronous::Client,
    path: &str,
) -> (rocket::http::Status, String, String, Vec<u8>) {
    let res = client.get(path.to_string()).dispatch().await;
    let header = |h: &str| res.headers().get_one(h).unwrap_or("").to_string();
    let (ct, cd) = (header("Content-Type"), header("Content-Disposition"));
    (
        res.status(),
        ct,
        cd,
        res.into_bytes().await.unwrap_or_default(),
    )
}

#[rocket::async_test]
async fn the_web_download_streams_the_same_csv_within_the_viewers_scope() {
    use rocket::http::Status;
    let app = crate::api::App::new().await;
    app.rates().await;
    for (item, amount) in [(app.item_a, "5000.00"), (app.item_b, "7000.00")] {
        let (s, b) = app
            .post(
                &format!("/aid-items/{item}/commitments"),
                "coordinator",
                &serde_json::json!({"amount": amount, "currency": "EUR", "date": "2025-02-01"}),
            )
            .await;
        assert_eq!(s, rocket::http::Status::Created, "{b}");
    }
    app.disburse(app.item_a, "coordinator", "1000.00", "USD", "2025-03-04")
        .await;
    let expected = |actor: Actor, sel: TransactionSelection| {
        let ctx = app.db.ctx.clone();
        async move {
            export_transactions(&ctx, &actor, sel, Vec::new())
                .await
                .unwrap()
                .1
        }
    };

    let reviewer = browser(&app, "reviewer").await;
    let (status, ct, cd, body) = download(&reviewer, "/exports/transactions.csv").await;
    assert_eq!(status, Status::Ok);
    assert!(ct.starts_with("text/csv"), "{ct}");
    assert_eq!(cd, "attachment; filename=\"transactions-all.csv\"");
    let all = expected(system(), TransactionSelection::default()).await;
    assert_eq!(body, all);
    assert_eq!(Csv::parse(&body).rows.len(), 3);

    let path = format!(
        "/exports/transactions.csv?period=2025-Q1&organisation={}",
        app.org_a
    );
    let (status, _, cd, body) = download(&reviewer, &path).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(
        cd,
        format!(
            "attachment; filename=\"transactions-2025-Q1-org{}.csv\"",
            app.org_a
        )
    );
    let sel = TransactionSelection {
        period: Some(Period::parse("2025-Q1", false).unwrap()),
        organisation_id: Some(app.org_a),
    };
    assert_eq!(body, expected(system(), sel).await);
    assert_eq!(Csv::parse(&body).rows.len(), 2);
    let (status, ..) = download(&reviewer, "/exports/transactions.csv?period=2025-Q9").await;
    assert_eq!(status, Status::UnprocessableEntity);

    // NGO staff: their own rows only, and another organisation does not exist for them.
    let ngo = browser(&app, "ngo_a").await;
    let (status, _, _, body) = download(&ngo, "/exports/transactions.csv").await;
    assert_eq!(status, Status::Ok);
    let rows = Csv::parse(&body).rows;
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["donor_id"] == app.org_a.to_string()));
    let other = format!("/exports/transactions.csv?organisation={}", app.org_b);
    assert_eq!(download(&ngo, &other).await.0, Status::NotFound);

    let stranger = rocket::local::asynchronous::Client::tracked(aidledger::build(
        app.db.ctx.config.clone(),
        app.db.store().clone(),
    ))
    .await
    .unwrap();
    let (status, _, _, body) = download(&stranger, "/exports/transactions.csv").await;
    assert_ne!(status, Status::Ok);
    assert!(!body.starts_with(b"\xEF\xBB\xBF"));
}

/// The long reads (exports, drafted reports) share at most half of the pool, so a page still
/// answers while as many long reads as the pool has connections are asked for at once; a
/// download asked for meanwhile waits for a share, and runs once one is free.
#[rocket::async_test]
async fn pages_answer_while_long_reads_fill_the_pool() {
    use aidledger::db::Store;
    use aidledger::db::long_reads::long_read_share;
    use rocket::http::Status;
    use rocket::tokio::time::{Duration, timeout};
    let app = crate::api::App::new().await;
    let client = browser(&app, "coordinator").await;
    let store = app.db.store().clone();
    let pool = match &store {
        Store::Sqlite(p) => p.options().get_max_connections(),
        Store::Pg(p) => p.options().get_max_connections(),
    };
    let (connections, share) = (usize::try_from(pool).unwrap(), long_read_share(pool));
    assert!(share < connections, "{share} of {connections}");
    let mut held = Vec::new();
    for _ in 0..share {
        held.push(store.read_long().await.unwrap());
    }
    // The rest hold their read, as an export does, until they are let go.
    let (let_go, hold) = rocket::tokio::sync::watch::channel(false);
    let waiting: Vec<_> = (share..connections)
        .map(|_| {
            let (store, mut hold) = (store.clone(), hold.clone());
            rocket::tokio::spawn(async move {
                let read = store.read_long().await?;
                let _ = hold.wait_for(|go| *go).await;
                drop(read);
                Ok::<_, aidledger::error::Error>(())
            })
        })
        .collect();
    // Time for them to ask (they would hold every connection without the share); a shorter
    // wait could only let a missing share pass, never fail a present one.
    rocket::tokio::time::sleep(Duration::from_millis(300)).await;
    let page = timeout(
        Duration::from_secs(20),
        client.get(format!("/items/{}", app.item_a)).dispatch(),
    )
    .await
    .expect("the item page answers while long reads fill the pool");
    assert_eq!(page.status(), Status::Ok);
    drop(page);
    let (api, _) = timeout(Duration::from_secs(20), app.get("/aid-items", "reviewer"))
        .await
        .expect("the API answers while long reads fill the pool");
    assert_eq!(api, Status::Ok);
    let early = timeout(
        Duration::from_millis(300),
        download(&client, "/exports/transactions.csv"),
    )
    .await;
    assert!(early.is_err(), "a download waits for a share of the pool");
    assert!(
        waiting.iter().all(|w| !w.is_finished()),
        "long reads beyond the share wait"
    );
    drop(held);
    let_go.send(true).unwrap();
    for w in waiting {
        w.await.unwrap().unwrap();
    }
    let (status, ..) = download(&client, "/exports/transactions.csv").await;
    assert_eq!(status, Status::Ok);
}
