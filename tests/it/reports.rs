//! The report and its rollups against the raw rows: every table total is recomputed here from
//! the stored rows with SQL and arithmetic written in this file, not through the rollup code.

use crate::common::{TestDb, date, fresh_db};
use aidledger::actions::Actor;
use aidledger::actions::reports::{IssueCmd, draft_report, issue_report};
use aidledger::domain::item::Role;
use aidledger::domain::period::Period;
use aidledger::domain::{Currency, Lang, Money};
use aidledger::rollup::LookupData;
use aidledger::rollup::figures::figures;
use std::collections::BTreeMap;

#[derive(sqlx::FromRow, Debug)]
struct RawRow {
    item_id: i64,
    d: chrono::NaiveDate,
    vnd: Option<i64>,
    usd: Option<i64>,
}

/// Converted commitments (kind = "c") or verified disbursements ("d") dated in the period,
/// read straight from the tables.
async fn raw(db: &TestDb, kind: &str, p: &Period) -> Vec<RawRow> {
    let sql = if kind == "c" {
        "SELECT item_id, commitment_date AS d, amount_vnd AS vnd, amount_usd_cents AS usd FROM commitment WHERE rate_id IS NOT NULL"
    } else {
        "SELECT item_id, value_date AS d, amount_vnd AS vnd, amount_usd_cents AS usd FROM disbursement WHERE rate_id IS NOT NULL AND status = 'verified'"
    };
    let rows: Vec<RawRow> = match db.store() {
        aidledger::db::Store::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
        aidledger::db::Store::Pg(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
    };
    rows.into_iter()
        .filter(|r| r.d >= p.from && r.d <= p.to)
        .collect()
}

fn of_items<'a>(rows: &'a [RawRow], ids: &[i64]) -> Vec<&'a RawRow> {
    rows.iter().filter(|r| ids.contains(&r.item_id)).collect()
}

/// Largest-remainder split, written independently of the library.
fn split(amount: i64, shares: &[(String, i64)]) -> Vec<(String, i64)> {
    let total: i128 = shares.iter().map(|s| i128::from(s.1)).sum();
    let a = i128::from(amount.abs());
    let mut parts: Vec<(usize, i128, i128)> = shares
        .iter()
        .enumerate()
        .map(|(i, s)| (i, a * i128::from(s.1) / total, a * i128::from(s.1) % total))
        .collect();
    let mut left = a - parts.iter().map(|p| p.1).sum::<i128>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|x, y| parts[*y].2.cmp(&parts[*x].2).then(x.cmp(y)));
    for i in order {
        if left == 0 {
            break;
        }
        parts[i].1 += 1;
        left -= 1;
    }
    parts
        .iter()
        .map(|(i, v, _)| {
            (
                shares[*i].0.clone(),
                i64::try_from(if amount < 0 { -v } else { *v }).unwrap(),
            )
        })
        .collect()
}

