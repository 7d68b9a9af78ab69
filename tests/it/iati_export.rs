//! IATI 2.03 export of the demo ledger: every item becomes one activity, every commitment and
//! verified disbursement one transaction, and the amounts in the file sum to the ledger's.

use crate::common::{fresh_db, scalar_i64 as scalar, system, text_int_rows};
use aidledger::actions::iati_export::{IatiSelection, export_iati};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

/// Sums `<value currency="X" …>amount</value>` per currency, read back from the text.
fn value_sums(xml: &str) -> BTreeMap<String, Decimal> {
    let mut sums = BTreeMap::new();
    for part in xml.split("<value currency=\"").skip(1) {
        let (cur, rest) = part.split_once('"').unwrap();
        let amount = rest.split_once('>').unwrap().1.split_once('<').unwrap().0;
        *sums.entry(cur.to_string()).or_insert(Decimal::ZERO) += Decimal::from_str(amount).unwrap();
    }
    sums
}

#[tokio::test]
async fn the_demo_ledger_exports_one_activity_per_item_with_its_transactions_and_totals() {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let (out, summary) = export_iati(&db.ctx, &system(), &IatiSelection::default(), Vec::new())
        .await
        .unwrap();
    let xml = String::from_utf8(out).unwrap();
    let items = scalar(&db, "SELECT count(*) FROM aid_item").await;
    let money_rows = scalar(
        &db,
        "SELECT (SELECT count(*) FROM commitment) + (SELECT count(*) FROM disbursement WHERE status = 'verified')",
    )
    .await;
    assert_eq!(summary.activities as i64, items);
    assert_eq!(xml.matches("<iati-activity ").count() as i64, items);
    assert_eq!(summary.transactions as i64, money_rows);
    assert_eq!(xml.matches("<transaction ").count() as i64, money_rows);

    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(dir.join("demo-iati.xml"), &xml).unwrap();

    // The file's amounts, per currency, equal the ledger's own sums of the same rows.
    let rows = text_int_rows(
        &db,
        "SELECT currency, amount_minor FROM commitment UNION ALL SELECT currency, amount_minor FROM disbursement WHERE status = 'verified'",
    )
    .await;
    let mut expected: BTreeMap<String, Decimal> = BTreeMap::new();
    for (cur, minor) in rows {
        let c: aidledger::domain::Currency = cur.parse().unwrap();
        *expected.entry(cur).or_insert(Decimal::ZERO) += Decimal::new(minor, c.minor_units());
    }
    assert_eq!(value_sums(&xml), expected);
}
