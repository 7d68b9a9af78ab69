//! The operations of aid mobilisation: programmes, proposals and NGO interest.

use super::*;

#[allow(clippy::too_many_lines)]
pub(super) fn mobilisation() -> Vec<Op> {
    let statuses = codes(super::super::mobilisation::PROPOSAL_STATUSES);
    vec![
        op(
            "get",
            "/programmes",
            "listProgrammes",
            "Stage programmes of aid mobilisation with their targets, newest stage first",
            None,
            200,
            Some(array(r("Programme"))),
        ),
        write(op(
            "post",
            "/programmes",
            "createProgramme",
            "Record a stage programme from its decision, with targets",
            Some("NewProgramme"),
            201,
            Some(r("Programme")),
        )),
        with(
            op(
                "get",
                "/programmes/{id}",
                "getProgramme",
                "One stage programme with its targets",
                None,
                200,
                Some(r("Programme")),
            ),
            vec![path_id()],
        ),
        write(with(
            op(
                "put",
                "/programmes/{id}",
                "amendProgramme",
                "Amend a stage programme (the audit trail keeps the earlier version)",
                Some("NewProgramme"),
                200,
                Some(r("Programme")),
            ),
            vec![path_id()],
        )),
        with(
            op(
                "get",
                "/programmes/{id}/progress",
                "programmeProgress",
                "A stage's progress against its targets to a cut-off (province staff)",
                None,
                200,
                Some(r("ProgrammeProgress")),
            ),
            vec![path_id(), query("from", date()), query("to", date())],
        ),
        with(
            op(
                "get",
                "/proposals",
                "listProposals",
                "Proposals offered to NGOs (NGO staff see the published ones)",
                None,
                200,
                Some(array(r("Proposal"))),
            ),
            vec![query("programme_id", int()), query("status", statuses)],
        ),
        write(op(
            "post",
            "/proposals",
            "createProposal",
            "Add a proposal to a programme's list",
            Some("NewProposal"),
            201,
            Some(r("ProposalDetail")),
        )),
        with(
            op(
                "get",
                "/proposals/{id}",
                "getProposal",
                "One proposal with its presentations and NGO interest",
                None,
                200,
                Some(r("ProposalDetail")),
            ),
            vec![path_id()],
        ),
        write(with(
            op(
                "put",
                "/proposals/{id}",
                "editProposal",
                "Edit a proposal that is not approved yet",
                Some("NewProposal"),
                200,
                Some(r("ProposalDetail")),
            ),
            vec![path_id()],
        )),
        write(with(
            op(
                "post",
                "/proposals/{id}/status",
                "moveProposal",
                "Move a proposal one step along its path; approving names the aid item",
                Some("ProposalMove"),
                200,
                Some(r("ProposalDetail")),
            ),
            vec![path_id()],
        )),
        write(with(
            op(
                "post",
                "/proposals/{id}/presentations",
                "presentProposal",
                "Record that a proposal was presented to a foreign NGO",
                Some("NewPresentation"),
                201,
                Some(r("Presentation")),
            ),
            vec![path_id()],
        )),
        write(with(
            op(
                "post",
                "/proposals/{id}/interest",
                "registerInterest",
                "Register one's own NGO's interest in a published proposal (NGO staff)",
                Some("NewInterest"),
                201,
                Some(r("Interest")),
            ),
            vec![path_id()],
        )),
        op(
            "get",
            "/interests",
            "listOpenInterests",
            "NGO interest not yet acknowledged by a coordinator, oldest first",
            None,
            200,
            Some(array(r("Interest"))),
        ),
        write(with(
            op(
                "post",
                "/interests/{id}/acknowledge",
                "acknowledgeInterest",
                "A coordinator acknowledges an NGO's interest",
                None,
                200,
                Some(r("Interest")),
            ),
            vec![path_id()],
        )),
    ]
}
