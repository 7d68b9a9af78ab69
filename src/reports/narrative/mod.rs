//! Sections I–VI of the report: the figures as an officer writes them. Amounts in sentences are
//! in tỷ/triệu đồng with the USD equivalent ([`Fmt::words`]); exact amounts are in the tables.
//! Every total stated here is a total row of a table (the committed figure is Appendix 1's,
//! the cumulative figures and the rate are Appendix 2's), and the rate and growth are those of
//! [`crate::rollup::measures`], the same as the dashboard's.

use super::document::{Fmt, IssueInfo, table_columns};
use super::labels::Labels;
use super::model::{Align, Block, Section, Table};
use crate::domain::Lang;
use crate::domain::item::{ItemStatus, Modality, OrgKind};
use crate::domain::period::Period;
use crate::rollup::LookupData;
use crate::rollup::figures::Figures;
use crate::rollup::measures;

mod parts;
mod stage;
use parts::{assessment, comparison, management};

/// The six sections in order; IV is split into its results and its difficulties.
pub(crate) fn sections(
    labels: &Labels,
    f: &Fmt,
    look: &LookupData,
    period: &Period,
    fig: &Figures,
    info: &IssueInfo,
) -> Vec<Section> {
    let mut out = vec![
        overview(labels, f, look, period, fig, info),
        results(labels, f, look, period, fig),
        management(labels, f, look, fig),
    ];
    out.extend(assessment(labels, f, info.free_text[0].as_deref()));
    let free = |heading: &str, text: Option<&str>| Section {
        heading: heading.to_string(),
        blocks: vec![Block::Paragraph(text_or_nothing(f, text))],
    };
    out.push(free(
        &labels.sections.next_tasks,
        info.free_text[1].as_deref(),
    ));
    out.push(free(
        &labels.sections.recommendations,
        info.free_text[2].as_deref(),
    ));
    out
}

fn text_or_nothing(f: &Fmt, text: Option<&str>) -> String {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map_or_else(|| f.t("Không có nội dung", "No content"), str::to_string)
}

fn org_name(look: &LookupData, lang: Lang, id: i64) -> String {
    look.organisation(id).map_or_else(
        || id.to_string(),
        |o| {
            if lang == Lang::Vi {
                o.name_vi.clone()
            } else {
                o.name_en.clone()
            }
        },
    )
}

fn overview(
    labels: &Labels,
    f: &Fmt,
    look: &LookupData,
    period: &Period,
    fig: &Figures,
    info: &IssueInfo,
) -> Section {
    let lang = f.lang;
    let (from, to) = (f.date(period.from), f.date(period.to));
    let mut blocks = vec![Block::Paragraph(f.t(
        &format!("Số liệu trong báo cáo được tổng hợp từ ngày {from} đến hết ngày {to} (ngày chốt số liệu: {to}); báo cáo lập ngày {}.", f.date(info.issued_on)),
        &format!("The figures in this report cover {from} to {to} inclusive (data cut-off date: {to}); the report was prepared on {}.", f.date(info.issued_on)),
    ))];
    let (valid, active, new) = (
        fig.ngos_with_valid_certificate.len(),
        fig.ngos_active.len(),
        fig.ngos_new.len(),
    );
    let new_clause = match (new, lang) {
        (0, Lang::Vi) => {
            "; không có tổ chức nào lần đầu có khoản viện trợ được phê duyệt".to_string()
        }
        (0, Lang::En) => "; none had an aid item approved for the first time".to_string(),
        (n, Lang::Vi) => format!(", trong đó {n} tổ chức lần đầu có khoản viện trợ được phê duyệt"),
        (n, Lang::En) => format!(", of which {n} had an aid item approved for the first time"),
    };
    blocks.push(Block::Paragraph(f.t(
        &format!("Tính đến ngày {to}, trên địa bàn có {valid} tổ chức PCPNN có giấy đăng ký còn hiệu lực; trong kỳ có {active} tổ chức có hoạt động viện trợ{new_clause}."),
        &format!("As of {to}, {valid} foreign NGOs hold a valid registration certificate in the province; {active} were active in the period{new_clause}."),
    )));
    if new > 0 {
        blocks.push(Block::Bullets(
            fig.ngos_new
                .iter()
                .map(|id| org_name(look, lang, *id))
                .collect(),
        ));
    }
    // Certificates issued or expiring in the period.
    let mut certs = Vec::new();
    for o in look
        .organisations
        .iter()
        .filter(|o| o.kind == OrgKind::ForeignNgo)
    {
        let name = if lang == Lang::Vi {
            &o.name_vi
        } else {
            &o.name_en
        };
        let number = o.cert_number.clone().unwrap_or_default();
        if let Some(d) = o.cert_valid_from.filter(|d| period.contains(*d)) {
            certs.push(f.t(
                &format!(
                    "{name}: được cấp giấy đăng ký số {number}, có hiệu lực từ ngày {};",
                    f.date(d)
                ),
                &format!(
                    "{name}: registration certificate No. {number} issued, valid from {};",
                    f.date(d)
                ),
            ));
        }
        if let Some(d) = o.cert_valid_to.filter(|d| period.contains(*d)) {
            certs.push(f.t(
                &format!(
                    "{name}: giấy đăng ký số {number} hết hạn ngày {};",
                    f.date(d)
                ),
                &format!(
                    "{name}: registration certificate No. {number} expired on {};",
                    f.date(d)
                ),
            ));
        }
    }
    if certs.is_empty() {
        blocks.push(Block::Paragraph(f.t(
            "Trong kỳ không có tổ chức PCPNN nào được cấp hoặc hết hạn giấy đăng ký.",
            "No foreign NGO's registration certificate was issued or expired in the period.",
        )));
    } else {
        if let Some(last) = certs.last_mut()
            && last.ends_with(';')
        {
            last.pop();
            last.push('.');
        }
        blocks.push(Block::Paragraph(f.t(
            "Giấy đăng ký của tổ chức PCPNN được cấp hoặc hết hạn trong kỳ:",
            "Foreign NGO registration certificates issued or expired in the period:",
        )));
        blocks.push(Block::Bullets(certs));
    }
    Section {
        heading: labels.sections.overview.clone(),
        blocks,
    }
}

