//! The schemas of uploaded imports: the stored import with its counts, and its preview (each
//! row's outcome, changed cells and problems).

use super::schema::*;
use rocket::serde::json::Value;

fn summary_props() -> Vec<(&'static str, Value)> {
    vec![
        ("id", int()),
        ("kind", codes(&["csv", "xlsx", "iati"])),
        ("file_name", s()),
        ("sha256", s()),
        ("size_bytes", int()),
        ("uploaded_by", nint()),
        ("uploaded_by_name", s()),
        ("organisation_id", nint()),
        ("created_at", time()),
        ("state", codes(&["previewed", "refused", "applied"])),
        ("new", int()),
        ("changed", int()),
        ("unchanged", int()),
        ("errors", int()),
        ("applied_at", ntime()),
        ("applied_by_name", ns()),
    ]
}

const SUMMARY_REQUIRED: [&str; 14] = [
    "id",
    "kind",
    "file_name",
    "sha256",
    "size_bytes",
    "uploaded_by_name",
    "created_at",
    "state",
    "new",
    "changed",
    "unchanged",
    "errors",
    "uploaded_by",
    "organisation_id",
];

pub(super) fn entries() -> Vec<(&'static str, Value)> {
    let change = obj(
        vec![("column", s()), ("old", s()), ("new", s())],
        &["column", "old", "new"],
    );
    let problem = obj(
        vec![
            ("column", ns()),
            ("code", s()),
            ("value", s()),
            ("message", s()),
        ],
        &["column", "value", "message"],
    );
    let row = obj(
        vec![
            ("source", s()),
            ("line", int()),
            ("record", s()),
            ("key", s()),
            ("outcome", codes(&["new", "changed", "unchanged", "error"])),
            ("changes", array(change)),
            ("problems", array(problem)),
        ],
        &["source", "line", "record", "key", "outcome"],
    );
    let mut with_preview = summary_props();
    with_preview.push(("preview", r("ImportPreview")));
    let mut required = SUMMARY_REQUIRED.to_vec();
    required.push("preview");
    vec![
        (
            "ImportPreview",
            obj(
                vec![
                    ("file", s()),
                    ("sha256", s()),
                    ("applied", boolean()),
                    ("new", int()),
                    ("changed", int()),
                    ("unchanged", int()),
                    ("errors", int()),
                    ("rows", array(row)),
                    ("unlisted", int()),
                ],
                &[
                    "file",
                    "sha256",
                    "applied",
                    "new",
                    "changed",
                    "unchanged",
                    "errors",
                    "rows",
                ],
            ),
        ),
        ("ImportSummary", obj(summary_props(), &SUMMARY_REQUIRED)),
        ("Import", obj(with_preview, &required)),
    ]
}
