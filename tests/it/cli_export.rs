//! `aidledger export`: the full transaction CSV of the demo ledger through the binary (complete,
//! exact to the cent against the ledger's own totals, filtered by period and organisation),
//! NGO scope through the action, formula guarding, and `export --period P` still writing the
//! rollup workbook; the web download in [`web`]. On PostgreSQL when `AIDLEDGER_TEST_PG_URL`
//! is set, like the rest.

use crate::common::{self, PgSchema, TestDb, pg_url, system};
use aidledger::Config;
use aidledger::actions::export::{TransactionSelection, export_transactions};
use aidledger::actions::{Actor, Ctx};
use aidledger::db::Store;
use aidledger::db::ledger::{MoneyTable, totals_by_currency};
use aidledger::domain::Currency;
use aidledger::domain::item::Role;
use aidledger::domain::period::Period;
use aidledger::error::Error;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::process::Command;

mod web;

/// The demo ledger, and the URL the binary reaches it by (on PostgreSQL, its test schema is
/// named in the URL's connection options).
struct DemoDb {
    ctx: Ctx,
    url: String,
    _dir: tempfile::TempDir,
    _sqlite: Option<TestDb>,
    /// Declared last so the store is dropped before its schema.
    _pg: Option<PgSchema>,
}

async fn demo_db() -> DemoDb {
    let dir = tempfile::tempdir().unwrap();
    let db = match pg_url() {
        Some(base) => {
            let schema = PgSchema::create(&base).await;
            let store = Store::connect_pg(schema.options(), 5).await.unwrap();
            store.migrate().await.unwrap();
            let sep = if base.contains('?') { '&' } else { '?' };
            let url = format!("{base}{sep}options[search_path]={}", schema.name);
            let config = Config {
                database_url: url.clone(),
                ..Config::default()
            };
            DemoDb {
                ctx: Ctx { store, config },
                url,
                _dir: dir,
                _sqlite: None,
                _pg: Some(schema),
            }
        }
        None => {
            let lite = common::fresh_sqlite().await;
            DemoDb {
                ctx: lite.ctx.clone(),
                url: lite.ctx.config.database_url.clone(),
                _dir: dir,
                _sqlite: Some(lite),
                _pg: None,
            }
        }
    };
    aidledger::demo::load(&db.ctx).await.unwrap();
    db
}

impl DemoDb {
    fn path(&self, name: &str) -> std::path::PathBuf {
        self._dir.path().join(name)
    }

    /// Runs the binary on this database; returns its standard output, failing on an error.
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_aidledger"))
            .args(args)
            .env("DATABASE_URL", &self.url)
            .env("AIDLEDGER_REPORTING_PERIODS", "calendar")
            .env_remove("AIDLEDGER_TEST_PG_URL")
            .output()
            .unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        );
        assert!(out.status.success(), "{args:?}: {stderr}");
        stdout
    }

    /// Exports with `args` after `export transactions --out FILE` and reads the file back.
    fn export(&self, name: &str, args: &[&str]) -> Csv {
        let file = self.path(name);
        let mut all = vec!["export", "transactions", "--out", file.to_str().unwrap()];
        all.extend_from_slice(args);
        let stdout = self.run(&all);
        let csv = Csv::parse(&std::fs::read(&file).unwrap());
        assert!(
            stdout.contains(&format!("wrote {} transaction(s)", csv.rows.len())),
            "{stdout}"
        );
        csv
    }
}

/// A transaction CSV read back: its rows as header → cell maps.
struct Csv {
    rows: Vec<BTreeMap<String, String>>,
}

impl Csv {
    fn parse(bytes: &[u8]) -> Csv {
        let body = bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .expect("the file starts with a UTF-8 byte order mark");
        let mut reader = csv::Reader::from_reader(body);
        let headers = reader.headers().unwrap().clone();
        assert_eq!(
            headers.iter().collect::<Vec<_>>(),
            aidledger::export::transactions::HEADERS
        );
        let rows = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                headers
                    .iter()
                    .zip(r.iter())
                    .map(|(h, c)| (h.to_string(), c.to_string()))
                    .collect()
            })
            .collect();
        Csv { rows }
    }

    /// The exact sum of the `amount` column per (kind, currency), read as decimals.
    fn sums(&self) -> BTreeMap<(String, String), (i64, Decimal)> {
        let mut out: BTreeMap<(String, String), (i64, Decimal)> = BTreeMap::new();
        for r in &self.rows {
            let amount: Decimal = r["amount"].parse().unwrap();
            let e = out
                .entry((r["kind"].clone(), r["currency"].clone()))
                .or_default();
            e.0 += 1;
            e.1 += amount;
        }
        out
    }

    fn keys(&self) -> Vec<(String, String)> {
        self.rows
            .iter()
            .map(|r| (r["kind"].clone(), r["id"].clone()))
            .collect()
    }
}

