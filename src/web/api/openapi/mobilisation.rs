//! The schemas of aid mobilisation: stage programmes with their targets and progress,
//! proposals offered to NGOs, presentations and NGO interest.

use super::schema::*;
use rocket::serde::json::{Value, json};

pub(super) const PROPOSAL_STATUSES: &[&str] = &[
    "proposed",
    "presented",
    "interested",
    "agreed",
    "approved",
    "withdrawn",
];
const TARGET_DIMENSIONS: &[&str] = &["sector_group", "locality"];

fn nitems_count() -> Value {
    json!({"type": "integer", "minimum": 1, "maximum": 100_000, "nullable": true})
}
fn count() -> Value {
    json!({"type": "integer", "minimum": 0})
}

fn pair() -> Value {
    obj(vec![("vnd", amount()), ("usd", amount())], &["vnd", "usd"])
}

#[allow(clippy::too_many_lines)]
pub(super) fn entries() -> Vec<(&'static str, Value)> {
    let target_body = body_obj(
        vec![
            ("dimension", codes(TARGET_DIMENSIONS)),
            ("code", text(40)),
            ("target", namount()),
            ("target_items", nitems_count()),
        ],
        &["dimension", "code"],
    );
    let target = obj(
        vec![
            ("dimension", codes(TARGET_DIMENSIONS)),
            ("code", s()),
            ("target", namount()),
            ("target_items", nint()),
        ],
        &["dimension", "code", "target", "target_items"],
    );
    let target_progress = obj(
        vec![
            ("dimension", codes(TARGET_DIMENSIONS)),
            ("code", s()),
            ("target", namount()),
            ("target_items", nint()),
            ("committed", pair()),
            ("items", count()),
        ],
        &[
            "dimension",
            "code",
            "target",
            "target_items",
            "committed",
            "items",
        ],
    );
    vec![
        (
            "NewProgramme",
            body_obj(
                vec![
                    ("name_vi", text(500)),
                    ("name_en", text(500)),
                    ("decision_number", text(100)),
                    ("decision_date", date()),
                    ("decision_authority", text(300)),
                    ("starts_on", date()),
                    ("ends_on", date()),
                    ("target", amount()),
                    ("target_currency", codes(&["USD", "VND"])),
                    ("target_items", nitems_count()),
                    (
                        "targets",
                        json!({"type": "array", "items": target_body, "maxItems": 200}),
                    ),
                ],
                &[
                    "name_vi",
                    "name_en",
                    "decision_number",
                    "decision_date",
                    "decision_authority",
                    "starts_on",
                    "ends_on",
                    "target",
                    "target_currency",
                ],
            ),
        ),
        (
            "Programme",
            obj(
                vec![
                    ("id", int()),
                    ("name_vi", s()),
                    ("name_en", s()),
                    ("decision_number", s()),
                    ("decision_date", date()),
                    ("decision_authority", s()),
                    ("starts_on", date()),
                    ("ends_on", date()),
                    ("target", amount()),
                    ("target_currency", currency()),
                    ("target_items", nint()),
                    ("targets", array(target)),
                    ("created_at", time()),
                    ("updated_at", time()),
                ],
                &[
                    "id",
                    "name_vi",
                    "name_en",
                    "decision_number",
                    "decision_date",
                    "decision_authority",
                    "starts_on",
                    "ends_on",
                    "target",
                    "target_currency",
                    "target_items",
                    "targets",
                    "created_at",
                    "updated_at",
                ],
            ),
        ),
        (
            "ProgrammeProgress",
            obj(
                vec![
                    ("programme_id", int()),
                    ("through", date()),
                    ("target", amount()),
                    ("target_currency", currency()),
                    ("achieved", amount()),
                    ("committed", pair()),
                    ("committed_in_period", pair()),
                    ("items", count()),
                    ("items_in_period", count()),
                    ("target_items", nint()),
                    ("targets", array(target_progress)),
                    (
                        "proposals_by_status",
                        json!({"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}),
                    ),
                    ("from_proposals", pair()),
                ],
                &[
                    "programme_id",
                    "through",
                    "target",
                    "target_currency",
                    "achieved",
                    "committed",
                    "committed_in_period",
                    "items",
                    "items_in_period",
                    "target_items",
                    "targets",
                    "proposals_by_status",
                    "from_proposals",
                ],
            ),
        ),
        (
            "NewProposal",
            body_obj(
                vec![
                    ("programme_id", int()),
                    ("title_vi", text(500)),
                    ("title_en", text(500)),
                    ("sector_code", text(40)),
                    ("unit_code", text(40)),
                    ("estimate", amount()),
                    ("currency", currency()),
                    ("aid_owner_id", int()),
                    ("summary", json!({"type": "string", "maxLength": 4000})),
                    ("published", boolean()),
                ],
                &[
                    "programme_id",
                    "title_vi",
                    "title_en",
                    "sector_code",
                    "unit_code",
                    "estimate",
                    "currency",
                    "aid_owner_id",
                ],
            ),
        ),
        ("Proposal", obj(proposal_props(), PROPOSAL_REQUIRED)),
        ("ProposalDetail", {
            let mut props = proposal_props();
            props.push(("presentations", array(r("Presentation"))));
            props.push(("interests", array(r("Interest"))));
            props.push(("activity_ids", array(int())));
            let mut required = PROPOSAL_REQUIRED.to_vec();
            required.extend(["presentations", "interests", "activity_ids"]);
            obj(props, &required)
        }),
        (
            "ProposalMove",
            body_obj(
                vec![("status", codes(PROPOSAL_STATUSES)), ("item_id", nint())],
                &["status"],
            ),
        ),
        (
            "NewPresentation",
            body_obj(
                vec![("organisation_id", int()), ("presented_on", date())],
                &["organisation_id", "presented_on"],
            ),
        ),
        (
            "Presentation",
            obj(
                vec![
                    ("id", int()),
                    ("proposal_id", int()),
                    ("organisation_id", int()),
                    ("presented_on", date()),
                    ("activity_id", nint()),
                ],
                &[
                    "id",
                    "proposal_id",
                    "organisation_id",
                    "presented_on",
                    "activity_id",
                ],
            ),
        ),
        (
            "NewInterest",
            body_obj(
                vec![("note", json!({"type": "string", "maxLength": 2000}))],
                &[],
            ),
        ),
        (
            "Interest",
            obj(
                vec![
                    ("id", int()),
                    ("proposal_id", int()),
                    ("organisation_id", int()),
                    ("user_id", nint()),
                    ("note", s()),
                    ("registered_at", time()),
                    ("acknowledged_by", nint()),
                    ("acknowledged_at", ntime()),
                ],
                &[
                    "id",
                    "proposal_id",
                    "organisation_id",
                    "user_id",
                    "note",
                    "registered_at",
                    "acknowledged_by",
                    "acknowledged_at",
                ],
            ),
        ),
    ]
}

const PROPOSAL_REQUIRED: &[&str] = &[
    "id",
    "programme_id",
    "title_vi",
    "title_en",
    "sector_code",
    "unit_code",
    "estimate",
    "currency",
    "aid_owner_id",
    "summary",
    "status",
    "published",
    "item_id",
    "created_at",
    "updated_at",
];

fn proposal_props() -> Vec<(&'static str, Value)> {
    vec![
        ("id", int()),
        ("programme_id", int()),
        ("title_vi", s()),
        ("title_en", s()),
        ("sector_code", s()),
        ("unit_code", s()),
        ("estimate", amount()),
        ("currency", currency()),
        ("aid_owner_id", int()),
        ("summary", s()),
        ("status", codes(PROPOSAL_STATUSES)),
        ("published", boolean()),
        ("item_id", nint()),
        ("created_at", time()),
        ("updated_at", time()),
    ]
}

#[cfg(test)]
mod tests {
    use crate::domain::mobilisation::{ProposalStatus, TargetDimension};

    #[test]
    fn the_documents_vocabularies_are_the_domains() {
        let statuses: Vec<_> = ProposalStatus::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(super::PROPOSAL_STATUSES, statuses);
        let dims: Vec<_> = TargetDimension::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(super::TARGET_DIMENSIONS, dims);
    }
}
