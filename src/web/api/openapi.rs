//! The OpenAPI 3 document of API v1, served at `/api/v1/openapi.json`. It is written by hand
//! from the handlers' request and response types; a test checks that its paths and methods
//! are exactly the mounted routes, and schemathesis checks the server against it.

use rocket::serde::json::{Value, json};

fn s() -> Value {
    json!({"type": "string"})
}
fn ns() -> Value {
    json!({"type": "string", "nullable": true})
}
fn int() -> Value {
    json!({"type": "integer", "format": "int64"})
}
fn nint() -> Value {
    json!({"type": "integer", "format": "int64", "nullable": true})
}
fn boolean() -> Value {
    json!({"type": "boolean"})
}
fn date() -> Value {
    json!({"type": "string", "format": "date"})
}
fn ndate() -> Value {
    json!({"type": "string", "format": "date", "nullable": true})
}
fn time() -> Value {
    json!({"type": "string", "format": "date-time"})
}
fn ntime() -> Value {
    json!({"type": "string", "format": "date-time", "nullable": true})
}
/// A canonical decimal amount: digits, an optional point and fraction, never an exponent.
fn amount() -> Value {
    json!({"type": "string", "pattern": "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$", "example": "1234.50"})
}
fn namount() -> Value {
    json!({"type": "string", "pattern": "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$", "nullable": true})
}
fn currency() -> Value {
    json!({"type": "string", "pattern": "^[A-Z]{3}$", "example": "EUR"})
}
fn text(max: u32) -> Value {
    json!({"type": "string", "minLength": 1, "maxLength": max})
}
fn ntext(max: u32) -> Value {
    json!({"type": "string", "minLength": 1, "maxLength": max, "nullable": true})
}
fn codes(values: &[&str]) -> Value {
    json!({"type": "string", "enum": values})
}
fn ncodes(values: &[&str]) -> Value {
    json!({"type": "string", "enum": values, "nullable": true})
}
fn array(items: Value) -> Value {
    json!({"type": "array", "items": items})
}
fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// An object schema; every property named in `required` must be present.
fn obj(props: Vec<(&str, Value)>, required: &[&str]) -> Value {
    let map: serde_json::Map<String, Value> =
        props.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let mut o = json!({"type": "object", "properties": map});
    // OpenAPI 3.0 wants at least one name in `required`, or no `required` at all.
    if !required.is_empty() {
        o["required"] = json!(required);
    }
    o
}

/// Like [`obj`], for request bodies: unknown fields are refused by the server.
fn body_obj(props: Vec<(&str, Value)>, required: &[&str]) -> Value {
    let mut o = obj(props, required);
    o["additionalProperties"] = json!(false);
    o
}

const ROLES: &[&str] = &["ngo", "coordinator", "reviewer", "admin"];
const ORG_KINDS: &[&str] = &["foreign_ngo", "funder", "aid_owner", "managing_agency"];
const CERT_TYPES: &[&str] = &["operation", "project_office", "representative_office"];
const MODALITIES: &[&str] = &[
    "programme",
    "investment_project",
    "technical_assistance",
    "non_project",
    "emergency_relief",
];
const ITEM_STATUSES: &[&str] = &[
    "pipeline",
    "approved",
    "implementing",
    "completed",
    "suspended",
    "cancelled",
    "revoked",
];
const DISB_STATUSES: &[&str] = &["draft", "submitted", "verified", "rejected"];
const MS_STATUSES: &[&str] = &["planned", "in_progress", "done", "cancelled"];
const DIMENSIONS: &[&str] = &[
    "sector",
    "sector_group",
    "locality",
    "donor",
    "country",
    "region",
    "modality",
    "aid_owner",
    "status",
];

