//! A period's rollup by one dimension as a named table: committed and disbursed in VND and
//! USD per group, and the total row. This is what `aidledger rollup` prints, what the API
//! serves and what the report's appendix tables are made from, so they cannot disagree.

use super::LookupData;
use super::breakdown::{Breakdown, Dimension, breakdown};
use super::sums::{Flow, UnconvertedRow, Window, item_sums, unconverted};
use crate::db::Tx;
use crate::domain::money::canonical_sum;
use crate::domain::period::Period;
use crate::domain::{Currency, Lang, Money};
use crate::error::Result;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableRow {
    pub key: String,
    pub name: String,
    pub committed_vnd: i128,
    pub committed_usd_cents: i128,
    pub disbursed_vnd: i128,
    pub disbursed_usd_cents: i128,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RollupTable {
    pub period: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub dimension: Dimension,
    pub rows: Vec<TableRow>,
    pub total: TableRow,
    /// Rows in the period without a usable rate: the figures above leave them out, and a
    /// report refuses to issue until they are converted.
    pub unconverted: Vec<UnconvertedRow>,
}

/// The display name of a group key in `lang`.
#[must_use]
pub fn group_name(look: &LookupData, dim: Dimension, key: &str, lang: Lang) -> String {
    let pick = |vi: &str, en: &str| {
        if lang == Lang::Vi {
            vi.to_string()
        } else {
            en.to_string()
        }
    };
    let unallocated = || pick("Chưa phân bổ", "Unallocated");
    match dim {
        Dimension::Sector | Dimension::SectorGroup => look
            .sector_list
            .iter()
            .find(|s| s.code == key)
            .map_or_else(unallocated, |s| pick(&s.name_vi, &s.name_en)),
        Dimension::Locality => look
            .units
            .iter()
            .find(|u| u.code == key)
            .map_or_else(unallocated, |u| pick(&u.name_vi, &u.name_en)),
        Dimension::Donor | Dimension::AidOwner => key
            .parse::<i64>()
            .ok()
            .and_then(|id| look.organisation(id))
            .map_or_else(|| key.to_string(), |o| pick(&o.name_vi, &o.name_en)),
        Dimension::Country => crate::domain::item::country_name(key, lang),
        Dimension::Region => crate::domain::item::region_label(key, lang).to_string(),
        Dimension::Modality => key
            .parse::<crate::domain::item::Modality>()
            .map_or_else(|_| key.to_string(), |m| m.label(lang).to_string()),
        Dimension::Status => key
            .parse::<crate::domain::item::ItemStatus>()
            .map_or_else(|_| key.to_string(), |s| s.label(lang).to_string()),
    }
}

/// Builds the table of `period` by `dim`, reading everything in `tx` (one snapshot).
pub async fn rollup_table(
    tx: &mut Tx,
    look: &LookupData,
    period: &Period,
    dim: Dimension,
    lang: Lang,
) -> Result<RollupTable> {
    let window = Window {
        from: period.from,
        to: period.to,
    };
    // Only items the lookup holds count: all of them normally, an NGO's own for its users.
    let known = |mut v: Vec<super::ItemSum>| {
        v.retain(|s| look.item(s.item_id).is_some());
        v
    };
    let committed = breakdown(
        &known(item_sums(tx, Flow::Committed, window).await?),
        dim,
        &look.lookup(),
    )?;
    let disbursed = breakdown(
        &known(item_sums(tx, Flow::Disbursed, window).await?),
        dim,
        &look.lookup(),
    )?;
    let mut unconverted = unconverted(tx, window).await?;
    unconverted.retain(|u| look.item(u.item_id).is_some());
    Ok(merge(
        look,
        period,
        dim,
        lang,
        &committed,
        &disbursed,
        unconverted,
    ))
}

fn merge(
    look: &LookupData,
    period: &Period,
    dim: Dimension,
    lang: Lang,
    committed: &Breakdown,
    disbursed: &Breakdown,
    unconverted: Vec<UnconvertedRow>,
) -> RollupTable {
    let mut rows: BTreeMap<String, TableRow> = BTreeMap::new();
    let blank = |key: &str| TableRow {
        key: key.to_string(),
        name: group_name(look, dim, key, lang),
        committed_vnd: 0,
        committed_usd_cents: 0,
        disbursed_vnd: 0,
        disbursed_usd_cents: 0,
    };
    for r in &committed.rows {
        let row = rows.entry(r.key.clone()).or_insert_with(|| blank(&r.key));
        row.committed_vnd = r.vnd;
        row.committed_usd_cents = r.usd_cents;
    }
    for r in &disbursed.rows {
        let row = rows.entry(r.key.clone()).or_insert_with(|| blank(&r.key));
        row.disbursed_vnd = r.vnd;
        row.disbursed_usd_cents = r.usd_cents;
    }
    let mut rows: Vec<TableRow> = rows.into_values().collect();
    // Largest first, as the report lists them; ties by key so the order is stable.
    rows.sort_by(|a, b| {
        (b.committed_vnd + b.disbursed_vnd)
            .cmp(&(a.committed_vnd + a.disbursed_vnd))
            .then_with(|| a.key.cmp(&b.key))
    });
    let total = TableRow {
        key: "total".into(),
        name: if lang == Lang::Vi {
            "Tổng cộng".into()
        } else {
            "Total".into()
        },
        committed_vnd: committed.total_vnd,
        committed_usd_cents: committed.total_usd_cents,
        disbursed_vnd: disbursed.total_vnd,
        disbursed_usd_cents: disbursed.total_usd_cents,
    };
    RollupTable {
        period: period.code(),
        from: period.from,
        to: period.to,
        dimension: dim,
        rows,
        total,
        unconverted,
    }
}

impl RollupTable {
    /// CSV with canonical decimal amounts, one row per group and a final total row. Text
    /// cells that a spreadsheet would run as a formula are prefixed with `'`.
    #[must_use]
    pub fn to_csv(&self) -> String {
        let mut out =
            String::from("key,name,committed_vnd,committed_usd,disbursed_vnd,disbursed_usd\n");
        for r in self.rows.iter().chain(std::iter::once(&self.total)) {
            let cells = [
                csv_cell(&r.key),
                csv_cell(&r.name),
                canonical_sum(r.committed_vnd, Currency::VND),
                canonical_sum(r.committed_usd_cents, Currency::USD),
                canonical_sum(r.disbursed_vnd, Currency::VND),
                canonical_sum(r.disbursed_usd_cents, Currency::USD),
            ];
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }

    /// A plain-text table for the terminal, amounts in canonical form.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut lines = vec![format!(
            "{:<14} {:<44} {:>20} {:>16} {:>20} {:>16}",
            "key", "name", "committed VND", "committed USD", "disbursed VND", "disbursed USD"
        )];
        for r in self.rows.iter().chain(std::iter::once(&self.total)) {
            let name: String = r.name.chars().take(44).collect();
            lines.push(format!(
                "{:<14} {:<44} {:>20} {:>16} {:>20} {:>16}",
                r.key.chars().take(14).collect::<String>(),
                name,
                canonical_sum(r.committed_vnd, Currency::VND),
                canonical_sum(r.committed_usd_cents, Currency::USD),
                canonical_sum(r.disbursed_vnd, Currency::VND),
                canonical_sum(r.disbursed_usd_cents, Currency::USD),
            ));
        }
        if !self.unconverted.is_empty() {
            lines.push(format!("{} transaction(s) in the period have no usable exchange rate and are not in these figures:", self.unconverted.len()));
            for u in &self.unconverted {
                lines.push(format!(
                    "  {} {} (item {}): {} {} on {}: {}",
                    u.table_name,
                    u.id,
                    u.item_id,
                    Money::from_minor(u.amount_minor, u.currency).canonical(),
                    u.currency,
                    u.date,
                    u.reason
                ));
            }
        }
        lines.join("\n") + "\n"
    }
}

/// Quotes a CSV cell when needed and defuses formula injection (`=`, `+`, `-`, `@` first).
#[must_use]
pub fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}
