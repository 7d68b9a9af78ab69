//! Test fixtures: a fresh database per test on the selected backend, and builders for the
//! records most tests need.

use aidledger::Config;
use aidledger::actions::{Actor, Ctx};
use aidledger::db::Store;
#[path = "../support/pg_schema.rs"]
mod pg_schema;
pub use pg_schema::PgSchema;

pub const PG_ENV: &str = "AIDLEDGER_TEST_PG_URL";

/// A database that lives as long as the test.
pub struct TestDb {
    pub ctx: Ctx,
    _dir: Option<tempfile::TempDir>,
    /// Declared last so the store is dropped before its schema.
    _pg: Option<PgSchema>,
}

impl TestDb {
    pub fn store(&self) -> &Store {
        &self.ctx.store
    }
}

/// The PostgreSQL URL for tests, if configured.
pub fn pg_url() -> Option<String> {
    std::env::var(PG_ENV).ok().filter(|s| !s.is_empty())
}

/// A fresh database on the backend the run selects (PostgreSQL when `AIDLEDGER_TEST_PG_URL`
/// is set, SQLite otherwise), migrated.
pub async fn fresh_db() -> TestDb {
    match pg_url() {
        Some(url) => fresh_pg(&url).await,
        None => fresh_sqlite().await,
    }
}

pub async fn fresh_sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let mut db = sqlite_at(&dir.path().join("test.db")).await;
    db._dir = Some(dir);
    db
}

/// A fresh SQLite database in `file`, whose folder the caller owns (a small disk, say).
pub async fn sqlite_at(file: &std::path::Path) -> TestDb {
    let url = format!("sqlite://{}", file.display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    TestDb {
        ctx: Ctx {
            store,
            config: Config {
                database_url: url,
                ..Config::default()
            },
        },
        _dir: None,
        _pg: None,
    }
}

/// A fresh PostgreSQL schema, dropped again when the test ends.
pub async fn fresh_pg(url: &str) -> TestDb {
    let schema = PgSchema::create(url).await;
    let store = Store::connect_pg(schema.options(), 5).await.unwrap();
    store.migrate().await.unwrap();
    TestDb {
        ctx: Ctx {
            store,
            config: Config {
                database_url: url.to_string(),
                ..Config::default()
            },
        },
        _dir: None,
        _pg: Some(schema),
    }
}

pub fn system() -> Actor {
    Actor::system("test")
}

pub fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Minimal reference data and organisations so items can be created: returns
/// (donor id, aid owner id, managing agency id).
pub async fn seed_basics(db: &TestDb) -> (i64, i64, i64) {
    use aidledger::db::orgs::NewOrganisation;
    use aidledger::db::reference::{AdminUnit, Sector, insert_admin_unit, insert_sector};
    use aidledger::domain::item::{AdminLevel, CertificateType, OrgKind};
    let mut tx = db.store().write().await.unwrap();
    for (code, parent, order) in [
        ("HEALTH", None, 1),
        ("HEALTH.PHC", Some("HEALTH"), 2),
        ("EDU", None, 3),
        ("EDU.PRIMARY", Some("EDU"), 4),
    ] {
        let s = Sector {
            code: code.into(),
            parent_code: parent.map(Into::into),
            name_vi: format!("Lĩnh vực {code}"),
            name_en: format!("Sector {code}"),
            dac_code: None,
            sort_order: order,
        };
        insert_sector(&mut tx, &s).await.unwrap();
    }
    let unit = |code: &str,
                level,
                parent: Option<&str>,
                from: &str,
                to: Option<&str>,
                succ: Option<&str>| AdminUnit {
        code: code.into(),
        name_vi: format!("Đơn vị {code}"),
        name_en: format!("Unit {code}"),
        level,
        parent_code: parent.map(Into::into),
        valid_from: date(from),
        valid_to: to.map(date),
        successor_code: succ.map(Into::into),
    };
    for u in [
        unit("46", AdminLevel::Province, None, "1976-01-01", None, None),
        unit(
            "N1",
            AdminLevel::Commune,
            Some("46"),
            "2025-07-01",
            None,
            None,
        ),
        unit(
            "N2",
            AdminLevel::Commune,
            Some("46"),
            "2025-07-01",
            None,
            None,
        ),
        unit(
            "D1",
            AdminLevel::District,
            Some("46"),
            "1976-01-01",
            Some("2025-06-30"),
            Some("N1"),
        ),
        unit(
            "C1",
            AdminLevel::Commune,
            Some("D1"),
            "1976-01-01",
            Some("2025-06-30"),
            Some("N1"),
        ),
        unit(
            "C2",
            AdminLevel::Commune,
            Some("D1"),
            "1976-01-01",
            Some("2025-06-30"),
            Some("N2"),
        ),
    ] {
        insert_admin_unit(&mut tx, &u).await.unwrap();
    }
    let org = |kind, name: &str, nat: &str| NewOrganisation {
        kind,
        name_vi: name.into(),
        name_en: name.into(),
        acronym: None,
        nationality: nat.into(),
        iati_ref: None,
        cert_type: (kind == OrgKind::ForeignNgo).then_some(CertificateType::Operation),
        cert_number: (kind == OrgKind::ForeignNgo).then(|| "123/GĐK".to_string()),
        cert_valid_from: None,
        cert_valid_to: None,
        sectors: vec![],
        provinces: vec![],
    };
    let s = system();
    let donor = aidledger::actions::orgs::create_organisation_in(
        &mut tx,
        &s,
        org(OrgKind::ForeignNgo, "Hope Bridges", "US"),
    )
    .await
    .unwrap();
    let owner = aidledger::actions::orgs::create_organisation_in(
        &mut tx,
        &s,
        org(OrgKind::AidOwner, "Sở Y tế", "VN"),
    )
    .await
    .unwrap();
    let agency = aidledger::actions::orgs::create_organisation_in(
        &mut tx,
        &s,
        org(OrgKind::ManagingAgency, "UBND tỉnh", "VN"),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (donor, owner, agency)
}

/// An approved item allocated 60/40 over two sectors and to commune C1 (pre-reform) and N2.
pub async fn seed_item(db: &TestDb, code: &str, orgs: (i64, i64, i64)) -> i64 {
    use aidledger::db::items::NewAidItem;
    use aidledger::domain::item::{AidForm, ItemStatus, Modality};
    let cmd = NewAidItem {
        code: code.into(),
        title_vi: format!("Dự án nước sạch {code}"),
        title_en: format!("Clean water project {code}"),
        modality: Modality::TechnicalAssistance,
        form: AidForm::Cash,
        donor_id: orgs.0,
        funding_source_id: None,
        aid_owner_id: orgs.1,
        managing_agency_id: orgs.2,
        approval_number: Some("12/QĐ-UBND".into()),
        approval_date: Some(date("2024-01-10")),
        approval_authority: Some("Chủ tịch UBND tỉnh".into()),
        legal_basis: "80/2020/NĐ-CP".into(),
        planned_start: date("2024-02-01"),
        planned_end: date("2026-12-31"),
        actual_start: None,
        actual_end: None,
        status: ItemStatus::Approved,
        beneficiaries: None,
        sectors: vec![("HEALTH.PHC".into(), 6000), ("EDU.PRIMARY".into(), 4000)],
        localities: vec![("C1".into(), 5000), ("N2".into(), 5000)],
    };
    aidledger::actions::items::create_item(&db.ctx, &system(), cmd)
        .await
        .unwrap()
}

/// Runs one statement with one integer parameter straight on the database, bypassing the
/// application (for tests of what happens when someone does that).
pub async fn raw_exec(db: &TestDb, sql: &str, id: i64) -> Result<u64, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match db.store() {
        Store::Sqlite(p) => sqlx::query(sql)
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected()),
        Store::Pg(p) => sqlx::query(sql)
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected()),
    }
}

