//! The parts of the narrative that are not sentences about money: the comparison table, the
//! management figures of section III and the two parts of section IV.

use super::super::document::{Fmt, table_columns};
use super::super::labels::Labels;
use super::super::model::{Align, Block, Section, Table};
use super::text_or_nothing;
use crate::domain::item::ItemStatus;
use crate::domain::period::{Period, PeriodKind};
use crate::rollup::LookupData;
use crate::rollup::figures::Figures;

/// This period against the previous one and the same period a year earlier; for a year the
/// two are the same period, printed once.
pub(super) fn comparison(labels: &Labels, f: &Fmt, period: &Period, fig: &Figures) -> Table {
    let year = period.kind == PeriodKind::Year;
    let mut headers = vec![
        f.t("Chỉ tiêu", "Indicator"),
        f.t("Kỳ báo cáo (USD)", "This period (USD)"),
    ];
    if !year {
        headers.push(f.t("Kỳ trước (USD)", "Previous period (USD)"));
    }
    headers.push(if year {
        f.t("Năm trước (USD)", "Previous year (USD)")
    } else {
        f.t("Cùng kỳ năm trước (USD)", "Same period last year (USD)")
    });
    let row = |name: String,
               now: crate::rollup::figures::Pair,
               prev: crate::rollup::figures::Pair,
               ago: crate::rollup::figures::Pair| {
        let mut r = vec![name, f.usd(now.usd_cents)];
        if !year {
            r.push(f.usd(prev.usd_cents));
        }
        r.push(f.usd(ago.usd_cents));
        r
    };
    let mut spec = vec![(4, Align::Left), (3, Align::Right), (3, Align::Right)];
    if !year {
        spec.push((3, Align::Right));
    }
    Table {
        title: if year {
            f.t("So sánh với năm trước", "Comparison with the previous year")
        } else {
            labels.charts.comparison.clone()
        },
        columns: table_columns(&headers, &spec),
        rows: vec![
            row(
                f.t("Giá trị cam kết", "Committed"),
                fig.committed,
                fig.previous_committed,
                fig.year_earlier_committed,
            ),
            row(
                f.t("Giá trị giải ngân", "Disbursed"),
                fig.disbursed,
                fig.previous_disbursed,
                fig.year_earlier_disbursed,
            ),
        ],
        total_row: None,
        unit: None,
        notes: Vec::new(),
    }
}

pub(super) fn management(labels: &Labels, f: &Fmt, look: &LookupData, fig: &Figures) -> Section {
    let count = |s: ItemStatus| look.items.iter().filter(|i| i.status == s).count();
    let (suspended, revoked) = (count(ItemStatus::Suspended), count(ItemStatus::Revoked));
    let cancellations = fig
        .item_figures
        .values()
        .filter(|x| x.cancelled.vnd != 0)
        .count();
    Section {
        heading: labels.sections.management.clone(),
        blocks: vec![Block::Bullets(vec![
            f.t(&format!("Số quyết định phê duyệt khoản viện trợ trong kỳ: {}.", fig.items_approved.len()), &format!("Approval decisions in the period: {}.", fig.items_approved.len())),
            match cancellations {
                0 => f.t(&format!("Số lần điều chỉnh cam kết trong kỳ: {}; không có khoản viện trợ nào bị hủy cam kết.", fig.amendments), &format!("Commitment amendments in the period: {}; no commitment was cancelled.", fig.amendments)),
                n => f.t(&format!("Số lần điều chỉnh cam kết trong kỳ: {}; số khoản viện trợ có cam kết bị hủy trong kỳ: {n}.", fig.amendments), &format!("Commitment amendments in the period: {}; aid items with a commitment cancelled in the period: {n}.", fig.amendments)),
            },
            f.t(&format!("Khoản viện trợ đang tạm dừng: {suspended}; đã thu hồi: {revoked}."), &format!("Aid items suspended: {suspended}; revoked: {revoked}.")),
            f.t(
                &format!("Mốc tiến độ đến hạn trong kỳ: {}; hoàn thành trong kỳ: {}; quá hạn chưa hoàn thành: {}.", fig.milestones_due.len(), fig.milestones_done.len(), fig.milestones_overdue.len()),
                &format!("Milestones due in the period: {}; completed in the period: {}; overdue and not done: {}.", fig.milestones_due.len(), fig.milestones_done.len(), fig.milestones_overdue.len()),
            ),
        ])],
    }
}

/// Section IV with its two parts. The saved assessment text goes to the first; a line of it
/// that reads "Khó khăn, vướng mắc" (or "Difficulties") starts the second.
pub(super) fn assessment(labels: &Labels, f: &Fmt, text: Option<&str>) -> Vec<Section> {
    let text = text.unwrap_or_default();
    let marker = |line: &str| {
        let l = line
            .trim()
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ')
            .trim_end_matches(':')
            .to_lowercase();
        l == "khó khăn, vướng mắc" || l == "difficulties" || l == "difficulties and obstacles"
    };
    let lines: Vec<&str> = text.lines().collect();
    let (results, difficulties) = match lines.iter().position(|l| marker(l)) {
        Some(i) => (
            lines[..i].join("\n"),
            lines.get(i + 1..).map(|l| l.join("\n")).unwrap_or_default(),
        ),
        None => (text.to_string(), String::new()),
    };
    vec![
        Section {
            heading: labels.sections.assessment.clone(),
            blocks: Vec::new(),
        },
        Section {
            heading: f.t("1. Kết quả đạt được", "1. Results achieved"),
            blocks: vec![Block::Paragraph(text_or_nothing(f, Some(&results)))],
        },
        Section {
            heading: f.t("2. Khó khăn, vướng mắc", "2. Difficulties and obstacles"),
            blocks: vec![Block::Paragraph(text_or_nothing(f, Some(&difficulties)))],
        },
    ]
}
