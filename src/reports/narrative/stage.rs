//! Section II's account of the stage programme: how far the stage has come against its
//! targets ("Lũy kế từ đầu giai đoạn … đạt …% mục tiêu …"), per priority sector group and
//! locality, and where the proposals offered to NGOs stand. The figures are
//! [`crate::rollup::progress`]'s; the proposals themselves are listed in the last appendix.

use super::super::document::{Fmt, table_columns};
use super::super::model::{Align, Block, Table};
use crate::domain::Currency;
use crate::domain::Lang;
use crate::domain::mobilisation::TargetDimension;
use crate::rollup::LookupData;
use crate::rollup::breakdown::Dimension;
use crate::rollup::measures;
use crate::rollup::progress::{StageProgress, in_currency};
use crate::rollup::table::group_name;

/// `num / den` as the report and the dashboard write every share of a target: two decimals,
/// never rounded onto 100 % (see [`measures::Ratio`]).
pub(crate) fn share(num: i128, den: i128, lang: Lang) -> String {
    measures::Ratio { num, den }.percent(lang)
}

/// An amount in the target's currency, in words ("2,5 triệu USD", "29,96 tỷ đồng").
fn target_words(minor: i128, currency: Currency, lang: Lang) -> String {
    if currency == Currency::VND {
        measures::vnd_in_words(minor, lang)
    } else {
        measures::usd_in_words(minor, lang)
    }
}

/// An exact amount in the target's currency, for a table cell.
fn target_exact(f: &Fmt, minor: i128, currency: Currency) -> String {
    if currency == Currency::VND {
        f.vnd(minor)
    } else {
        f.usd(minor)
    }
}

pub(super) fn blocks(f: &Fmt, look: &LookupData, s: &StageProgress) -> Vec<Block> {
    let lang = f.lang;
    let p = &s.programme;
    let cur = p.target_currency;
    let name = f.t(&p.name_vi, &p.name_en);
    let (start, through) = (f.date(p.starts_on), f.date(s.through));
    let achieved = s.achieved();
    let target = i128::from(p.target_minor);
    let pct = share(achieved, target, lang);
    let items_clause = match p.target_items {
        Some(n) => f.t(
            &format!(
                "; {} khoản viện trợ được phê duyệt, đạt {} mục tiêu {n} khoản",
                s.items.len(),
                share(s.items.len() as i128, i128::from(n), lang)
            ),
            &format!(
                "; {} aid items approved, {} of the target of {n} items",
                s.items.len(),
                share(s.items.len() as i128, i128::from(n), lang)
            ),
        ),
        None => f.t(
            &format!("; {} khoản viện trợ được phê duyệt", s.items.len()),
            &format!("; {} aid items approved", s.items.len()),
        ),
    };
    let unit = if cur == Currency::VND {
        "đồng"
    } else {
        "USD"
    };
    let mut out = vec![Block::Paragraph(f.t(
        &format!(
            "Thực hiện {name} (Quyết định số {} ngày {} của {}): lũy kế từ đầu giai đoạn ({start}) đến ngày {through}, giá trị cam kết đạt {}, đạt {pct} mục tiêu giai đoạn ({}){items_clause}. Riêng trong kỳ, giá trị cam kết đạt {} và {} khoản viện trợ được phê duyệt. Tỷ lệ được tính trên giá trị cam kết quy ra {unit} theo tỷ giá của ngày cam kết.",
            p.decision_number,
            f.date(p.decision_date),
            p.decision_authority,
            f.words(s.committed),
            target_words(target, cur, lang),
            f.words(s.committed_in_period),
            s.items_in_period.len(),
        ),
        &format!(
            "Under the {name} (Decision No. {} of {} by {}): cumulative from the start of the stage ({start}) to {through}, commitments total {}, {pct} of the stage's target ({}){items_clause}. In the period alone, commitments total {} and {} aid items were approved. The percentage is of commitments converted to {unit} at the rate of their date.",
            p.decision_number,
            f.date(p.decision_date),
            p.decision_authority,
            f.words(s.committed),
            target_words(target, cur, lang),
            f.words(s.committed_in_period),
            s.items_in_period.len(),
        ),
    ))];
    if !s.targets.is_empty() {
        let rows = s
            .targets
            .iter()
            .map(|t| {
                let dim = match t.target.dimension {
                    TargetDimension::SectorGroup => Dimension::SectorGroup,
                    TargetDimension::Locality => Dimension::Locality,
                };
                let got = in_currency(t.committed, cur);
                vec![
                    t.target.dimension.label(lang).to_string(),
                    group_name(look, dim, &t.target.code, lang),
                    t.target
                        .target_minor
                        .map_or_else(String::new, |m| target_exact(f, m.into(), cur)),
                    target_exact(f, got, cur),
                    t.target
                        .target_minor
                        .map_or_else(|| "-".to_string(), |m| share(got, m.into(), lang)),
                    match t.target.target_items {
                        Some(n) => format!("{}/{n}", t.items),
                        None => t.items.to_string(),
                    },
                ]
            })
            .collect();
        out.push(Block::Table(Table {
            title: f.t(
                "Kết quả theo lĩnh vực và địa bàn ưu tiên của giai đoạn",
                "Results by the stage's priority sector groups and localities",
            ),
            columns: table_columns(
                &[
                    f.t("Loại", "Kind"),
                    f.t("Lĩnh vực, địa bàn ưu tiên", "Priority"),
                    f.t(&format!("Mục tiêu ({unit})"), &format!("Target ({unit})")),
                    f.t(&format!("Đã đạt ({unit})"), &format!("Achieved ({unit})")),
                    f.t("Tỷ lệ", "Share"),
                    f.t("Số khoản", "Items"),
                ],
                &[
                    (3, Align::Left),
                    (5, Align::Left),
                    (4, Align::Right),
                    (4, Align::Right),
                    (2, Align::Right),
                    (2, Align::Right),
                ],
            ),
            rows,
            total_row: None,
            unit: None,
            notes: vec![f.t(
                "Một khoản viện trợ thuộc nhiều lĩnh vực hoặc địa bàn được chia theo tỷ lệ phân bổ; số khoản đếm khoản có phân bổ vào lĩnh vực, địa bàn đó.",
                "An item spanning several sectors or localities is split by its shares; an item is counted wherever it has a share.",
            )],
        }));
    }
    let counts: Vec<String> = s
        .by_status()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(st, n)| format!("{} {n}", st.label(lang).to_lowercase()))
        .collect();
    let from_proposals: Vec<_> = s
        .proposals
        .iter()
        .filter(|p| p.item_committed.is_some())
        .collect();
    let committed = s.from_proposals;
    out.push(Block::Paragraph(if s.proposals.is_empty() {
        f.t(
            "Danh mục chương trình, dự án kêu gọi vận động viện trợ của giai đoạn chưa có dự án nào.",
            "The stage's list of programmes and projects offered to NGOs holds no proposal yet.",
        )
    } else {
        f.t(
            &format!(
                "Danh mục chương trình, dự án kêu gọi vận động viện trợ của giai đoạn gồm {} dự án ({}); {} dự án đã thành khoản viện trợ được phê duyệt với giá trị cam kết {} (chi tiết tại phụ lục cuối báo cáo).",
                s.proposals.len(),
                counts.join(", "),
                from_proposals.len(),
                f.words(committed)
            ),
            &format!(
                "The stage's list of programmes and projects offered to NGOs holds {} proposals ({}); {} became approved aid items with commitments of {} (listed in the last appendix).",
                s.proposals.len(),
                counts.join(", "),
                from_proposals.len(),
                f.words(committed)
            ),
        )
    }));
    out
}
