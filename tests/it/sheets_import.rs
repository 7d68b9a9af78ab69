//! Spreadsheet import: the demo data exported, imported into an empty database and exported
//! again gives identical files and totals on CSV and XLSX; a second import changes nothing;
//! one bad row or a locked period refuses the whole file; other encodings are refused by name.

use crate::common::{TestDb, fresh_db, system};
use aidledger::actions::sheets::{ImportRequest, export_tables, import_file};
use aidledger::db::ledger::{MoneyTable, totals_by_currency};
use aidledger::domain::Lang;
use aidledger::interchange::preview::{OutcomeKind, Preview};
use aidledger::interchange::rows::Selection;
use aidledger::interchange::write::{csv_name, write_csv, write_xlsx};
use aidledger::interchange::{RecordType, SheetFormat};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A database with only the reference data and the demo's reviewer account, as a province
/// starting from its spreadsheets would have.
async fn empty_target() -> TestDb {
    let db = fresh_db().await;
    let mut tx = db.store().write().await.unwrap();
    aidledger::demo::insert_reference(&mut tx).await.unwrap();
    let reviewer = aidledger::actions::users::NewUser {
        username: "reviewer".into(),
        display_name: "Reviewer".into(),
        role: aidledger::domain::item::Role::Reviewer,
        organisation_id: None,
        password: String::new(),
    };
    // The account is never logged into here, so any hash-shaped text will do.
    aidledger::actions::users::add_user_in(&mut tx, &system(), &reviewer, "not-a-password-hash")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    db
}

pub(crate) async fn demo_source() -> TestDb {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    // Text a spreadsheet would run as a formula travels as text.
    let mut tx = db.store().write().await.unwrap();
    let m = aidledger::db::ledger::all_milestones(&mut tx)
        .await
        .unwrap()[0]
        .id;
    let patch = aidledger::actions::updates::MilestonePatch {
        title_en: Some("=HYPERLINK(\"http://x\",\"click\")".into()),
        ..Default::default()
    };
    aidledger::actions::updates::update_milestone_in(&mut tx, &system(), m, &patch)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    db
}

/// Writes the database's templates as a folder of CSV files (Vietnamese headers).
async fn export_csv(db: &TestDb, dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::create_dir_all(dir).unwrap();
    let mut out = BTreeMap::new();
    for t in export_tables(&db.ctx, &system(), Selection::default())
        .await
        .unwrap()
    {
        let mut bytes = Vec::new();
        write_csv(&mut bytes, &t, Lang::Vi).unwrap();
        std::fs::write(dir.join(csv_name(t.record)), &bytes).unwrap();
        out.insert(csv_name(t.record), bytes);
    }
    out
}

async fn export_xlsx(db: &TestDb, file: &Path) {
    let tables = export_tables(&db.ctx, &system(), Selection::default())
        .await
        .unwrap();
    std::fs::write(file, write_xlsx(&tables, Lang::En).unwrap()).unwrap();
}

pub(crate) async fn import(
    db: &TestDb,
    path: &Path,
    format: SheetFormat,
    dry_run: bool,
) -> Preview {
    let req = ImportRequest {
        path: path.to_path_buf(),
        format,
        record: None,
        dry_run,
    };
    import_file(&db.ctx, &system(), &req).await.unwrap()
}

fn errors(p: &Preview) -> String {
    p.rows
        .iter()
        .filter(|o| o.outcome == OutcomeKind::Error)
        .take(5)
        .map(|o| format!("{}:{} {:?}", o.source, o.line, o.problems))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first line that differs between two texts, both sides shown.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map_or_else(
            || format!("lengths {} and {}", a.len(), b.len()),
            |(i, (x, y))| format!("line {}: {x:?} then {y:?}", i + 1),
        )
}

async fn totals(db: &TestDb) -> Vec<String> {
    let mut tx = db.store().read().await.unwrap();
    let mut out = Vec::new();
    for t in [MoneyTable::Commitment, MoneyTable::Disbursement] {
        for c in totals_by_currency(&mut tx, t).await.unwrap() {
            out.push(format!(
                "{t:?} {} {} {}",
                c.currency.code(),
                c.rows,
                c.amount_minor
            ));
        }
    }
    out
}

fn xlsx_cells(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    wb.sheet_names()
        .into_iter()
        .map(|n| {
            let r = wb.worksheet_range(&n).unwrap();
            let rows = r
                .rows()
                .map(|row| row.iter().map(ToString::to_string).collect())
                .collect();
            (n, rows)
        })
        .collect()
}

