//! What the `--http` run needs before it measures: the bench users' password, the items,
//! sector, search word, rate date and overdue milestone the requests use (read from the
//! loaded data), and the logins (a session cookie, which pages and the API both take, and an
//! API token).

use crate::BoxError;
use crate::loadgen::{self, Http, Req};
use aidledger::Store;
use hyper::Method;

pub const PASSWORD: &str = "bench-national-password-2026";

pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What the requests need from the data: items, a sector, a search word, a rate date.
pub struct Picks {
    pub typical: i64,
    pub busiest: (i64, i64),
    pub open_item: i64,
    pub sector: String,
    pub word: String,
    pub usd_date: String,
    /// The overdue milestone halfway down the list, to start a deep page after.
    pub overdue_mid: i64,
}

pub async fn picks(store: &Store) -> Result<Picks, BoxError> {
    macro_rules! q {
        ($p:expr) => {{
            let p = $p;
            let counts: Vec<(i64, i64)> = sqlx::query_as("SELECT item_id, COUNT(*) FROM disbursement GROUP BY item_id ORDER BY COUNT(*), item_id").fetch_all(p).await?;
            let typical = counts.get(counts.len() / 2).ok_or("no disbursements")?.0;
            let busiest = *counts.last().ok_or("no disbursements")?;
            let open_item: i64 = sqlx::query_scalar("SELECT id FROM aid_item ORDER BY CASE WHEN status = 'implementing' THEN 0 ELSE 1 END, id LIMIT 1").fetch_one(p).await?;
            let sector: String = sqlx::query_scalar("SELECT sector_code FROM aid_item_sector GROUP BY sector_code ORDER BY COUNT(*) DESC, sector_code LIMIT 1").fetch_one(p).await?;
            let title: String = sqlx::query_scalar("SELECT title_vi FROM aid_item WHERE id = $1").bind(typical).fetch_one(p).await?;
            let usd_date: chrono::NaiveDate = sqlx::query_scalar("SELECT MAX(rate_date) FROM exchange_rate WHERE currency = 'USD'").fetch_one(p).await?;
            let overdue: Vec<i64> = sqlx::query_scalar("SELECT id FROM milestone WHERE status IN ('planned', 'in_progress') AND planned_date < $1 ORDER BY planned_date, id").bind(aidledger::actions::today_in_vietnam()).fetch_all(p).await?;
            let overdue_mid = *overdue.get(overdue.len() / 2).ok_or("no overdue milestones")?;
            let word = title.split_whitespace().find(|w| w.chars().count() >= 4).unwrap_or("a").to_string();
            Picks { typical, busiest, open_item, sector, word, overdue_mid, usd_date: usd_date.min(aidledger::actions::today_in_vietnam()).to_string() }
        }};
    }
    Ok(match store {
        Store::Sqlite(p) => q!(p),
        Store::Pg(p) => q!(p),
    })
}

pub fn json_post(path: &str, body: String) -> Req {
    Req {
        method: Method::POST,
        body,
        ..Req::get(path)
    }
    .header("Content-Type", "application/json")
}

/// Logs in through the API; returns the session cookie (`name=value`), which pages take too.
pub async fn session(c: &Http, base: &str, user: &str) -> Result<String, BoxError> {
    let body = serde_json::json!({"username": user, "password": PASSWORD}).to_string();
    let a = loadgen::send(c, base, &json_post("/api/v1/auth/login", body)).await?;
    let cookies: Vec<&str> = a
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next())
        .collect();
    if !a.status.is_success() || cookies.is_empty() {
        return Err(format!(
            "login as {user}: {} {}",
            a.status,
            String::from_utf8_lossy(&a.body)
        )
        .into());
    }
    Ok(cookies.join("; "))
}

pub async fn token(c: &Http, base: &str, user: &str) -> Result<String, BoxError> {
    let body =
        serde_json::json!({"username": user, "password": PASSWORD, "name": "bench"}).to_string();
    let a = loadgen::send(c, base, &json_post("/api/v1/auth/token", body)).await?;
    let v: serde_json::Value = serde_json::from_slice(&a.body).unwrap_or_default();
    match v["token"].as_str() {
        Some(t) if a.status.is_success() => Ok(t.to_string()),
        _ => Err(format!("a token for {user}: {} {v}", a.status).into()),
    }
}
