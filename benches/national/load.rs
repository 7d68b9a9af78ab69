//! Phase (a), the load: the schema through `Store::migrate`, then each table in one write
//! transaction of its own (`Store::write`, so the same locking as the application), as
//! multi-row `INSERT … VALUES` statements built with `sqlx::QueryBuilder::push_values`, each
//! as large as the engine's bind-parameter limit allows (SQLite 32,766, PostgreSQL 65,535).
//! Ids are explicit, so nothing is read back; indexes and triggers are live, as in production.
//! Afterwards, timed apart, `ANALYZE` (and on SQLite a WAL checkpoint, so the size is final).

use crate::BoxError;
use crate::data::{Dataset, ENTERED_BY, VERIFIED_BY, midnight, ymd};
use aidledger::Store;
use aidledger::db::Tx;
use aidledger::domain::item::{DisbursementStatus, Role};
use chrono::Days;
use sqlx::query_builder::Separated;
use sqlx::{Database, Executor, IntoArguments, QueryBuilder};
use std::time::{Duration, Instant};

/// Runs `$body` once per backend with `$c` the transaction's connection, `$db` the sqlx
/// database type and `$limit` its bind-parameter limit (the crate's own `on!` is private).
macro_rules! on_tx {
    ($tx:expr, $c:ident, $db:ident, $limit:ident => $body:expr) => {
        match $tx {
            Tx::Sqlite(t) => {
                type $db = sqlx::Sqlite;
                const $limit: usize = 32_766;
                let $c = &mut **t;
                $body
            }
            Tx::Pg(t) => {
                type $db = sqlx::Postgres;
                const $limit: usize = 65_535;
                let $c = &mut **t;
                $body
            }
        }
    };
}

/// Inserts `$rows` into `$table` in one write transaction and records the time taken.
macro_rules! load_table {
    ($store:expr, $out:expr, $table:literal, $columns:literal, $rows:expr, |$b:ident, $r:ident| $push:block) => {{
        let start = Instant::now();
        let rows = $rows;
        let mut tx = $store.write().await?;
        let head = concat!("INSERT INTO ", $table, " (", $columns, ") ");
        let cols = $columns.split(',').count();
        on_tx!(&mut tx, c, Db, LIMIT => {
            insert_batched::<Db, _, _>(c, head, LIMIT / cols, rows, |mut $b, $r| $push).await
        })?;
        tx.commit().await?;
        $out.push(TableTime { table: $table, rows: rows.len(), time: start.elapsed() });
    }};
}

async fn insert_batched<DB, T, F>(
    conn: &mut DB::Connection,
    head: &str,
    per_batch: usize,
    rows: &[T],
    mut push: F,
) -> Result<(), sqlx::Error>
where
    DB: Database,
    DB::Arguments: Default + IntoArguments<DB>,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    F: FnMut(Separated<'_, DB, &'static str>, &T),
{
    for chunk in rows.chunks(per_batch.max(1)) {
        let mut qb = QueryBuilder::<DB>::new(head);
        qb.push_values(chunk, &mut push);
        qb.build().execute(&mut *conn).await?;
    }
    Ok(())
}

pub struct TableTime {
    pub table: &'static str,
    pub rows: usize,
    pub time: Duration,
}

pub struct LoadReport {
    pub migrate: Duration,
    pub tables: Vec<TableTime>,
    /// `ANALYZE`, plus `wal_checkpoint(TRUNCATE)` on SQLite.
    pub finish: Duration,
}

impl LoadReport {
    pub fn rows(&self) -> usize {
        self.tables.iter().map(|t| t.rows).sum()
    }
    /// Migration, inserts and commits: the figure rows/s is computed from.
    pub fn load_time(&self) -> Duration {
        self.migrate + self.tables.iter().map(|t| t.time).sum::<Duration>()
    }
}

const USERS: [(i64, &str, Role); 3] = [
    (1, "bench-admin", Role::Admin),
    (ENTERED_BY, "bench-coordinator", Role::Coordinator),
    (VERIFIED_BY, "bench-reviewer", Role::Reviewer),
];

/// The bytes of every voucher the national data attaches.
const VOUCHER: &[u8] =
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

