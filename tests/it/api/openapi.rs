//! The OpenAPI document against the server: the same operations as the mounted routes, every
//! reference resolving, every path parameter declared, and served at its address.

use super::App;
use aidledger::web::api::{BASE, openapi};
use rocket::http::Status;
use serde_json::Value;
use std::collections::BTreeSet;

/// `/api/v1/aid-items/<id>?<q>` → `/aid-items/{id}`.
fn openapi_path(rocket_path: &str) -> String {
    let path = rocket_path.split('?').next().unwrap_or_default();
    let path = path.strip_prefix(BASE).unwrap_or(path);
    path.split('/')
        .map(
            |seg| match seg.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
                Some(name) => format!("{{{name}}}"),
                None => seg.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r.clone());
            }
            m.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[rocket::async_test]
async fn every_documented_operation_is_mounted_and_every_mounted_api_route_is_documented() {
    let app = App::new().await;
    let mounted: BTreeSet<(String, String)> = app
        .client
        .rocket()
        .routes()
        .filter(|r| r.uri.path().starts_with(BASE))
        .map(|r| {
            (
                r.method.as_str().to_string(),
                openapi_path(&r.uri.to_string()),
            )
        })
        .collect();
    let documented: BTreeSet<(String, String)> = openapi::operations_list().into_iter().collect();
    assert_eq!(
        mounted.difference(&documented).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "mounted but not documented"
    );
    assert_eq!(
        documented.difference(&mounted).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "documented but not mounted"
    );
    assert!(mounted.len() >= 40, "{}", mounted.len());
}

#[rocket::async_test]
async fn the_document_is_served_and_internally_consistent() {
    let app = App::new().await;
    let (s, doc) = app.get("/openapi.json", "").await;
    assert_eq!(s, Status::Ok);
    assert_eq!(doc, openapi::spec());
    assert_eq!(doc["openapi"], "3.0.3");
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in &all {
        let name = r.strip_prefix("#/components/schemas/").unwrap();
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "dangling {r}"
        );
    }
    let mut ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let params_in_path: BTreeSet<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        for (method, op) in item.as_object().unwrap() {
            assert!(
                ids.insert(op["operationId"].as_str().unwrap().to_string()),
                "duplicate id"
            );
            let declared: BTreeSet<&str> = op["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            assert_eq!(declared, params_in_path, "{method} {path}");
            assert!(op["responses"]["default"].is_object(), "{method} {path}");
        }
    }
}
