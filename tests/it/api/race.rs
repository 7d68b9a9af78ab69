//! A lock and concurrent edits dated inside the period, sent together over HTTP, many times:
//! every disbursement the server accepted was recorded before the lock (its audit entry comes
//! first), every one it refused got the period_locked answer, and nothing dated inside the
//! locked period appears after the lock. Runs on whichever backend the suite runs on.

use super::App;
use rocket::http::Status;
use serde_json::{Value, json};

const ROUNDS: i64 = 40;
const WRITERS: usize = 4;

fn audit_id(entries: &Value, action: &str) -> Option<i64> {
    entries
        .as_array()?
        .iter()
        .find(|e| e["action"] == action)
        .and_then(|e| e["id"].as_i64())
}

#[rocket::async_test]
async fn a_lock_never_interleaves_with_an_edit_dated_inside_its_period() {
    let app = App::new().await;
    app.rates().await;
    let path = format!("/aid-items/{}/disbursements", app.item_a);
    let (mut accepted, mut refused) = (0, 0);
    for round in 0..ROUNDS {
        let day =
            chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(round);
        let period = format!("{day}..{day}");
        let body = json!({"amount": "5.00", "currency": "USD", "value_date": day.to_string()});
        let lock_path = format!("/periods/{period}/lock");
        let lock = app.send("POST", &lock_path, "reviewer", None, None);
        let writes =
            (0..WRITERS).map(|_| app.send("POST", &path, "coordinator", Some(&body), None));
        let (lock, writes) = tokio::join!(lock, futures::future::join_all(writes));
        assert_eq!(lock.0, Status::Ok, "{}", lock.1);
        let (_, lock_audit) = app
            .get(
                &format!("/audit?entity=period_lock&entity_id={}", lock.1["id"]),
                "reviewer",
            )
            .await;
        let lock_at = audit_id(&lock_audit, "period.lock").expect("the lock is audited");
        for (status, body) in &writes {
            if *status == Status::Created {
                accepted += 1;
                let (_, entries) = app
                    .get(
                        &format!("/audit?entity=disbursement&entity_id={}", body["id"]),
                        "reviewer",
                    )
                    .await;
                let at = audit_id(&entries, "disbursement.record").expect("the row is audited");
                assert!(
                    at < lock_at,
                    "round {round}: row {} recorded after the lock",
                    body["id"]
                );
            } else {
                refused += 1;
                assert_eq!(
                    (*status, body["error"]["code"].as_str()),
                    (Status::Conflict, Some("period_locked")),
                    "{body}"
                );
            }
        }
        let (_, rows) = app.get(&path, "reviewer").await;
        let dated = rows
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["value_date"] == day.to_string())
            .count();
        let created = writes.iter().filter(|(s, _)| *s == Status::Created).count();
        assert_eq!(dated, created, "round {round}");
    }
    assert_eq!(accepted + refused, ROUNDS * i64::try_from(WRITERS).unwrap());
    eprintln!(
        "lock race: {ROUNDS} rounds, {accepted} writes before the lock, {refused} refused after it"
    );
}
