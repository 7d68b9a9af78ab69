//! The schemas of aid items and their money: items, allocations, commitments, disbursements, milestones.

use super::schema::*;
use rocket::serde::json::{Value, json};

#[allow(clippy::too_many_lines)]
pub(super) fn entries() -> Vec<(&'static str, Value)> {
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
    vec![
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
    ]
}
