//! Large spreadsheet imports: thousands of new disbursements go through the batched path
//! and come out exactly as the one-row path would store them (the ledger's conversion,
//! one audit entry each, an intact chain); one bad row anywhere, even after several batches
//! were written, changes nothing and is named; a row in a locked period is refused with the
//! ledger's own message; a reversal finds the row it names among those the same file wrote.

use crate::common::{TestDb, system};
use crate::sheets_import::{demo_source, import};
use aidledger::actions::audit_check::{Scope, verify};
use aidledger::actions::convert::convert_at;
use aidledger::actions::sheets::export_tables;
use aidledger::db::ledger::{Conversion, Disbursement};
use aidledger::domain::{Currency, Money};
use aidledger::interchange::preview::OutcomeKind;
use aidledger::interchange::rows::Selection;
use aidledger::interchange::{RecordType, SheetFormat};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::str::FromStr;

/// One new disbursement as the file states it.
struct NewRow {
    reference: String,
    amount: String,
    currency: &'static str,
    date: String,
}

/// `n` new submitted disbursements spread over the database's items, each numbered after its
/// item's existing rows, in five currencies, dated in 2026 (open in the demo data).
async fn new_rows(db: &TestDb, n: usize) -> Vec<NewRow> {
    let tables = export_tables(&db.ctx, &system(), Selection::default())
        .await
        .unwrap();
    let rows_of = |r: RecordType| {
        tables
            .iter()
            .find(|t| t.record == r)
            .map(|t| t.rows.clone())
            .unwrap_or_default()
    };
    let items: Vec<String> = rows_of(RecordType::Items)
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    let mut last: HashMap<String, usize> = HashMap::new();
    for r in rows_of(RecordType::Disbursements) {
        let (code, num) = r[0].rsplit_once("/D").unwrap();
        let e = last.entry(code.to_string()).or_default();
        *e = (*e).max(num.parse().unwrap());
    }
    let currencies = ["USD", "EUR", "VND", "JPY", "KRW"];
    (0..n)
        .map(|i| {
            let code = &items[i % items.len()];
            let k = last.entry(code.clone()).or_default();
            *k += 1;
            let currency = currencies[i % currencies.len()];
            let whole = 1 + (i * 7919) % 900_000;
            let amount = if matches!(currency, "USD" | "EUR") {
                format!("{whole}.{:02}", i % 100)
            } else {
                whole.to_string()
            };
            NewRow {
                reference: format!("{code}/D{k}"),
                amount,
                currency,
                date: format!("2026-{:02}-{:02}", 1 + i % 11, 1 + i % 28),
            }
        })
        .collect()
}

fn csv(rows: &[NewRow]) -> String {
    let mut s = String::from("ref,amount,currency,value_date,status\n");
    for r in rows {
        let _ = writeln!(
            s,
            "{},{},{},{},submitted",
            r.reference, r.amount, r.currency, r.date
        );
    }
    s
}

async fn disbursements(db: &TestDb) -> Vec<Disbursement> {
    let mut tx = db.store().read().await.unwrap();
    aidledger::db::interchange::disbursements(&mut tx)
        .await
        .unwrap()
}

/// Sum of minor units per currency, from the file's text alone.
fn file_sums(rows: &[NewRow]) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for r in rows {
        let c = Currency::from_str(r.currency).unwrap();
        *out.entry(r.currency.to_string()).or_default() +=
            Money::parse(&r.amount, c).unwrap().minor();
    }
    out
}

