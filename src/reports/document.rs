//! Builds the [`ReportDocument`] of a period from its [`Figures`]: the numbers become
//! sentences and tables in the report's language, every amount formatted once, here. The
//! renderer draws what this produces and computes nothing.
//!
//! Tables show exact amounts (đồng and cents) so every column adds up to its total row; only
//! charts use rounded units, because they are pictures of the figures, not figures.

use super::labels::Labels;
use super::model::{Align, BarChart, Block, Column, Header, ReportDocument, Section, Table};
use crate::config::Config;
use crate::domain::period::{Period, PeriodKind};
use crate::domain::{Currency, Lang};
use crate::rollup::breakdown::Breakdown;
use crate::rollup::figures::{Figures, Pair};
use crate::rollup::table::group_name;
use crate::rollup::{Dimension, LookupData};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What the person issuing the report supplies.
#[derive(Debug, Clone)]
pub struct IssueInfo {
    pub lang: Lang,
    pub issued_on: NaiveDate,
    /// The document number; blank by default, as drafts leave it for the registry to fill.
    pub number: String,
    /// Sections IV-VI as saved for the period (assessment, tasks, recommendations).
    pub free_text: [Option<String>; 3],
    /// Who signs (authority lines and full name); `None` prints no signature block.
    pub signer: Option<super::model::Signature>,
    /// "Nơi nhận" lines as the person gave them (the renderer adds "- " and the punctuation).
    pub recipients: Vec<String>,
    /// A draft: marked "DỰ THẢO" / "DRAFT" on every page, never archived.
    pub draft: bool,
    /// The audit anchor to print in the footer of an issued report (see `ReportDocument`).
    pub audit_anchor: Option<String>,
}

/// Formats figures in the report's language; shared with the appendix builders.
pub(crate) struct Fmt {
    pub lang: Lang,
}

impl Fmt {
    pub(crate) fn t(&self, vi: &str, en: &str) -> String {
        if self.lang == Lang::Vi {
            vi.to_string()
        } else {
            en.to_string()
        }
    }
    pub(crate) fn vnd(&self, v: impl Into<i128>) -> String {
        crate::domain::money::format_sum(v.into(), Currency::VND, self.lang)
    }
    pub(crate) fn usd(&self, c: impl Into<i128>) -> String {
        crate::domain::money::format_sum(c.into(), Currency::USD, self.lang)
    }
    /// A sum in an original currency (which may exceed what one [`Money`] holds).
    pub(crate) fn money_sum(&self, minor: i128, currency: Currency) -> String {
        let text = crate::domain::money::format_sum(minor, currency, self.lang);
        format!("{text} {}", currency.code())
    }
    /// `num / den` as a percentage with one decimal, or "-" when there is no base.
    pub(crate) fn pct(&self, num: impl Into<i128>, den: impl Into<i128>) -> String {
        let (num, den): (i128, i128) = (num.into(), den.into());
        if den == 0 {
            return "-".into();
        }
        let (Ok(num), Ok(den)) = (
            Decimal::try_from_i128_with_scale(num, 0),
            Decimal::try_from_i128_with_scale(den, 0),
        ) else {
            return "-".into();
        };
        let Some(v) = num
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|n| n.checked_div(den))
        else {
            return "-".into();
        };
        let v = v.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        let s = format!("{v:.1}");
        if self.lang == Lang::Vi {
            s.replace('.', ",")
        } else {
            s
        }
    }
    pub(crate) fn date(&self, d: NaiveDate) -> String {
        if self.lang == Lang::Vi {
            d.format("%d/%m/%Y").to_string()
        } else {
            d.format("%-d %b %Y").to_string()
        }
    }
    pub(crate) fn pair(&self, p: Pair) -> String {
        self.t(
            &format!("{} USD ({} đồng)", self.usd(p.usd_cents), self.vnd(p.vnd)),
            &format!("USD {} (VND {})", self.usd(p.usd_cents), self.vnd(p.vnd)),
        )
    }
    pub(crate) fn change(&self, now: i128, before: i128) -> String {
        if before == 0 {
            return self.t(
                "không có số liệu cùng kỳ",
                "no figure for the comparison period",
            );
        }
        let up = now >= before;
        let p = self.pct((now - before).abs(), before);
        match (self.lang, up) {
            (Lang::Vi, true) => format!("tăng {p}%"),
            (Lang::Vi, false) => format!("giảm {p}%"),
            (Lang::En, true) => format!("up {p}%"),
            (Lang::En, false) => format!("down {p}%"),
        }
    }
}

