//! The schemas of promotion activities: the stored activity, the activity with its lists, and
//! the body that creates or replaces one.

use super::schema::*;
use rocket::serde::json::Value;

pub(super) const ACTIVITY_KINDS: &[&str] = &[
    "conference",
    "meeting",
    "delegation_in",
    "delegation_out",
    "field_visit",
    "other",
];

fn fields() -> Vec<(&'static str, Value)> {
    vec![
        ("id", int()),
        ("programme_id", nint()),
        ("kind", codes(ACTIVITY_KINDS)),
        ("title", text(500)),
        ("held_on", date()),
        ("place", text(300)),
        ("outcome", s()),
        ("created_at", time()),
        ("updated_at", time()),
    ]
}

const REQUIRED: &[&str] = &[
    "id",
    "programme_id",
    "kind",
    "title",
    "held_on",
    "place",
    "outcome",
    "created_at",
    "updated_at",
];

pub(super) fn entries() -> Vec<(&'static str, Value)> {
    let mut detail = fields();
    detail.push(("organisation_ids", array(int())));
    detail.push(("proposal_ids", array(int())));
    let mut detail_required = REQUIRED.to_vec();
    detail_required.extend(["organisation_ids", "proposal_ids"]);
    vec![
        ("Activity", obj(fields(), REQUIRED)),
        ("ActivityDetail", obj(detail, &detail_required)),
        (
            "NewActivity",
            body_obj(
                vec![
                    ("programme_id", nint()),
                    ("kind", codes(ACTIVITY_KINDS)),
                    ("title", text(500)),
                    ("held_on", date()),
                    ("place", text(300)),
                    (
                        "outcome",
                        rocket::serde::json::json!({"type": "string", "maxLength": 4000, "nullable": true}),
                    ),
                    ("organisation_ids", array(int())),
                    ("proposal_ids", array(int())),
                ],
                &["kind", "title", "held_on", "place"],
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::ACTIVITY_KINDS;
    use crate::domain::mobilisation::ActivityKind;

    #[test]
    fn the_documents_activity_kinds_are_the_domains() {
        let kinds: Vec<&str> = ActivityKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(ACTIVITY_KINDS, kinds);
    }
}
