//! Properties of rollups over random ledgers, on the backend this run selects: every breakdown
//! sums exactly to its total, and totals do not depend on the order rows were inserted.

use crate::common::{TestDb, date, fresh_db, seed_basics, system};
use aidledger::actions::ledger::{record_commitment, record_disbursement};
use aidledger::actions::rates::{RateCmd, enter_rate};
use aidledger::actions::review::{reject_disbursement, verify_disbursement};
use aidledger::db::items::NewAidItem;
use aidledger::db::ledger::{NewCommitment, NewDisbursement};
use aidledger::domain::Currency;
use aidledger::domain::item::{AidForm, CommitmentKind, DisbursementStatus, ItemStatus, Modality};
use aidledger::domain::period::Period;
use aidledger::rollup::breakdown::breakdown;
use aidledger::rollup::{Breakdown, Dimension, Flow, LookupData, Window, item_sums};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct World {
    items: Vec<(Vec<u32>, Vec<u32>)>,
    rates: Vec<(usize, i64, u32)>,
    txs: Vec<(usize, usize, i64, i64, bool)>,
    period: String,
}

const CURRENCIES: [&str; 4] = ["USD", "EUR", "VND", "JPY"];
const SECTORS: [&str; 2] = ["HEALTH.PHC", "EDU.PRIMARY"];
const PLACES: [&str; 3] = ["C1", "C2", "N2"];

fn shares(n: usize) -> impl Strategy<Value = Vec<u32>> {
    proptest::collection::vec(1_u32..100, n).prop_map(|w| {
        let total: u32 = w.iter().sum();
        let mut bp: Vec<u32> = w.iter().map(|x| x * 10_000 / total).collect();
        let short = 10_000 - bp.iter().sum::<u32>();
        bp[0] += short;
        bp
    })
}

fn world() -> impl Strategy<Value = World> {
    let item = (shares(SECTORS.len()), shares(PLACES.len()));
    (
        proptest::collection::vec(item, 1..4),
        proptest::collection::vec((0..CURRENCIES.len(), 0_i64..700, 1_u32..40_000), 1..12),
        proptest::collection::vec(
            (
                0_usize..3,
                0..CURRENCIES.len(),
                1_i64..5_000_000_000,
                0_i64..700,
                any::<bool>(),
            ),
            1..25,
        ),
        proptest::sample::select(vec![
            "2024",
            "2025-H1",
            "2025-H2",
            "2025-Q3",
            "2024-M11",
            "2024-06-01..2025-09-30",
        ]),
    )
        .prop_map(|(items, rates, txs, period)| World {
            items,
            rates,
            txs,
            period: period.to_string(),
        })
}

