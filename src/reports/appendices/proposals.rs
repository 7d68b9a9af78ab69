//! The last appendix: the stage's list of programmes and projects offered to NGOs, every
//! proposal with its status and, once approved, the aid item it became and that item's
//! committed value to the cut-off. Estimates are in their own currencies and are not summed
//! (they are plans); the committed columns add up to their total row.

use super::super::document::{Fmt, table_columns};
use super::super::model::{Align, Table};
use crate::rollup::LookupData;
use crate::rollup::breakdown::Dimension;
use crate::rollup::progress::StageProgress;
use crate::rollup::table::group_name;

pub(super) fn table(f: &Fmt, look: &LookupData, s: &StageProgress) -> Table {
    let lang = f.lang;
    let mut approved = 0;
    let rows = s
        .proposals
        .iter()
        .enumerate()
        .map(|(n, pp)| {
            let p = &pp.proposal;
            let item = p.item_id.and_then(|id| look.item(id));
            if pp.item_committed.is_some() {
                approved += 1;
            }
            vec![
                (n + 1).to_string(),
                f.t(&p.title_vi, &p.title_en),
                group_name(look, Dimension::Sector, &p.sector_code, lang),
                group_name(look, Dimension::Locality, &p.unit_code, lang),
                group_name(look, Dimension::AidOwner, &p.aid_owner_id.to_string(), lang),
                f.money_sum(p.estimate_minor.into(), p.currency),
                p.status.label(lang).to_string(),
                item.map_or_else(String::new, |i| i.code.clone()),
                pp.item_committed
                    .map_or_else(String::new, |c| f.usd(c.usd_cents)),
                pp.item_committed.map_or_else(String::new, |c| f.vnd(c.vnd)),
            ]
        })
        .collect();
    let p = &s.programme;
    Table {
        title: f.t(
            &format!(
                "Danh mục chương trình, dự án kêu gọi vận động viện trợ – {} (tình hình đến ngày {})",
                p.name_vi,
                f.date(s.through)
            ),
            &format!(
                "Programmes and projects offered to NGOs – {} (status as of {})",
                p.name_en,
                f.date(s.through)
            ),
        ),
        columns: table_columns(
            &[
                f.t("STT", "No."),
                f.t("Tên chương trình, dự án", "Programme or project"),
                f.t("Lĩnh vực", "Sector"),
                f.t("Địa bàn", "Locality"),
                f.t("Chủ khoản viện trợ đề xuất", "Proposing aid owner"),
                f.t("Giá trị dự kiến (nguyên tệ)", "Estimate (original currency)"),
                f.t("Tình trạng", "Status"),
                f.t("Khoản viện trợ", "Aid item"),
                f.t("Giá trị cam kết (USD)", "Committed (USD)"),
                f.t("Giá trị cam kết (đồng)", "Committed (VND)"),
            ],
            &[
                (1, Align::Center),
                (6, Align::Left),
                (3, Align::Left),
                (3, Align::Left),
                (4, Align::Left),
                (3, Align::Right),
                (3, Align::Left),
                (3, Align::Left),
                (3, Align::Right),
                (4, Align::Right),
            ],
        ),
        rows,
        total_row: Some(vec![
            String::new(),
            f.t("Tổng cộng", "Total"),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            f.t(
                &format!("{approved} đã phê duyệt"),
                &format!("{approved} approved"),
            ),
            String::new(),
            f.usd(s.from_proposals.usd_cents),
            f.vnd(s.from_proposals.vnd),
        ]),
        unit: None,
        notes: vec![f.t(
            "Giá trị dự kiến là giá trị kêu gọi, không cộng vào giá trị cam kết. Giá trị cam kết là lũy kế của khoản viện trợ đến ngày chốt số liệu, quy đổi theo tỷ giá của ngày cam kết.",
            "An estimate is what was sought and is never added to commitments. Committed values are the aid item's cumulative commitments to the cut-off, converted at the rate of their date.",
        )],
    }
}