/// The ledger's own totals per (kind, currency): rows and exact sum in major units.
async fn ledger_totals(store: &Store) -> BTreeMap<(String, String), (i64, Decimal)> {
    let mut tx = store.read().await.unwrap();
    let mut out = BTreeMap::new();
    for table in [MoneyTable::Commitment, MoneyTable::Disbursement] {
        for t in totals_by_currency(&mut tx, table).await.unwrap() {
            let sum = Decimal::from_i128_with_scale(t.amount_minor, t.currency.minor_units());
            out.insert(
                (table.name().to_string(), t.currency.code().to_string()),
                (t.rows, sum),
            );
        }
    }
    drop(tx);
    const PLEDGES: &str = "SELECT currency, CAST(COUNT(*) AS BIGINT), CAST(SUM(amount_minor) AS BIGINT) FROM pledge GROUP BY currency";
    let pledges: Vec<(Currency, i64, i64)> = match store {
        Store::Sqlite(p) => sqlx::query_as(PLEDGES).fetch_all(p).await.unwrap(),
        Store::Pg(p) => sqlx::query_as(PLEDGES).fetch_all(p).await.unwrap(),
    };
    for (currency, rows, minor) in pledges {
        let sum = Decimal::new(minor, currency.minor_units());
        out.insert(("pledge".into(), currency.code().to_string()), (rows, sum));
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_ledger_exports_completely_and_exactly() {
    let db = demo_db().await;
    let all = db.export("all.csv", &[]);
    let totals = ledger_totals(&db.ctx.store).await;
    assert!(
        totals.len() > 5,
        "the demo has several currencies: {totals:?}"
    );
    assert_eq!(
        all.sums(),
        totals,
        "rows and sums per kind and currency equal the ledger's"
    );

    let mut keys = all.keys();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), all.rows.len(), "every row once");
    let order: Vec<_> = all
        .rows
        .iter()
        .map(|r| {
            (
                r["date"].clone(),
                r["kind"].clone(),
                r["id"].parse::<i64>().unwrap(),
            )
        })
        .collect();
    assert!(order.is_sorted(), "ordered by date, kind, id");

    for r in &all.rows {
        let audit = &r["audit_id"];
        assert!(!audit.is_empty(), "every row names its audit entry: {r:?}");
        let converted = !r["rate_id"].is_empty();
        match r["kind"].as_str() {
            "pledge" => assert!(r["status"].is_empty() && r["amount_vnd"].is_empty()),
            _ => {
                assert_eq!(converted, !r["amount_vnd"].is_empty(), "{r:?}");
                assert_eq!(converted, !r["amount_usd"].is_empty(), "{r:?}");
                assert_eq!(converted, r["unconverted_reason"].is_empty(), "{r:?}");
                assert!(!r["status"].is_empty());
            }
        }
        if r["currency"] == "USD" && converted {
            assert_eq!(r["amount"], r["amount_usd"], "a USD row converts to itself");
        }
    }
    for r in &all.rows {
        let negative = !r["reverses_id"].is_empty() || r["status"] == "cancellation";
        assert_eq!(
            negative,
            r["amount"].starts_with('-') && r["status"] != "amendment",
            "{r:?}"
        );
    }
    for status in ["original", "verified", "submitted"] {
        assert!(all.rows.iter().any(|r| r["status"] == status), "{status}");
    }

    // The audit reference is the entry that recorded the row's creation.
    let mut tx = db.ctx.store.read().await.unwrap();
    for r in all.rows.iter().step_by(37) {
        let entries = aidledger::db::audit::entries_for(&mut tx, &r["kind"], &r["id"])
            .await
            .unwrap();
        let first = &entries[0];
        assert_eq!(first.id.to_string(), r["audit_id"]);
        assert!(first.action.ends_with(".record") || first.action.ends_with(".report"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn period_and_organisation_select_exactly_their_rows() {
    let db = demo_db().await;
    let all = db.export("all.csv", &[]);

    let q1 = Period::parse("2025-Q1", false).unwrap();
    let in_q1 = |r: &BTreeMap<String, String>| {
        let d = common::date(&r["date"]);
        d >= q1.from && d <= q1.to
    };
    let expected: Vec<_> = all.rows.iter().filter(|r| in_q1(r)).cloned().collect();
    assert!(!expected.is_empty());
    assert_eq!(db.export("q1.csv", &["--period", "2025-Q1"]).rows, expected);

    let range = db.export("range.csv", &["--period", "2021-07-01..2022-06-30"]);
    let expected: Vec<_> = all
        .rows
        .iter()
        .filter(|r| r["date"].as_str() >= "2021-07-01" && r["date"].as_str() <= "2022-06-30")
        .cloned()
        .collect();
    assert_eq!(range.rows, expected);

    // A donor with pledges and other rows: its rows and nobody else's.
    let donor = all
        .rows
        .iter()
        .find(|r| r["kind"] == "pledge")
        .map(|r| r["donor_id"].clone())
        .unwrap();
    let mine: Vec<_> = all
        .rows
        .iter()
        .filter(|r| r["donor_id"] == donor)
        .cloned()
        .collect();
    assert!(mine.iter().any(|r| r["kind"] != "pledge"));
    assert_eq!(db.export("org.csv", &["--organisation", &donor]).rows, mine);
    let both: Vec<_> = mine.iter().filter(|r| in_q1(r)).cloned().collect();
    assert_eq!(
        db.export(
            "both.csv",
            &["--organisation", &donor, "--period", "2025-Q1"]
        )
        .rows,
        both
    );

    // NGO staff get their own organisation's rows, and another one is as if it did not exist.
    let donor_id: i64 = donor.parse().unwrap();
    let ngo = Actor::user(1, "ngo.user", Role::Ngo, Some(donor_id));
    let sel = TransactionSelection::default();
    let (summary, bytes) = export_transactions(&db.ctx, &ngo, sel, Vec::new())
        .await
        .unwrap();
    assert_eq!(Csv::parse(&bytes).rows, mine);
    assert_eq!(summary.rows, mine.len() as u64);
    let other = all
        .rows
        .iter()
        .map(|r| r["donor_id"].parse::<i64>().unwrap())
        .find(|d| *d != donor_id)
        .unwrap();
    let refused = export_transactions(
        &db.ctx,
        &ngo,
        TransactionSelection {
            organisation_id: Some(other),
            ..sel
        },
        Vec::new(),
    )
    .await;
    assert!(
        matches!(&refused, Err(Error::NotFound(what)) if *what == format!("organisation {other}")),
        "{refused:?}"
    );
    let missing = export_transactions(
        &db.ctx,
        &system(),
        TransactionSelection {
            organisation_id: Some(999_999),
            ..sel
        },
        Vec::new(),
    )
    .await;
    assert!(matches!(missing, Err(Error::NotFound(_))), "{missing:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn export_period_still_writes_the_rollup_workbook() {
    let db = demo_db().await;
    for (name, args) in [
        ("plain.xlsx", &["export", "--period", "2025"][..]),
        ("sub.xlsx", &["export", "rollup", "--period", "2025"][..]),
    ] {
        let file = db.path(name);
        let mut all = args.to_vec();
        all.extend(["--out", file.to_str().unwrap()]);
        let out = db.run(&all);
        assert!(out.contains("9 sheets"), "{out}");
        let bytes = std::fs::read(&file).unwrap();
        assert!(bytes.starts_with(b"PK"), "an XLSX file is a zip archive");
    }
    assert!(
        db.run(&["export", "transactions", "--help"])
            .contains("--organisation")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_title_that_could_run_as_a_formula_is_written_as_text() {
    use aidledger::db::ledger::NewCommitment;
    use aidledger::domain::item::CommitmentKind;
    let db = common::fresh_db().await;
    let orgs = common::seed_basics(&db).await;
    let item = common::seed_item(&db, "EQ-1", orgs).await;
    common::raw_exec(
        &db,
        "UPDATE aid_item SET title_vi = '=HYPERLINK(\"http://x\",\"bấm\")' WHERE id = $1",
        item,
    )
    .await
    .unwrap();
    let cmd = NewCommitment {
        item_id: item,
        kind: CommitmentKind::Original,
        amount_minor: 12_345,
        currency: Currency::USD,
        date: common::date("2025-02-03"),
        reference: None,
        entered_by: None,
    };
    aidledger::actions::ledger::record_commitment(&db.ctx, &system(), cmd)
        .await
        .unwrap();
    let (_, bytes) = export_transactions(
        &db.ctx,
        &system(),
        TransactionSelection::default(),
        Vec::new(),
    )
    .await
    .unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.contains(r#","'=HYPERLINK(""http://x"",""bấm"")","#),
        "{text}"
    );
    let csv = Csv::parse(text.as_bytes());
    let cell = &csv.rows[0]["item_title_vi"];
    assert_eq!(
        aidledger::domain::cell::unguard(cell),
        "=HYPERLINK(\"http://x\",\"bấm\")"
    );
    assert_eq!(csv.rows[0]["amount"], "123.45");
    assert_eq!(
        csv.rows[0]["unconverted_reason"].is_empty(),
        !csv.rows[0]["rate_id"].is_empty()
    );
}
