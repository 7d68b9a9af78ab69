//! The JSON API through Rocket's local client: the real routes, guards, catchers and
//! database. `App` builds one province with two NGOs and a user of every role, each with an
//! API token, so a test reads like what a client does.

mod access;
mod flows;
mod isolation;
mod mobilisation;
mod openapi;
mod race;

use crate::common::{TestDb, date, fresh_db, seed_basics, seed_item, system};
use aidledger::actions::tokens::create_token;
use aidledger::actions::users::{NewUser, create_user};
use aidledger::actions::{Actor, orgs};
use aidledger::db::orgs::NewOrganisation;
use aidledger::domain::item::{CertificateType, OrgKind, Role};
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use serde_json::Value;
use std::collections::BTreeMap;

pub const PASSWORD: &str = "a long enough passphrase";
/// Appears in every name of NGO B's records, so a test can search any body for it.
pub const MARKER_B: &str = "ZEBRA-B-7Q";

pub struct App {
    pub db: TestDb,
    pub client: Client,
    tokens: BTreeMap<&'static str, String>,
    pub actors: BTreeMap<&'static str, Actor>,
    /// NGO A (the seeded donor) and its approved item.
    pub org_a: i64,
    pub item_a: i64,
    /// NGO B and its item, named with [`MARKER_B`].
    pub org_b: i64,
    pub item_b: i64,
    pub owner: i64,
    pub agency: i64,
}

/// The users every app has: (username, role, which NGO).
const USERS: &[(&str, Role, Option<char>)] = &[
    ("admin", Role::Admin, None),
    ("coordinator", Role::Coordinator, None),
    ("coordinator2", Role::Coordinator, None),
    ("reviewer", Role::Reviewer, None),
    ("reviewer2", Role::Reviewer, None),
    ("ngo_a", Role::Ngo, Some('a')),
    ("ngo_b", Role::Ngo, Some('b')),
];

impl App {
    pub async fn new() -> App {
        let db = fresh_db().await;
        let (org_a, owner, agency) = seed_basics(&db).await;
        let item_a = seed_item(&db, "A-001", (org_a, owner, agency)).await;
        let org_b = orgs::create_organisation(
            &db.ctx,
            &system(),
            NewOrganisation {
                kind: OrgKind::ForeignNgo,
                name_vi: format!("Tổ chức {MARKER_B}"),
                name_en: format!("Org {MARKER_B}"),
                acronym: Some(MARKER_B.into()),
                nationality: "KR".into(),
                iati_ref: None,
                cert_type: Some(CertificateType::Operation),
                cert_number: Some(format!("77/{MARKER_B}")),
                cert_valid_from: Some(date("2024-01-01")),
                cert_valid_to: Some(date("2029-01-01")),
                sectors: vec![],
                provinces: vec![],
            },
        )
        .await
        .unwrap();
        let item_b = seed_item(&db, &format!("B-{MARKER_B}"), (org_b, owner, agency)).await;
        let mut tokens = BTreeMap::new();
        let mut actors = BTreeMap::new();
        for (name, role, ngo) in USERS {
            let org = ngo.map(|c| if c == 'a' { org_a } else { org_b });
            let u = create_user(
                &db.ctx,
                &system(),
                NewUser {
                    username: (*name).into(),
                    display_name: format!("Test {name}"),
                    role: *role,
                    organisation_id: org,
                    password: PASSWORD.into(),
                },
            )
            .await
            .unwrap();
            let actor = Actor::user(u.id, &u.username, u.role, u.organisation_id);
            let t = create_token(&db.ctx, &actor, "tests").await.unwrap();
            tokens.insert(*name, t.secret);
            actors.insert(*name, actor);
        }
        let client = Client::tracked(aidledger::build(db.ctx.config.clone(), db.store().clone()))
            .await
            .unwrap();
        App {
            db,
            client,
            tokens,
            actors,
            org_a,
            item_a,
            org_b,
            item_b,
            owner,
            agency,
        }
    }

    /// Sends a request as `who` (a username from the fixture, or "" for nobody) and returns
    /// the status and the body (JSON, or the text as a JSON string when it is not JSON).
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        who: &str,
        body: Option<&Value>,
        idempotency_key: Option<&str>,
    ) -> (Status, Value) {
        let (status, bytes) = self
            .send_raw(method, path, who, body, idempotency_key)
            .await;
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, value)
    }

    pub async fn send_raw(
        &self,
        method: &str,
        path: &str,
        who: &str,
        body: Option<&Value>,
        idempotency_key: Option<&str>,
    ) -> (Status, Vec<u8>) {
        let uri = format!("/api/v1{path}");
        let mut req = match method {
            "GET" => self.client.get(uri),
            "POST" => self.client.post(uri),
            "PUT" => self.client.put(uri),
            "PATCH" => self.client.patch(uri),
            "DELETE" => self.client.delete(uri),
            other => panic!("no method {other}"),
        };
        if self.tokens.contains_key(who) {
            req = req.header(self.bearer(who));
        }
        if let Some(k) = idempotency_key {
            req = req.header(Header::new("Idempotency-Key", k.to_string()));
        }
        if let Some(b) = body {
            req = req.header(ContentType::JSON).body(b.to_string());
        }
        let res = req.dispatch().await;
        let status = res.status();
        (status, res.into_bytes().await.unwrap_or_default())
    }

    /// The `Authorization` header of a fixture user.
    pub fn bearer(&self, who: &str) -> Header<'static> {
        Header::new("Authorization", format!("Bearer {}", self.tokens[who]))
    }

    pub async fn get(&self, path: &str, who: &str) -> (Status, Value) {
        self.send("GET", path, who, None, None).await
    }

    pub async fn post(&self, path: &str, who: &str, body: &Value) -> (Status, Value) {
        self.send("POST", path, who, Some(body), None).await
    }

    /// Enters the EUR and USD rates the flows convert with.
    pub async fn rates(&self) {
        for (cur, vnd, usd) in [("EUR", "27000", "1.08"), ("USD", "25000", "1")] {
            for d in [
                "2025-01-01",
                "2025-02-01",
                "2025-03-01",
                "2025-04-01",
                "2025-05-01",
                "2025-06-01",
                "2025-07-01",
            ] {
                let (s, b) = self
                    .send(
                        "PUT",
                        "/exchange-rates",
                        "reviewer",
                        Some(&serde_json::json!({"currency": cur, "date": d, "to_vnd": vnd, "to_usd": usd, "source": "SBV central rate"})),
                        None,
                    )
                    .await;
                assert_eq!(s, Status::Ok, "{b}");
            }
        }
    }

    /// Records a disbursement as `who` and returns its id.
    pub async fn disburse(&self, item: i64, who: &str, amount: &str, cur: &str, d: &str) -> i64 {
        let (s, b) = self
            .post(
                &format!("/aid-items/{item}/disbursements"),
                who,
                &serde_json::json!({"amount": amount, "currency": cur, "value_date": d}),
            )
            .await;
        assert_eq!(s, Status::Created, "{b}");
        b["id"].as_i64().unwrap()
    }
}