/// Drops the trigger that refuses UPDATE on the audit table, as a database owner could.
pub async fn drop_audit_guard(db: &TestDb) {
    match db.store() {
        Store::Sqlite(p) => {
            sqlx::query("DROP TRIGGER audit_no_update")
                .execute(p)
                .await
                .unwrap();
        }
        Store::Pg(p) => {
            sqlx::query("DROP TRIGGER audit_no_update ON audit_entry")
                .execute(p)
                .await
                .unwrap();
        }
    }
}

/// The text of a PDF by poppler's `pdftotext`. `None` only on a machine without it, where the
/// tests that need it are ignored (see `build.rs`); where it was found, failing to run it fails.
pub fn pdftotext_bytes(pdf: &[u8]) -> Option<String> {
    use std::io::Write;
    if !cfg!(aidledger_pdftotext) {
        return None;
    }
    let mut child = std::process::Command::new("pdftotext")
        .args(["-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext was found when the tests were built, but cannot run now");
    child
        .stdin
        .take()
        .expect("pdftotext's input")
        .write_all(pdf)
        .expect("pdftotext reads the PDF");
    let out = child.wait_with_output().expect("pdftotext ends");
    Some(String::from_utf8(out.stdout).expect("pdftotext writes UTF-8"))
}

/// One integer read straight from the database (a count, a sum that fits).
pub async fn scalar_i64(db: &TestDb, sql: &str) -> i64 {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match db.store() {
        Store::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        Store::Pg(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
    }
}

/// Rows of (text, integer) read straight from the database.
pub async fn text_int_rows(db: &TestDb, sql: &str) -> Vec<(String, i64)> {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match db.store() {
        Store::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
        Store::Pg(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
    }
}