async fn build(w: &World, reverse: bool) -> TestDb {
    let db = fresh_db().await;
    let orgs = seed_basics(&db).await;
    let mut ids = Vec::new();
    for (n, (sec, loc)) in w.items.iter().enumerate() {
        let cmd = NewAidItem {
            code: format!("P-{n}"),
            title_vi: format!("Khoản {n}"),
            title_en: format!("Item {n}"),
            modality: Modality::NonProject,
            form: AidForm::Cash,
            donor_id: orgs.0,
            funding_source_id: None,
            aid_owner_id: orgs.1,
            managing_agency_id: orgs.2,
            approval_number: Some("1/QĐ".into()),
            approval_date: Some(date("2024-01-01")),
            approval_authority: Some("UBND".into()),
            legal_basis: "80/2020/NĐ-CP".into(),
            planned_start: date("2024-01-01"),
            planned_end: date("2026-12-31"),
            actual_start: None,
            actual_end: None,
            status: ItemStatus::Approved,
            beneficiaries: None,
            sectors: SECTORS
                .iter()
                .zip(sec)
                .map(|(s, b)| ((*s).to_string(), *b))
                .collect(),
            localities: PLACES
                .iter()
                .zip(loc)
                .map(|(s, b)| ((*s).to_string(), *b))
                .collect(),
        };
        ids.push(
            aidledger::actions::items::create_item(&db.ctx, &system(), cmd)
                .await
                .unwrap(),
        );
    }
    let mut tx = db.store().write().await.unwrap();
    let reviewer = aidledger::db::users::insert_user(
        &mut tx,
        "reviewer",
        "Reviewer",
        aidledger::domain::item::Role::Reviewer,
        None,
        "not-a-hash",
        aidledger::db::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let base = date("2024-01-01");
    // Two rates for one currency and day: the later is a correction, so order would matter.
    let mut rates: Vec<(usize, i64, u32)> = Vec::new();
    for r in &w.rates {
        if !rates.iter().any(|x| x.0 == r.0 && x.1 == r.1) {
            rates.push(*r);
        }
    }
    let mut txs = w.txs.clone();
    if reverse {
        rates.reverse();
        txs.reverse();
    }
    // Rates first in one order, transactions first in the other: re-conversion must make them agree.
    let enter_rates = |db: &TestDb, rates: Vec<(usize, i64, u32)>| {
        let ctx = db.ctx.clone();
        async move {
            for (c, day, v) in rates {
                let cur: Currency = CURRENCIES[c].parse().unwrap();
                let (to_vnd, to_usd) = match CURRENCIES[c] {
                    "VND" => ("1".to_string(), format!("0.0000{v}")),
                    "USD" => (format!("{}", 20_000 + v % 7_000), "1".to_string()),
                    _ => (format!("{}.{}", v, v % 97), format!("1.{v}")),
                };
                let cmd = RateCmd {
                    currency: cur,
                    date: base + chrono::Duration::days(day),
                    to_vnd: to_vnd.parse().unwrap(),
                    to_usd: to_usd.parse().unwrap(),
                    source: "test".into(),
                };
                let _ = enter_rate(&ctx, &system(), cmd).await; // a repeated identical rate is refused; fine
            }
        }
    };
    if !reverse {
        enter_rates(&db, rates.clone()).await;
    }
    let mut reviews: Vec<(i64, i64)> = Vec::new();
    for (item, c, amount, day, is_commitment) in txs {
        let cur: Currency = CURRENCIES[c].parse().unwrap();
        let d = base + chrono::Duration::days(day);
        if is_commitment {
            let cmd = NewCommitment {
                item_id: ids[item % ids.len()],
                kind: CommitmentKind::Original,
                amount_minor: amount,
                currency: cur,
                date: d,
                reference: None,
                entered_by: None,
            };
            record_commitment(&db.ctx, &system(), cmd).await.unwrap();
        } else {
            // A quarter are entered verified; the rest are submitted, and of those a third
            // are verified and a third rejected once every rate is in (as a reviewer would),
            // so the kept totals see rows change status as well as conversion.
            let review = amount % 4;
            let verified = review == 3;
            let cmd = NewDisbursement {
                item_id: ids[item % ids.len()],
                amount_minor: amount,
                currency: cur,
                value_date: d,
                tranche: None,
                milestone_id: None,
                reverses_id: None,
                status: if verified {
                    DisbursementStatus::Verified
                } else {
                    DisbursementStatus::Submitted
                },
                entered_by: None,
                verified_by: verified.then_some(reviewer),
                verified_at: verified.then(aidledger::db::now),
            };
            let id = record_disbursement(&db.ctx, &system(), cmd).await.unwrap();
            reviews.push((id, review));
        }
    }
    if reverse {
        enter_rates(&db, rates).await;
        reviews.reverse();
    }
    for (id, review) in reviews {
        match review {
            // Refused when the row has no rate yet; it then stays submitted, in both orders.
            1 => {
                let _ = verify_disbursement(&db.ctx, &system(), id).await;
            }
            2 => {
                reject_disbursement(&db.ctx, &system(), id, "not in the agreement")
                    .await
                    .unwrap();
            }
            _ => {}
        }
    }
    db
}

async fn breakdowns(db: &TestDb, period: &Period) -> Vec<Breakdown> {
    let mut tx = db.store().read().await.unwrap();
    let look = LookupData::load(&mut tx).await.unwrap();
    let mut out = Vec::new();
    for flow in [Flow::Committed, Flow::Disbursed] {
        let sums = item_sums(
            &mut tx,
            flow,
            Window {
                from: period.from,
                to: period.to,
            },
        )
        .await
        .unwrap();
        for dim in [
            Dimension::Sector,
            Dimension::SectorGroup,
            Dimension::Locality,
            Dimension::Country,
            Dimension::Donor,
        ] {
            out.push(breakdown(&sums, dim, &look.lookup()).unwrap());
        }
    }
    out
}

/// Sums "to date" come from `item_money`, kept by triggers as rows are entered, converted
/// later (a rate entered after the row) and verified; they must be what summing the rows gives.
/// A window from 2 January 1900 is summed from the rows, and no row is dated 1 January 1900.
async fn to_date_sums_match_the_rows(db: &TestDb, period: &Period) {
    let mut tx = db.store().read().await.unwrap();
    for to in [
        period.to,
        period.from,
        date("2025-06-30"),
        date("9999-12-31"),
    ] {
        for flow in [Flow::Committed, Flow::Disbursed] {
            let kept = item_sums(
                &mut tx,
                flow,
                Window {
                    from: date("1900-01-01"),
                    to,
                },
            )
            .await
            .unwrap();
            let rows = item_sums(
                &mut tx,
                flow,
                Window {
                    from: date("1900-01-02"),
                    to,
                },
            )
            .await
            .unwrap();
            assert_eq!(
                kept, rows,
                "{flow:?} to {to}: item_money differs from the rows"
            );
        }
    }
    // Totals the database adds up equal the per-item sums added up, from the first day or not,
    // over whole months (read from month_money) and over windows that begin or end inside a
    // month (whose partial months are summed from the rows).
    let day = chrono::Days::new;
    let windows = [
        Window {
            from: date("1900-01-01"),
            to: period.to,
        },
        Window {
            from: period.from,
            to: period.to,
        },
        Window {
            from: period.from + day(1),
            to: period.to - day(1),
        },
        Window {
            from: period.from + day(20),
            to: period.from + day(45),
        },
        Window {
            from: period.from + day(3),
            to: period.from + day(9),
        },
        Window {
            from: date("1900-01-01"),
            to: period.to - day(12),
        },
        Window::ever(),
    ];
    for w in windows {
        for flow in [Flow::Committed, Flow::Disbursed, Flow::Unverified] {
            let sums = item_sums(&mut tx, flow, w).await.unwrap();
            let added = sums
                .iter()
                .fold((0_i128, 0_i128), |a, s| (a.0 + s.vnd, a.1 + s.usd_cents));
            let total = aidledger::rollup::sums::total_sums(&mut tx, flow, w)
                .await
                .unwrap();
            assert_eq!(
                total, added,
                "{flow:?} in {w:?}: the database's total differs"
            );
        }
    }
}

/// The dashboard's headline figures are the report's, integer for integer, and the to-date
/// sums of a few items are those items' rows of the sums of all items.
async fn headline_and_item_sums_match_the_report(db: &TestDb, period: &Period) {
    use aidledger::rollup::figures::{figures, headline};
    let mut tx = db.store().read().await.unwrap();
    let look = LookupData::load(&mut tx).await.unwrap();
    let full = figures(&mut tx, &look, period).await.unwrap();
    let head = headline(&mut tx, &look, period).await.unwrap();
    let pick = |f: &aidledger::rollup::figures::Figures| {
        (
            [
                f.committed,
                f.disbursed,
                f.unverified,
                f.cumulative_committed,
                f.cumulative_disbursed,
                f.previous_committed,
                f.previous_disbursed,
                f.year_earlier_committed,
                f.year_earlier_disbursed,
                f.year_earlier_cumulative_committed,
                f.year_earlier_cumulative_disbursed,
            ],
            f.quarterly_disbursed.clone(),
            ["sector_group", "country"].map(|k| f.disbursed_by.get(k).cloned()),
            f.stage.clone(),
        )
    };
    assert_eq!(
        pick(&head),
        pick(&full),
        "{}: headline differs from the report",
        period.code()
    );
    // The year-earlier cumulative figures, worked out from this period's, are the rows' own sums
    // to the end of the period a year earlier (a window from 2 January 1900 is summed from rows).
    let ago = period.year_earlier();
    for (flow, got) in [
        (Flow::Committed, full.year_earlier_cumulative_committed),
        (Flow::Disbursed, full.year_earlier_cumulative_disbursed),
    ] {
        let rows = item_sums(
            &mut tx,
            flow,
            Window {
                from: date("1900-01-02"),
                to: ago.to,
            },
        )
        .await
        .unwrap();
        let sum = rows
            .iter()
            .fold((0_i128, 0_i128), |a, s| (a.0 + s.vnd, a.1 + s.usd_cents));
        assert_eq!(
            (got.vnd, got.usd_cents),
            sum,
            "{flow:?}: year-earlier cumulative of {}",
            period.code()
        );
    }
    for flow in [Flow::Committed, Flow::Disbursed] {
        let all = item_sums(
            &mut tx,
            flow,
            Window {
                from: date("1900-01-01"),
                to: period.to,
            },
        )
        .await
        .unwrap();
        let some: Vec<i64> = all.iter().map(|s| s.item_id).step_by(2).collect();
        let picked: Vec<_> = all
            .iter()
            .filter(|s| some.contains(&s.item_id))
            .cloned()
            .collect();
        let of_items = aidledger::rollup::sums::to_date_of_items(&mut tx, flow, &some, period.to)
            .await
            .unwrap();
        assert_eq!(
            of_items, picked,
            "{flow:?}: the items' own to-date sums differ"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, max_shrink_iters: 20, ..ProptestConfig::default() })]

    #[test]
    fn breakdowns_sum_to_totals_and_ignore_insertion_order(w in world()) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let period = Period::parse(&w.period, false).unwrap();
            let a = build(&w, false).await;
            let b = build(&w, true).await;
            let x = breakdowns(&a, &period).await;
            let y = breakdowns(&b, &period).await;
            for bd in &x {
                let vnd: i128 = bd.rows.iter().map(|r| r.vnd).sum();
                let usd: i128 = bd.rows.iter().map(|r| r.usd_cents).sum();
                assert_eq!((vnd, usd), (bd.total_vnd, bd.total_usd_cents), "rows sum to the total");
            }
            assert_eq!(x, y, "insertion order changed a total");
            to_date_sums_match_the_rows(&a, &period).await;
            to_date_sums_match_the_rows(&b, &period).await;
            headline_and_item_sums_match_the_report(&a, &period).await;
        });
    }
}
