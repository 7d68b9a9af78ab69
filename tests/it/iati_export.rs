//! IATI 2.03 export of the demo ledger: every item becomes one activity, every commitment and
//! verified disbursement one transaction, every budget and planned disbursement its element,
//! and the amounts in the file sum to the ledger's.

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

    // Valid against the official IATI 2.03 schema, by the pure-Rust check the import uses.
    aidledger::import::iati::check_schema(xml.as_bytes()).unwrap();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(dir.join("demo-iati.xml"), &xml).unwrap();

    // Every stored budget and planned disbursement is in the file, after the default types.
    let budgets = scalar(
        &db,
        "SELECT count(*) FROM item_budget WHERE kind = 'budget'",
    )
    .await;
    let planned = scalar(
        &db,
        "SELECT count(*) FROM item_budget WHERE kind = 'planned'",
    )
    .await;
    assert!(budgets > 0 && planned > 0, "the demo has plans");
    assert_eq!(xml.matches("<budget ").count() as i64, budgets);
    assert_eq!(
        xml.matches("<planned-disbursement ").count() as i64,
        planned
    );

    // The file's amounts (transactions, budgets and planned disbursements), per currency,
    // equal the ledger's own sums of the same rows.
    let rows = text_int_rows(
        &db,
        "SELECT currency, amount_minor FROM commitment UNION ALL SELECT currency, amount_minor FROM disbursement WHERE status = 'verified' \
         UNION ALL SELECT currency, amount_minor FROM item_budget",
    )
    .await;
    let mut expected: BTreeMap<String, Decimal> = BTreeMap::new();
    for (cur, minor) in rows {
        let c: aidledger::domain::Currency = cur.parse().unwrap();
        *expected.entry(cur).or_insert(Decimal::ZERO) += Decimal::new(minor, c.minor_units());
    }
    assert_eq!(value_sums(&xml), expected);
}

#[tokio::test]
async fn an_exported_file_reads_back_to_the_same_items_rows_and_amounts() {
    use aidledger::import::activities;
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let (out, summary) = export_iati(&db.ctx, &system(), &IatiSelection::default(), Vec::new())
        .await
        .unwrap();
    let mut read = Vec::new();
    let n = activities::read(&out, |a| {
        read.push(a);
        Ok(())
    })
    .unwrap();
    assert_eq!(n, summary.activities);
    let codes: Vec<String> = read.iter().map(|a| a.al["code"].clone()).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted, "activities come in item-code order");
    let mut sums: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut tx_count = 0;
    for a in &read {
        assert!(a.identifier.ends_with(&a.al["code"]));
        assert!(a.title.in_lang("vi", a.lang.as_deref()).is_some());
        let bp: i64 = a.locations.iter().map(|l| l.al_share_bp.unwrap()).sum();
        assert!(
            a.locations.is_empty() || bp == 10_000,
            "{}: {bp}",
            a.identifier
        );
        let pct: Decimal = a.sectors.iter().map(|s| s.percentage.unwrap()).sum();
        assert!(
            a.sectors.is_empty() || pct == Decimal::from(100),
            "{}",
            a.identifier
        );
        for t in &a.transactions {
            tx_count += 1;
            assert!(matches!(t.type_code.as_str(), "2" | "3"));
            *sums
                .entry(t.value.currency.clone().unwrap())
                .or_insert(Decimal::ZERO) += t.value.amount;
        }
    }
    assert_eq!(tx_count, summary.transactions);
    let mut plans = 0;
    for b in read
        .iter()
        .flat_map(|a| a.budgets.iter().chain(&a.planned_disbursements))
    {
        plans += 1;
        *sums
            .entry(b.value.currency.clone().unwrap())
            .or_insert(Decimal::ZERO) += b.value.amount;
    }
    assert_eq!(
        plans,
        scalar(&db, "SELECT count(*) FROM item_budget").await as usize
    );
    // Every value in the file is a transaction's, a budget's or a planned disbursement's.
    assert_eq!(sums, value_sums(&String::from_utf8(out).unwrap()));
}

/// CI's check that the demo export validates against the official schema by libxml2 too.
#[tokio::test]
#[cfg_attr(not(aidledger_xmllint), ignore = "needs libxml2-utils (xmllint)")]
async fn the_demo_export_validates_with_xmllint_against_the_official_schema() {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let (out, _) = export_iati(&db.ctx, &system(), &IatiSelection::default(), Vec::new())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo-iati.xml");
    std::fs::write(&file, &out).unwrap();
    assert_eq!(crate::iati_schema::xmllint_accepts(&file), Some(true));
}
