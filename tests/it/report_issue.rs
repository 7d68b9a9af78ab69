//! Issuing the report safely (issue 9 §5): signer and recipients required, sections IV-VI not
//! issued empty by accident, a draft that changes nothing, no silent second version while the
//! period is locked, and the audit anchor and signer kept on the archive row.

use crate::common::{TestDb, date, fresh_db, raw_exec};
use aidledger::actions::reports::{
    IssueCmd, SignerInput, draft_report, issue_report, save_report_text,
};
use aidledger::actions::{Actor, Ctx};
use aidledger::config::Signing;
use aidledger::db::Store;
use aidledger::domain::Lang;
use aidledger::domain::period::Period;

fn reviewer() -> Actor {
    Actor::system("test-reviewer")
}

/// The demo province with a signer and recipients configured for both languages.
pub fn signing() -> Signing {
    Signing {
        authority_vi: "KT. GIÁM ĐỐC".into(),
        authority_en: "FOR THE DIRECTOR".into(),
        title_vi: "PHÓ GIÁM ĐỐC".into(),
        title_en: "DEPUTY DIRECTOR".into(),
        name: "Nguyễn Văn A".into(),
        recipients_vi: vec!["UBND thành phố Huế".into(), "Lưu: VT, QLNN".into()],
        recipients_en: vec![
            "Hue City People's Committee".into(),
            "Archive: VT, QLNN".into(),
        ],
    }
}

fn with_signing(db: &TestDb, s: Signing) -> Ctx {
    let mut ctx = db.ctx.clone();
    ctx.config.signing = s;
    ctx
}

