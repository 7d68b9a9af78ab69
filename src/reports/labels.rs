//! The fixed text of the report in each language: header motto, section headings, appendix
//! titles and column headers, chart titles and units, page numbers, footnote wording. The text
//! lives in `reports/labels.{vi,en}.toml` (compiled in with `include_str!`) so that translators
//! edit data, not code. Each file is parsed into [`Labels`], which denies unknown keys and
//! requires every known one: a missing or misspelt key fails the tests, not a user's report.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::Lang;

pub(crate) const VI_SOURCE: &str = include_str!("../../reports/labels.vi.toml");
pub(crate) const EN_SOURCE: &str = include_str!("../../reports/labels.en.toml");

/// A labels file that does not parse into [`Labels`] (a build defect, caught by the tests).
#[derive(Debug, thiserror::Error)]
#[error("the {lang} report labels are invalid: {message}")]
pub struct LabelsError {
    pub lang: &'static str,
    pub message: String,
}

/// All fixed text of the report in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub header: HeaderLabels,
    pub sections: SectionLabels,
    pub common: CommonLabels,
    pub charts: ChartLabels,
    pub appendix: AppendixLabels,
    pub document: DocumentLabels,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderLabels {
    pub country: String,
    pub motto: String,
    /// "Số: {number}"
    pub number: String,
    /// "{place}, ngày {day2} tháng {month_admin} năm {year}"
    pub date_line: String,
    /// "{day2}/{month_admin}/{year}"
    pub date_short: String,
    pub months: [String; 12],
    pub title: String,
    /// "… 6 tháng đầu năm {year}"
    pub subtitle_half_year: String,
    /// "… năm {year}"
    pub subtitle_year: String,
    /// "… {period}"
    pub subtitle_custom: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionLabels {
    pub overview: String,
    pub results: String,
    pub management: String,
    pub assessment: String,
    pub next_tasks: String,
    pub recommendations: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommonLabels {
    /// "Trang {n}/{total}"
    pub page: String,
    pub continued: String,
    /// "PHỤ LỤC {n}"
    pub appendix: String,
    /// "(Kèm theo Báo cáo số {number} ngày {date} của {agency})"
    pub attached: String,
    pub no_data: String,
    pub total: String,
    pub number_column: String,
    /// Digit-group separator for chart values ("." in Vietnamese, "," in English).
    pub thousands_separator: String,
    pub recipients: String,
    pub rates_heading: String,
    pub rates_method: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartLabels {
    /// "Biểu đồ {n}. {title}"
    pub figure: String,
    /// "Đơn vị: {unit}"
    pub unit: String,
    pub unit_million_vnd: String,
    pub unit_usd: String,
    pub unit_thousand_usd: String,
    pub by_sector: String,
    pub by_locality: String,
    pub by_country: String,
    pub by_donor: String,
    pub comparison: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppendixLabels {
    pub approved_items: AppendixText,
    pub disbursement: AppendixText,
    pub by_sector: AppendixText,
    pub by_locality: AppendixText,
    pub by_donor: AppendixText,
    pub ngos: AppendixText,
    pub milestones: AppendixText,
}

/// Fixed text the PDF renderer draws around the content (Decree 30/2020/NĐ-CP layout).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentLabels {
    /// The mark on every page of a draft: "DỰ THẢO".
    pub draft: String,
    /// "Phụ lục {n}", `{n}` in Roman numerals.
    pub appendix: String,
    /// "(Kèm theo Báo cáo số {number} ngày {day2} tháng {month_admin} năm {year} của {agency})"
    pub attached: String,
    /// What follows the clerk's blank in "Số:      /BC-SNgV" when no number is given.
    pub number_suffix: String,
}

/// Title and column headers of one appendix table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppendixText {
    pub title: String,
    pub columns: Vec<String>,
}

impl Labels {
    /// Parses the compiled-in labels of `lang`.
    ///
    /// # Errors
    /// [`LabelsError`] when the file is malformed or lacks a key; the tests rule this out.
    pub fn load(lang: Lang) -> Result<Self, LabelsError> {
        toml::from_str(source(lang)).map_err(|e| LabelsError {
            lang: lang.code(),
            message: e.to_string(),
        })
    }

    /// "Huế, ngày 05 tháng 7 năm 2025" / "Hue, 5 July 2025".
    #[must_use]
    pub fn date_line(&self, place: &str, date: NaiveDate) -> String {
        self.date_with(&self.header.date_line, place, date)
    }

    /// "05/7/2025" / "5 July 2025".
    #[must_use]
    pub fn date_short(&self, date: NaiveDate) -> String {
        self.date_with(&self.header.date_short, "", date)
    }

    /// `template` with the date placeholders (`{day}`, `{day2}`, `{month}`, `{month_admin}`,
    /// `{month_name}`, `{year}`) and `{place}` filled in.
    pub(crate) fn date_with(&self, template: &str, place: &str, date: NaiveDate) -> String {
        let month = date.month();
        let month_name = usize::try_from(date.month0())
            .ok()
            .and_then(|i| self.header.months.get(i))
            .map_or("", String::as_str);
        let day = date.day().to_string();
        let day2 = format!("{:02}", date.day());
        let month_plain = month.to_string();
        let month_admin = if month < 3 {
            format!("{month:02}")
        } else {
            month_plain.clone()
        };
        let year = date.year().to_string();
        fill(
            template,
            &[
                ("place", place),
                ("day", &day),
                ("day2", &day2),
                ("month", &month_plain),
                ("month_admin", &month_admin),
                ("month_name", month_name),
                ("year", &year),
            ],
        )
    }
}

pub(crate) fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => VI_SOURCE,
        Lang::En => EN_SOURCE,
    }
}