async fn sector_groups(db: &TestDb) -> BTreeMap<i64, Vec<(String, i64)>> {
    let sql = "SELECT a.item_id, s.parent_code, a.share_bp FROM aid_item_sector a JOIN sector s ON s.code = a.sector_code ORDER BY a.item_id, a.sector_code";
    let rows: Vec<(i64, Option<String>, i64)> = match db.store() {
        aidledger::db::Store::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
        aidledger::db::Store::Pg(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
    };
    let mut m: BTreeMap<i64, Vec<(String, i64)>> = BTreeMap::new();
    for (item, parent, bp) in rows {
        m.entry(item)
            .or_default()
            .push((parent.unwrap_or_default(), bp));
    }
    m
}

fn reviewer() -> Actor {
    Actor::system("test-reviewer")
}

#[tokio::test]
async fn report_tables_match_an_independent_computation_over_the_raw_rows() {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let period = Period::parse("2025-H1", false).unwrap();
    let mut tx = db.store().read().await.unwrap();
    let look = LookupData::load(&mut tx).await.unwrap();
    let fig = figures(&mut tx, &look, &period).await.unwrap();
    drop(tx);

    for (kind, total, by) in [
        ("c", fig.committed, &fig.committed_by),
        ("d", fig.disbursed, &fig.disbursed_by),
    ] {
        let rows = raw(&db, kind, &period).await;
        assert!(!rows.is_empty(), "the demo has {kind} rows in 2025-H1");
        let vnd: i64 = rows.iter().map(|r| r.vnd.unwrap()).sum();
        let usd: i64 = rows.iter().map(|r| r.usd.unwrap()).sum();
        assert_eq!(
            (total.vnd, total.usd_cents),
            (i128::from(vnd), i128::from(usd)),
            "{kind} totals"
        );

        // By donor country: plain grouping of each row by its item's donor's nationality.
        let mut by_country: BTreeMap<String, i64> = BTreeMap::new();
        for r in &rows {
            let item = look.items.iter().find(|i| i.id == r.item_id).unwrap();
            let nat = look
                .organisations
                .iter()
                .find(|o| o.id == item.donor_id)
                .unwrap()
                .nationality
                .clone();
            *by_country.entry(nat).or_default() += r.vnd.unwrap();
        }
        let got: BTreeMap<String, i64> = by["country"]
            .rows
            .iter()
            .map(|r| (r.key.clone(), i64::try_from(r.vnd).unwrap()))
            .collect();
        assert_eq!(got, by_country, "{kind} by country");

        // By sector group: per item sums split by largest remainder over the item's shares.
        let shares = sector_groups(&db).await;
        let mut per_item: BTreeMap<i64, i64> = BTreeMap::new();
        for r in &rows {
            *per_item.entry(r.item_id).or_default() += r.vnd.unwrap();
        }
        let mut by_sector: BTreeMap<String, i64> = BTreeMap::new();
        for (item, sum) in per_item {
            for (group, part) in split(sum, &shares[&item]) {
                *by_sector.entry(group).or_default() += part;
            }
        }
        let got: BTreeMap<String, i64> = by["sector_group"]
            .rows
            .iter()
            .map(|r| (r.key.clone(), i64::try_from(r.vnd).unwrap()))
            .collect();
        assert_eq!(got, by_sector, "{kind} by sector group");
        assert_eq!(by_sector.values().sum::<i64>(), vnd);
    }

    // The document's appendix 3 (by sector) shows the same totals, formatted for the page.
    let info = aidledger::reports::document::IssueInfo {
        lang: Lang::Vi,
        issued_on: date("2025-07-05"),
        number: "1/BC".into(),
        free_text: [None, None, None],
        signer: None,
        recipients: Vec::new(),
        draft: false,
        audit_anchor: None,
    };
    let mut tx = db.store().read().await.unwrap();
    let look = LookupData::load(&mut tx).await.unwrap();
    let doc =
        aidledger::reports::document::build(&db.ctx.config, &look, &period, &fig, &info).unwrap();
    let by_sector = &doc.appendices[2];
    let total = by_sector.total_row.as_ref().unwrap();
    assert_eq!(
        total[3],
        Money::from_minor(
            i64::try_from(fig.committed.usd_cents).unwrap(),
            Currency::USD
        )
        .format(Lang::Vi)
    );
    assert_eq!(
        total[4],
        Money::from_minor(i64::try_from(fig.committed.vnd).unwrap(), Currency::VND)
            .format(Lang::Vi)
    );
    let sum_rows: i64 = by_sector
        .rows
        .iter()
        .map(|r| {
            Money::parse_localized(&r[4], Currency::VND, Lang::Vi)
                .unwrap()
                .minor()
        })
        .sum();
    assert_eq!(
        i128::from(sum_rows),
        fig.committed.vnd,
        "appendix 3 rows add up to its total row"
    );

    // Every other appendix total, against the raw rows read in this test.
    let usd = |c: i64| Money::from_minor(c, Currency::USD).format(Lang::Vi);
    let vnd = |v: i64| Money::from_minor(v, Currency::VND).format(Lang::Vi);
    let committed_rows = raw(&db, "c", &period).await;
    let disbursed_rows = raw(&db, "d", &period).await;
    let raw_usd = |rows: &[&RawRow]| rows.iter().map(|r| r.usd.unwrap()).sum::<i64>();
    let raw_vnd = |rows: &[&RawRow]| rows.iter().map(|r| r.vnd.unwrap()).sum::<i64>();
    let everything = Period::parse("2016-01-01..2025-06-30", false).unwrap();
    let all_committed = raw(&db, "c", &everything).await;
    let all_disbursed = raw(&db, "d", &everything).await;
    let period_c: Vec<&RawRow> = committed_rows.iter().collect();
    let period_d: Vec<&RawRow> = disbursed_rows.iter().collect();
    // Appendix 1: items approved in the period and earlier items whose commitment changed in
    // it, with their commitments dated in the period: the total is the period's commitments.
    let approved: Vec<i64> = look
        .items
        .iter()
        .filter(|i| i.approval_date.is_some_and(|d| period.contains(d)))
        .map(|i| i.id)
        .collect();
    let mut changed: Vec<i64> = committed_rows
        .iter()
        .map(|r| r.item_id)
        .filter(|id| !approved.contains(id))
        .collect();
    changed.sort_unstable();
    changed.dedup();
    let t1 = doc.appendices[0].total_row.as_ref().unwrap();
    assert_eq!(
        (t1[10].clone(), t1[11].clone()),
        (usd(raw_usd(&period_c)), vnd(raw_vnd(&period_c))),
        "appendix 1 totals"
    );
    let numbered = doc.appendices[0]
        .rows
        .iter()
        .filter(|r| r[0].parse::<u32>().is_ok())
        .count();
    assert_eq!(numbered, approved.len() + changed.len());
    // Appendix 2: every item with money to the period's end (the cumulative figures).
    let mut touched: Vec<i64> = all_committed
        .iter()
        .chain(&all_disbursed)
        .map(|r| r.item_id)
        .collect();
    touched.sort_unstable();
    touched.dedup();

    let t2 = doc.appendices[1].total_row.as_ref().unwrap();
    assert_eq!(
        t2[3],
        usd(raw_usd(&of_items(&all_committed, &touched))),
        "appendix 2 cumulative committed"
    );
    assert_eq!(
        t2[4],
        usd(raw_usd(&period_d)),
        "appendix 2 disbursed in the period"
    );
    assert_eq!(
        t2[5],
        usd(raw_usd(&of_items(&all_disbursed, &touched))),
        "appendix 2 cumulative disbursed"
    );
    // Appendices 4 (locality) and 5 (donor): the period's committed and disbursed totals.
    // Appendix 4 shows cancellations in their own column (6): (4) − (6) is the net figure.
    let t4 = doc.appendices[3].total_row.as_ref().unwrap();
    let minor = |s: &str| {
        Money::parse_localized(s, Currency::USD, Lang::Vi)
            .unwrap()
            .minor()
    };
    assert_eq!(
        (minor(&t4[3]) - minor(&t4[5]), t4[6].clone()),
        (raw_usd(&period_c), usd(raw_usd(&period_d))),
        "appendix 4 totals"
    );
    let t5 = doc.appendices[4].total_row.as_ref().unwrap();
    assert_eq!(
        (t5[4].clone(), t5[5].clone()),
        (usd(raw_usd(&period_c)), usd(raw_usd(&period_d))),
        "appendix 5 totals"
    );
}

#[tokio::test]
#[cfg_attr(not(aidledger_pdftotext), ignore = "needs poppler-utils (pdftotext)")]
async fn the_report_pdf_carries_the_rollup_totals_and_is_byte_identical_on_reissue() {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let period = Period::parse("2025-H1", false).unwrap();
    let ctx = {
        let mut ctx = db.ctx.clone();
        ctx.config.signing = crate::report_issue::signing();
        ctx
    };
    let cmd = IssueCmd {
        allow_empty_sections: true,
        ..IssueCmd::new(period, Lang::Vi, date("2025-07-05"), "12/BC-SNgV".into())
    };
    let draft1 = draft_report(&ctx, &reviewer(), &cmd).await.unwrap();
    let draft2 = draft_report(&ctx, &reviewer(), &cmd).await.unwrap();
    assert_eq!(
        draft1, draft2,
        "same data, language, issue date, signer and recipients give the same bytes"
    );
    let (first, pdf1) = issue_report(&ctx, &reviewer(), &cmd).await.unwrap();
    assert_eq!(first.version, 1);
    let err = issue_report(&ctx, &reviewer(), &cmd).await.unwrap_err();
    assert_eq!(err.code(), "already_issued", "no silent version 2");
    assert!(pdf1.starts_with(b"%PDF"));

    let Ok(out) = std::process::Command::new("pdftotext")
        .arg("-")
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    else {
        panic!("pdftotext was found when the tests were built, but cannot run now");
    };
    let text = {
        use std::io::Write;
        let mut child = out;
        child.stdin.take().unwrap().write_all(&pdf1).unwrap();
        String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
    };
    for heading in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TÌNH HÌNH HOẠT ĐỘNG CỦA CÁC TỔ CHỨC",
        "KẾT QUẢ VẬN ĐỘNG VIỆN TRỢ PCPNN TRONG KỲ",
        "Phụ lục I",
    ] {
        assert!(text.contains(heading), "the PDF text has {heading:?}");
    }
    let mut tx = db.store().read().await.unwrap();
    let look = LookupData::load(&mut tx).await.unwrap();
    let table = aidledger::rollup::table::rollup_table(
        &mut tx,
        &look,
        &period,
        aidledger::rollup::Dimension::SectorGroup,
        Lang::Vi,
    )
    .await
    .unwrap();
    let committed =
        aidledger::domain::money::format_sum(table.total.committed_vnd, Currency::VND, Lang::Vi);
    let disbursed = aidledger::domain::money::format_sum(
        table.total.disbursed_usd_cents,
        Currency::USD,
        Lang::Vi,
    );
    assert!(
        text.contains(&committed),
        "the PDF shows the committed total {committed}"
    );
    assert!(
        text.contains(&disbursed),
        "the PDF shows the disbursed total {disbursed}"
    );
}

