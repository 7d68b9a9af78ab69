//! The OpenAPI 3 document of API v1, served at `/api/v1/openapi.json`. It is written by hand
//! from the handlers' request and response types; a test checks that its paths and methods
//! are exactly the mounted routes, and schemathesis checks the server against it.

use rocket::serde::json::{Value, json};

mod accounts;
mod activities;
mod imports;
mod ledger;
mod mobilisation;
mod paths;
mod reporting;
mod schema;

use paths::{Op, operations, upload_body};
use schema::r;

fn schemas() -> Value {
    let list = accounts::entries()
        .into_iter()
        .chain(ledger::entries())
        .chain(reporting::entries())
        .chain(imports::entries())
        .chain(mobilisation::entries())
        .chain(activities::entries());
    Value::Object(list.map(|(k, v)| (k.to_string(), v)).collect())
}

fn operation(o: &Op) -> Value {
    let error = json!({"description": "refused: the body says why", "content": {"application/json": {"schema": r("Error")}}});
    let mut ok = json!({"description": "success"});
    if o.path == "/reports/{file}" {
        ok["content"] =
            json!({"application/pdf": {"schema": {"type": "string", "format": "binary"}}});
    } else if let Some(schema) = &o.schema {
        ok["content"] = json!({"application/json": {"schema": schema}});
    }
    let mut v = json!({
        "operationId": o.id,
        "summary": o.summary,
        "parameters": o.params,
        "responses": { o.ok.to_string(): ok, "default": error },
    });
    if let Some(body) = o.body {
        v["requestBody"] =
            json!({"required": true, "content": {"application/json": {"schema": r(body)}}});
    } else if o.id == "uploadImport" {
        v["requestBody"] = upload_body();
    }
    if o.public {
        v["security"] = json!([]);
    }
    v
}

/// The whole document.
#[must_use]
pub fn spec() -> Value {
    let mut paths = serde_json::Map::new();
    for o in operations() {
        let entry = paths.entry(o.path.to_string()).or_insert_with(|| json!({}));
        entry[o.method] = operation(&o);
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "aidledger API",
            "version": "1",
            "description": "Foreign NGO aid: organisations, aid items, commitments, disbursements with four-eyes verification, exchange rates, locked periods and the official report. Amounts are canonical decimal strings beside a currency; errors are {\"error\": {\"code\", \"message\", \"field\"}}.",
        },
        "servers": [{"url": super::BASE}],
        "security": [{"bearer": []}, {"session": []}],
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "An API token from POST /auth/token or POST /tokens"},
                "session": {"type": "apiKey", "in": "cookie", "name": super::guard::SESSION_COOKIE},
            },
        },
    })
}

/// Every (method, path) the document describes, paths relative to the API base.
#[must_use]
pub fn operations_list() -> Vec<(String, String)> {
    operations()
        .iter()
        .map(|o| (o.method.to_uppercase(), o.path.to_string()))
        .collect()
}

#[rocket::get("/openapi.json")]
pub fn document() -> Value {
    spec()
}
