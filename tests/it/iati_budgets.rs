//! IATI budgets and planned disbursements: a file with budgets in two currencies (the
//! activity's default and another) and a planned disbursement without a period end is
//! stored exactly (minor units, currency, dates, type and status, read from the database); the
//! same file again changes and audits nothing; a newer file with one budget changed replaces
//! the set with one audit entry; a dry run stores nothing; a budget in a currency the ledger
//! does not accept, or finer than its currency, refuses the whole file, naming line, field and
//! value.

use crate::common::{TestDb, scalar_i64, text_int_rows};
use crate::iati_import::{count, empty_target, errors, import, tmp};
use aidledger::interchange::preview::{OutcomeKind, Preview};

const FILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="USD" xml:lang="en">
  <iati-identifier>GB-CHC-1234567-HUE-09</iati-identifier>
  <reporting-org ref="GB-CHC-1234567" type="21"><narrative>Children First UK</narrative></reporting-org>
  <title><narrative>Primary schools after the floods</narrative></title>
  <description><narrative>Repairs to flooded classrooms.</narrative></description>
  <participating-org role="2"><narrative>Hue Health Department</narrative></participating-org>
  <participating-org role="4"><narrative xml:lang="vi">Uy ban nhan dan huyen Phu Vang</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2025-08-01"/>
  <activity-date type="3" iso-date="2026-07-31"/>
  <location><name><narrative>Phu Vang</narrative></name></location>
  <sector code="11220"/>
  <budget type="1" status="2"><period-start iso-date="2025-08-01"/><period-end iso-date="2025-12-31"/><value value-date="2025-08-01">12000.50</value></budget>
  <budget type="1" status="1"><period-start iso-date="2026-01-01"/><period-end iso-date="2026-07-31"/><value currency="VND" value-date="2026-01-01">250000000</value></budget>
  <planned-disbursement type="1"><period-start iso-date="2025-09-01"/><value value-date="2025-09-01">4000</value></planned-disbursement>
  <transaction><transaction-type code="2"/><transaction-date iso-date="2025-08-05"/><value value-date="2025-08-05">20000</value></transaction>
 </iati-activity>
</iati-activities>
"#;

/// The stored plans as `kind type status start end currency value-date`, with the amount.
async fn stored(db: &TestDb) -> Vec<(String, i64)> {
    text_int_rows(
        db,
        "SELECT kind || ' ' || COALESCE(type_code, '-') || ' ' || COALESCE(status_code, '-') || ' ' || \
         CAST(period_start AS TEXT) || ' ' || COALESCE(CAST(period_end AS TEXT), '-') || ' ' || currency || ' ' || \
         CAST(value_date AS TEXT), amount_minor FROM item_budget ORDER BY kind, period_start, id",
    )
    .await
}

fn budget_rows(p: &Preview) -> Vec<(OutcomeKind, String)> {
    p.rows
        .iter()
        .filter(|o| o.key.contains(" budget ") || o.key.contains(" planned disbursement "))
        .map(|o| (o.outcome, o.key.clone()))
        .collect()
}

async fn budget_audits(db: &TestDb) -> i64 {
    count(db, "audit_entry WHERE entity = 'item_budget'").await
}

fn write(name: &str, xml: &str) -> std::path::PathBuf {
    let path = tmp(name);
    std::fs::write(&path, xml).unwrap();
    path
}

