//! Appendices 3 to 7: the tables by sector, by locality, by donor, the NGOs active in the
//! province and the milestones. Amounts are exact (đồng and cents) with the unit in each
//! header, so every column adds up to its total row.

use super::super::document::{Fmt, table_columns};
use super::super::labels::Labels;
use super::super::model::{Align, Table};
use crate::rollup::breakdown::Breakdown;
use crate::rollup::figures::Figures;
use crate::rollup::table::group_name;
use crate::rollup::{Dimension, LookupData};
use std::collections::{BTreeMap, BTreeSet};

const L: Align = Align::Left;
const R: Align = Align::Right;
const C: Align = Align::Center;

pub(super) fn build(
    labels: &Labels,
    f: &Fmt,
    look: &LookupData,
    fig: &Figures,
) -> (Table, Table, Table, Table, Table) {
    let lang = f.lang;
    let org = |id: i64| look.organisation(id);
    let item = |id: i64| look.item(id);
    let a = &labels.appendix;
    let with_money: BTreeSet<i64> = fig.items_with_money.iter().copied().collect();
    // 3. By sector group; 4. by locality (current units, cancellations apart).
    let current = crate::rollup::breakdown::current_units(&look.units);
    let current_unit = |code: &str| {
        current
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    };
    let count_items = |list: &[crate::db::items::Allocation], dim: Dimension| {
        let mut m: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
        for al in list.iter().filter(|al| with_money.contains(&al.item_id)) {
            let key = match dim {
                Dimension::SectorGroup => look
                    .sector_parent
                    .get(&al.code)
                    .cloned()
                    .unwrap_or_else(|| al.code.clone()),
                _ => current_unit(&al.code),
            };
            m.entry(key).or_default().insert(al.item_id);
        }
        m
    };
    // A share of a negative row is not a share: it prints "-".
    let share = |part: i128, whole: i128| {
        if part < 0 || whole <= 0 {
            "-".to_string()
        } else {
            f.pct(part, whole)
        }
    };
    let sector_counts = count_items(&look.sectors, Dimension::SectorGroup);
    let committed = fig
        .committed_by
        .get("sector_group")
        .cloned()
        .unwrap_or_default();
    let disbursed = fig
        .disbursed_by
        .get("sector_group")
        .cloned()
        .unwrap_or_default();
    let rows = merged(&committed, &disbursed)
        .iter()
        .enumerate()
        .map(|(n, (k, cu, cv, du))| {
            vec![
                (n + 1).to_string(),
                group_name(look, Dimension::SectorGroup, k, lang),
                sector_counts.get(k).map_or(0, BTreeSet::len).to_string(),
                f.usd(*cu),
                f.vnd(*cv),
                f.usd(*du),
                share(*cu, committed.total_usd_cents),
            ]
        })
        .collect();
    let count_note = f.t(
        "Số khoản viện trợ: số khoản có cam kết hoặc giải ngân trong kỳ; một khoản có nhiều lĩnh vực hoặc địa bàn được đếm ở mỗi dòng liên quan.",
        "Aid items: items with a commitment or disbursement in the period; an item with several sectors or localities is counted on each of their rows.",
    );
    let t3 = Table {
        title: a.by_sector.title.clone(),
        columns: table_columns(
            &a.by_sector.columns,
            &[(1, C), (6, L), (2, R), (3, R), (4, R), (3, R), (2, R)],
        ),
        rows,
        unit: None,
        notes: vec![count_note.clone()],
        total_row: Some(vec![
            String::new(),
            labels.common.total.clone(),
            String::new(),
            f.usd(committed.total_usd_cents),
            f.vnd(committed.total_vnd),
            f.usd(disbursed.total_usd_cents),
            share(committed.total_usd_cents, committed.total_usd_cents),
        ]),
    };

    let gross = fig
        .committed_by
        .get("locality_current")
        .cloned()
        .unwrap_or_default();
    let cancelled = fig
        .committed_by
        .get("locality_cancelled")
        .cloned()
        .unwrap_or_default();
    let disbursed = fig
        .disbursed_by
        .get("locality_current")
        .cloned()
        .unwrap_or_default();
    let locality_counts = count_items(&look.localities, Dimension::Locality);
    let cancelled_of = |k: &str| {
        cancelled
            .rows
            .iter()
            .find(|r| r.key == k)
            .map_or(0, |r| r.usd_cents)
    };
    let mut keys: Vec<(String, i128, i128, i128)> = merged(&gross, &disbursed);
    for r in &cancelled.rows {
        if !keys.iter().any(|k| k.0 == r.key) {
            keys.push((r.key.clone(), 0, 0, 0));
        }
    }
    let rows = keys
        .iter()
        .enumerate()
        .map(|(n, (k, cu, cv, du))| {
            vec![
                (n + 1).to_string(),
                group_name(look, Dimension::Locality, k, lang),
                locality_counts.get(k).map_or(0, BTreeSet::len).to_string(),
                f.usd(*cu),
                f.vnd(*cv),
                f.usd(-cancelled_of(k)),
                f.usd(*du),
                share(*cu, gross.total_usd_cents),
            ]
        })
        .collect();
    let net = gross.total_usd_cents + cancelled.total_usd_cents;
    let t4 = Table {
        title: a.by_locality.title.clone(),
        columns: table_columns(
            &a.by_locality.columns,
            &[(1, C), (6, L), (2, R), (3, R), (4, R), (3, R), (3, R), (2, R)],
        ),
        rows,
        unit: None,
        notes: vec![
            f.t(
                "Địa bàn ghi theo đơn vị hành chính cấp xã sau sắp xếp từ ngày 01/7/2025 (Nghị quyết số 202/2025/QH15): giá trị tại huyện, xã cũ được tính vào đơn vị kế thừa.",
                "Localities are the communes in force from 1 July 2025 (Resolution 202/2025/QH15): amounts in a former district or commune are counted in its successor.",
            ),
            f.t(
                &format!("Giá trị cam kết không gồm phần bị hủy; hủy cam kết ghi riêng ở cột (6). Giá trị cam kết thuần trong kỳ = (4) − (6) = {} USD, bằng giá trị cam kết trong kỳ nêu tại Mục II.", f.usd(net)),
                &format!("Commitments exclude cancellations, shown apart in column (6). Net commitments in the period = (4) − (6) = USD {}, the commitments in the period stated in Section II.", f.usd(net)),
            ),
            count_note,
        ],
        total_row: Some(vec![
            String::new(),
            labels.common.total.clone(),
            String::new(),
            f.usd(gross.total_usd_cents),
            f.vnd(gross.total_vnd),
            f.usd(-cancelled.total_usd_cents),
            f.usd(disbursed.total_usd_cents),
            share(gross.total_usd_cents, gross.total_usd_cents),
        ]),
    };

    // 5. By donor NGO, with its country.
    let committed = fig.committed_by.get("donor").cloned().unwrap_or_default();
    let disbursed = fig.disbursed_by.get("donor").cloned().unwrap_or_default();
    let mut donor_items: BTreeMap<String, usize> = BTreeMap::new();
    for id in &with_money {
        if let Some(i) = item(*id) {
            *donor_items.entry(i.donor_id.to_string()).or_default() += 1;
        }
    }
    let country =
        |o: &crate::db::orgs::Organisation| crate::domain::item::country_name(&o.nationality, lang);
    let rows = merged(&committed, &disbursed)
        .iter()
        .enumerate()
        .map(|(n, (k, cu, _, du))| {
            let o = k.parse::<i64>().ok().and_then(org);
            vec![
                (n + 1).to_string(),
                o.map_or_else(|| k.clone(), |o| f.t(&o.name_vi, &o.name_en)),
                o.map_or_else(String::new, country),
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
            &[(1, C), (8, L), (3, L), (2, R), (3, R), (3, R)],
        ),
        rows,
        unit: None,
        notes: Vec::new(),
        total_row: Some(vec![
            String::new(),
            labels.common.total.clone(),
            String::new(),
            with_money.len().to_string(),
            f.usd(committed.total_usd_cents),
            f.usd(disbursed.total_usd_cents),
        ]),
    };

    // 6. NGOs active in the province, with the sector groups of their aid items.
    let sectors_of_ngo = |id: i64| {
        let mut groups: BTreeSet<String> = BTreeSet::new();
        for i in look.items.iter().filter(|i| i.donor_id == id) {
            for al in look.sectors_of(i.id) {
                let g = look
                    .sector_parent
                    .get(&al.code)
                    .cloned()
                    .unwrap_or_else(|| al.code.clone());
                groups.insert(group_name(look, Dimension::SectorGroup, &g, lang));
            }
        }
        groups.into_iter().collect::<Vec<_>>().join("; ")
    };
    let rows = fig
        .ngos_active
        .iter()
        .filter_map(|id| org(*id))
        .enumerate()
        .map(|(n, o)| {
            vec![
                (n + 1).to_string(),
                f.t(&o.name_vi, &o.name_en),
                country(o),
                o.cert_type
                    .map_or_else(String::new, |c| c.label(lang).to_string()),
                o.cert_number.clone().unwrap_or_default(),
                o.cert_valid_to.map(|d| f.date(d)).unwrap_or_default(),
                sectors_of_ngo(o.id),
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
                item(m.item_id).map_or_else(String::new, |i| f.t(&i.title_vi, &i.title_en)),
                f.t(&m.title_vi, &m.title_en),
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

    (t3, t4, t5, t6, t7)
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