#[tokio::test]
async fn a_missing_rate_blocks_the_report_and_names_the_transaction() {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let period = Period::parse("2026", false).unwrap();
    let cmd = IssueCmd::new(period, Lang::En, date("2026-11-20"), String::new());
    let err = issue_report(&db.ctx, &reviewer(), &cmd).await.unwrap_err();
    assert_eq!(err.code(), "missing_rates");
    let msg = err.to_string();
    assert!(
        msg.contains("AUD") && msg.contains("2026-10-15") && msg.contains("disbursement"),
        "{msg}"
    );
    let mut tx = db.store().read().await.unwrap();
    assert!(
        aidledger::db::reports::list_issued(&mut tx, None)
            .await
            .unwrap()
            .is_empty(),
        "nothing is issued"
    );
}

#[tokio::test]
async fn only_reviewers_issue_reports() {
    let db = fresh_db().await;
    let period = Period::parse("2025-Q1", false).unwrap();
    let cmd = IssueCmd::new(period, Lang::Vi, date("2025-04-05"), String::new());
    for role in [Role::Coordinator, Role::Ngo, Role::Admin] {
        let actor = Actor::user(1, "someone", role, None);
        assert_eq!(
            issue_report(&db.ctx, &actor, &cmd)
                .await
                .unwrap_err()
                .status()
                .code,
            403,
            "{role}"
        );
    }
}