fn schemas() -> Value {
    let conversion = obj(
        vec![
            ("rate_id", nint()),
            ("amount_vnd", namount()),
            ("amount_usd", namount()),
            ("unconverted_reason", ns()),
        ],
        &["rate_id", "amount_vnd", "amount_usd", "unconverted_reason"],
    );
    let share = body_obj(
        vec![
            ("code", s()),
            (
                "share_bp",
                json!({"type": "integer", "minimum": 0, "maximum": 4_294_967_295_u64}),
            ),
        ],
        &["code", "share_bp"],
    );
    let allocation = obj(
        vec![("item_id", int()), ("code", s()), ("share_bp", int())],
        &["item_id", "code", "share_bp"],
    );
    let rollup_row = obj(
        vec![
            ("key", s()),
            ("name", s()),
            ("committed_vnd", amount()),
            ("committed_usd", amount()),
            ("disbursed_vnd", amount()),
            ("disbursed_usd", amount()),
        ],
        &[
            "key",
            "name",
            "committed_vnd",
            "committed_usd",
            "disbursed_vnd",
            "disbursed_usd",
        ],
    );
    let list: Vec<(&str, Value)> = vec![
        (
            "Error",
            obj(
                vec![(
                    "error",
                    obj(
                        vec![("code", s()), ("message", s()), ("field", ns())],
                        &["code", "message", "field"],
                    ),
                )],
                &["error"],
            ),
        ),
        (
            "Me",
            obj(
                vec![
                    ("id", nint()),
                    ("username", s()),
                    ("role", ncodes(ROLES)),
                    ("organisation_id", nint()),
                ],
                &["id", "username", "role", "organisation_id"],
            ),
        ),
        (
            "LoggedIn",
            obj(
                vec![("user", r("Me")), ("expires_at", time())],
                &["user", "expires_at"],
            ),
        ),
        (
            "Credentials",
            body_obj(
                vec![("username", s()), ("password", s())],
                &["username", "password"],
            ),
        ),
        (
            "TokenRequest",
            body_obj(
                vec![("username", s()), ("password", s()), ("name", ns())],
                &["username", "password"],
            ),
        ),
        ("NewToken", body_obj(vec![("name", text(100))], &["name"])),
        (
            "ApiToken",
            obj(
                vec![
                    ("id", int()),
                    ("user_id", int()),
                    ("name", s()),
                    ("prefix", s()),
                    ("created_at", time()),
                    ("last_used_at", ntime()),
                    ("revoked_at", ntime()),
                ],
                &[
                    "id",
                    "user_id",
                    "name",
                    "prefix",
                    "created_at",
                    "last_used_at",
                    "revoked_at",
                ],
            ),
        ),
        (
            "IssuedToken",
            obj(
                vec![
                    ("token", s()),
                    ("id", int()),
                    ("user_id", int()),
                    ("name", s()),
                    ("prefix", s()),
                    ("created_at", time()),
                ],
                &["token", "id", "name", "prefix"],
            ),
        ),
        (
            "User",
            obj(
                vec![
                    ("id", int()),
                    ("username", s()),
                    ("display_name", s()),
                    ("role", codes(ROLES)),
                    ("organisation_id", nint()),
                    ("lang", codes(&["vi", "en"])),
                    ("active", boolean()),
                    ("created_at", time()),
                ],
                &[
                    "id",
                    "username",
                    "display_name",
                    "role",
                    "organisation_id",
                    "lang",
                    "active",
                    "created_at",
                ],
            ),
        ),
        (
            "NewUser",
            body_obj(
                vec![
                    ("username", s()),
                    ("display_name", s()),
                    ("role", codes(ROLES)),
                    ("organisation_id", nint()),
                    ("password", s()),
                ],
                &["username", "display_name", "role", "password"],
            ),
        ),
        (
            "UserPatch",
            body_obj(
                vec![
                    ("display_name", ns()),
                    ("role", ncodes(ROLES)),
                    ("organisation_id", nint()),
                    ("active", json!({"type": "boolean", "nullable": true})),
                    ("lang", ncodes(&["vi", "en"])),
                ],
                &[],
            ),
        ),
        (
            "Organisation",
            obj(
                vec![
                    ("id", int()),
                    ("kind", codes(ORG_KINDS)),
                    ("name_vi", s()),
                    ("name_en", s()),
                    ("acronym", ns()),
                    ("nationality", s()),
                    ("iati_ref", ns()),
                    ("cert_type", ncodes(CERT_TYPES)),
                    ("cert_number", ns()),
                    ("cert_valid_from", ndate()),
                    ("cert_valid_to", ndate()),
                    ("created_at", time()),
                ],
                &[
                    "id",
                    "kind",
                    "name_vi",
                    "name_en",
                    "nationality",
                    "created_at",
                ],
            ),
        ),
        (
            "NewOrganisation",
            body_obj(
                vec![
                    ("kind", codes(ORG_KINDS)),
                    ("name_vi", text(300)),
                    ("name_en", text(300)),
                    ("acronym", ntext(40)),
                    (
                        "nationality",
                        json!({"type": "string", "pattern": "^[A-Z]{2}$"}),
                    ),
                    ("iati_ref", ntext(100)),
                    ("cert_type", ncodes(CERT_TYPES)),
                    ("cert_number", ntext(100)),
                    ("cert_valid_from", ndate()),
                    ("cert_valid_to", ndate()),
                    ("sectors", array(s())),
                    ("provinces", array(s())),
                ],
                &["kind", "name_vi", "name_en", "nationality"],
            ),
        ),
        (
            "OrganisationPatch",
            body_obj(
                vec![
                    ("name_vi", ns()),
                    ("name_en", ns()),
                    ("acronym", ns()),
                    ("iati_ref", ns()),
                    ("cert_type", ncodes(CERT_TYPES)),
                    ("cert_number", ns()),
                    ("cert_valid_from", ndate()),
                    ("cert_valid_to", ndate()),
                ],
                &[],
            ),
        ),
        (
            "AidItem",
            obj(
                vec![
                    ("id", int()),
                    ("code", text(40)),
                    ("title_vi", text(500)),
                    ("title_en", text(500)),
                    ("modality", codes(MODALITIES)),
                    ("form", codes(&["cash", "in_kind"])),
                    ("donor_id", int()),
                    ("funding_source_id", nint()),
                    ("aid_owner_id", int()),
                    ("managing_agency_id", int()),
                    ("approval_number", ntext(100)),
                    ("approval_date", ndate()),
                    ("approval_authority", ns()),
                    ("legal_basis", s()),
                    ("planned_start", date()),
                    ("planned_end", date()),
                    ("actual_start", ndate()),
                    ("actual_end", ndate()),
                    ("status", codes(ITEM_STATUSES)),
                    ("beneficiaries", ns()),
                    ("created_at", time()),
                ],
                &[
                    "id",
                    "code",
                    "title_vi",
                    "title_en",
                    "modality",
                    "form",
                    "donor_id",
                    "aid_owner_id",
                    "managing_agency_id",
                    "legal_basis",
                    "planned_start",
                    "planned_end",
                    "status",
                    "created_at",
                ],
            ),
        ),
        ("Allocation", allocation),
        (
            "ItemDetail",
            obj(
                vec![
                    ("item", r("AidItem")),
                    ("sectors", array(r("Allocation"))),
                    ("localities", array(r("Allocation"))),
                ],
                &["item", "sectors", "localities"],
            ),
        ),
        ("Share", share),
        (
            "NewAidItem",
            body_obj(
                vec![
                    ("code", text(40)),
                    ("title_vi", text(500)),
                    ("title_en", text(500)),
                    ("modality", codes(MODALITIES)),
                    ("form", codes(&["cash", "in_kind"])),
                    ("donor_id", int()),
                    ("funding_source_id", nint()),
                    ("aid_owner_id", int()),
                    ("managing_agency_id", int()),
                    ("approval_number", ntext(100)),
                    ("approval_date", ndate()),
                    ("approval_authority", ntext(200)),
                    ("legal_basis", text(100)),
                    ("planned_start", date()),
                    ("planned_end", date()),
                    ("actual_start", ndate()),
                    ("actual_end", ndate()),
                    ("status", codes(ITEM_STATUSES)),
                    ("beneficiaries", ns()),
                    ("sectors", array(r("Share"))),
                    ("localities", array(r("Share"))),
                ],
                &[
                    "code",
                    "title_vi",
                    "title_en",
                    "modality",
                    "form",
                    "donor_id",
                    "aid_owner_id",
                    "managing_agency_id",
                    "legal_basis",
                    "planned_start",
                    "planned_end",
                    "status",
                    "sectors",
                    "localities",
                ],
            ),
        ),
        (
            "ItemPatch",
            body_obj(
                vec![
                    ("title_vi", ns()),
                    ("title_en", ns()),
                    ("status", ncodes(ITEM_STATUSES)),
                    ("approval_number", ns()),
                    ("approval_date", ndate()),
                    ("approval_authority", ns()),
                    ("planned_start", ndate()),
                    ("planned_end", ndate()),
                    ("actual_start", ndate()),
                    ("actual_end", ndate()),
                    ("beneficiaries", ns()),
                ],
                &[],
            ),
        ),
        ("Conversion", conversion),
        (
            "Commitment",
            obj(
                vec![
                    ("id", int()),
                    ("item_id", int()),
                    ("kind", codes(&["original", "amendment", "cancellation"])),
                    ("amount", amount()),
                    ("currency", s()),
                    ("commitment_date", date()),
                    ("reference", ns()),
                    ("entered_by", nint()),
                    ("created_at", time()),
                    ("conversion", r("Conversion")),
                ],
                &[
                    "id",
                    "item_id",
                    "kind",
                    "amount",
                    "currency",
                    "commitment_date",
                    "created_at",
                    "conversion",
                ],
            ),
        ),
        (
            "NewCommitment",
            body_obj(
                vec![
                    ("kind", codes(&["original", "amendment", "cancellation"])),
                    ("amount", amount()),
                    ("currency", currency()),
                    ("date", date()),
                    ("reference", ntext(200)),
                ],
                &["amount", "currency", "date"],
            ),
        ),
        (
            "Disbursement",
            obj(
                vec![
                    ("id", int()),
                    ("item_id", int()),
                    ("amount", amount()),
                    ("currency", s()),
                    ("value_date", date()),
                    ("tranche", nint()),
                    ("milestone_id", nint()),
                    ("reverses_id", nint()),
                    ("status", codes(DISB_STATUSES)),
                    ("entered_by", nint()),
                    ("verified_by", nint()),
                    ("verified_at", ntime()),
                    ("rejection_reason", ns()),
                    ("created_at", time()),
                    ("conversion", r("Conversion")),
                ],
                &[
                    "id",
                    "item_id",
                    "amount",
                    "currency",
                    "value_date",
                    "status",
                    "created_at",
                    "conversion",
                ],
            ),
        ),
        (
            "NewDisbursement",
            body_obj(
                vec![
                    ("amount", amount()),
                    ("currency", currency()),
                    ("value_date", date()),
                    ("tranche", nint()),
                    ("milestone_id", nint()),
                ],
                &["amount", "currency", "value_date"],
            ),
        ),
        (
            "Reason",
            body_obj(vec![("reason", text(1000))], &["reason"]),
        ),
        ("Note", body_obj(vec![("note", text(1000))], &["note"])),
        (
            "Reversal",
            body_obj(
                vec![("value_date", date()), ("reason", text(1000))],
                &["value_date", "reason"],
            ),
        ),
        (
            "Milestone",
            obj(
                vec![
                    ("id", int()),
                    ("item_id", int()),
                    ("title_vi", s()),
                    ("title_en", s()),
                    ("planned_date", date()),
                    ("actual_date", ndate()),
                    ("status", codes(MS_STATUSES)),
                    ("evidence", ns()),
                    ("created_at", time()),
                ],
                &[
                    "id",
                    "item_id",
                    "title_vi",
                    "title_en",
                    "planned_date",
                    "status",
                    "created_at",
                ],
            ),
        ),
        (
            "NewMilestone",
            body_obj(
                vec![
                    ("title_vi", text(300)),
                    ("title_en", text(300)),
                    ("planned_date", date()),
                    ("actual_date", ndate()),
                    ("status", codes(MS_STATUSES)),
                    ("evidence", ns()),
                ],
                &["title_vi", "title_en", "planned_date"],
            ),
        ),
        (
            "MilestonePatch",
            body_obj(
                vec![
                    ("title_vi", ns()),
                    ("title_en", ns()),
                    ("planned_date", ndate()),
                    ("actual_date", ndate()),
                    ("status", ncodes(MS_STATUSES)),
                    ("evidence", ns()),
                ],
                &[],
            ),
        ),
        (
            "ProgressReport",
            body_obj(
                vec![
                    ("status", codes(&["in_progress", "done"])),
                    ("actual_date", ndate()),
                    ("evidence", text(5000)),
                ],
                &["status", "evidence"],
            ),
        ),
        (
            "MilestoneReport",
            obj(
                vec![
                    ("id", int()),
                    ("milestone_id", int()),
                    ("reported_by", int()),
                    ("status", codes(MS_STATUSES)),
                    ("actual_date", ndate()),
                    ("evidence", s()),
                    ("created_at", time()),
                    ("decision", codes(&["pending", "accepted", "returned"])),
                    ("decided_by", nint()),
                    ("decided_at", ntime()),
                    ("decision_note", ns()),
                ],
                &["id", "milestone_id", "status", "evidence", "decision"],
            ),
        ),
        (
            "Rate",
            obj(
                vec![
                    ("id", int()),
                    ("currency", s()),
                    ("rate_date", date()),
                    ("to_vnd", amount()),
                    ("to_usd", amount()),
                    ("source", s()),
                    ("entered_by", nint()),
                    ("created_at", time()),
                    ("superseded_by", nint()),
                ],
                &[
                    "id",
                    "currency",
                    "rate_date",
                    "to_vnd",
                    "to_usd",
                    "source",
                    "created_at",
                ],
            ),
        ),
        (
            "NewRate",
            body_obj(
                vec![
                    ("currency", currency()),
                    ("date", date()),
                    ("to_vnd", amount()),
                    ("to_usd", amount()),
                    ("source", text(200)),
                ],
                &["currency", "date", "to_vnd", "to_usd", "source"],
            ),
        ),
        (
            "RateOutcome",
            obj(
                vec![
                    ("id", int()),
                    ("supersedes", nint()),
                    ("reconverted", int()),
                ],
                &["id", "supersedes", "reconverted"],
            ),
        ),
        ("RollupRow", rollup_row),
        (
            "Unconverted",
            obj(
                vec![
                    ("table", s()),
                    ("id", int()),
                    ("item_id", int()),
                    ("amount", amount()),
                    ("currency", s()),
                    ("date", date()),
                    ("reason", s()),
                ],
                &[
                    "table", "id", "item_id", "amount", "currency", "date", "reason",
                ],
            ),
        ),
        (
            "Rollup",
            obj(
                vec![
                    ("period", s()),
                    ("from", date()),
                    ("to", date()),
                    ("by", codes(DIMENSIONS)),
                    ("rows", array(r("RollupRow"))),
                    ("total", r("RollupRow")),
                    ("unconverted", array(r("Unconverted"))),
                ],
                &["period", "from", "to", "by", "rows", "total", "unconverted"],
            ),
        ),
        (
            "PeriodLock",
            obj(
                vec![
                    ("id", int()),
                    ("period", s()),
                    ("starts_on", date()),
                    ("ends_on", date()),
                    ("locked_by", nint()),
                    ("locked_at", time()),
                    ("unlocked_by", nint()),
                    ("unlocked_at", ntime()),
                    ("unlock_reason", ns()),
                ],
                &["id", "period", "starts_on", "ends_on", "locked_at"],
            ),
        ),
        (
            "IssuedReport",
            obj(
                vec![
                    ("id", int()),
                    ("period", s()),
                    ("period_from", date()),
                    ("period_to", date()),
                    ("lang", codes(&["vi", "en"])),
                    ("version", int()),
                    ("issued_on", date()),
                    ("issued_by", nint()),
                    ("issued_at", time()),
                    (
                        "sha256",
                        json!({"type": "string", "pattern": "^[0-9a-f]{64}$"}),
                    ),
                    ("byte_size", int()),
                ],
                &[
                    "id",
                    "period",
                    "lang",
                    "version",
                    "issued_on",
                    "issued_at",
                    "sha256",
                    "byte_size",
                ],
            ),
        ),
        (
            "PeriodStatus",
            obj(
                vec![
                    ("period", s()),
                    ("starts_on", date()),
                    ("ends_on", date()),
                    ("locked", boolean()),
                    (
                        "lock",
                        json!({"allOf": [r("PeriodLock")], "nullable": true}),
                    ),
                    ("reports", array(r("IssuedReport"))),
                ],
                &["period", "starts_on", "ends_on", "locked", "reports"],
            ),
        ),
        (
            "Unlock",
            body_obj(vec![("reason", text(1000))], &["reason"]),
        ),
        (
            "IssueReport",
            body_obj(
                vec![
                    ("period", s()),
                    ("lang", ncodes(&["vi", "en"])),
                    ("issued_on", ndate()),
                    ("number", ntext(50)),
                ],
                &["period"],
            ),
        ),
        (
            "AuditEntry",
            obj(
                vec![
                    ("id", int()),
                    ("at", time()),
                    ("actor_id", nint()),
                    ("actor", s()),
                    ("action", s()),
                    ("entity", s()),
                    ("entity_id", s()),
                    ("before", ns()),
                    ("after", ns()),
                    ("prev_hash", s()),
                    ("hash", s()),
                ],
                &[
                    "id",
                    "at",
                    "actor",
                    "action",
                    "entity",
                    "entity_id",
                    "prev_hash",
                    "hash",
                ],
            ),
        ),
    ];
    Value::Object(list.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// One operation: its responses always include the error body for every refusal.
struct Op {
    method: &'static str,
    path: &'static str,
    id: &'static str,
    summary: &'static str,
    params: Vec<Value>,
    body: Option<&'static str>,
    ok: u16,
    schema: Option<Value>,
    public: bool,
}

fn path_id() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}})
}
fn query(name: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": schema})
}
fn idem_header() -> Value {
    json!({"name": "Idempotency-Key", "in": "header", "required": false,
           "description": "1 to 200 visible ASCII characters. Retries with the same key and body get the first answer; another body with the same key is refused with 409.",
           "schema": {"type": "string", "minLength": 1, "maxLength": 200}})
}

