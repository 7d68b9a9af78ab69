//! The schemas of the reviewer's side: exchange rates, rollups, periods, issued reports and the audit trail.

use super::schema::*;
use rocket::serde::json::{Value, json};

#[allow(clippy::too_many_lines)]
pub(super) fn entries() -> Vec<(&'static str, Value)> {
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
    vec![
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
                    ("audit_entry_id", nint()),
                    ("audit_head", ns()),
                    ("signer_name", ns()),
                    ("signer_lines", ns()),
                    ("recipients", ns()),
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
                    (
                        "signer_authority",
                        json!({"type": "string", "maxLength": 100, "nullable": true}),
                    ),
                    (
                        "signer_title",
                        json!({"type": "string", "maxLength": 100, "nullable": true}),
                    ),
                    (
                        "signer_name",
                        json!({"type": "string", "maxLength": 100, "nullable": true}),
                    ),
                    (
                        "recipients",
                        json!({"type": "array", "items": {"type": "string", "maxLength": 200}, "maxItems": 30, "nullable": true}),
                    ),
                    ("allow_empty_sections", boolean()),
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
    ]
}