pub async fn load(store: &Store, d: &Dataset) -> Result<LoadReport, BoxError> {
    let start = Instant::now();
    store.migrate().await?;
    let migrate = start.elapsed();
    let mut t = Vec::new();
    load_table!(
        store,
        t,
        "sector",
        "code, parent_code, name_vi, name_en, dac_code, sort_order",
        &d.sectors,
        |b, s| {
            b.push_bind(&s.code)
                .push_bind(&s.parent_code)
                .push_bind(&s.name_vi)
                .push_bind(&s.name_en)
                .push_bind(&s.dac_code)
                .push_bind(s.sort_order);
        }
    );
    load_table!(
        store,
        t,
        "admin_unit",
        "code, name_vi, name_en, level, parent_code, valid_from, valid_to, successor_code",
        &d.units,
        |b, u| {
            b.push_bind(&u.code)
                .push_bind(&u.name_vi)
                .push_bind(&u.name_en)
                .push_bind(u.level)
                .push_bind(&u.parent_code)
                .push_bind(u.valid_from)
                .push_bind(u.valid_to)
                .push_bind(&u.successor_code);
        }
    );
    load_table!(
        store,
        t,
        "organisation",
        "id, kind, name_vi, name_en, acronym, nationality, iati_ref, cert_type, cert_number, cert_valid_from, cert_valid_to, created_at",
        &d.organisations,
        |b, o| {
            b.push_bind(o.id)
                .push_bind(o.kind)
                .push_bind(&o.name_vi)
                .push_bind(&o.name_en)
                .push_bind(&o.acronym)
                .push_bind(&o.nationality)
                .push_bind(&o.iati_ref)
                .push_bind(o.cert_type)
                .push_bind(&o.cert_number)
                .push_bind(o.cert_valid_from)
                .push_bind(o.cert_valid_to)
                .push_bind(o.created_at);
        }
    );
    load_table!(
        store,
        t,
        "app_user",
        "id, username, display_name, role, password_hash, created_at",
        &USERS,
        |b, u| {
            // "!" is no password hash at all, so these users cannot log in.
            b.push_bind(u.0)
                .push_bind(u.1)
                .push_bind(u.1)
                .push_bind(u.2)
                .push_bind("!")
                .push_bind(midnight(ymd(2007, 1, 1)));
        }
    );
    load_table!(
        store,
        t,
        "exchange_rate",
        "id, currency, rate_date, to_vnd, to_usd, source, created_at",
        &d.rates,
        |b, r| {
            b.push_bind(r.id)
                .push_bind(r.currency)
                .push_bind(r.date)
                .push_bind(r.to_vnd)
                .push_bind(r.to_usd)
                .push_bind("SBV (synthetic, benchmark)")
                .push_bind(midnight(r.date));
        }
    );
    load_table!(
        store,
        t,
        "aid_item",
        "id, code, title_vi, title_en, modality, form, donor_id, funding_source_id, aid_owner_id, managing_agency_id, approval_number, approval_date, approval_authority, legal_basis, planned_start, planned_end, actual_start, actual_end, status, beneficiaries, created_at",
        &d.items,
        |b, i| {
            b.push_bind(i.id)
                .push_bind(&i.code)
                .push_bind(&i.title_vi)
                .push_bind(&i.title_en)
                .push_bind(i.modality)
                .push_bind(i.form)
                .push_bind(i.donor_id)
                .push_bind(i.funding_source_id)
                .push_bind(i.aid_owner_id)
                .push_bind(i.managing_agency_id)
                .push_bind(&i.approval_number)
                .push_bind(i.approval_date)
                .push_bind(&i.approval_authority)
                .push_bind(&i.legal_basis)
                .push_bind(i.planned_start)
                .push_bind(i.planned_end)
                .push_bind(i.actual_start)
                .push_bind(i.actual_end)
                .push_bind(i.status)
                .push_bind(&i.beneficiaries)
                .push_bind(i.created_at);
        }
    );
    load_table!(
        store,
        t,
        "aid_item_sector",
        "item_id, sector_code, share_bp",
        &d.item_sectors,
        |b, a| {
            b.push_bind(a.item_id)
                .push_bind(&a.code)
                .push_bind(a.share_bp);
        }
    );
    load_table!(
        store,
        t,
        "aid_item_locality",
        "item_id, unit_code, share_bp",
        &d.item_localities,
        |b, a| {
            b.push_bind(a.item_id)
                .push_bind(&a.code)
                .push_bind(a.share_bp);
        }
    );
    load_table!(
        store,
        t,
        "commitment",
        "id, item_id, kind, amount_minor, currency, commitment_date, entered_by, created_at, rate_id, amount_vnd, amount_usd_cents",
        &d.commitments,
        |b, c| {
            b.push_bind(c.id)
                .push_bind(c.item_id)
                .push_bind(c.kind)
                .push_bind(c.amount_minor)
                .push_bind(c.currency)
                .push_bind(c.date)
                .push_bind(ENTERED_BY)
                .push_bind(midnight(c.date))
                .push_bind(c.conv.rate_id)
                .push_bind(c.conv.vnd)
                .push_bind(c.conv.usd_cents);
        }
    );
    load_table!(
        store,
        t,
        "disbursement",
        "id, item_id, amount_minor, currency, value_date, tranche, reverses_id, status, entered_by, verified_by, verified_at, created_at, rate_id, amount_vnd, amount_usd_cents",
        &d.disbursements,
        |b, x| {
            let verified = x.status == DisbursementStatus::Verified;
            let verified_at = x
                .date
                .checked_add_days(Days::new(2))
                .map(midnight)
                .filter(|_| verified);
            b.push_bind(x.id)
                .push_bind(x.item_id)
                .push_bind(x.amount_minor)
                .push_bind(x.currency)
                .push_bind(x.date)
                .push_bind(x.tranche)
                .push_bind(x.reverses_id)
                .push_bind(x.status)
                .push_bind(ENTERED_BY)
                .push_bind(verified.then_some(VERIFIED_BY))
                .push_bind(verified_at)
                .push_bind(midnight(x.date))
                .push_bind(x.conv.rate_id)
                .push_bind(x.conv.vnd)
                .push_bind(x.conv.usd_cents);
        }
    );
    // A scanned voucher on every fifth disbursement, as a province that files them would have:
    // each item page lists its documents (listing them once read the whole table, tenth round).
    // The bytes are one small PDF; their audit entries are left out, as no page reads them.
    let vouchers: Vec<_> = d.disbursements.iter().filter(|x| x.id % 5 == 0).collect();
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(VOUCHER));
    load_table!(
        store,
        t,
        "evidence_document",
        "disbursement_id, file_name, content_type, size_bytes, sha256, content, uploaded_by, uploaded_by_name, uploaded_at",
        &vouchers,
        |b, x| {
            b.push_bind(x.id)
                .push_bind(format!("chung-tu-{}.pdf", x.id))
                .push_bind("application/pdf")
                .push_bind(VOUCHER.len() as i64)
                .push_bind(&sha)
                .push_bind(VOUCHER)
                .push_bind(ENTERED_BY)
                .push_bind("bench-coordinator")
                .push_bind(midnight(x.date));
        }
    );
    drop(vouchers);
    // Their milestones, a tenth of the past ones still open (milestones.rs), and the NGOs'
    // reports on those in progress: the dashboard counts the overdue and the item page lists
    // both. No audit entries either.
    let (milestones, reports) = crate::milestones::rows(d);
    load_table!(
        store,
        t,
        "milestone",
        "id, item_id, title_vi, title_en, planned_date, actual_date, status, created_at",
        &milestones,
        |b, m| {
            b.push_bind(m.id)
                .push_bind(m.item_id)
                .push_bind(m.title_vi)
                .push_bind(m.title_en)
                .push_bind(m.planned)
                .push_bind(m.actual)
                .push_bind(m.status)
                .push_bind(m.created_at);
        }
    );
    load_table!(
        store,
        t,
        "milestone_report",
        "milestone_id, reported_by, status, evidence, created_at",
        &reports,
        |b, r| {
            b.push_bind(r.milestone_id)
                .push_bind(r.reported_by)
                .push_bind("in_progress")
                .push_bind(r.evidence)
                .push_bind(r.created_at);
        }
    );
    drop((milestones, reports));
    // The audit trail those rows would have (audit.rs); its time includes the hashing.
    let start = Instant::now();
    let entries = crate::audit::entries(store, d).await?;
    let chained = start.elapsed();
    load_table!(
        store,
        t,
        "audit_entry",
        "at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash",
        &entries,
        |b, e| {
            b.push_bind(e.at)
                .push_bind(e.actor_id)
                .push_bind(e.actor)
                .push_bind(e.action)
                .push_bind(e.entity)
                .push_bind(&e.entity_id)
                .push_bind(None::<String>)
                .push_bind(&e.after)
                .push_bind(&e.prev_hash)
                .push_bind(&e.hash);
        }
    );
    drop(entries);
    if let Some(audit) = t.last_mut() {
        audit.time += chained;
    }
    let start = Instant::now();
    match store {
        Store::Sqlite(p) => {
            sqlx::query("ANALYZE").execute(p).await?;
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(p)
                .await?;
        }
        Store::Pg(p) => {
            // Only this schema's tables: a bare ANALYZE would visit the whole database.
            sqlx::query("ANALYZE sector, admin_unit, organisation, app_user, exchange_rate, aid_item, aid_item_sector, aid_item_locality, commitment, disbursement, evidence_document, milestone, milestone_report, audit_entry").execute(p).await?;
            // The ids were given explicitly: move each identity past them, so that rows the
            // application adds later (the HTTP run's POSTs) get fresh ids.
            for table in [
                "organisation",
                "app_user",
                "exchange_rate",
                "aid_item",
                "commitment",
                "disbursement",
                "milestone",
            ] {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await?;
            }
        }
    }
    Ok(LoadReport {
        migrate,
        tables: t,
        finish: start.elapsed(),
    })
}
