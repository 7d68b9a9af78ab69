//! The seven appendix tables of the report: items approved, disbursement per item, by sector,
//! by locality, by donor and country, NGOs active in the province, milestones. Each table's
//! total row is the exact sum of its rows, and each total the narrative states is a total row
//! here. This file builds the two item tables; [`groups`] the others.

mod groups;
mod proposals;

use super::document::{Fmt, table_columns};
use super::labels::Labels;
use super::model::{Align, Table};
use crate::domain::Lang;
use crate::rollup::figures::Figures;
use crate::rollup::measures;
use crate::rollup::table::group_name;
use crate::rollup::{Dimension, LookupData};

const L: Align = Align::Left;
const R: Align = Align::Right;
const C: Align = Align::Center;

pub(crate) fn build(labels: &Labels, f: &Fmt, look: &LookupData, fig: &Figures) -> Vec<Table> {
    let lang = f.lang;
    let org = |id: i64| look.organisation(id);
    let org_name =
        |id: i64| org(id).map_or_else(|| id.to_string(), |o| f.t(&o.name_vi, &o.name_en));
    let item = |id: i64| look.item(id);
    let shares_text = |list: &[crate::db::items::Allocation], dim: Dimension| {
        list.iter()
            .map(|a| group_name(look, dim, &a.code, lang))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let a = &labels.appendix;

    // 1. Items approved in the period, then the earlier items whose commitment changed in
    // the period (amendments, cancellations), so the total is the period's commitments.
    let earlier: Vec<i64> = fig
        .item_figures
        .iter()
        .filter(|(id, x)| {
            !fig.items_approved.contains(id)
                && (x.committed != crate::rollup::figures::Pair::default()
                    || !x.committed_original_in_period.is_empty())
        })
        .map(|(id, _)| *id)
        .collect();
    let mut approved_rows = Vec::new();
    let (mut t_usd, mut t_vnd) = (0_i128, 0_i128);
    let heading_row = |text: String| {
        let mut r = vec![String::new(); 13];
        r[1] = text;
        r
    };
    let groups = [
        (
            f.t(
                "A. Khoản viện trợ được phê duyệt trong kỳ",
                "A. Aid items approved in the period",
            ),
            &fig.items_approved,
        ),
        (
            f.t(
                "B. Điều chỉnh, hủy cam kết trong kỳ của khoản viện trợ đã phê duyệt trước kỳ",
                "B. Amendments and cancellations in the period of items approved earlier",
            ),
            &earlier,
        ),
    ];
    let mut n = 0;
    for (title, ids) in groups {
        if ids.is_empty() {
            continue;
        }
        approved_rows.push(heading_row(title));
        for id in ids {
            let Some(i) = item(*id) else { continue };
            n += 1;
            let figs = fig.item_figures.get(id).cloned().unwrap_or_default();
            t_usd += figs.committed.usd_cents;
            t_vnd += figs.committed.vnd;
            approved_rows.push(vec![
                n.to_string(),
                f.t(&i.title_vi, &i.title_en),
                i.modality.label(lang).to_string(),
                org(i.donor_id).map_or_else(String::new, |o| donor_with_country(o, lang)),
                i.funding_source_id
                    .map_or_else(|| f.t("Vốn tự có", "Own funds"), org_name),
                org_name(i.aid_owner_id),
                shares_text(look.sectors_of(i.id), Dimension::Sector),
                shares_text(look.localities_of(i.id), Dimension::Locality),
                format!("{} - {}", f.date(i.planned_start), f.date(i.planned_end)),
                figs.committed_original_in_period
                    .iter()
                    .map(|(c, m)| f.money_sum(*m, *c))
                    .collect::<Vec<_>>()
                    .join("; "),
                f.usd(figs.committed.usd_cents),
                f.vnd(figs.committed.vnd),
                format!(
                    "{}, {}",
                    i.approval_number.clone().unwrap_or_default(),
                    i.approval_date.map(|d| f.date(d)).unwrap_or_default()
                ),
            ]);
        }
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
                // Numbers, amounts and dates keep their longest word whatever their weight,
                // so their small weights give the slack to the text columns, the tallest
                // cells of a row.
                (1, C),
                (7, L),
                (3, L),
                (4, L),
                (2, L),
                (3, L),
                (5, L),
                (3, L),
                (2, C),
                (2, R),
                (2, R),
                (2, R),
                // Wide enough for a decision's number ("327/QĐ-UBND,") on one line; at
                // three forty-sevenths it read as six lines of fragments. Still text, so in
                // a table too wide for its words it breaks after "/" or "-" before the text
                // columns' words break with a hyphen.
                (5, L),
            ],
        ),
        rows: approved_rows,
        unit: None,
        notes: vec![f.t(
            "Giá trị cam kết là giá trị ghi nhận trong kỳ (cam kết mới, điều chỉnh, hủy cam kết); dòng Tổng cộng bằng giá trị cam kết trong kỳ nêu tại Mục II.",
            "Amounts are the commitments dated in the period (new commitments, amendments, cancellations); the Total equals the commitments in the period stated in Section II.",
        )],
        total_row: Some(total),
    };

    // 2. Every item with money to the end of the period, so the totals are the cumulative
    // figures of Section II and the rate is the same rate.
    let mut rows = Vec::new();
    let (mut c, mut d, mut cum) = (0_i128, 0_i128, 0_i128);
    for (n, (id, x)) in fig.item_figures.iter().enumerate() {
        let Some(i) = item(*id) else { continue };
        c += x.cumulative_committed.usd_cents;
        d += x.disbursed.usd_cents;
        cum += x.cumulative_disbursed.usd_cents;
        rows.push(vec![
            (n + 1).to_string(),
            f.t(&i.title_vi, &i.title_en),
            org_name(i.donor_id),
            f.usd(x.cumulative_committed.usd_cents),
            f.usd(x.disbursed.usd_cents),
            f.usd(x.cumulative_disbursed.usd_cents),
            measures::rate_cell(
                measures::rate_of(x.cumulative_disbursed, x.cumulative_committed),
                lang,
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
                (3, R),
                (3, L),
            ],
        ),
        rows,
        unit: None,
        notes: vec![format!(
            "{}{}",
            measures::rate_label(lang),
            f.t(
                "; dòng Tổng cộng bằng số liệu lũy kế nêu tại Mục II; \"(vượt)\": giải ngân vượt giá trị cam kết.",
                "; the Total row equals the cumulative figures in Section II; \"(over)\": disbursed above the amount committed."
            )
        )],
        total_row: Some(vec![
            String::new(),
            labels.common.total.clone(),
            String::new(),
            f.usd(c),
            f.usd(d),
            f.usd(cum),
            measures::rate_text(
                measures::rate_of(
                    crate::rollup::figures::Pair {
                        vnd: 0,
                        usd_cents: cum,
                    },
                    crate::rollup::figures::Pair {
                        vnd: 0,
                        usd_cents: c,
                    },
                ),
                lang,
            ),
            String::new(),
        ]),
    };

    let (t3, t4, t5, t6, t7) = groups::build(labels, f, look, fig);
    let mut out = vec![t1, t2, t3, t4, t5, t6, t7];
    if let Some(stage) = &fig.stage {
        out.push(proposals::table(f, look, stage));
    }
    out
}

/// "Name (Country)", unless the name already ends with its country in brackets.
pub(crate) fn donor_with_country(o: &crate::db::orgs::Organisation, lang: Lang) -> String {
    let name = if lang == Lang::Vi {
        &o.name_vi
    } else {
        &o.name_en
    };
    let country = crate::domain::item::country_name(&o.nationality, lang);
    if name.contains(&format!("({country})")) {
        name.clone()
    } else {
        format!("{name} ({country})")
    }
}