fn columns(headers: &[String], spec: &[(u16, Align)]) -> Vec<Column> {
    headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let (w, a) = spec.get(i).copied().unwrap_or((2, Align::Left));
            Column {
                header: h.clone(),
                width_weight: w,
                align: a,
            }
        })
        .collect()
}

fn subtitle(labels: &Labels, period: &Period, lang: Lang) -> String {
    let year = period.year.to_string();
    let fill = |t: &str| {
        t.replace("{year}", &year)
            .replace("{period}", &period.label(lang))
    };
    match period.kind {
        PeriodKind::Half(1) => fill(&labels.header.subtitle_half_year),
        PeriodKind::Year => fill(&labels.header.subtitle_year),
        _ => fill(&labels.header.subtitle_custom),
    }
}

/// Assembles the document. `look` and `figures` come from the same read snapshot.
pub fn build(
    config: &Config,
    look: &LookupData,
    period: &Period,
    fig: &Figures,
    info: &IssueInfo,
) -> Result<ReportDocument, super::labels::LabelsError> {
    let lang = info.lang;
    let labels = Labels::load(lang)?;
    let f = Fmt { lang };
    let org_name = |id: i64| {
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
    };
    let item = |id: i64| look.item(id);
    let item_title = |id: i64| {
        item(id).map_or_else(
            || id.to_string(),
            |i| {
                if lang == Lang::Vi {
                    i.title_vi.clone()
                } else {
                    i.title_en.clone()
                }
            },
        )
    };

    let header = Header {
        parent_agency: if lang == Lang::Vi {
            config.parent_agency_vi.clone()
        } else {
            config.parent_agency_en.clone()
        },
        issuing_agency: if lang == Lang::Vi {
            config.issuing_agency_vi.clone()
        } else {
            config.issuing_agency_en.clone()
        },
        number: info.number.clone(),
        place: if lang == Lang::Vi {
            config.place_vi.clone()
        } else {
            config.place_en.clone()
        },
        issued_on: info.issued_on,
        title: labels.header.title.clone(),
        subtitle: subtitle(&labels, period, lang),
    };

    // I. Overview.
    let overview = Section {
        heading: labels.sections.overview.clone(),
        blocks: vec![
            Block::Paragraph(f.t(
                &format!("Tính đến ngày {}, trên địa bàn có {} tổ chức PCPNN có giấy đăng ký còn hiệu lực; trong kỳ có {} tổ chức có hoạt động viện trợ, trong đó {} tổ chức lần đầu có khoản viện trợ được phê duyệt.", f.date(period.to), fig.ngos_with_valid_certificate.len(), fig.ngos_active.len(), fig.ngos_new.len()),
                &format!("As of {}, {} foreign NGOs hold a valid registration certificate in the province; {} were active in the period, of which {} had an aid item approved for the first time.", f.date(period.to), fig.ngos_with_valid_certificate.len(), fig.ngos_active.len(), fig.ngos_new.len()),
            )),
            Block::Bullets(fig.ngos_new.iter().map(|id| org_name(*id)).collect()),
        ],
    };

    // II. Results.
    let mut by_modality: BTreeMap<String, usize> = BTreeMap::new();
    for id in &fig.items_approved {
        if let Some(i) = item(*id) {
            *by_modality
                .entry(i.modality.label(lang).to_string())
                .or_default() += 1;
        }
    }
    let rate = f.pct(
        fig.cumulative_disbursed.usd_cents,
        fig.cumulative_committed.usd_cents,
    );
    let mut largest: Vec<(&i64, &crate::rollup::figures::ItemFigures)> = fig
        .item_figures
        .iter()
        .filter(|(_, x)| x.committed.vnd > 0)
        .collect();
    largest.sort_by(|a, b| b.1.committed.vnd.cmp(&a.1.committed.vnd).then(a.0.cmp(b.0)));
    let comparison = Table {
        title: labels.charts.comparison.clone(),
        columns: columns(
            &[
                f.t("Chỉ tiêu", "Indicator"),
                f.t("Kỳ báo cáo (USD)", "This period (USD)"),
                f.t("Kỳ trước (USD)", "Previous period (USD)"),
                f.t("Cùng kỳ năm trước (USD)", "Same period last year (USD)"),
            ],
            &[
                (4, Align::Left),
                (3, Align::Right),
                (3, Align::Right),
                (3, Align::Right),
            ],
        ),
        rows: vec![
            vec![
                f.t("Giá trị cam kết", "Committed"),
                f.usd(fig.committed.usd_cents),
                f.usd(fig.previous_committed.usd_cents),
                f.usd(fig.year_earlier_committed.usd_cents),
            ],
            vec![
                f.t("Giá trị giải ngân", "Disbursed"),
                f.usd(fig.disbursed.usd_cents),
                f.usd(fig.previous_disbursed.usd_cents),
                f.usd(fig.year_earlier_disbursed.usd_cents),
            ],
        ],
        unit: None,
        notes: Vec::new(),
        total_row: None,
    };
    let results = Section {
        heading: labels.sections.results.clone(),
        blocks: vec![
            Block::Paragraph(f.t(
                &format!("Trong kỳ có {} khoản viện trợ được phê duyệt, gồm:", fig.items_approved.len()),
                &format!("{} aid items were approved in the period:", fig.items_approved.len()),
            )),
            Block::Bullets(by_modality.iter().map(|(m, n)| format!("{m}: {n}")).collect()),
            Block::Paragraph(f.t(
                &format!("Giá trị cam kết trong kỳ đạt {}, {} so với cùng kỳ năm trước. Giá trị giải ngân trong kỳ đạt {}, {} so với cùng kỳ năm trước.", f.pair(fig.committed), f.change(fig.committed.usd_cents, fig.year_earlier_committed.usd_cents), f.pair(fig.disbursed), f.change(fig.disbursed.usd_cents, fig.year_earlier_disbursed.usd_cents)),
                &format!("Commitments in the period total {}, {} on the same period last year. Disbursements in the period total {}, {} on the same period last year.", f.pair(fig.committed), f.change(fig.committed.usd_cents, fig.year_earlier_committed.usd_cents), f.pair(fig.disbursed), f.change(fig.disbursed.usd_cents, fig.year_earlier_disbursed.usd_cents)),
            )),
            Block::Paragraph(f.t(
                &format!("Lũy kế đến hết kỳ: giá trị cam kết {}, giá trị giải ngân {}; tỷ lệ giải ngân {}%. Các khoản giải ngân chưa được xác minh ({}) không được tính vào số liệu trên.", f.pair(fig.cumulative_committed), f.pair(fig.cumulative_disbursed), rate, f.pair(fig.unverified)),
                &format!("Cumulative to the end of the period: committed {}, disbursed {}; disbursement rate {}%. Disbursements not yet verified ({}) are not counted above.", f.pair(fig.cumulative_committed), f.pair(fig.cumulative_disbursed), rate, f.pair(fig.unverified)),
            )),
            Block::Paragraph({
                let regions = fig.committed_by.get("region").map(|b| {
                    b.rows
                        .iter()
                        .map(|r| format!("{} {} USD ({}%)", crate::domain::item::region_label(&r.key, lang), f.usd(r.usd_cents), f.pct(r.usd_cents, b.total_usd_cents)))
                        .collect::<Vec<_>>()
                        .join("; ")
                });
                let regions = regions.filter(|r| !r.is_empty()).unwrap_or_else(|| labels.common.no_data.clone());
                f.t(&format!("Giá trị cam kết theo khu vực của nhà tài trợ: {regions}."), &format!("Commitments by donor region: {regions}."))
            }),
            Block::Table(comparison),
            Block::Paragraph(f.t("Các khoản viện trợ có giá trị cam kết lớn nhất trong kỳ:", "The largest commitments of the period:")),
            Block::Bullets(largest.iter().take(5).map(|(id, x)| format!("{} ({}): {} USD", item_title(**id), item(**id).map_or_else(String::new, |i| org_name(i.donor_id)), f.usd(x.committed.usd_cents))).collect()),
        ],
    };

    // III. Management.
    let revoked = look
        .items
        .iter()
        .filter(|i| i.status == crate::domain::item::ItemStatus::Revoked)
        .count();
    let suspended = look
        .items
        .iter()
        .filter(|i| i.status == crate::domain::item::ItemStatus::Suspended)
        .count();
    let management = Section {
        heading: labels.sections.management.clone(),
        blocks: vec![Block::Bullets(vec![
            f.t(&format!("Số quyết định phê duyệt khoản viện trợ trong kỳ: {}.", fig.items_approved.len()), &format!("Approval decisions in the period: {}.", fig.items_approved.len())),
            f.t(&format!("Số lần điều chỉnh cam kết trong kỳ: {}.", fig.amendments), &format!("Commitment amendments in the period: {}.", fig.amendments)),
            f.t(&format!("Khoản viện trợ đang tạm dừng: {suspended}; đã thu hồi: {revoked}."), &format!("Aid items suspended: {suspended}; revoked: {revoked}.")),
            f.t(
                &format!("Mốc tiến độ đến hạn trong kỳ: {}; hoàn thành trong kỳ: {}; quá hạn chưa hoàn thành: {}.", fig.milestones_due.len(), fig.milestones_done.len(), fig.milestones_overdue.len()),
                &format!("Milestones due in the period: {}; completed in the period: {}; overdue and not done: {}.", fig.milestones_due.len(), fig.milestones_done.len(), fig.milestones_overdue.len()),
            ),
        ])],
    };

    let free = |heading: &str, text: &Option<String>| Section {
        heading: heading.to_string(),
        blocks: vec![Block::Paragraph(
            text.clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| labels.common.no_data.clone()),
        )],
    };
    let sections = vec![
        overview,
        results,
        management,
        free(&labels.sections.assessment, &info.free_text[0]),
        free(&labels.sections.next_tasks, &info.free_text[1]),
        free(&labels.sections.recommendations, &info.free_text[2]),
    ];

    let million = |v: i128| i64::try_from((v + 500_000).div_euclid(1_000_000)).unwrap_or(i64::MAX);
    let group_chart = |title: &str, b: Option<&Breakdown>, dim: Dimension| BarChart {
        title: title.to_string(),
        unit_label: labels.charts.unit_million_vnd.clone(),
        bars: b
            .map(|b| {
                b.rows
                    .iter()
                    .map(|r| (group_name(look, dim, &r.key, lang), million(r.vnd)))
                    .collect()
            })
            .unwrap_or_default(),
    };
    let charts = vec![
        group_chart(
            &labels.charts.by_sector,
            fig.committed_by.get("sector_group"),
            Dimension::SectorGroup,
        ),
        BarChart {
            title: f.t(
                &format!("Giá trị giải ngân theo quý năm {}", period.year),
                &format!("Disbursements by quarter, {}", period.year),
            ),
            unit_label: labels.charts.unit_million_vnd.clone(),
            bars: fig
                .quarterly_disbursed
                .iter()
                .map(|(q, p)| (q.clone(), million(p.vnd)))
                .collect(),
        },
    ];

    let appendices = super::appendices::build(&labels, &f, look, fig);
    let rates_footnote = fig
        .rates_used
        .iter()
        .map(|r| {
            let to_vnd = r.to_vnd.value().normalize().to_string();
            let to_usd = r.to_usd.value().normalize().to_string();
            let (to_vnd, to_usd) = if lang == Lang::Vi {
                (to_vnd.replace('.', ","), to_usd.replace('.', ","))
            } else {
                (to_vnd, to_usd)
            };
            f.t(
                &format!(
                    "1 {} = {} đồng = {} USD ({}, {})",
                    r.currency,
                    to_vnd,
                    to_usd,
                    r.source,
                    f.date(r.rate_date)
                ),
                &format!(
                    "1 {} = VND {} = USD {} ({}, {})",
                    r.currency,
                    to_vnd,
                    to_usd,
                    r.source,
                    f.date(r.rate_date)
                ),
            )
        })
        .collect();
    Ok(ReportDocument {
        lang,
        header,
        sections,
        charts,
        signature: info.signer.clone(),
        recipients: info.recipients.clone(),
        appendices,
        rates_footnote,
        draft: info.draft,
        audit_anchor: info.audit_anchor.clone(),
    })
}

pub(crate) fn table_columns(headers: &[String], spec: &[(u16, Align)]) -> Vec<Column> {
    columns(headers, spec)
}
