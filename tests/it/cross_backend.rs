//! The same demo data on SQLite and PostgreSQL gives identical results: totals per currency,
//! and per sector and per locality in VND and USD. Runs only with `AIDLEDGER_TEST_PG_URL`.

use crate::common::{TestDb, fresh_pg, fresh_sqlite, pg_url};
use aidledger::db::ledger::{MoneyTable, totals_by_currency};
use aidledger::rollup::breakdown::breakdown;
use aidledger::rollup::{Breakdown, Dimension, Flow, LookupData, Window, item_sums};

#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    commitments: Vec<aidledger::db::ledger::CurrencyTotal>,
    disbursements: Vec<aidledger::db::ledger::CurrencyTotal>,
    breakdowns: Vec<(String, Breakdown)>,
}

async fn snapshot(db: &TestDb) -> Snapshot {
    let mut tx = db.store().read().await.unwrap();
    let look = LookupData::load(&mut tx).await.unwrap();
    let mut breakdowns = Vec::new();
    for (label, from, to) in [
        ("all", "2019-01-01", "2026-12-31"),
        ("2025-H1", "2025-01-01", "2025-06-30"),
        ("2025-H2", "2025-07-01", "2025-12-31"),
    ] {
        let window = Window {
            from: crate::common::date(from),
            to: crate::common::date(to),
        };
        for flow in [Flow::Committed, Flow::Disbursed] {
            let sums = item_sums(&mut tx, flow, window).await.unwrap();
            for dim in [Dimension::Sector, Dimension::Locality, Dimension::Country] {
                let b = breakdown(&sums, dim, &look.lookup()).unwrap();
                breakdowns.push((format!("{label} {flow:?} {dim:?}"), b));
            }
        }
    }
    Snapshot {
        commitments: totals_by_currency(&mut tx, MoneyTable::Commitment)
            .await
            .unwrap(),
        disbursements: totals_by_currency(&mut tx, MoneyTable::Disbursement)
            .await
            .unwrap(),
        breakdowns,
    }
}

#[tokio::test]
#[cfg_attr(
    not(aidledger_pg),
    ignore = "needs PostgreSQL: set AIDLEDGER_TEST_PG_URL (see the README)"
)]
async fn demo_data_gives_identical_totals_on_sqlite_and_postgresql() {
    let url = pg_url().expect("AIDLEDGER_TEST_PG_URL was set when the tests were built");
    let lite = fresh_sqlite().await;
    let pg = fresh_pg(&url).await;
    aidledger::demo::load(&lite.ctx).await.unwrap();
    aidledger::demo::load(&pg.ctx).await.unwrap();
    let a = snapshot(&lite).await;
    let b = snapshot(&pg).await;
    assert!(
        a.commitments.len() >= 6,
        "demo data should use at least six currencies: {:?}",
        a.commitments
    );
    assert_eq!(a.commitments, b.commitments);
    assert_eq!(a.disbursements, b.disbursements);
    for ((label, x), (_, y)) in a.breakdowns.iter().zip(&b.breakdowns) {
        assert_eq!(x, y, "{label} differs between SQLite and PostgreSQL");
        let (vnd, usd) = x
            .rows
            .iter()
            .fold((0_i128, 0_i128), |(v, u), r| (v + r.vnd, u + r.usd_cents));
        assert_eq!(
            (vnd, usd),
            (x.total_vnd, x.total_usd_cents),
            "{label}: rows do not sum to the total"
        );
    }
}

#[tokio::test]
async fn demo_breakdowns_sum_to_their_totals_on_this_backend() {
    let db = crate::common::fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let snap = snapshot(&db).await;
    let nonzero = snap
        .breakdowns
        .iter()
        .filter(|(_, b)| b.total_vnd != 0)
        .count();
    assert!(
        nonzero >= 12,
        "the demo data should produce non-empty breakdowns"
    );
    for (label, b) in &snap.breakdowns {
        let (vnd, usd) = b
            .rows
            .iter()
            .fold((0_i128, 0_i128), |(v, u), r| (v + r.vnd, u + r.usd_cents));
        assert_eq!((vnd, usd), (b.total_vnd, b.total_usd_cents), "{label}");
    }
}
