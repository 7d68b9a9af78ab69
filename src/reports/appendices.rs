//! The seven appendix tables of the report: items approved, disbursement per item, by sector,
//! by locality, by donor and country, NGOs active in the province, milestones. Each table's
//! total row is the exact sum of its rows.

use super::document::{Fmt, table_columns};
use super::labels::Labels;
use super::model::{Align, Table};
use crate::domain::Lang;
use crate::rollup::breakdown::Breakdown;
use crate::rollup::figures::Figures;
use crate::rollup::table::group_name;
use crate::rollup::{Dimension, LookupData};
use std::collections::{BTreeMap, BTreeSet};

const L: Align = Align::Left;
const R: Align = Align::Right;
const C: Align = Align::Center;

pub(crate) fn build(labels: &Labels, f: &Fmt, look: &LookupData, fig: &Figures) -> Vec<Table> {
    let lang = f.lang;
    let name = |vi: &str, en: &str| {
        if lang == Lang::Vi {
            vi.to_string()
        } else {
            en.to_string()
        }
    };
    let org = |id: i64| look.organisation(id);
    let org_name =
        |id: i64| org(id).map_or_else(|| id.to_string(), |o| name(&o.name_vi, &o.name_en));
    let item = |id: i64| look.item(id);
    let shares_text = |list: &[crate::db::items::Allocation], dim: Dimension| {
        list.iter()
            .map(|a| group_name(look, dim, &a.code, lang))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let a = &labels.appendix;

    // 1. Items approved in the period.
    let mut approved_rows = Vec::new();
    let (mut t_usd, mut t_vnd) = (0_i128, 0_i128);
    for (n, id) in fig.items_approved.iter().enumerate() {
        let Some(i) = item(*id) else { continue };
        let figs = fig.item_figures.get(id).cloned().unwrap_or_default();
        let donor = org(i.donor_id);
        t_usd += figs.cumulative_committed.usd_cents;
        t_vnd += figs.cumulative_committed.vnd;
        approved_rows.push(vec![
            (n + 1).to_string(),
            name(&i.title_vi, &i.title_en),
            i.modality.label(lang).to_string(),
            donor.map_or_else(String::new, |o| {
                format!("{} ({})", name(&o.name_vi, &o.name_en), o.nationality)
            }),
            i.funding_source_id
                .map_or_else(|| f.t("Vốn tự có", "Own funds"), org_name),
            org_name(i.aid_owner_id),
            shares_text(look.sectors_of(i.id), Dimension::Sector),
            shares_text(look.localities_of(i.id), Dimension::Locality),
            format!("{} - {}", f.date(i.planned_start), f.date(i.planned_end)),
            figs.committed_original
                .iter()
                .map(|(c, m)| f.money_sum(*m, *c))
                .collect::<Vec<_>>()
                .join("; "),
            f.usd(figs.cumulative_committed.usd_cents),
            f.vnd(figs.cumulative_committed.vnd),
            format!(
                "{}, {}",
                i.approval_number.clone().unwrap_or_default(),
                i.approval_date.map(|d| f.date(d)).unwrap_or_default()
            ),
        ]);
    }
    let mut total = vec![String::new(); 13];
    total[1] = labels.common.total.clone();
    total[10] = f.usd(t_usd);
    total[11] = f.vnd(t_vnd);
    let t1 = Table {
        title: a.approved_items.title.clone(),
        columns: table_columns(
            &a.approved_items.columns,
            &[
                (1, C),
                (6, L),
                (3, L),
                (5, L),
                (3, L),
                (4, L),
                (4, L),
                (4, L),
                (3, C),
                (4, R),
                (3, R),
                (4, R),
                (3, L),
            ],
        ),
        rows: approved_rows,
        unit: None,
        notes: Vec::new(),
        total_row: Some(total),
    };

    // 2. Disbursement per item with money in the period.
    let mut rows = Vec::new();
    let (mut c, mut d, mut cum) = (0_i128, 0_i128, 0_i128);
    for (n, (id, x)) in fig.item_figures.iter().enumerate() {
        let Some(i) = item(*id) else { continue };
        c += x.cumulative_committed.usd_cents;
        d += x.disbursed.usd_cents;
        cum += x.cumulative_disbursed.usd_cents;
        rows.push(vec![
            (n + 1).to_string(),
            name(&i.title_vi, &i.title_en),
            org_name(i.donor_id),
            f.usd(x.cumulative_committed.usd_cents),
            f.usd(x.disbursed.usd_cents),
            f.usd(x.cumulative_disbursed.usd_cents),
            f.pct(
                x.cumulative_disbursed.usd_cents,
                x.cumulative_committed.usd_cents,
            ),
            i.status.label(lang).to_string(),
        ]);
    }
    let t2 = Table {
        title: a.disbursement.title.clone(),
        columns: table_columns(
            &a.disbursement.columns,
            &[
                (1, C),
                (7, L),
                (5, L),
                (3, R),
                (3, R),
                (3, R),
                (2, R),
                (3, L),
            ],
        ),
        rows,
        unit: None,
        notes: Vec::new(),
        total_row: Some(vec![
            String::new(),
            labels.common.total.clone(),
            String::new(),
            f.usd(c),
            f.usd(d),
            f.usd(cum),
            f.pct(cum, c),
            String::new(),
        ]),
    };

    // 3 and 4. By sector and by locality.
    let count_items = |list: &[crate::db::items::Allocation], dim: Dimension| {
        let mut m: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
        for al in list
            .iter()
            .filter(|al| fig.item_figures.contains_key(&al.item_id))
        {
            let key = match dim {
                Dimension::SectorGroup => look
                    .sector_parent
                    .get(&al.code)
                    .cloned()
                    .unwrap_or_else(|| al.code.clone()),
                _ => al.code.clone(),
            };
            m.entry(key).or_default().insert(al.item_id);
        }
        m
    };
    let group_table = |text: &super::labels::AppendixText,
                       dim: Dimension,
                       key: &str,
                       counts: &BTreeMap<String, BTreeSet<i64>>| {
        let committed = fig.committed_by.get(key).cloned().unwrap_or_default();
        let disbursed = fig.disbursed_by.get(key).cloned().unwrap_or_default();
        let rows = merged(&committed, &disbursed)
            .iter()
            .enumerate()
            .map(|(n, (k, cu, cv, du))| {
                vec![
                    (n + 1).to_string(),
                    group_name(look, dim, k, lang),
                    counts.get(k).map_or(0, BTreeSet::len).to_string(),
                    f.usd(*cu),
                    f.vnd(*cv),
                    f.usd(*du),
                    f.pct(*cu, committed.total_usd_cents),
                ]
            })
            .collect();
        Table {
            title: text.title.clone(),
            columns: table_columns(
                &text.columns,
                &[(1, C), (6, L), (2, R), (3, R), (4, R), (3, R), (2, R)],
            ),
            rows,
            unit: None,
            notes: Vec::new(),
            total_row: Some(vec![
                String::new(),
                labels.common.total.clone(),
                String::new(),
                f.usd(committed.total_usd_cents),
                f.vnd(committed.total_vnd),
                f.usd(disbursed.total_usd_cents),
                f.pct(committed.total_usd_cents, committed.total_usd_cents),
            ]),
        }
    };
    let t3 = group_table(
        &a.by_sector,
        Dimension::SectorGroup,
        "sector_group",
        &count_items(&look.sectors, Dimension::SectorGroup),
    );
    let t4 = group_table(
        &a.by_locality,
        Dimension::Locality,
        "locality",
        &BTreeMap::new(),
    );

    // 5. By donor NGO, with its country.
    let committed = fig.committed_by.get("donor").cloned().unwrap_or_default();
    let disbursed = fig.disbursed_by.get("donor").cloned().unwrap_or_default();
    let mut donor_items: BTreeMap<String, usize> = BTreeMap::new();
    for id in fig.item_figures.keys() {
        if let Some(i) = item(*id) {
            *donor_items.entry(i.donor_id.to_string()).or_default() += 1;
        }
    }
    let rows = merged(&committed, &disbursed)
        .iter()
        .enumerate()
        .map(|(n, (k, cu, _, du))| {
            let o = k.parse::<i64>().ok().and_then(org);
            vec![
                (n + 1).to_string(),
                o.map_or_else(|| k.clone(), |o| name(&o.name_vi, &o.name_en)),
                o.map_or_else(String::new, |o| o.nationality.clone()),
                donor_items.get(k).copied().unwrap_or(0).to_string(),
                f.usd(*cu),
                f.usd(*du),
            ]
        })
        .collect();
    let t5 = Table {
        title: a.by_donor.title.clone(),
        columns: table_columns(
            &a.by_donor.columns,
            &[(1, C), (8, L), (2, C), (2, R), (3, R), (3, R)],
        ),
        rows,
        unit: None,
        notes: Vec::new(),
        total_row: Some(vec![
            String::new(),
            labels.common.total.clone(),
            String::new(),
            String::new(),
            f.usd(committed.total_usd_cents),
            f.usd(disbursed.total_usd_cents),
        ]),
    };

    // 6. NGOs active in the province.
    let rows = fig
        .ngos_active
        .iter()
        .filter_map(|id| org(*id))
        .enumerate()
        .map(|(n, o)| {
            vec![
                (n + 1).to_string(),
                name(&o.name_vi, &o.name_en),
                o.nationality.clone(),
                o.cert_type
                    .map_or_else(String::new, |c| c.label(lang).to_string()),
                o.cert_number.clone().unwrap_or_default(),
                o.cert_valid_to.map(|d| f.date(d)).unwrap_or_default(),
                String::new(),
            ]
        })
        .collect();
    let t6 = Table {
        title: a.ngos.title.clone(),
        columns: table_columns(
            &a.ngos.columns,
            &[(1, C), (7, L), (2, C), (4, L), (3, L), (3, C), (4, L)],
        ),
        rows,
        unit: None,
        notes: Vec::new(),
        total_row: None,
    };

    // 7. Milestones due in the period or overdue at its end.
    let mut ms: Vec<&crate::db::ledger::Milestone> = fig
        .milestones_due
        .iter()
        .chain(fig.milestones_overdue.iter())
        .collect();
    ms.sort_by_key(|m| (m.planned_date, m.id));
    ms.dedup_by_key(|m| m.id);
    let rows = ms
        .iter()
        .enumerate()
        .map(|(n, m)| {
            vec![
                (n + 1).to_string(),
                item(m.item_id).map_or_else(String::new, |i| name(&i.title_vi, &i.title_en)),
                name(&m.title_vi, &m.title_en),
                f.date(m.planned_date),
                m.actual_date.map(|d| f.date(d)).unwrap_or_default(),
                m.status.label(lang).to_string(),
            ]
        })
        .collect();
    let t7 = Table {
        title: a.milestones.title.clone(),
        columns: table_columns(
            &a.milestones.columns,
            &[(1, C), (6, L), (6, L), (3, C), (3, C), (3, L)],
        ),
        rows,
        unit: None,
        notes: Vec::new(),
        total_row: None,
    };

    vec![t1, t2, t3, t4, t5, t6, t7]
}

/// Committed and disbursed breakdowns merged by key: (key, committed USD cents, committed VND,
/// disbursed USD cents), largest commitment first.
fn merged(committed: &Breakdown, disbursed: &Breakdown) -> Vec<(String, i128, i128, i128)> {
    let mut m: BTreeMap<String, (i128, i128, i128)> = BTreeMap::new();
    for r in &committed.rows {
        let e = m.entry(r.key.clone()).or_default();
        e.0 = r.usd_cents;
        e.1 = r.vnd;
    }
    for r in &disbursed.rows {
        m.entry(r.key.clone()).or_default().2 = r.usd_cents;
    }
    let mut v: Vec<(String, i128, i128, i128)> =
        m.into_iter().map(|(k, (a, b, c))| (k, a, b, c)).collect();
    v.sort_by(|x, y| {
        y.2.cmp(&x.2)
            .then_with(|| y.3.cmp(&x.3))
            .then_with(|| x.0.cmp(&y.0))
    });
    v
}
