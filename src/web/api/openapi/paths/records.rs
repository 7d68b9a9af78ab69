//! The operations on aid items and their commitments, disbursements and milestones.

use super::*;

/// Aid items and their commitments, disbursements and milestones.
#[allow(clippy::too_many_lines)]
pub(super) fn ledger() -> Vec<Op> {
    vec![
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
            vec![path_id()],
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
            vec![path_id()],
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
            vec![path_id()],
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
            vec![path_id()],
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
            vec![path_id()],
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
            vec![path_id()],
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
            vec![path_id()],
        ),
        write(with(
            op(
                "post",
                "/disbursements/{id}/verify",
                "verifyDisbursement",
                "Verify (not by whoever entered it; 409 four_eyes otherwise, 409 rate_missing while it has no VND/USD conversion)",
                None,
                200,
                Some(r("Disbursement")),
            ),
            vec![path_id()],
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
            vec![path_id()],
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
            vec![path_id()],
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
            vec![path_id()],
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
            vec![path_id()],
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
            vec![path_id()],
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
            vec![path_id()],
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
            vec![path_id()],
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
            vec![path_id()],
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
            vec![path_id()],
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
            vec![path_id()],
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
            vec![path_id()],
        )),
    ]
}
