//! Spreadsheet export of the demo data (every reference in the files resolves inside the
//! files, the money adds up to the ledger's totals, text never runs as a formula) and the
//! `sheets` command line, export and import.

use crate::common::{fresh_db, system};
use aidledger::actions::sheets::export_tables;
use aidledger::db::ledger::{MoneyTable, totals_by_currency};
use aidledger::domain::{Currency, Lang, Money};
use aidledger::interchange::rows::Selection;
use aidledger::interchange::write::write_csv;
use aidledger::interchange::{RecordType, Table};
use std::collections::{BTreeMap, HashSet};

fn table(tables: &[Table], r: RecordType) -> &Table {
    tables.iter().find(|t| t.record == r).unwrap()
}

fn col(r: RecordType, key: &str) -> usize {
    r.index(key).unwrap()
}

/// Sum of a money table's `amount` column per currency, in minor units.
fn sums(t: &Table) -> BTreeMap<String, i128> {
    let (a, c) = (col(t.record, "amount"), col(t.record, "currency"));
    let mut out = BTreeMap::new();
    for row in &t.rows {
        let cur: Currency = row[c].parse().unwrap();
        let m = Money::parse(&row[a], cur).unwrap();
        *out.entry(row[c].clone()).or_insert(0) += i128::from(m.minor());
    }
    out
}

#[tokio::test]
async fn the_demo_exports_with_every_reference_resolved_and_totals_intact() {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let tables = export_tables(&db.ctx, &system(), Selection::default())
        .await
        .unwrap();
    assert_eq!(
        tables.iter().map(|t| t.record).collect::<Vec<_>>(),
        RecordType::ALL.to_vec()
    );
    let orgs = table(&tables, RecordType::Organisations);
    let codes: HashSet<&str> = orgs.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        codes.len(),
        orgs.rows.len(),
        "organisation codes are unique"
    );
    assert!(codes.iter().all(|c| c.starts_with("ORG-")));
    let items = table(&tables, RecordType::Items);
    for key in ["donor", "aid_owner", "managing_agency"] {
        let i = col(RecordType::Items, key);
        assert!(
            items.rows.iter().all(|r| codes.contains(r[i].as_str())),
            "{key}"
        );
    }
    let shares = col(RecordType::Items, "sectors");
    assert!(
        items
            .rows
            .iter()
            .all(|r| !r[shares].is_empty() && r[shares].contains(':'))
    );
    let item_codes: HashSet<&str> = items.rows.iter().map(|r| r[0].as_str()).collect();
    let ms = table(&tables, RecordType::Milestones);
    let ms_refs: HashSet<&str> = ms.rows.iter().map(|r| r[0].as_str()).collect();
    let disb = table(&tables, RecordType::Disbursements);
    let d_refs: HashSet<&str> = disb.rows.iter().map(|r| r[0].as_str()).collect();
    for t in [ms, table(&tables, RecordType::Commitments), disb] {
        for r in &t.rows {
            let (item, n) = r[0].rsplit_once('/').unwrap();
            assert!(item_codes.contains(item), "{}", r[0]);
            assert!(n[1..].parse::<u32>().unwrap() >= 1);
        }
    }
    let (m, rv) = (
        col(RecordType::Disbursements, "milestone"),
        col(RecordType::Disbursements, "reverses"),
    );
    for r in &disb.rows {
        assert!(
            r[m].is_empty() || ms_refs.contains(r[m].as_str()),
            "{}",
            r[m]
        );
        assert!(
            r[rv].is_empty() || d_refs.contains(r[rv].as_str()),
            "{}",
            r[rv]
        );
    }
    let verified_by = col(RecordType::Disbursements, "verified_by");
    let status = col(RecordType::Disbursements, "status");
    assert!(
        disb.rows
            .iter()
            .filter(|r| r[status] == "verified")
            .all(|r| r[verified_by] == "reviewer")
    );

    let mut tx = db.store().read().await.unwrap();
    for (t, which) in [
        (
            table(&tables, RecordType::Commitments),
            MoneyTable::Commitment,
        ),
        (disb, MoneyTable::Disbursement),
    ] {
        let want: BTreeMap<String, i128> = totals_by_currency(&mut tx, which)
            .await
            .unwrap()
            .into_iter()
            .map(|t| (t.currency.code().to_string(), t.amount_minor))
            .collect();
        assert_eq!(sums(t), want, "{which:?}");
    }
}

