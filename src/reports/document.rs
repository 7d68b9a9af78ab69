//! Builds the [`ReportDocument`] of a period from its [`Figures`]: the numbers become
//! sentences and tables in the report's language, every amount formatted once, here. The
//! renderer draws what this produces and computes nothing.
//!
//! Tables show exact amounts (đồng and cents) so every column adds up to its total row; only
//! charts use rounded units, because they are pictures of the figures, not figures.

use super::labels::Labels;
use super::model::{Align, BarChart, Column, Header, ReportDocument};
use crate::config::Config;
use crate::domain::period::{Period, PeriodKind};
use crate::domain::{Currency, Lang};
use crate::rollup::breakdown::Breakdown;
use crate::rollup::figures::{Figures, Pair};
use crate::rollup::measures;
use crate::rollup::table::group_name;
use crate::rollup::{Dimension, LookupData};
use chrono::NaiveDate;
use rust_decimal::Decimal;

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
    /// A decimal with grouped digits and exactly its own decimals: "27.080,93" / "27,080.93".
    pub(crate) fn decimal(&self, d: Decimal) -> String {
        let text = d.abs().to_string();
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let (group, point) = if self.lang == Lang::Vi {
            ('.', ',')
        } else {
            (',', '.')
        };
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(c);
        }
        let sign = if d.is_sign_negative() { "-" } else { "" };
        if frac.is_empty() {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}{point}{frac}")
        }
    }
    /// An amount in a sentence, as officers write it: "29,96 tỷ đồng (1,16 triệu USD)".
    pub(crate) fn words(&self, p: Pair) -> String {
        format!(
            "{} ({})",
            measures::vnd_in_words(p.vnd, self.lang),
            measures::usd_in_words(p.usd_cents, self.lang)
        )
    }
    pub(crate) fn date(&self, d: NaiveDate) -> String {
        if self.lang == Lang::Vi {
            d.format("%d/%m/%Y").to_string()
        } else {
            d.format("%-d %b %Y").to_string()
        }
    }
    /// The change on the same period a year earlier, on the one basis of [`measures::growth`].
    pub(crate) fn change(&self, now: Pair, before: Pair) -> String {
        let g = measures::growth(now, before);
        let Some(bp) = g.basis_points() else {
            return self.t(
                "không có số liệu cùng kỳ năm trước để so sánh",
                "with no figure for the same period last year to compare",
            );
        };
        let p = measures::percent_of_bp(bp.abs(), self.lang);
        let basis = measures::growth_basis(self.lang);
        match (self.lang, bp >= 0) {
            (Lang::Vi, true) => format!("tăng {p} so với cùng kỳ năm trước ({basis})"),
            (Lang::Vi, false) => format!("giảm {p} so với cùng kỳ năm trước ({basis})"),
            (Lang::En, true) => format!("up {p} on the same period last year ({basis})"),
            (Lang::En, false) => format!("down {p} on the same period last year ({basis})"),
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

    let sections = super::narrative::sections(&labels, &f, look, period, fig, info);

    let million = |v: i128| i64::try_from((v + 500_000).div_euclid(1_000_000)).unwrap_or(i64::MAX);
    let group_chart = |title: &str, b: Option<&Breakdown>, dim: Dimension| {
        let mut bars: Vec<(String, i64)> = b
            .map(|b| {
                b.rows
                    .iter()
                    .map(|r| (group_name(look, dim, &r.key, lang), million(r.vnd)))
                    .collect()
            })
            .unwrap_or_default();
        // Largest first, as a reader compares them; ties by name so the order is stable.
        bars.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        BarChart {
            title: title.to_string(),
            unit_label: labels.charts.unit_million_vnd.clone(),
            bars,
        }
    };
    let charts = vec![
        group_chart(
            &labels.charts.by_sector,
            fig.committed_by.get("sector_group"),
            Dimension::SectorGroup,
        ),
        BarChart {
            title: f.t(
                &format!("Giá trị giải ngân theo quý, {}", period.label(lang)),
                &format!("Disbursements by quarter, {}", period.label(lang)),
            ),
            unit_label: labels.charts.unit_million_vnd.clone(),
            // The period's own quarters, in calendar order (a time series is not re-sorted).
            bars: fig
                .quarterly_disbursed
                .iter()
                .map(|(q, p)| (measures::quarter_label(q, lang), million(p.vnd)))
                .collect(),
        },
    ];

    let appendices = super::appendices::build(&labels, &f, look, fig);
    let rates_footnote = rates_footnote(&f, fig);
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

/// One line per rate used: "1 EUR = 27.080,93 đồng = 1,0588 USD (source, date)". The VND
/// rows (the inverse of the USD rate) and the USD rows' identity "= 1 USD" are left out;
/// digits are grouped and a rate keeps the decimals it was entered with, no more.
fn rates_footnote(f: &Fmt, fig: &Figures) -> Vec<String> {
    fig.rates_used
        .iter()
        .filter(|r| r.currency != Currency::VND)
        .map(|r| {
            let to_vnd = f.decimal(r.to_vnd.value());
            let source = source_name(&r.source, f.lang);
            let date = f.date(r.rate_date);
            if r.currency == Currency::USD {
                f.t(
                    &format!("1 USD = {to_vnd} đồng ({source}, {date})"),
                    &format!("1 USD = VND {to_vnd} ({source}, {date})"),
                )
            } else {
                let to_usd = f.decimal(r.to_usd.value());
                f.t(
                    &format!(
                        "1 {} = {to_vnd} đồng = {to_usd} USD ({source}, {date})",
                        r.currency
                    ),
                    &format!(
                        "1 {} = VND {to_vnd} = USD {to_usd} ({source}, {date})",
                        r.currency
                    ),
                )
            }
        })
        .collect()
}

/// The rate source in the report's language: the State Bank's names are translated, any
/// other source is printed as entered. Inner brackets become a dash so none nest.
fn source_name(source: &str, lang: Lang) -> String {
    const SBV_VI: &str = "Ngân hàng Nhà nước Việt Nam";
    let (bank, rest) = match source.strip_prefix(SBV_VI) {
        Some(rest) => (
            if lang == Lang::Vi {
                SBV_VI
            } else {
                "State Bank of Vietnam"
            },
            rest.trim(),
        ),
        None => return source.replace('(', "– ").replace(')', ""),
    };
    let kind = rest.trim_start_matches('(').trim_end_matches(')').trim();
    let kind = match (kind, lang) {
        ("", _) => return bank.to_string(),
        ("tỷ giá tính chéo", Lang::En) => "cross rate",
        ("tỷ giá trung tâm", Lang::En) => "central rate",
        (k, _) => k,
    };
    format!("{bank}, {kind}")
}

pub(crate) fn table_columns(headers: &[String], spec: &[(u16, Align)]) -> Vec<Column> {
    columns(headers, spec)
}
