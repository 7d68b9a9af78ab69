//! The audit list's filters, each alone and in every combination, against the trail read
//! straight from the table: the statement names only the filters given (so the entity index
//! serves an item page), and the values must still meet the right placeholders.

use crate::common::{fresh_db, scalar_i64, seed_basics, seed_item, system, text_int_rows};
use crate::periods::disb;
use aidledger::actions::ledger::record_disbursement_row;
use aidledger::actions::queries::{AuditFilter, list_audit};
use aidledger::db::audit::AuditEntry;

#[tokio::test]
async fn every_combination_of_audit_filters_returns_exactly_the_matching_entries() {
    let db = fresh_db().await;
    let orgs = seed_basics(&db).await;
    let a = seed_item(&db, "AF-1", orgs).await;
    let b = seed_item(&db, "AF-2", orgs).await;
    for (i, item) in [a, b, a, b, a, a].into_iter().enumerate() {
        let minor = 1_000 * (i as i64 + 1);
        record_disbursement_row(&db.ctx, &system(), disb(item, minor, "2025-03-14"))
            .await
            .unwrap();
    }
    let total = scalar_i64(&db, "SELECT COUNT(*) FROM audit_entry").await;
    let all = list_audit(
        &db.ctx,
        &system(),
        &AuditFilter {
            limit: 1000,
            ..AuditFilter::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        all.len() as i64,
        total,
        "the unfiltered list holds the whole trail"
    );
    // The unfiltered list is the table, newest first.
    let mut raw = text_int_rows(
        &db,
        "SELECT entity || ':' || entity_id, id FROM audit_entry",
    )
    .await;
    raw.sort_by_key(|(_, id)| std::cmp::Reverse(*id));
    let listed: Vec<(String, i64)> = all
        .iter()
        .map(|e| (format!("{}:{}", e.entity, e.entity_id), e.id))
        .collect();
    assert_eq!(listed, raw);

    let disbursements: Vec<&AuditEntry> =
        all.iter().filter(|e| e.entity == "disbursement").collect();
    assert!(disbursements.len() >= 6, "{disbursements:?}");
    let entity_id = disbursements[2].entity_id.clone();
    let mut times: Vec<_> = all.iter().map(|e| e.at).collect();
    times.sort();
    let (from, to) = (times[times.len() / 3], times[2 * times.len() / 3]);
    let mut checked_nonempty = 0;
    for mask in 0..16u8 {
        let f = AuditFilter {
            entity: (mask & 1 != 0).then(|| "disbursement".to_string()),
            entity_id: (mask & 2 != 0).then(|| entity_id.clone()),
            from: (mask & 4 != 0).then_some(from),
            to: (mask & 8 != 0).then_some(to),
            limit: 1000,
        };
        let expected: Vec<i64> = all
            .iter()
            .filter(|e| f.entity.as_ref().is_none_or(|x| *x == e.entity))
            .filter(|e| f.entity_id.as_ref().is_none_or(|x| *x == e.entity_id))
            .filter(|e| f.from.is_none_or(|t| e.at >= t))
            .filter(|e| f.to.is_none_or(|t| e.at <= t))
            .map(|e| e.id)
            .collect();
        let got: Vec<i64> = list_audit(&db.ctx, &system(), &f)
            .await
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(got, expected, "filters {mask:04b}");
        if !expected.is_empty() {
            checked_nonempty += 1;
        }
        // The limit applies after the filters, to the newest.
        let two = list_audit(&db.ctx, &system(), &AuditFilter { limit: 2, ..f })
            .await
            .unwrap();
        let two: Vec<i64> = two.iter().map(|e| e.id).collect();
        assert_eq!(
            two,
            expected.iter().take(2).copied().collect::<Vec<_>>(),
            "limit 2, filters {mask:04b}"
        );
    }
    assert!(
        checked_nonempty >= 8,
        "most combinations match something: {checked_nonempty}"
    );
}
