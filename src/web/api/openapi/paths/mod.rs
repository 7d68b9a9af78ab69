//! Every operation of the API: method, path, parameters, body and answer.

mod activities;
mod identity;
mod imports;
mod mobilisation;
mod records;
mod review;

pub(super) use super::schema::*;
pub(super) use imports::upload_body;
pub(super) use rocket::serde::json::{Value, json};

/// One operation: its responses always include the error body for every refusal.
pub(super) struct Op {
    pub(super) method: &'static str,
    pub(super) path: &'static str,
    pub(super) id: &'static str,
    pub(super) summary: &'static str,
    pub(super) params: Vec<Value>,
    pub(super) body: Option<&'static str>,
    pub(super) ok: u16,
    pub(super) schema: Option<Value>,
    pub(super) public: bool,
}

pub(super) fn path_id() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}})
}
pub(super) fn query(name: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": schema})
}
fn idem_header() -> Value {
    json!({"name": "Idempotency-Key", "in": "header", "required": false,
           "description": "1 to 200 visible ASCII characters. Retries with the same key and body get the first answer; another body with the same key is refused with 409.",
           "schema": {"type": "string", "minLength": 1, "maxLength": 200}})
}

/// An operation answering `ok` with `schema`, before its parameters are added.
pub(super) fn op(
    method: &'static str,
    path: &'static str,
    id: &'static str,
    summary: &'static str,
    body: Option<&'static str>,
    ok: u16,
    schema: Option<Value>,
) -> Op {
    Op {
        method,
        path,
        id,
        summary,
        params: Vec::new(),
        body,
        ok,
        schema,
        public: false,
    }
}

pub(super) fn with(mut o: Op, params: Vec<Value>) -> Op {
    o.params = params;
    o
}

/// An operation that needs no authentication.
pub(super) fn public(mut o: Op) -> Op {
    o.public = true;
    o
}

/// A write, which takes an Idempotency-Key.
pub(super) fn write(mut o: Op) -> Op {
    o.params.push(idem_header());
    o
}

pub(super) fn period_param() -> Value {
    json!({"name": "period", "in": "path", "required": true, "schema": {"type": "string"}, "example": "2025-H1"})
}

/// Every operation, in the order the document lists them.
pub(super) fn operations() -> Vec<Op> {
    let mut all = identity::accounts();
    all.extend(records::ledger());
    all.extend(review::reporting());
    all.extend(imports::imports());
    all.extend(mobilisation::mobilisation());
    all.extend(activities::activities());
    all
}
