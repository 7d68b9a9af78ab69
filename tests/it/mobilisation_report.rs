//! The demo province's 2025 report states how far the 2021–2025 stage came, and its last
//! appendix lists every proposal of the stage: both checked against the stored rows (the
//! committed value of commitments dated in the stage, divided by the programme's target; the
//! proposals in id order with their status; an approved proposal's item and its cumulative
//! committed value), in both languages, on the suite's engine.

use crate::common::{date, fresh_db, scalar_i64, text_int_rows};
use aidledger::domain::Currency;
use aidledger::domain::Lang;
use aidledger::domain::mobilisation::ProposalStatus;
use aidledger::domain::money::format_sum;
use aidledger::domain::period::Period;
use aidledger::reports::Block;
use aidledger::reports::document::{IssueInfo, build};
use aidledger::rollup::LookupData;
use aidledger::rollup::figures::figures;
use rust_decimal::{Decimal, RoundingStrategy};

/// `num / den` in hundredths of a percent, rounded half away from zero, then written as
/// the report writes a share.
fn pct(num: i128, den: i128, lang: Lang) -> String {
    let v = (Decimal::from_i128_with_scale(num, 0) * Decimal::from(10_000)
        / Decimal::from_i128_with_scale(den, 0))
    .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    aidledger::rollup::measures::percent_of_bp(v.mantissa(), lang)
}

#[tokio::test]
async fn the_demo_2025_report_states_the_stage_progress_and_lists_every_proposal() {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let period = Period::parse("2025", false).unwrap();
    let to = period.to.format("%Y-%m-%d").to_string();

    // The stored rows: the programme whose stage holds the period's end, its target, the
    // commitments dated in the stage and the items approved in it.
    let pid = scalar_i64(
        &db,
        &format!("SELECT id FROM programme WHERE starts_on <= '{to}' AND ends_on >= '{to}'"),
    )
    .await;
    let target = i128::from(
        scalar_i64(
            &db,
            &format!("SELECT target_minor FROM programme WHERE id = {pid}"),
        )
        .await,
    );
    let target_items = i128::from(
        scalar_i64(
            &db,
            &format!("SELECT target_items FROM programme WHERE id = {pid}"),
        )
        .await,
    );
    let (start, end) = ("2021-01-01", to.as_str());
    let committed_usd = i128::from(scalar_i64(
        &db,
        &format!("SELECT CAST(COALESCE(SUM(amount_usd_cents), 0) AS BIGINT) FROM commitment WHERE rate_id IS NOT NULL AND commitment_date >= '{start}' AND commitment_date <= '{end}'"),
    )
    .await);
    let approved = i128::from(scalar_i64(
        &db,
        &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM aid_item WHERE approval_date >= '{start}' AND approval_date <= '{end}'"),
    )
    .await);
    assert!(committed_usd > 0 && approved > 0);
    let proposals = text_int_rows(
        &db,
        &format!("SELECT status, COALESCE(item_id, 0) FROM proposal WHERE programme_id = {pid} ORDER BY id"),
    )
    .await;
    assert_eq!(proposals.len(), 15, "the demo's 2021-2025 list");
    for s in ProposalStatus::ALL {
        assert!(
            proposals.iter().any(|(st, _)| st == s.code()),
            "the demo has a proposal in every status: {s:?}"
        );
    }

    for lang in [Lang::Vi, Lang::En] {
        let mut tx = db.ctx.store.read().await.unwrap();
        let look = LookupData::load(&mut tx).await.unwrap();
        let fig = figures(&mut tx, &look, &period).await.unwrap();
        drop(tx);
        let info = IssueInfo {
            lang,
            issued_on: date("2026-01-10"),
            number: String::new(),
            free_text: [None, None, None],
            signer: None,
            recipients: Vec::new(),
            draft: true,
            audit_anchor: None,
        };
        let doc = build(&db.ctx.config, &look, &period, &fig, &info).unwrap();
        let text: String = doc
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.clone()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let (share, items_share) = (
            pct(committed_usd, target, lang),
            pct(approved, target_items, lang),
        );
        let wanted = match lang {
            Lang::Vi => [
                format!("đạt {share} mục tiêu giai đoạn (25 triệu USD)"),
                format!(
                    "{approved} khoản viện trợ được phê duyệt, đạt {items_share} mục tiêu {target_items} khoản"
                ),
                "Lũy kế từ đầu giai đoạn".to_lowercase(),
            ],
            Lang::En => [
                format!("{share} of the stage's target (USD 25 million)"),
                format!(
                    "{approved} aid items approved, {items_share} of the target of {target_items} items"
                ),
                "cumulative from the start of the stage".to_string(),
            ],
        };
        for w in &wanted {
            assert!(
                text.contains(w.as_str()),
                "{lang:?}: the report says \"{w}\":\n{text}"
            );
        }

        // The last appendix lists the stage's proposals, in order, with their status, and
        // an approved one's item with its committed value to the cut-off.
        let last = doc.appendices.last().unwrap();
        assert_eq!(
            last.rows.len(),
            proposals.len(),
            "{lang:?}: every proposal listed"
        );
        let mut total = 0_i128;
        for (row, (status, item)) in last.rows.iter().zip(&proposals) {
            let status: ProposalStatus = status.parse().unwrap();
            assert_eq!(row[6], status.label(lang), "{lang:?}: status of {}", row[1]);
            if *item == 0 {
                assert!(row[7].is_empty() && row[8].is_empty());
                continue;
            }
            assert_eq!(status, ProposalStatus::Approved);
            let code = scalar_text(&db, *item).await;
            assert_eq!(row[7], code);
            let usd = i128::from(scalar_i64(
                &db,
                &format!("SELECT CAST(COALESCE(SUM(amount_usd_cents), 0) AS BIGINT) FROM commitment WHERE rate_id IS NOT NULL AND item_id = {item} AND commitment_date <= '{end}'"),
            )
            .await);
            assert_eq!(
                row[8],
                format_sum(usd, Currency::USD, lang),
                "{lang:?}: {code}"
            );
            total += usd;
        }
        let t = last.total_row.clone().unwrap();
        assert_eq!(
            t[8],
            format_sum(total, Currency::USD, lang),
            "{lang:?}: appendix total"
        );
    }
}

async fn scalar_text(db: &crate::common::TestDb, item: i64) -> String {
    let rows = text_int_rows(
        db,
        &format!("SELECT code, id FROM aid_item WHERE id = {item}"),
    )
    .await;
    rows[0].0.clone()
}