#[allow(clippy::too_many_lines)]
fn operations() -> Vec<Op> {
    let op =
        |method, path, id, summary, body: Option<&'static str>, ok, schema: Option<Value>| Op {
            method,
            path,
            id,
            summary,
            params: Vec::new(),
            body,
            ok,
            schema,
            public: false,
        };
    let with = |mut o: Op, params: Vec<Value>| {
        o.params = params;
        o
    };
    let public = |mut o: Op| {
        o.public = true;
        o
    };
    let write = |o: Op| {
        let mut params = o.params.clone();
        params.push(idem_header());
        with(o, params)
    };
    let id = path_id;
    let period_param = || json!({"name": "period", "in": "path", "required": true, "schema": {"type": "string"}, "example": "2025-H1"});
    vec![
        public(op(
            "get",
            "/openapi.json",
            "openapi",
            "This document",
            None,
            200,
            Some(json!({"type": "object"})),
        )),
        public(op(
            "post",
            "/auth/login",
            "login",
            "Log in: sets the session cookie",
            Some("Credentials"),
            200,
            Some(r("LoggedIn")),
        )),
        public(op(
            "post",
            "/auth/logout",
            "logout",
            "End the session",
            None,
            204,
            None,
        )),
        op(
            "get",
            "/auth/me",
            "whoami",
            "Who is logged in",
            None,
            200,
            Some(r("Me")),
        ),
        public(op(
            "post",
            "/auth/token",
            "token",
            "Trade credentials for an API token (shown once)",
            Some("TokenRequest"),
            201,
            Some(r("IssuedToken")),
        )),
        op(
            "get",
            "/tokens",
            "listTokens",
            "Your API tokens (an administrator sees all)",
            None,
            200,
            Some(array(r("ApiToken"))),
        ),
        op(
            "post",
            "/tokens",
            "createToken",
            "Create an API token (shown once)",
            Some("NewToken"),
            201,
            Some(r("IssuedToken")),
        ),
        with(
            op(
                "delete",
                "/tokens/{id}",
                "revokeToken",
                "Revoke an API token",
                None,
                200,
                Some(r("ApiToken")),
            ),
            vec![id()],
        ),
        op(
            "get",
            "/users",
            "listUsers",
            "User accounts (administrators)",
            None,
            200,
            Some(array(r("User"))),
        ),
        op(
            "post",
            "/users",
            "createUser",
            "Create a user account",
            Some("NewUser"),
            201,
            Some(r("User")),
        ),
        with(
            op(
                "get",
                "/users/{id}",
                "getUser",
                "One user account",
                None,
                200,
                Some(r("User")),
            ),
            vec![id()],
        ),
        write(with(
            op(
                "patch",
                "/users/{id}",
                "updateUser",
                "Change a user's name, role, organisation, language or state",
                Some("UserPatch"),
                200,
                Some(r("User")),
            ),
            vec![id()],
        )),
        with(
            op(
                "get",
                "/organisations",
                "listOrganisations",
                "Organisations (NGO staff: their own)",
                None,
                200,
                Some(array(r("Organisation"))),
            ),
            vec![query("kind", codes(ORG_KINDS)), query("q", s())],
        ),
        write(op(
            "post",
            "/organisations",
            "createOrganisation",
            "Register an organisation",
            Some("NewOrganisation"),
            201,
            Some(r("Organisation")),
        )),
        with(
            op(
                "get",
                "/organisations/{id}",
                "getOrganisation",
                "One organisation",
                None,
                200,
                Some(r("Organisation")),
            ),
            vec![id()],
        ),
        write(with(
            op(
                "patch",
                "/organisations/{id}",
                "updateOrganisation",
                "Change an organisation",
                Some("OrganisationPatch"),
                200,
                Some(r("Organisation")),
            ),
            vec![id()],
        )),
        with(
            op(
                "get",
                "/aid-items",
                "listItems",
                "Aid items, filtered, searched and paged",
                None,
                200,
                Some(array(r("AidItem"))),
            ),
            vec![
                query("status", codes(ITEM_STATUSES)),
                query("modality", codes(MODALITIES)),
                query("donor_id", int()),
                query("q", s()),
                query(
                    "limit",
                    json!({"type": "integer", "minimum": 1, "maximum": 500}),
                ),
                query("offset", json!({"type": "integer", "minimum": 0})),
            ],
        ),
        write(op(
            "post",
            "/aid-items",
            "createItem",
            "Create an aid item with its allocations",
            Some("NewAidItem"),
            201,
            Some(r("ItemDetail")),
        )),
        with(
            op(
                "get",
                "/aid-items/{id}",
                "getItem",
                "One aid item with its allocations",
                None,
                200,
                Some(r("ItemDetail")),
            ),
            vec![id()],
        ),
        write(with(
            op(
                "patch",
                "/aid-items/{id}",
                "updateItem",
                "Change an aid item or move its status",
                Some("ItemPatch"),
                200,
                Some(r("AidItem")),
            ),
            vec![id()],
        )),
        with(
            op(
                "get",
                "/aid-items/{id}/commitments",
                "listCommitments",
                "An item's commitments",
                None,
                200,
                Some(array(r("Commitment"))),
            ),
            vec![id()],
        ),
        write(with(
            op(
                "post",
                "/aid-items/{id}/commitments",
                "createCommitment",
                "Record a commitment, amendment or cancellation",
                Some("NewCommitment"),
                201,
                Some(r("Commitment")),
            ),
            vec![id()],
        )),
        with(
            op(
                "get",
                "/aid-items/{id}/disbursements",
                "listDisbursements",
                "An item's disbursements",
                None,
                200,
                Some(array(r("Disbursement"))),
            ),
            vec![id()],
        ),
        write(with(
            op(
                "post",
                "/aid-items/{id}/disbursements",
                "createDisbursement",
                "Record a disbursement (NGO staff: a report for a coordinator)",
                Some("NewDisbursement"),
                201,
                Some(r("Disbursement")),
            ),
            vec![id()],
        )),
        with(
            op(
                "get",
                "/disbursements/{id}",
                "getDisbursement",
                "One disbursement",
                None,
                200,
                Some(r("Disbursement")),
            ),
            vec![id()],
        ),
        write(with(
            op(
                "post",
                "/disbursements/{id}/verify",
                "verifyDisbursement",
                "Verify (not by whoever entered it)",
                None,
                200,
                Some(r("Disbursement")),
            ),
            vec![id()],
        )),
        write(with(
            op(
                "post",
                "/disbursements/{id}/reject",
                "rejectDisbursement",
                "Reject with a reason",
                Some("Reason"),
                200,
                Some(r("Disbursement")),
            ),
            vec![id()],
        )),
        write(with(
            op(
                "post",
                "/disbursements/{id}/reverse",
                "reverseDisbursement",
                "Reverse a verified disbursement",
                Some("Reversal"),
                201,
                Some(r("Disbursement")),
            ),
            vec![id()],
        )),
        write(with(
            op(
                "post",
                "/disbursements/{id}/accept",
                "acceptDisbursementReport",
                "Accept an NGO's disbursement report for verification",
                None,
                200,
                Some(r("Disbursement")),
            ),
            vec![id()],
        )),
        write(with(
            op(
                "post",
                "/disbursements/{id}/return",
                "returnDisbursementReport",
                "Return an NGO's disbursement report with a reason",
                Some("Reason"),
                200,
                Some(r("Disbursement")),
            ),
            vec![id()],
        )),
        with(
            op(
                "get",
                "/aid-items/{id}/milestones",
                "listMilestones",
                "An item's milestones",
                None,
                200,
                Some(array(r("Milestone"))),
            ),
            vec![id()],
        ),
        write(with(
            op(
                "post",
                "/aid-items/{id}/milestones",
                "createMilestone",
                "Plan a milestone",
                Some("NewMilestone"),
                201,
                Some(r("Milestone")),
            ),
            vec![id()],
        )),
        write(with(
            op(
                "patch",
                "/milestones/{id}",
                "updateMilestone",
                "Change a milestone",
                Some("MilestonePatch"),
                200,
                Some(r("Milestone")),
            ),
            vec![id()],
        )),
        with(
            op(
                "get",
                "/milestones/{id}/reports",
                "listMilestoneReports",
                "Progress reported on a milestone",
                None,
                200,
                Some(array(r("MilestoneReport"))),
            ),
            vec![id()],
        ),
        write(with(
            op(
                "post",
                "/milestones/{id}/reports",
                "reportMilestoneProgress",
                "Report progress with evidence (NGO staff)",
                Some("ProgressReport"),
                201,
                Some(r("MilestoneReport")),
            ),
            vec![id()],
        )),
        write(with(
            op(
                "post",
                "/milestone-reports/{id}/accept",
                "acceptMilestoneReport",
                "Accept reported progress",
                None,
                200,
                Some(r("MilestoneReport")),
            ),
            vec![id()],
        )),
        write(with(
            op(
                "post",
                "/milestone-reports/{id}/return",
                "returnMilestoneReport",
                "Return reported progress with a note",
                Some("Note"),
                200,
                Some(r("MilestoneReport")),
            ),
            vec![id()],
        )),
        with(
            op(
                "get",
                "/exchange-rates",
                "listRates",
                "Exchange rates, with corrections kept",
                None,
                200,
                Some(array(r("Rate"))),
            ),
            vec![
                query("currency", currency()),
                query("from", date()),
                query("to", date()),
            ],
        ),
        write(op(
            "put",
            "/exchange-rates",
            "putRate",
            "Enter or correct a rate; affected rows are re-converted",
            Some("NewRate"),
            200,
            Some(r("RateOutcome")),
        )),
        with(
            op(
                "get",
                "/rollups",
                "rollup",
                "A period's committed and disbursed totals by one dimension",
                None,
                200,
                Some(r("Rollup")),
            ),
            vec![
                json!({"name": "period", "in": "query", "required": true, "schema": {"type": "string"}, "example": "2025-H1"}),
                query("by", codes(DIMENSIONS)),
                query("lang", codes(&["vi", "en"])),
            ],
        ),
        op(
            "get",
            "/periods",
            "listPeriods",
            "Periods with locks or issued reports",
            None,
            200,
            Some(array(r("PeriodStatus"))),
        ),
        write(with(
            op(
                "post",
                "/periods/{period}/lock",
                "lockPeriod",
                "Lock a period",
                None,
                200,
                Some(r("PeriodLock")),
            ),
            vec![period_param()],
        )),
        write(with(
            op(
                "post",
                "/periods/{period}/unlock",
                "unlockPeriod",
                "Unlock a period, with a reason",
                Some("Unlock"),
                200,
                Some(r("PeriodLock")),
            ),
            vec![period_param()],
        )),
        with(
            op(
                "get",
                "/reports",
                "listReports",
                "Issued reports",
                None,
                200,
                Some(array(r("IssuedReport"))),
            ),
            vec![query("period", s())],
        ),
        write(op(
            "post",
            "/reports",
            "issueReport",
            "Issue and archive the period's report (locks the period)",
            Some("IssueReport"),
            201,
            Some(r("IssuedReport")),
        )),
        with(
            op(
                "get",
                "/reports/{file}",
                "downloadReport",
                "An issued report's PDF, as `<id>.pdf`",
                None,
                200,
                None,
            ),
            vec![
                json!({"name": "file", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9]+\\.pdf$"}, "example": "1.pdf"}),
            ],
        ),
        with(
            op(
                "get",
                "/audit",
                "listAudit",
                "The audit trail, newest first",
                None,
                200,
                Some(array(r("AuditEntry"))),
            ),
            vec![
                query("entity", s()),
                query("entity_id", s()),
                query("from", time()),
                query("to", time()),
                query(
                    "limit",
                    json!({"type": "integer", "minimum": 1, "maximum": 1000}),
                ),
            ],
        ),
    ]
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