#[tokio::test]
async fn thousands_of_new_disbursements_are_stored_as_the_ledger_would_one_by_one() {
    let db = demo_source().await;
    let before = disbursements(&db).await;
    let rows = new_rows(&db, 9_000).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("disbursements.csv");
    std::fs::write(&file, csv(&rows)).unwrap();

    let p = import(&db, &file, SheetFormat::Csv, false).await;
    assert!(
        p.applied && p.errors == 0 && p.new == 9_000,
        "{:?}",
        p.rows.first()
    );
    // A preview lists the first rows of each kind and counts the rest.
    assert_eq!(p.rows.len() as u64 + p.unlisted, 9_000);

    let after = disbursements(&db).await;
    let old: std::collections::HashSet<i64> = before.iter().map(|d| d.id).collect();
    let added: Vec<&Disbursement> = after.iter().filter(|d| !old.contains(&d.id)).collect();
    assert_eq!(added.len(), 9_000);
    let mut stored: BTreeMap<String, i64> = BTreeMap::new();
    for d in &added {
        *stored.entry(d.currency.code().to_string()).or_default() += d.amount_minor;
    }
    assert_eq!(stored, file_sums(&rows));

    // Each row carries the conversion the ledger's rule gives it, as the one-row path stores.
    let mut tx = db.store().read().await.unwrap();
    let max_age = db.ctx.config.rate_max_age_days;
    for d in &added {
        let money = Money::from_minor(d.amount_minor, d.currency);
        let want = Conversion::from(
            &convert_at(&mut tx, money, d.value_date, max_age)
                .await
                .unwrap(),
        );
        assert_eq!(d.conversion, want, "disbursement {}", d.id);
        assert!(d.value_date >= NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    }
    drop(tx);
    // One audit entry per row, chained: the whole trail verifies and matches the rows.
    let v = verify(db.store(), Scope::Full).await.unwrap();
    assert!(v.intact(), "{:?}", v.problems);

    // The same file again changes nothing.
    let again = import(&db, &file, SheetFormat::Csv, false).await;
    assert_eq!((again.new, again.unchanged, again.errors), (0, 9_000, 0));
    assert_eq!(disbursements(&db).await.len(), after.len());
}

#[tokio::test]
async fn one_bad_row_after_several_batches_changes_nothing_and_is_named() {
    let db = demo_source().await;
    let count = disbursements(&db).await.len();
    // The batch path writes 16,000 rows at a time: the bad row comes after two batches.
    let mut rows = new_rows(&db, 36_000).await;
    rows[35_000].currency = "USD";
    rows[35_000].amount = "1234.567".into();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("disbursements.csv");
    std::fs::write(&file, csv(&rows)).unwrap();

    let p = import(&db, &file, SheetFormat::Csv, false).await;
    assert!(!p.applied);
    assert_eq!((p.errors, p.new), (1, 35_999));
    let bad = p
        .rows
        .iter()
        .find(|o| o.outcome == OutcomeKind::Error)
        .unwrap();
    assert_eq!(
        bad.line, 35_002,
        "header is line 1, row 35,000 (from 0) is line 35,002"
    );
    assert_eq!(bad.key, rows[35_000].reference);
    let problem = &bad.problems[0];
    assert_eq!(problem.column.as_deref(), Some("amount"));
    assert_eq!(problem.code, "amount_too_precise");
    assert!(problem.message.contains("decimal"), "{}", problem.message);
    assert_eq!(disbursements(&db).await.len(), count, "nothing stored");
    let v = verify(db.store(), Scope::Full).await.unwrap();
    assert!(v.intact(), "{:?}", v.problems);
}

#[tokio::test]
async fn a_batched_row_in_a_locked_period_is_refused_with_the_ledgers_message() {
    let db = demo_source().await;
    let q1 = aidledger::domain::period::Period::parse("2026-Q1", false).unwrap();
    let lock = aidledger::actions::periods::lock_period(&db.ctx, &system(), &q1)
        .await
        .unwrap();
    let count = disbursements(&db).await.len();
    let mut rows = new_rows(&db, 50).await;
    for r in &mut rows {
        r.date = "2026-06-15".into();
    }
    rows[30].date = "2026-02-14".into();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("disbursements.csv");
    std::fs::write(&file, csv(&rows)).unwrap();

    let p = import(&db, &file, SheetFormat::Csv, false).await;
    assert_eq!((p.errors, p.applied), (1, false));
    let bad = p
        .rows
        .iter()
        .find(|o| o.outcome == OutcomeKind::Error)
        .unwrap();
    assert_eq!(bad.key, rows[30].reference);
    assert_eq!(bad.problems[0].code, "period_locked");
    assert!(
        bad.problems[0].message.contains(&lock.period),
        "{}",
        bad.problems[0].message
    );
    assert_eq!(disbursements(&db).await.len(), count);
}

#[tokio::test]
async fn a_reversal_names_a_row_the_same_file_wrote_before_it() {
    let db = demo_source().await;
    let mut rows = new_rows(&db, 40).await;
    // The system's import may bring reviewed rows: row 10 verified, then reversed at the end.
    let target = rows[10].reference.clone();
    let (code, n) = target.rsplit_once("/D").unwrap();
    let next = rows
        .iter()
        .filter_map(|r| r.reference.strip_prefix(&format!("{code}/D")))
        .filter_map(|k| k.parse::<usize>().ok())
        .max()
        .unwrap()
        + 1;
    let mut text = String::from("ref,amount,currency,value_date,status,verified_by,reverses\n");
    for (i, r) in rows.iter_mut().enumerate() {
        let (status, by) = if i == 10 {
            ("verified", "reviewer")
        } else {
            ("submitted", "")
        };
        let _ = writeln!(
            text,
            "{},{},{},{},{status},{by},",
            r.reference, r.amount, r.currency, r.date
        );
    }
    let original = &rows[10];
    let _ = writeln!(
        text,
        "{code}/D{next},-{},{},{},verified,reviewer,{target}",
        original.amount, original.currency, original.date
    );
    // A reversal naming a row nobody wrote is named as such.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        text.replace(&format!(",{target}\n"), &format!(",{code}/D9999\n")),
    )
    .unwrap();
    let p = import(&db, &bad, SheetFormat::Csv, false).await;
    assert_eq!((p.errors, p.applied), (1, false));
    let e = p
        .rows
        .iter()
        .find(|o| o.outcome == OutcomeKind::Error)
        .unwrap();
    assert_eq!(e.problems[0].code, "unknown_row", "{:?}", e.problems);

    let file = dir.path().join("disbursements.csv");
    std::fs::write(&file, &text).unwrap();
    let p = import(&db, &file, SheetFormat::Csv, false).await;
    assert!(
        p.applied && p.errors == 0 && p.new == 41,
        "{:?}",
        p.rows.iter().find(|o| o.outcome == OutcomeKind::Error)
    );
    let all = disbursements(&db).await;
    let of_item: Vec<&Disbursement> = {
        // The newest reversal is the file's.
        let ours = all
            .iter()
            .filter(|d| d.reverses_id.is_some())
            .max_by_key(|d| d.id)
            .unwrap();
        all.iter().filter(|d| d.item_id == ours.item_id).collect()
    };
    let nth = |k: usize| of_item[k - 1];
    let reversal = nth(next);
    let reversed = nth(n.parse().unwrap());
    assert_eq!(reversal.reverses_id, Some(reversed.id));
    assert_eq!(reversal.amount_minor, -reversed.amount_minor);
    let v = verify(db.store(), Scope::Full).await.unwrap();
    assert!(v.intact(), "{:?}", v.problems);
}

