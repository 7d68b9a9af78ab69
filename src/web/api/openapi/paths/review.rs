//! The operations of the reviewer's side: rates, rollups, periods, reports, audit.

use super::*;

/// Rates, rollups, periods, reports and the audit trail.
#[allow(clippy::too_many_lines)]
pub(super) fn reporting() -> Vec<Op> {
    vec![
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