#[tokio::test]
async fn an_organisation_and_period_selection_is_self_contained() {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let all = export_tables(&db.ctx, &system(), Selection::default())
        .await
        .unwrap();
    let donor_code = &table(&all, RecordType::Items).rows[0][col(RecordType::Items, "donor")];
    let mut tx = db.store().read().await.unwrap();
    let donor = aidledger::db::interchange::organisation_id_by_code(&mut tx, donor_code)
        .await
        .unwrap()
        .unwrap();
    let from = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let to = chrono::NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
    let sel = Selection {
        organisation: Some(donor),
        period: Some((from, to)),
        record: None,
    };
    let some = export_tables(&db.ctx, &system(), sel).await.unwrap();
    let items = table(&some, RecordType::Items);
    assert!(!items.rows.is_empty() && items.rows.len() < table(&all, RecordType::Items).rows.len());
    let codes: HashSet<&str> = table(&some, RecordType::Organisations)
        .rows
        .iter()
        .map(|r| r[0].as_str())
        .collect();
    assert!(codes.contains(donor_code.as_str()));
    let d = col(RecordType::Items, "donor");
    assert!(items.rows.iter().all(|r| codes.contains(r[d].as_str())));
    let date = col(RecordType::Disbursements, "value_date");
    let disb = table(&some, RecordType::Disbursements);
    assert!(disb.rows.iter().all(|r| r[date].starts_with("2024-")));
    let only = Selection {
        record: Some(RecordType::Rates),
        ..Selection::default()
    };
    let rates = export_tables(&db.ctx, &system(), only).await.unwrap();
    assert_eq!(rates.len(), 1);
    assert_eq!(rates[0].record, RecordType::Rates);
}

#[test]
fn csv_cells_that_look_like_formulas_are_written_as_text_in_both_header_languages() {
    let t = Table {
        record: RecordType::Milestones,
        rows: vec![vec![
            "IT-1/M1".into(),
            "=cmd|' /C calc'!A0".into(),
            "+SUM(1)".into(),
            "2025-03-01".into(),
            String::new(),
            "planned".into(),
            "@evil".into(),
        ]],
    };
    for (lang, first) in [(Lang::Vi, "Mã dòng"), (Lang::En, "Reference")] {
        let mut out = Vec::new();
        write_csv(&mut out, &t, lang).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with(&format!("\u{feff}{first},")), "{text}");
        let body = text.lines().nth(1).unwrap();
        assert!(
            body.contains("'=cmd") && body.contains("'+SUM(1)") && body.contains("'@evil"),
            "{body}"
        );
    }
}

fn aidledger(db_url: &str, args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aidledger"))
        .args(args)
        .env("DATABASE_URL", db_url)
        .env_remove("AIDLEDGER_TEST_PG_URL")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_writes_a_folder_one_file_or_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("a.db").display());
    assert!(aidledger(&url, &["demo"]).0);
    let folder = dir.path().join("csv");
    let (ok, out, err) = aidledger(&url, &["export", "csv", "--out", folder.to_str().unwrap()]);
    assert!(ok, "{out}{err}");
    for r in RecordType::ALL {
        let bytes = std::fs::read(folder.join(format!("{}.csv", r.key()))).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{r:?}");
    }
    let one = dir.path().join("rates.csv");
    let args = [
        "export",
        "csv",
        "--record",
        "ty gia",
        "--lang",
        "en",
        "--out",
        one.to_str().unwrap(),
    ];
    let (ok, out, err) = aidledger(&url, &args);
    assert!(ok, "{out}{err}");
    let text = std::fs::read_to_string(&one).unwrap();
    assert!(text.starts_with("\u{feff}Currency,Rate date,"), "{text}");
    let book = dir.path().join("all.xlsx");
    let (ok, out, err) = aidledger(&url, &["export", "xlsx", "--out", book.to_str().unwrap()]);
    assert!(ok && out.contains("6 sheets"), "{out}{err}");
    assert!(std::fs::read(&book).unwrap().starts_with(b"PK"));
    let (ok, _, err) = aidledger(
        &url,
        &["export", "csv", "--record", "loans", "--out", "x.csv"],
    );
    assert!(
        !ok && err.contains("record type \"loans\" is not known"),
        "{err}"
    );
}

#[test]
fn the_command_line_previews_applies_and_exits_non_zero_on_an_error_row() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("a.db").display());
    let f = dir.path().join("rates.csv");
    std::fs::write(
        &f,
        "Currency,Rate date,VND per unit,USD per unit,Source\r\nEUR,02/01/2025,27000.5,1.04,SBV\r\n",
    )
    .unwrap();
    let file = f.to_str().unwrap();
    let (ok, out, err) = aidledger(&url, &["import", "csv", file, "--dry-run"]);
    assert!(
        ok && out.contains("1 new") && out.contains("not applied (dry run)"),
        "{out}{err}"
    );
    let (ok, out, err) = aidledger(&url, &["import", "csv", file, "--format", "json"]);
    assert!(ok, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["applied"].as_bool(), v["new"].as_u64()),
        (Some(true), Some(1)),
        "{v}"
    );
    let (ok, out, _) = aidledger(&url, &["import", "csv", file]);
    assert!(ok && out.contains("0 new, 0 changed, 1 unchanged"), "{out}");
    std::fs::write(
        &f,
        "Currency,Rate date,VND per unit,USD per unit,Source\r\nEUR,03/01/2025,-1,1.04,SBV\r\n",
    )
    .unwrap();
    let (ok, out, err) = aidledger(&url, &["import", "csv", file]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("rates.csv:2") && out.contains("column to_vnd, value \"-1\""),
        "{out}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
}