#[tokio::test]
async fn a_disbursement_naming_another_items_milestone_is_refused_as_the_ledger_refuses_it() {
    let db = demo_source().await;
    let rows = new_rows(&db, 1).await;
    let own = rows[0].reference.rsplit_once("/D").unwrap().0.to_string();
    // A milestone of an item the file names nowhere else: the import reads that item's rows
    // only because this cell names it.
    let tables = export_tables(&db.ctx, &system(), Selection::default())
        .await
        .unwrap();
    let other = tables
        .iter()
        .find(|t| t.record == RecordType::Milestones)
        .and_then(|t| {
            t.rows
                .iter()
                .map(|r| r[0].clone())
                .find(|r| !r.starts_with(&format!("{own}/")))
        })
        .unwrap();
    let r = &rows[0];
    let text = format!(
        "ref,amount,currency,value_date,status,milestone\n{},{},{},{},submitted,{other}\n",
        r.reference, r.amount, r.currency, r.date
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("disbursements.csv");
    std::fs::write(&file, text).unwrap();
    let p = import(&db, &file, SheetFormat::Csv, false).await;
    assert_eq!((p.errors, p.applied), (1, false));
    let problem = &p.rows[0].problems[0];
    assert_eq!(problem.code, "unknown_milestone", "{problem:?}");
    assert_eq!(problem.column.as_deref(), Some("milestone"));
}