#[tokio::test]
async fn csv_and_xlsx_round_trip_through_an_empty_database_identically() {
    let dir = tempfile::tempdir().unwrap();
    let source = demo_source().await;
    let first = export_csv(&source, &dir.path().join("a")).await;
    assert!(String::from_utf8_lossy(&first["milestones.csv"]).contains("'=HYPERLINK"));

    let target = empty_target().await;
    let p = import(&target, &dir.path().join("a"), SheetFormat::Csv, false).await;
    assert_eq!(p.errors, 0, "{}", errors(&p));
    assert!(p.applied && p.new > 500 && p.changed == 0, "{p:?}");
    let second = export_csv(&target, &dir.path().join("b")).await;
    for (name, bytes) in &first {
        assert!(
            bytes == &second[name],
            "{name} differs after the round trip, first at: {}",
            first_difference(bytes, &second[name])
        );
    }
    assert_eq!(totals(&source).await, totals(&target).await);
    // Every imported row went through an audited action, and the import has its own entry.
    let v = aidledger::actions::audit_check::verify(
        target.store(),
        aidledger::actions::audit_check::Scope::Full,
    )
    .await
    .unwrap();
    assert!(v.intact(), "{:?}", v.problems);
    let mut tx = target.store().read().await.unwrap();
    let n: i64 = match &mut tx {
        aidledger::db::Tx::Sqlite(t) => sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_entry WHERE action = 'sheets.import' AND entity_id = $1",
        )
        .bind(&p.sha256)
        .fetch_one(&mut **t)
        .await
        .unwrap(),
        aidledger::db::Tx::Pg(t) => sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_entry WHERE action = 'sheets.import' AND entity_id = $1",
        )
        .bind(&p.sha256)
        .fetch_one(&mut **t)
        .await
        .unwrap(),
    };
    assert_eq!(n, 1);
    drop(tx);

    let again = import(&target, &dir.path().join("b"), SheetFormat::Csv, false).await;
    assert_eq!(
        (again.new, again.changed, again.errors),
        (0, 0, 0),
        "{}",
        errors(&again)
    );
    assert_eq!(again.unchanged, p.new);

    let book = dir.path().join("a.xlsx");
    export_xlsx(&source, &book).await;
    let xtarget = empty_target().await;
    let px = import(&xtarget, &book, SheetFormat::Xlsx, false).await;
    assert_eq!(px.errors, 0, "{}", errors(&px));
    assert_eq!(px.new, p.new);
    let book2 = dir.path().join("b.xlsx");
    export_xlsx(&xtarget, &book2).await;
    assert_eq!(xlsx_cells(&book), xlsx_cells(&book2));
    assert_eq!(totals(&source).await, totals(&xtarget).await);
}

fn edit_cell(path: &Path, line: usize, column: usize, value: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.split("\r\n").map(str::to_string).collect();
    let mut cells: Vec<String> = lines[line - 1].split(',').map(str::to_string).collect();
    cells[column] = value.to_string();
    lines[line - 1] = cells.join(",");
    std::fs::write(path, lines.join("\r\n")).unwrap();
}

async fn count_items(db: &TestDb) -> i64 {
    let mut tx = db.store().read().await.unwrap();
    aidledger::db::items::count_items(&mut tx).await.unwrap()
}

#[tokio::test]
async fn one_bad_row_anywhere_changes_nothing_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let source = demo_source().await;
    let folder: PathBuf = dir.path().join("a");
    export_csv(&source, &folder).await;
    let file = folder.join("disbursements.csv");
    let rows = std::fs::read_to_string(&file).unwrap().lines().count();
    let line = rows / 2;
    let date = RecordType::Disbursements.index("value_date").unwrap();
    edit_cell(&file, line, date, "31/02/2025");
    let target = empty_target().await;
    let p = import(&target, &folder, SheetFormat::Csv, false).await;
    assert_eq!(p.errors, 1, "{}", errors(&p));
    assert!(!p.applied);
    let bad = p
        .rows
        .iter()
        .find(|o| o.outcome == OutcomeKind::Error)
        .unwrap();
    assert_eq!(
        (bad.source.as_str(), bad.line),
        ("disbursements.csv", line as u64)
    );
    assert_eq!(bad.problems[0].column.as_deref(), Some("value_date"));
    assert_eq!(bad.problems[0].value, "31/02/2025");
    assert!(
        bad.problems[0].message.contains("not a date"),
        "{:?}",
        bad.problems
    );
    assert!(p.table().contains(&format!("disbursements.csv:{line}")));
    assert_eq!(count_items(&target).await, 0, "nothing was applied");
}

