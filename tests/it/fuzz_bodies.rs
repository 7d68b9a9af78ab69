//! Fuzzing every JSON request body of the API through the real HTTP stack (issue 10, "Fuzzing
//! on stable Rust"): valid bodies with fields replaced by hostile values, dropped or added, and
//! raw bytes, sent to each write endpoint as a user allowed to call it. Nothing may answer 5xx
//! or panic; a refusal is a 4xx with the error shape. The number of requests per endpoint is
//! `AIDLEDGER_FUZZ_CASES / 20` (100 by default); the run prints how many it sent.

use crate::api::App;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use rocket::http::{ContentType, Status};
use serde_json::{Map, Value, json};

/// Values that have broken parsers before, mixed with arbitrary ones.
const HOSTILE: &[&str] = &[
    "",
    " ",
    "\u{0}",
    "a\u{0}b",
    "\u{202E}abc",
    "\u{200B}\u{200B}",
    "a\r\nb",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "236901679028804.00",
    "999999999999999.99",
    "1e308",
    "NaN",
    "-0",
    "0000-01-01",
    "1000-01-01",
    "9999-12-31",
    "+2025-01-01",
    "2025-02-30",
    "2025-13",
    "2025-M13",
    "USD",
    "vnd",
    "XTS",
    "0.0000000000001",
    "1000000000",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        proptest::sample::select(HOSTILE).prop_map(Value::from),
        "\\PC{0,40}".prop_map(Value::from),
        "[-+0-9.,eE ]{0,24}".prop_map(Value::from),
        "[0-9]{1,5}-[0-9MQH]{1,3}(-[0-9]{1,2})?".prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A change to a valid body: replace or drop fields, maybe add an unknown one, or send
/// arbitrary bytes instead.
#[derive(Debug, Clone)]
enum Mutation {
    Fields(Vec<(usize, Option<Value>)>, Option<(String, Value)>),
    Bytes(Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        8 => (
            proptest::collection::vec((any::<usize>(), proptest::option::weighted(0.85, value())), 1..4),
            proptest::option::weighted(0.1, ("[a-z_]{1,10}", value())),
        )
            .prop_map(|(f, extra)| Mutation::Fields(f, extra)),
        1 => any::<Vec<u8>>().prop_map(Mutation::Bytes),
    ]
}

fn apply(template: &Value, m: &Mutation) -> Vec<u8> {
    match m {
        Mutation::Bytes(b) => b.clone(),
        Mutation::Fields(changes, extra) => {
            let mut obj = template.as_object().cloned().unwrap_or_default();
            let keys: Vec<String> = obj.keys().cloned().collect();
            for (i, v) in changes {
                let key = &keys[i % keys.len()];
                match v {
                    Some(v) => obj.insert(key.clone(), v.clone()),
                    None => obj.remove(key),
                };
            }
            if let Some((k, v)) = extra {
                obj.insert(k.clone(), v.clone());
            }
            Value::Object(obj).to_string().into_bytes()
        }
    }
}

fn per_endpoint() -> u32 {
    std::env::var("AIDLEDGER_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(100, |n| (n / 20).max(1))
}

#[rocket::async_test]
async fn no_request_body_makes_the_api_fail_or_panic() {
    let app = App::new().await;
    app.rates().await;
    let item = app.item_a;
    let d = app
        .disburse(item, "coordinator", "100.00", "EUR", "2025-03-10")
        .await;
    let (s, m) = app
        .post(
            &format!("/aid-items/{item}/milestones"),
            "coordinator",
            &json!({"title_vi": "Mốc", "title_en": "M", "planned_date": "2025-06-01"}),
        )
        .await;
    assert_eq!(s, Status::Created, "{m}");
    let ms = m["id"].as_i64().unwrap();
    let admin_id = app.actors["coordinator"].user_id.unwrap();
    let endpoints: Vec<(&str, String, &str, Value)> = vec![
        (
            "POST",
            "/tokens".into(),
            "coordinator",
            json!({"name": "fuzz"}),
        ),
        (
            "POST",
            "/aid-items".into(),
            "coordinator",
            json!({
            "code": "F-1", "title_vi": "T", "title_en": "T", "modality": "programme", "form": "cash",
            "donor_id": app.org_a, "funding_source_id": null, "aid_owner_id": app.owner,
            "managing_agency_id": app.agency, "approval_number": null, "approval_date": null,
            "approval_authority": null, "legal_basis": "80/2020", "planned_start": "2025-01-01",
            "planned_end": "2025-12-31", "actual_start": null, "actual_end": null,
            "status": "pipeline", "beneficiaries": null,
            "sectors": [{"code": "HEALTH.PHC", "share_bp": 10000}],
            "localities": [{"code": "C1", "share_bp": 10000}]}),
        ),
        (
            "PATCH",
            format!("/aid-items/{item}"),
            "coordinator",
            json!({"title_en": "New", "planned_end": "2026-12-31", "beneficiaries": "x"}),
        ),
        (
            "PUT",
            "/exchange-rates".into(),
            "reviewer",
            json!({"currency": "EUR", "date": "2025-03-05", "to_vnd": "27000", "to_usd": "1.08", "source": "SBV"}),
        ),
        (
            "POST",
            "/periods/2025-M01/unlock".into(),
            "reviewer",
            json!({"reason": "a correction is needed"}),
        ),
        (
            "POST",
            "/reports".into(),
            "reviewer",
            json!({"period": "2025-M03", "lang": "en", "issued_on": "2025-04-01", "number": "1/BC"}),
        ),
        (
            "POST",
            format!("/aid-items/{item}/milestones"),
            "coordinator",
            json!({"title_vi": "A", "title_en": "B", "planned_date": "2025-06-01", "actual_date": null, "status": "planned", "evidence": null}),
        ),
        (
            "PATCH",
            format!("/milestones/{ms}"),
            "coordinator",
            json!({"title_vi": "A", "planned_date": "2025-06-02", "actual_date": null, "evidence": null}),
        ),
        (
            "POST",
            format!("/milestones/{ms}/reports"),
            "ngo_a",
            json!({"status": "done", "actual_date": "2025-03-01", "evidence": "photos"}),
        ),
        (
            "POST",
            "/milestone-reports/1/return".into(),
            "coordinator",
            json!({"note": "missing photos"}),
        ),
        (
            "POST",
            format!("/aid-items/{item}/commitments"),
            "coordinator",
            json!({"kind": "original", "amount": "10.00", "currency": "EUR", "date": "2025-03-01", "reference": "X"}),
        ),
        (
            "POST",
            format!("/aid-items/{item}/disbursements"),
            "coordinator",
            json!({"amount": "10.00", "currency": "EUR", "value_date": "2025-03-01", "tranche": 1, "milestone_id": null}),
        ),
        (
            "POST",
            format!("/disbursements/{d}/reject"),
            "reviewer",
            json!({"reason": "no receipt"}),
        ),
        (
            "POST",
            format!("/disbursements/{d}/reverse"),
            "coordinator",
            json!({"value_date": "2025-03-20", "reason": "paid twice"}),
        ),
        (
            "POST",
            format!("/disbursements/{d}/return"),
            "coordinator",
            json!({"reason": "wrong amount"}),
        ),
        (
            "POST",
            "/organisations".into(),
            "coordinator",
            json!({"kind": "foreign_ngo", "name_vi": "A", "name_en": "A", "acronym": null, "nationality": "KR", "iati_ref": null, "cert_type": null, "cert_number": null, "cert_valid_from": null, "cert_valid_to": null, "sectors": [], "provinces": []}),
        ),
        (
            "PATCH",
            format!("/organisations/{}", app.org_a),
            "coordinator",
            json!({"name_en": "B", "cert_valid_to": "2030-01-01"}),
        ),
        (
            "POST",
            "/users".into(),
            "admin",
            json!({"username": "fuzzer", "display_name": "F", "role": "reviewer", "organisation_id": null, "password": "a long enough passphrase"}),
        ),
        (
            "PATCH",
            format!("/users/{admin_id}"),
            "admin",
            json!({"display_name": "C"}),
        ),
    ];
    let cases = per_endpoint();
    let mut sent = 0_u64;
    let mut runner = TestRunner::new(Config::with_cases(cases));
    let strategy = mutation();
    for (method, path, who, template) in &endpoints {
        for _ in 0..cases {
            let m = strategy.new_tree(&mut runner).unwrap().current();
            let body = apply(template, &m);
            let uri = format!("/api/v1{path}");
            let req = match *method {
                "POST" => app.client.post(uri),
                "PUT" => app.client.put(uri),
                _ => app.client.patch(uri),
            };
            let res = req
                .header(app.bearer(who))
                .header(ContentType::JSON)
                .body(body.clone())
                .dispatch()
                .await;
            let status = res.status();
            let text = res.into_string().await.unwrap_or_default();
            sent += 1;
            assert!(
                status.code < 500,
                "{method} {path} answered {status} to {:?}: {text}",
                String::from_utf8_lossy(&body)
            );
            if status.code >= 400 {
                let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                assert!(
                    v["error"]["code"].is_string() && v["error"]["message"].is_string(),
                    "{method} {path} refused without the error shape: {text}"
                );
            }
        }
    }
    eprintln!(
        "fuzzed {sent} request bodies over {} endpoints",
        endpoints.len()
    );
    assert_eq!(sent, u64::from(cases) * endpoints.len() as u64);
}