#[tokio::test]
async fn csv_and_xlsx_exports_carry_the_same_totals_and_are_deterministic() {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let period = Period::parse("2025", false).unwrap();
    let mut tx = db.store().read().await.unwrap();
    let look = LookupData::load(&mut tx).await.unwrap();
    let table = aidledger::rollup::table::rollup_table(
        &mut tx,
        &look,
        &period,
        aidledger::rollup::Dimension::Donor,
        Lang::En,
    )
    .await
    .unwrap();
    let csv = table.to_csv();
    let last = csv.lines().last().unwrap();
    let expected = format!(
        "total,Total,{},{},{},{}",
        aidledger::domain::money::canonical_sum(table.total.committed_vnd, Currency::VND),
        aidledger::domain::money::canonical_sum(table.total.committed_usd_cents, Currency::USD),
        aidledger::domain::money::canonical_sum(table.total.disbursed_vnd, Currency::VND),
        aidledger::domain::money::canonical_sum(table.total.disbursed_usd_cents, Currency::USD)
    );
    assert_eq!(last, expected);
    assert_eq!(
        csv.lines().count(),
        table.rows.len() + 2,
        "header, one line per group, total"
    );
    let a = aidledger::reports::xlsx::workbook(std::slice::from_ref(&table), Lang::En).unwrap();
    let b = aidledger::reports::xlsx::workbook(std::slice::from_ref(&table), Lang::En).unwrap();
    assert!(a.starts_with(b"PK"));
    assert_eq!(a, b);
}

#[test]
fn csv_cells_cannot_smuggle_formulas() {
    use aidledger::rollup::table::csv_cell;
    assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(
        csv_cell("Hội Chữ thập đỏ, tỉnh"),
        "\"Hội Chữ thập đỏ, tỉnh\""
    );
}