fn results(labels: &Labels, f: &Fmt, look: &LookupData, period: &Period, fig: &Figures) -> Section {
    let lang = f.lang;
    let mut blocks = Vec::new();
    // Aid types in one fixed order (the vocabulary's), the same in both languages.
    let by_modality = fig.committed_by.get("modality");
    let mut rows = Vec::new();
    for m in Modality::ALL {
        let count = fig
            .items_approved
            .iter()
            .filter(|id| look.item(**id).is_some_and(|i| i.modality == *m))
            .count();
        let value = by_modality
            .and_then(|b| b.rows.iter().find(|r| r.key == m.code()))
            .map_or((0, 0), |r| (r.usd_cents, r.vnd));
        if count == 0 && value == (0, 0) {
            continue;
        }
        rows.push(vec![
            m.label(lang).to_string(),
            count.to_string(),
            f.usd(value.0),
            f.vnd(value.1),
        ]);
    }
    blocks.push(Block::Paragraph(f.t(
        &format!("Trong kỳ có {} khoản viện trợ được phê duyệt. Giá trị cam kết trong kỳ (gồm cam kết mới, điều chỉnh và hủy cam kết) đạt {}, {}. Giá trị giải ngân trong kỳ đạt {}, {}.", fig.items_approved.len(), f.words(fig.committed), f.change(fig.committed, fig.year_earlier_committed), f.words(fig.disbursed), f.change(fig.disbursed, fig.year_earlier_disbursed)),
        &format!("{} aid items were approved in the period. Commitments in the period (new commitments, amendments and cancellations) total {}, {}. Disbursements in the period total {}, {}.", fig.items_approved.len(), f.words(fig.committed), f.change(fig.committed, fig.year_earlier_committed), f.words(fig.disbursed), f.change(fig.disbursed, fig.year_earlier_disbursed)),
    )));
    if fig.cancelled.vnd != 0 {
        let c = crate::rollup::figures::Pair {
            vnd: -fig.cancelled.vnd,
            usd_cents: -fig.cancelled.usd_cents,
        };
        blocks.push(Block::Paragraph(f.t(
            &format!(
                "Giá trị cam kết bị hủy trong kỳ: {}, đã trừ vào giá trị cam kết nêu trên.",
                f.words(c)
            ),
            &format!(
                "Commitments cancelled in the period: {}, deducted from the commitments above.",
                f.words(c)
            ),
        )));
    }
    blocks.push(Block::Table(Table {
        title: f.t(
            "Số khoản viện trợ được phê duyệt và giá trị cam kết trong kỳ theo loại hình",
            "Aid items approved and commitments in the period by aid type",
        ),
        columns: table_columns(
            &[
                f.t("Loại hình", "Aid type"),
                f.t("Số khoản được phê duyệt", "Items approved"),
                f.t("Giá trị cam kết (USD)", "Committed (USD)"),
                f.t("Giá trị cam kết (đồng)", "Committed (VND)"),
            ],
            &[
                (5, Align::Left),
                (2, Align::Right),
                (3, Align::Right),
                (4, Align::Right),
            ],
        ),
        rows,
        total_row: Some(vec![
            labels.common.total.clone(),
            fig.items_approved.len().to_string(),
            f.usd(fig.committed.usd_cents),
            f.vnd(fig.committed.vnd),
        ]),
        unit: None,
        notes: Vec::new(),
    }));
    let rate = measures::rate_text(measures::disbursement_rate(fig), lang);
    blocks.push(Block::Paragraph(f.t(
        &format!(
            "Lũy kế đến hết kỳ: giá trị cam kết {}, giá trị giải ngân {}. {}: {rate}.",
            f.words(fig.cumulative_committed),
            f.words(fig.cumulative_disbursed),
            measures::rate_label(lang)
        ),
        &format!(
            "Cumulative to the end of the period: committed {}, disbursed {}. {}: {rate}.",
            f.words(fig.cumulative_committed),
            f.words(fig.cumulative_disbursed),
            measures::rate_label(lang)
        ),
    )));
    if let Some(stage) = &fig.stage {
        blocks.extend(stage::blocks(f, look, stage));
    }
    if fig.unverified.vnd != 0 {
        blocks.push(Block::Paragraph(f.t(
            &format!("Các khoản giải ngân đã nhập nhưng chưa được xác minh, trị giá {}, chưa được tính vào số liệu trên.", measures::vnd_in_words(fig.unverified.vnd, lang)),
            &format!("Disbursements entered but not yet verified, worth {}, are not counted above.", measures::vnd_in_words(fig.unverified.vnd, lang)),
        )));
    }
    if let Some(b) = fig
        .committed_by
        .get("region")
        .filter(|b| !b.rows.is_empty())
    {
        let mut rows: Vec<_> = b.rows.iter().collect();
        rows.sort_by(|x, y| y.vnd.cmp(&x.vnd).then_with(|| x.key.cmp(&y.key)));
        let parts: Vec<String> = rows
            .iter()
            .map(|r| {
                format!(
                    "{} {}, {}%",
                    crate::domain::item::region_label(&r.key, lang),
                    measures::vnd_in_words(r.vnd, lang),
                    f.pct(r.vnd, b.total_vnd)
                )
            })
            .collect();
        let parts = parts.join("; ");
        blocks.push(Block::Paragraph(f.t(
            &format!("Giá trị cam kết trong kỳ theo khu vực của nhà tài trợ: {parts}."),
            &format!("Commitments in the period by donor region: {parts}."),
        )));
    }
    blocks.push(Block::Table(comparison(labels, f, period, fig)));
    // The largest current commitments: a revoked or cancelled item is not one.
    let mut largest: Vec<_> = fig
        .item_figures
        .iter()
        .filter(|(id, x)| {
            x.committed.vnd > 0
                && look.item(**id).is_some_and(|i| {
                    !matches!(i.status, ItemStatus::Revoked | ItemStatus::Cancelled)
                })
        })
        .collect();
    largest.sort_by(|a, b| b.1.committed.vnd.cmp(&a.1.committed.vnd).then(a.0.cmp(b.0)));
    if !largest.is_empty() {
        blocks.push(Block::Paragraph(f.t(
            "Các khoản viện trợ có giá trị cam kết lớn nhất trong kỳ:",
            "The largest commitments of the period:",
        )));
        blocks.push(Block::Bullets(
            largest
                .iter()
                .take(5)
                .filter_map(|(id, x)| {
                    let i = look.item(**id)?;
                    let title = if lang == Lang::Vi {
                        &i.title_vi
                    } else {
                        &i.title_en
                    };
                    Some(format!(
                        "{title} – {}: {}",
                        org_name(look, lang, i.donor_id),
                        measures::vnd_in_words(x.committed.vnd, lang)
                    ))
                })
                .collect(),
        ));
    }
    Section {
        heading: labels.sections.results.clone(),
        blocks,
    }
}