#[tokio::test]
async fn changed_cells_are_shown_and_money_rows_are_never_updated() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_source().await;
    let folder = dir.path().join("a");
    export_csv(&db, &folder).await;
    let orgs = folder.join("organisations.csv");
    edit_cell(
        &orgs,
        2,
        RecordType::Organisations.index("acronym").unwrap(),
        "NEWACR",
    );
    let p = import(&db, &orgs, SheetFormat::Csv, true).await;
    assert_eq!(
        (p.changed, p.errors, p.applied),
        (1, 0, false),
        "{}",
        errors(&p)
    );
    let ch = p
        .rows
        .iter()
        .find(|o| o.outcome == OutcomeKind::Changed)
        .unwrap();
    assert_eq!(ch.changes[0].column, "acronym");
    assert_eq!(ch.changes[0].new, "NEWACR");
    let applied = import(&db, &orgs, SheetFormat::Csv, false).await;
    assert!(applied.applied);
    assert_eq!(import(&db, &orgs, SheetFormat::Csv, false).await.changed, 0);

    let comm = folder.join("commitments.csv");
    let amount = RecordType::Commitments.index("amount").unwrap();
    edit_cell(&comm, 2, amount, "1.00");
    let p = import(&db, &comm, SheetFormat::Csv, false).await;
    assert_eq!(p.errors, 1);
    let bad = p
        .rows
        .iter()
        .find(|o| o.outcome == OutcomeKind::Error)
        .unwrap();
    assert_eq!(bad.line, 2);
    assert!(
        bad.problems[0].message.contains("record an amendment"),
        "{:?}",
        bad.problems
    );
}

#[tokio::test]
async fn rows_dated_in_a_locked_period_refuse_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let source = demo_source().await;
    let folder = dir.path().join("a");
    export_csv(&source, &folder).await;
    let target = empty_target().await;
    let period = aidledger::domain::period::Period::parse("2024-Q2", false).unwrap();
    aidledger::actions::periods::lock_period(&target.ctx, &system(), &period)
        .await
        .unwrap();
    let p = import(&target, &folder, SheetFormat::Csv, false).await;
    assert!(p.errors > 0 && !p.applied);
    let errs: Vec<_> = p
        .rows
        .iter()
        .filter(|o| o.outcome == OutcomeKind::Error)
        .collect();
    let locked = |o: &&&aidledger::interchange::preview::Outcome| {
        o.problems
            .iter()
            .any(|x| x.message.contains("inside the locked period 2024-Q2"))
    };
    assert!(errs.iter().filter(locked).count() > 3, "{}", errors(&p));
    // Rows after a refused one are checked as if it were fixed: no numbering cascade.
    assert!(
        !errs
            .iter()
            .any(|o| o.problems.iter().any(|x| x.message.contains("such rows"))),
        "{}",
        errors(&p)
    );
    assert_eq!(count_items(&target).await, 0);
}

#[tokio::test]
async fn utf16_and_windows_1258_files_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let target = empty_target().await;
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "Mã,Loại\r\nX,funder\r\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let a = dir.path().join("organisations.csv");
    std::fs::write(&a, &utf16).unwrap();
    let req = |p: &Path| ImportRequest {
        path: p.to_path_buf(),
        format: SheetFormat::Csv,
        record: None,
        dry_run: false,
    };
    let e = import_file(&target.ctx, &system(), &req(&a))
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("UTF-16") && e.contains("CSV UTF-8"), "{e}");
    std::fs::write(&a, b"M\xE3,Lo\xA1i\r\nX,funder\r\n").unwrap();
    let e = import_file(&target.ctx, &system(), &req(&a))
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("Windows-1258"), "{e}");
}

#[tokio::test]
async fn vietnamese_headers_typed_without_accents_and_dd_mm_yyyy_dates_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let target = empty_target().await;
    let f = dir.path().join("tygia.csv");
    std::fs::write(
        &f,
        "loai tien,NGAY TY GIA,So dong cho mot don vi,so usd cho mot don vi,nguon\r\nEUR,02/01/2025,27000.50,1.0400,NHNN\r\n",
    )
    .unwrap();
    let p = import(&target, &f, SheetFormat::Csv, false).await;
    assert_eq!((p.new, p.errors), (1, 0), "{}", errors(&p));
    assert_eq!(p.rows[0].record, RecordType::Rates);
    assert_eq!(p.rows[0].key, "EUR 2025-01-02");
    let p = import(&target, &f, SheetFormat::Csv, false).await;
    assert_eq!((p.new, p.unchanged), (0, 1), "{}", errors(&p));
}

#[tokio::test]
async fn an_unquoted_comma_is_named_as_a_cell_too_many_not_as_shifted_cells() {
    let dir = tempfile::tempdir().unwrap();
    let source = demo_source().await;
    let folder: PathBuf = dir.path().join("a");
    export_csv(&source, &folder).await;
    let file = folder.join("items.csv");
    let title = RecordType::Items.index("title_en").unwrap();
    let header_cells = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .split(',')
        .count();
    edit_cell(&file, 3, title, "Clean water, Huong Phu commune");
    let p = import(&source, &file, SheetFormat::Csv, true).await;
    assert_eq!(p.errors, 1, "{}", errors(&p));
    let bad = p
        .rows
        .iter()
        .find(|o| o.outcome == OutcomeKind::Error)
        .unwrap();
    assert_eq!(bad.line, 3);
    assert_eq!(bad.problems.len(), 1, "{:?}", bad.problems);
    assert_eq!(
        bad.problems[0].message,
        format!(
            "the row has {} cells but the header names {header_cells}: a text with a comma must be in double quotes",
            header_cells + 1
        )
    );
}
