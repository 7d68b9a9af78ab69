//! The operations on promotion activities.

use super::super::activities::ACTIVITY_KINDS;
use super::*;

pub(super) fn activities() -> Vec<Op> {
    vec![
        with(
            op(
                "get",
                "/activities",
                "listActivities",
                "Promotion activities, latest first; NGO staff get those their organisation took part in",
                None,
                200,
                Some(array(r("Activity"))),
            ),
            vec![
                query("programme_id", int()),
                query("kind", codes(ACTIVITY_KINDS)),
            ],
        ),
        write(op(
            "post",
            "/activities",
            "createActivity",
            "Record a promotion activity; each proposal is recorded as presented to each foreign NGO listed, and a proposed one moves to presented",
            Some("NewActivity"),
            201,
            Some(r("ActivityDetail")),
        )),
        with(
            op(
                "get",
                "/activities/{id}",
                "getActivity",
                "One activity with the organisations that took part and the proposals presented (for NGO staff: their own organisation and the published proposals)",
                None,
                200,
                Some(r("ActivityDetail")),
            ),
            vec![path_id()],
        ),
        write(with(
            op(
                "put",
                "/activities/{id}",
                "updateActivity",
                "Replace an activity's fields and lists",
                Some("NewActivity"),
                200,
                Some(r("ActivityDetail")),
            ),
            vec![path_id()],
        )),
    ]
}