#[tokio::test]
async fn budgets_are_stored_exactly_replaced_by_a_newer_file_and_audited_once_per_set() {
    let db = empty_target().await;
    aidledger::import::iati::check_schema(FILE.as_bytes()).unwrap();
    let file = write("budgets.xml", FILE);

    let dry = import(&db, &file, true).await;
    assert_eq!(dry.errors, 0, "{}", errors(&dry));
    assert_eq!(
        count(&db, "item_budget").await,
        0,
        "a dry run stores nothing"
    );

    let p = import(&db, &file, false).await;
    assert_eq!(p.errors, 0, "{}", errors(&p));
    assert!(p.applied);
    let want = vec![
        (
            "budget 1 1 2026-01-01 2026-07-31 VND 2026-01-01".to_string(),
            250_000_000,
        ),
        (
            "budget 1 2 2025-08-01 2025-12-31 USD 2025-08-01".to_string(),
            1_200_050,
        ),
        (
            "planned 1 - 2025-09-01 - USD 2025-09-01".to_string(),
            400_000,
        ),
    ];
    let mut got = stored(&db).await;
    got.sort();
    assert_eq!(got, want);
    assert_eq!(
        budget_rows(&p).iter().map(|r| r.0).collect::<Vec<_>>(),
        [OutcomeKind::New; 3],
        "{}",
        p.table()
    );
    assert_eq!(budget_audits(&db).await, 1);
    let item = scalar_i64(&db, "SELECT id FROM aid_item").await;
    assert_eq!(
        count(&db, &format!("item_budget WHERE item_id = {item}")).await,
        3
    );
    // Plans are never money: the committed value is the commitment alone.
    assert_eq!(count(&db, "commitment").await, 1);

    // The same file again: every budget unchanged, nothing stored or audited.
    let ids = text_int_rows(&db, "SELECT 'id', id FROM item_budget ORDER BY id").await;
    let again = import(&db, &file, false).await;
    assert_eq!(again.errors, 0, "{}", errors(&again));
    assert_eq!((again.new, again.changed), (0, 0), "{}", again.table());
    assert_eq!(
        budget_rows(&again).iter().map(|r| r.0).collect::<Vec<_>>(),
        [OutcomeKind::Unchanged; 3]
    );
    assert_eq!(
        text_int_rows(&db, "SELECT 'id', id FROM item_budget ORDER BY id").await,
        ids
    );
    assert_eq!(budget_audits(&db).await, 1);

    // A newer file revises the 2026 budget: the set is replaced and audited once.
    let newer = FILE.replace(
        r#"<budget type="1" status="1"><period-start iso-date="2026-01-01"/><period-end iso-date="2026-07-31"/><value currency="VND" value-date="2026-01-01">250000000</value></budget>"#,
        r#"<budget type="2" status="1"><period-start iso-date="2026-01-01"/><period-end iso-date="2026-07-31"/><value currency="VND" value-date="2026-03-01">300000000</value></budget>"#,
    );
    assert_ne!(newer, FILE);
    let newer_file = write("budgets-newer.xml", &newer);
    let dry = import(&db, &newer_file, true).await;
    assert_eq!(dry.errors, 0, "{}", errors(&dry));
    assert_eq!(stored(&db).await.len(), 3);
    assert_eq!(budget_audits(&db).await, 1, "a dry run audits nothing");
    let p = import(&db, &newer_file, false).await;
    assert_eq!(p.errors, 0, "{}", errors(&p));
    let mut kinds: Vec<OutcomeKind> = budget_rows(&p).iter().map(|r| r.0).collect();
    kinds.sort_by_key(|k| format!("{k:?}"));
    assert_eq!(
        kinds,
        [
            OutcomeKind::Changed,
            OutcomeKind::New,
            OutcomeKind::Unchanged,
            OutcomeKind::Unchanged
        ],
        "{}",
        p.table()
    );
    let removed = budget_rows(&p)
        .into_iter()
        .find(|r| r.0 == OutcomeKind::Changed)
        .unwrap();
    assert!(
        removed.1.contains("250000000 VND") && removed.1.ends_with("(removed)"),
        "{}",
        removed.1
    );
    let mut got = stored(&db).await;
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                "budget 1 2 2025-08-01 2025-12-31 USD 2025-08-01".to_string(),
                1_200_050
            ),
            (
                "budget 2 1 2026-01-01 2026-07-31 VND 2026-03-01".to_string(),
                300_000_000
            ),
            (
                "planned 1 - 2025-09-01 - USD 2025-09-01".to_string(),
                400_000
            ),
        ]
    );
    assert_eq!(budget_audits(&db).await, 2);
    let audit = text_int_rows(
        &db,
        "SELECT COALESCE(before, '') || ' => ' || COALESCE(after, ''), CAST(0 AS BIGINT) FROM audit_entry \
         WHERE entity = 'item_budget' ORDER BY id DESC",
    )
    .await;
    let (before, after) = audit[0].0.split_once(" => ").unwrap();
    assert!(
        before.contains("250000000") && !before.contains("300000000"),
        "{before}"
    );
    assert!(
        after.contains("300000000") && !after.contains("250000000"),
        "{after}"
    );
    assert_eq!(
        scalar_i64(
            &db,
            &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_entry WHERE entity = 'item_budget' AND entity_id = '{item}'")
        )
        .await,
        2
    );
}

#[tokio::test]
async fn a_budget_in_an_unknown_currency_or_too_fine_refuses_the_whole_file() {
    let db = empty_target().await;
    let bad = FILE
        .replace(
            r#"<value currency="VND" value-date="2026-01-01">250000000</value>"#,
            r#"<value currency="XYZ" value-date="2026-01-01">250000000</value>"#,
        )
        .replace(
            r#"<value value-date="2025-09-01">4000</value>"#,
            r#"<value value-date="2025-09-01">4000.125</value>"#,
        );
    aidledger::import::iati::check_schema(bad.as_bytes()).unwrap();
    let file = write("budgets-bad.xml", &bad);
    let p = import(&db, &file, false).await;
    assert!(!p.applied);
    assert_eq!(p.errors, 2, "{}", p.table());
    let line_of = |needle: &str| 1 + bad.lines().position(|l| l.contains(needle)).unwrap() as u64;
    let rows: Vec<_> = p
        .rows
        .iter()
        .filter(|o| o.outcome == OutcomeKind::Error)
        .collect();
    let currency = rows
        .iter()
        .find(|o| o.problems.iter().any(|x| x.code == "invalid_currency"))
        .unwrap();
    assert_eq!(currency.line, line_of("currency=\"XYZ\""));
    let problem = &currency.problems[0];
    assert_eq!(
        (problem.column.as_deref(), problem.value.as_str()),
        (Some("currency"), "XYZ")
    );
    assert!(problem.message.contains("XYZ"), "{}", problem.message);
    let fine = rows
        .iter()
        .find(|o| o.problems.iter().any(|x| x.code == "invalid_amount"))
        .unwrap();
    assert_eq!(fine.line, line_of("4000.125"));
    assert_eq!(fine.problems[0].column.as_deref(), Some("value"));
    assert_eq!(fine.problems[0].value, "4000.125");
    for table in ["aid_item", "item_budget", "commitment", "organisation"] {
        assert_eq!(count(&db, table).await, 0, "{table}");
    }
}