async fn scalar(db: &TestDb, sql: &str) -> i64 {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match db.store() {
        Store::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        Store::Pg(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
    }
}

/// (audit entries, issued reports, period locks): what issuing changes and a draft must not.
pub async fn counts(db: &TestDb) -> (i64, i64, i64) {
    (
        scalar(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_entry").await,
        scalar(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM issued_report").await,
        scalar(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM period_lock").await,
    )
}

fn h1(lang: Lang) -> IssueCmd {
    IssueCmd::new(
        Period::parse("2025-H1", false).unwrap(),
        lang,
        date("2025-07-05"),
        "12/BC-SNgV".into(),
    )
}

fn confirmed(lang: Lang) -> IssueCmd {
    IssueCmd {
        allow_empty_sections: true,
        ..h1(lang)
    }
}

#[tokio::test]
async fn a_draft_archives_locks_and_audits_nothing_and_two_drafts_are_identical() {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let before = counts(&db).await;
    // Without any signer configured a draft still renders (it prints what is configured).
    let bare = draft_report(&db.ctx, &reviewer(), &h1(Lang::Vi))
        .await
        .unwrap();
    assert!(bare.starts_with(b"%PDF"));
    let ctx = with_signing(&db, signing());
    let one = draft_report(&ctx, &reviewer(), &h1(Lang::Vi))
        .await
        .unwrap();
    let two = draft_report(&ctx, &reviewer(), &h1(Lang::Vi))
        .await
        .unwrap();
    assert_eq!(
        one, two,
        "same data, language, date, signer and recipients give the same bytes"
    );
    assert_eq!(counts(&db).await, before, "no audit entry, report or lock");
    let other = SignerInput {
        name: Some("Trần Thị B".into()),
        ..SignerInput::default()
    };
    let three = draft_report(
        &ctx,
        &reviewer(),
        &IssueCmd {
            signer: other,
            ..h1(Lang::Vi)
        },
    )
    .await
    .unwrap();
    assert_ne!(one, three, "the signer override reaches the document");
    assert_eq!(counts(&db).await, before);
    let coordinator = Actor::user(1, "c", aidledger::domain::item::Role::Coordinator, None);
    assert_eq!(
        draft_report(&ctx, &coordinator, &h1(Lang::Vi))
            .await
            .unwrap_err()
            .status()
            .code,
        403
    );
}

#[tokio::test]
async fn issuing_needs_a_signer_name_and_a_recipient_and_says_which_setting() {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let before = counts(&db).await;
    let err = issue_report(&db.ctx, &reviewer(), &confirmed(Lang::Vi))
        .await
        .unwrap_err();
    assert_eq!((err.code(), err.status().code), ("signer_missing", 422));
    assert!(
        err.to_string()
            .contains("AIDLEDGER_SIGNER_NAME or --signer-name"),
        "{err}"
    );
    let no_recipients = Signing {
        recipients_en: vec![],
        ..signing()
    };
    let ctx = with_signing(&db, no_recipients);
    let err = issue_report(&ctx, &reviewer(), &confirmed(Lang::En))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "recipients_missing");
    assert!(
        err.to_string().contains("AIDLEDGER_RECIPIENTS_EN")
            && err.to_string().contains("--recipient"),
        "{err}"
    );
    // An override cannot blank the name either, and a name with a line break is refused.
    let ctx = with_signing(&db, signing());
    for (name, code) in [("  ", "signer_missing"), ("A\nB", "invalid_signer")] {
        let cmd = IssueCmd {
            signer: SignerInput {
                name: Some(name.into()),
                ..SignerInput::default()
            },
            ..confirmed(Lang::Vi)
        };
        let err = issue_report(&ctx, &reviewer(), &cmd).await.unwrap_err();
        assert_eq!(err.code(), code, "{name:?}");
    }
    assert_eq!(counts(&db).await, before, "nothing was stored");
}

#[tokio::test]
#[cfg_attr(not(aidledger_pdftotext), ignore = "needs poppler-utils (pdftotext)")]
async fn empty_sections_are_refused_by_name_unless_confirmed() {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let ctx = with_signing(&db, signing());
    let p = Period::parse("2025-H1", false).unwrap();
    save_report_text(
        &ctx,
        &reviewer(),
        &p,
        Lang::Vi,
        "assessment",
        "Đạt kế hoạch.",
    )
    .await
    .unwrap();
    let before = counts(&db).await;
    let err = issue_report(&ctx, &reviewer(), &h1(Lang::Vi))
        .await
        .unwrap_err();
    assert_eq!((err.code(), err.status().code), ("empty_sections", 422));
    let msg = err.to_string();
    assert!(
        msg.contains("V (tasks), VI (recommendations)") && !msg.contains("IV (assessment)"),
        "{msg}"
    );
    assert!(msg.contains("--allow-empty-sections"), "{msg}");
    assert_eq!(counts(&db).await, before);
    // A confirmed issue prints "Không có nội dung" in the empty sections.
    let (issued, pdf) = issue_report(&ctx, &reviewer(), &confirmed(Lang::Vi))
        .await
        .unwrap();
    assert_eq!(issued.version, 1);
    if let Some(text) = crate::common::pdftotext_bytes(&pdf) {
        assert!(text.contains("Không có nội dung"), "{text}");
        assert!(text.contains("Đạt kế hoạch."));
    }
}

#[tokio::test]
async fn a_locked_issued_report_is_refused_until_an_audited_unlock() {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let ctx = with_signing(&db, signing());
    let (v1, _) = issue_report(&ctx, &reviewer(), &confirmed(Lang::Vi))
        .await
        .unwrap();
    let before = counts(&db).await;
    let err = issue_report(&ctx, &reviewer(), &confirmed(Lang::Vi))
        .await
        .unwrap_err();
    assert_eq!((err.code(), err.status().code), ("already_issued", 409));
    assert!(err.to_string().contains("unlock the period first"), "{err}");
    assert_eq!(counts(&db).await, before, "no silent version 2");
    // The other language is a different report and may still be issued.
    let (en, _) = issue_report(&ctx, &reviewer(), &confirmed(Lang::En))
        .await
        .unwrap();
    assert_eq!(en.version, 1);
    aidledger::actions::periods::unlock_period(
        &ctx,
        &reviewer(),
        &v1_period(),
        "the number was missing from the first issue",
    )
    .await
    .unwrap();
    let cmd = IssueCmd {
        number: "13/BC-SNgV".into(),
        ..confirmed(Lang::Vi)
    };
    let (v2, _) = issue_report(&ctx, &reviewer(), &cmd).await.unwrap();
    assert_eq!((v1.version, v2.version), (1, 2));
}

fn v1_period() -> Period {
    Period::parse("2025-H1", false).unwrap()
}

#[tokio::test]
async fn the_archive_row_keeps_signer_recipients_and_the_audit_anchor() {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let ctx = with_signing(&db, signing());
    let head_id = scalar(&db, "SELECT CAST(MAX(id) AS BIGINT) FROM audit_entry").await;
    let cmd = IssueCmd {
        recipients: Some(vec!["- Bộ Ngoại giao;".into(), "Lưu: VT, QLNN.".into()]),
        ..confirmed(Lang::Vi)
    };
    let (issued, _) = issue_report(&ctx, &reviewer(), &cmd).await.unwrap();
    assert_eq!(issued.audit_entry_id, Some(head_id));
    let sql = format!("SELECT hash FROM audit_entry WHERE id = {head_id}");
    let hash: String = match db.store() {
        Store::Sqlite(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(p)
            .await
            .unwrap(),
        Store::Pg(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(p)
            .await
            .unwrap(),
    };
    assert_eq!(issued.audit_head.as_deref(), Some(hash.as_str()));
    assert_eq!(issued.signer_name.as_deref(), Some("Nguyễn Văn A"));
    assert_eq!(
        issued.signer_lines.as_deref(),
        Some("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC")
    );
    assert_eq!(
        issued.recipients.as_deref(),
        Some("Bộ Ngoại giao\nLưu: VT, QLNN"),
        "the dash and the punctuation typed are dropped"
    );
    // The report's own audit entry (and its lock's) come after the anchor.
    let own = scalar(
        &db,
        "SELECT CAST(MAX(id) AS BIGINT) FROM audit_entry WHERE action = 'report.issue'",
    )
    .await;
    assert!(own > head_id, "{own} > {head_id}");
    // The new columns are under the append-only trigger like the old ones.
    for sql in [
        "UPDATE issued_report SET audit_head = NULL WHERE id = $1",
        "UPDATE issued_report SET signer_name = 'Mallory' WHERE id = $1",
        "DELETE FROM issued_report WHERE id = $1",
    ] {
        assert!(raw_exec(&db, sql, issued.id).await.is_err(), "{sql}");
    }
}

#[rocket::async_test]
async fn the_api_refuses_alike_with_the_field_named() {
    use rocket::http::Status;
    use serde_json::json;
    let app = crate::api::App::new().await;
    let before = counts(&app.db).await;
    for (body, status, code, field) in [
        (
            json!({"period": "2024-Q4"}),
            Status::UnprocessableEntity,
            "signer_missing",
            "signer_name",
        ),
        (
            json!({"period": "2024-Q4", "signer_name": "Nguyễn Văn A"}),
            Status::UnprocessableEntity,
            "recipients_missing",
            "recipients",
        ),
        (
            json!({"period": "2024-Q4", "signer_name": "Nguyễn Văn A", "recipients": ["Lưu: VT"]}),
            Status::UnprocessableEntity,
            "empty_sections",
            "allow_empty_sections",
        ),
    ] {
        let (s, b) = app.post("/reports", "reviewer", &body).await;
        assert_eq!(
            (s, b["error"]["code"].as_str(), b["error"]["field"].as_str()),
            (status, Some(code), Some(field)),
            "{b}"
        );
    }
    assert_eq!(counts(&app.db).await, before, "nothing stored");
    let ok = json!({"period": "2024-Q4", "signer_name": "Nguyễn Văn A", "signer_authority": "",
        "signer_title": "GIÁM ĐỐC", "recipients": ["UBND thành phố Huế", "Lưu: VT"], "allow_empty_sections": true});
    let (s, b) = app.post("/reports", "reviewer", &ok).await;
    assert_eq!(s, Status::Created, "{b}");
    assert_eq!(b["signer_name"], "Nguyễn Văn A");
    assert_eq!(
        b["signer_lines"], "GIÁM ĐỐC",
        "an empty authority prints no line"
    );
    assert_eq!(b["recipients"], "UBND thành phố Huế\nLưu: VT");
    assert!(
        b["audit_entry_id"].is_i64() && b["audit_head"].is_string(),
        "{b}"
    );
    let (s, b) = app.post("/reports", "reviewer", &ok).await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (Status::Conflict, Some("already_issued")),
        "{b}"
    );
}