/// Replaces each `{key}` of `template` by its value in one pass; unknown keys stay as they are,
/// and braces inside the values are never expanded again.
#[must_use]
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (before, from_open) = rest.split_at(open);
        out.push_str(before);
        let Some(close) = from_open.find('}') else {
            out.push_str(from_open);
            return out;
        };
        let key = from_open.get(1..close).unwrap_or_default();
        match values.iter().find(|(k, _)| *k == key) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(from_open.get(..=close).unwrap_or_default()),
        }
        rest = from_open.get(close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Every key path of a TOML value, with array lengths, so two files can be compared.
    fn shape(value: &toml::Value, path: &str, out: &mut BTreeMap<String, String>) {
        match value {
            toml::Value::Table(table) => {
                for (key, inner) in table {
                    shape(inner, &format!("{path}.{key}"), out);
                }
            }
            toml::Value::Array(items) => {
                out.insert(path.to_owned(), format!("array of {}", items.len()));
            }
            other => {
                out.insert(path.to_owned(), other.type_str().to_owned());
            }
        }
    }

    #[test]
    fn both_languages_parse_with_every_key() {
        for lang in [Lang::Vi, Lang::En] {
            let labels = Labels::load(lang).expect("labels parse");
            assert!(!labels.common.page.is_empty());
        }
    }

    #[test]
    fn vi_and_en_have_the_same_keys_and_array_lengths() {
        let vi: toml::Value = toml::from_str(VI_SOURCE).expect("vi parses");
        let en: toml::Value = toml::from_str(EN_SOURCE).expect("en parses");
        let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
        shape(&vi, "", &mut a);
        shape(&en, "", &mut b);
        assert_eq!(a, b);
    }

    #[test]
    fn appendix_titles_and_columns_are_filled() {
        for lang in [Lang::Vi, Lang::En] {
            let labels = Labels::load(lang).expect("labels parse");
            let a = &labels.appendix;
            for text in [
                &a.approved_items,
                &a.disbursement,
                &a.by_sector,
                &a.by_locality,
                &a.by_donor,
                &a.ngos,
                &a.milestones,
            ] {
                assert!(!text.title.is_empty());
                assert!(text.columns.iter().all(|c| !c.is_empty()));
            }
        }
    }

    #[test]
    fn dates_follow_each_language() {
        let date = NaiveDate::from_ymd_opt(2025, 7, 5).expect("valid date");
        let vi = Labels::load(Lang::Vi).expect("vi");
        let en = Labels::load(Lang::En).expect("en");
        assert_eq!(vi.date_line("Huế", date), "Huế, ngày 05 tháng 7 năm 2025");
        assert_eq!(en.date_line("Hue", date), "Hue, 5 July 2025");
        let feb = NaiveDate::from_ymd_opt(2025, 2, 14).expect("valid date");
        assert_eq!(vi.date_short(feb), "14/02/2025");
    }

    #[test]
    fn fill_replaces_known_keys_once() {
        assert_eq!(
            fill("Trang {n}/{total} {x}", &[("n", "{total}"), ("total", "9")]),
            "Trang {total}/9 {x}"
        );
        assert_eq!(fill("open { brace", &[]), "open { brace");
    }
}
