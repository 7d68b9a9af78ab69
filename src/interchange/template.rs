//! The spreadsheet templates: one record type per sheet (or CSV file), each a fixed list of
//! columns with a stable key, an English header and a Vietnamese header. Which header a file
//! uses is recognised case- and diacritic-insensitively, so "Ngày giá trị", "ngay gia tri",
//! "Value date" and `value_date` all name the same column.

use crate::domain::Lang;

/// One column of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Stable machine key (also accepted as a header).
    pub key: &'static str,
    pub en: &'static str,
    pub vi: &'static str,
}

impl Column {
    #[must_use]
    pub fn header(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.vi,
            Lang::En => self.en,
        }
    }
}

const fn col(key: &'static str, en: &'static str, vi: &'static str) -> Column {
    Column { key, en, vi }
}

/// The record types, in the order an import applies them: everything a row refers to comes
/// before it (rates before money rows, so each converts as it is stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordType {
    Organisations,
    Rates,
    Items,
    Milestones,
    Commitments,
    Disbursements,
}

const ORGANISATIONS: &[Column] = &[
    col("code", "Code", "Mã"),
    col("kind", "Kind", "Loại"),
    col("name_vi", "Name (Vietnamese)", "Tên (tiếng Việt)"),
    col("name_en", "Name (English)", "Tên (tiếng Anh)"),
    col("acronym", "Acronym", "Tên viết tắt"),
    col("nationality", "Nationality", "Quốc tịch"),
    col("iati_ref", "IATI identifier", "Mã IATI"),
    col("cert_type", "Certificate type", "Loại giấy đăng ký"),
    col("cert_number", "Certificate number", "Số giấy đăng ký"),
    col(
        "cert_valid_from",
        "Certificate valid from",
        "Giấy có hiệu lực từ",
    ),
    col(
        "cert_valid_to",
        "Certificate valid to",
        "Giấy có hiệu lực đến",
    ),
    col("sectors", "Sectors", "Lĩnh vực"),
    col("provinces", "Provinces", "Tỉnh hoạt động"),
];

const RATES: &[Column] = &[
    col("currency", "Currency", "Loại tiền"),
    col("date", "Rate date", "Ngày tỷ giá"),
    col("to_vnd", "VND per unit", "Số đồng cho một đơn vị"),
    col("to_usd", "USD per unit", "Số USD cho một đơn vị"),
    col("source", "Source", "Nguồn"),
];

const ITEMS: &[Column] = &[
    col("code", "Item code", "Mã khoản viện trợ"),
    col("title_vi", "Title (Vietnamese)", "Tên (tiếng Việt)"),
    col("title_en", "Title (English)", "Tên (tiếng Anh)"),
    col("modality", "Modality", "Hình thức"),
    col("form", "Form", "Dạng viện trợ"),
    col("donor", "Donor", "Bên tài trợ"),
    col("funding_source", "Funding source", "Nguồn vốn"),
    col("aid_owner", "Aid owner", "Chủ khoản viện trợ"),
    col("managing_agency", "Managing agency", "Cơ quan chủ quản"),
    col(
        "approval_number",
        "Approval number",
        "Số quyết định phê duyệt",
    ),
    col("approval_date", "Approval date", "Ngày phê duyệt"),
    col("approval_authority", "Approving authority", "Cấp phê duyệt"),
    col("legal_basis", "Legal basis", "Căn cứ pháp lý"),
    col("planned_start", "Planned start", "Ngày bắt đầu dự kiến"),
    col("planned_end", "Planned end", "Ngày kết thúc dự kiến"),
    col("actual_start", "Actual start", "Ngày bắt đầu thực tế"),
    col("actual_end", "Actual end", "Ngày kết thúc thực tế"),
    col("status", "Status", "Trạng thái"),
    col("beneficiaries", "Beneficiaries", "Đối tượng thụ hưởng"),
    col("sectors", "Sector shares (%)", "Tỷ lệ theo lĩnh vực (%)"),
    col(
        "localities",
        "Locality shares (%)",
        "Tỷ lệ theo địa bàn (%)",
    ),
];

const MILESTONES: &[Column] = &[
    col("ref", "Reference", "Mã dòng"),
    col("title_vi", "Title (Vietnamese)", "Tên (tiếng Việt)"),
    col("title_en", "Title (English)", "Tên (tiếng Anh)"),
    col("planned_date", "Planned date", "Ngày dự kiến"),
    col("actual_date", "Actual date", "Ngày thực tế"),
    col("status", "Status", "Trạng thái"),
    col("evidence", "Evidence", "Minh chứng"),
];

const COMMITMENTS: &[Column] = &[
    col("ref", "Reference", "Mã dòng"),
    col("kind", "Kind", "Loại cam kết"),
    col("amount", "Amount", "Số tiền"),
    col("currency", "Currency", "Loại tiền"),
    col("date", "Commitment date", "Ngày cam kết"),
    col("document", "Document reference", "Số hiệu văn bản"),
];

const DISBURSEMENTS: &[Column] = &[
    col("ref", "Reference", "Mã dòng"),
    col("amount", "Amount", "Số tiền"),
    col("currency", "Currency", "Loại tiền"),
    col("value_date", "Value date", "Ngày giá trị"),
    col("tranche", "Tranche", "Đợt"),
    col("milestone", "Milestone", "Mốc tiến độ"),
    col("reverses", "Reverses", "Điều chỉnh giảm cho"),
    col("status", "Status", "Trạng thái"),
    col("verified_by", "Verified by", "Người thẩm định"),
    col("rejection_reason", "Rejection reason", "Lý do từ chối"),
];

impl RecordType {
    pub const ALL: [RecordType; 6] = [
        RecordType::Organisations,
        RecordType::Rates,
        RecordType::Items,
        RecordType::Milestones,
        RecordType::Commitments,
        RecordType::Disbursements,
    ];

    /// The stable key: the `--record` value and the CSV file's name without `.csv`.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            RecordType::Organisations => "organisations",
            RecordType::Rates => "rates",
            RecordType::Items => "items",
            RecordType::Milestones => "milestones",
            RecordType::Commitments => "commitments",
            RecordType::Disbursements => "disbursements",
        }
    }

    /// The sheet's name in a workbook (at most 31 characters, as XLSX requires).
    #[must_use]
    pub fn sheet_name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (RecordType::Organisations, Lang::En) => "Organisations",
            (RecordType::Organisations, Lang::Vi) => "Tổ chức",
            (RecordType::Rates, Lang::En) => "Exchange rates",
            (RecordType::Rates, Lang::Vi) => "Tỷ giá",
            (RecordType::Items, Lang::En) => "Aid items",
            (RecordType::Items, Lang::Vi) => "Khoản viện trợ",
            (RecordType::Milestones, Lang::En) => "Milestones",
            (RecordType::Milestones, Lang::Vi) => "Mốc tiến độ",
            (RecordType::Commitments, Lang::En) => "Commitments",
            (RecordType::Commitments, Lang::Vi) => "Cam kết",
            (RecordType::Disbursements, Lang::En) => "Disbursements",
            (RecordType::Disbursements, Lang::Vi) => "Giải ngân",
        }
    }

    #[must_use]
    pub fn columns(self) -> &'static [Column] {
        match self {
            RecordType::Organisations => ORGANISATIONS,
            RecordType::Rates => RATES,
            RecordType::Items => ITEMS,
            RecordType::Milestones => MILESTONES,
            RecordType::Commitments => COMMITMENTS,
            RecordType::Disbursements => DISBURSEMENTS,
        }
    }

    /// The header row in `lang`.
    #[must_use]
    pub fn header(self, lang: Lang) -> Vec<&'static str> {
        self.columns().iter().map(|c| c.header(lang)).collect()
    }

    /// Position of the column `key` in [`RecordType::columns`]; a missing key is a bug in
    /// this module, so callers only pass keys of the template they hold.
    #[must_use]
    pub fn index(self, key: &str) -> Option<usize> {
        self.columns().iter().position(|c| c.key == key)
    }

    /// The record type named by `name`: its key, or its sheet name in either language.
    #[must_use]
    pub fn named(name: &str) -> Option<RecordType> {
        let n = fold(name);
        RecordType::ALL.into_iter().find(|r| {
            fold(r.key()) == n
                || fold(r.sheet_name(Lang::En)) == n
                || fold(r.sheet_name(Lang::Vi)) == n
        })
    }
}

impl std::str::FromStr for RecordType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        RecordType::named(s).ok_or_else(|| {
            format!(
                "record type \"{}\" is not known; use one of: {}",
                s.chars().take(30).collect::<String>(),
                RecordType::ALL.map(RecordType::key).join(", ")
            )
        })
    }
}

/// Text folded for comparing headers: accents, case, spacing and `_` do not matter.
#[must_use]
pub fn fold(s: &str) -> String {
    crate::actions::queries::search_key(s)
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where each template column sits in a file's header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMap {
    pub record: RecordType,
    /// For each template column, the file's column index (None: the file lacks it).
    pub positions: Vec<Option<usize>>,
    /// The number format of the amount column when its header says one (`Số tiền (vi)`,
    /// `Amount (1,234.56)`); None: canonical decimals, as an export writes them.
    pub amount_lang: Option<Lang>,
}

/// A header cell without its number-format tag, and the format the tag names: `(vi)` or
/// `(1.234,56)` for Vietnamese grouping, `(en)` or `(1,234.56)` for English.
fn number_format(cell: &str) -> (&str, Option<Lang>) {
    let t = cell.trim();
    let Some((head, tag)) = t.strip_suffix(')').and_then(|s| s.rsplit_once('(')) else {
        return (cell, None);
    };
    let lang = match tag.trim().to_lowercase().as_str() {
        "vi" | "1.234,56" => Lang::Vi,
        "en" | "1,234.56" => Lang::En,
        _ => return (cell, None),
    };
    (head, Some(lang))
}

/// Why a header row is not one of the templates.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("the header row matches no template; its first cells are: {0}")]
    Unknown(String),
    #[error("column {column} \"{header}\" is not a column of the {record} template")]
    Stray {
        column: usize,
        header: String,
        record: &'static str,
    },
    #[error("the column \"{0}\" appears twice")]
    Duplicate(String),
    #[error("the {record} template needs the column \"{header}\" ({key})")]
    Missing {
        record: &'static str,
        key: &'static str,
        header: &'static str,
    },
}

/// The template column a header cell names, if any.
fn column_of(record: RecordType, cell: &str) -> Option<usize> {
    let f = fold(cell);
    record
        .columns()
        .iter()
        .position(|c| fold(c.key) == f || fold(c.en) == f || fold(c.vi) == f)
}

/// Matches a header row against `record`'s template, or (when `record` is None) recognises
/// the one template every cell belongs to. The row's key column (`code`, `ref` or, for rates,
/// `currency` and `date`) must be present; other columns may be left out or reordered.
pub fn match_header(
    record: Option<RecordType>,
    cells: &[String],
) -> Result<HeaderMap, HeaderError> {
    let candidates: Vec<RecordType> = match record {
        Some(r) => vec![r],
        None => RecordType::ALL
            .into_iter()
            .filter(|r| {
                cells
                    .iter()
                    .all(|c| c.trim().is_empty() || column_of(*r, c).is_some())
            })
            .collect(),
    };
    // Several templates may share every header (a file with only "Reference" and "Status"
    // would fit three); the one matching the most columns wins, then the first in order.
    let best = candidates
        .into_iter()
        .max_by_key(|r| {
            let n = cells.iter().filter(|c| column_of(*r, c).is_some()).count();
            (n, std::cmp::Reverse(*r))
        })
        .ok_or_else(|| {
            HeaderError::Unknown(
                cells
                    .iter()
                    .take(4)
                    .map(|c| format!("\"{}\"", c.chars().take(40).collect::<String>()))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })?;
    let mut positions = vec![None; best.columns().len()];
    let mut amount_lang = None;
    for (i, cell) in cells.iter().enumerate() {
        if cell.trim().is_empty() {
            continue;
        }
        let (name, lang) = number_format(cell);
        let cell = match (lang, column_of(best, name)) {
            (Some(l), Some(c)) if best.columns()[c].key == "amount" => {
                amount_lang = Some(l);
                name
            }
            _ => cell.as_str(),
        };
        let Some(c) = column_of(best, cell) else {
            return Err(HeaderError::Stray {
                column: i + 1,
                header: cell.chars().take(40).collect(),
                record: best.key(),
            });
        };
        if positions[c].is_some() {
            return Err(HeaderError::Duplicate(cell.chars().take(40).collect()));
        }
        positions[c] = Some(i);
    }
    let required: &[&str] = match best {
        RecordType::Organisations | RecordType::Items => &["code"],
        RecordType::Rates => &["currency", "date"],
        _ => &["ref"],
    };
    for key in required {
        let i = best.index(key).unwrap_or(0);
        if positions[i].is_none() {
            let c = best.columns()[i];
            return Err(HeaderError::Missing {
                record: best.key(),
                key: c.key,
                header: c.en,
            });
        }
    }
    Ok(HeaderMap {
        record: best,
        positions,
        amount_lang,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn every_template_recognises_its_own_headers_in_both_languages() {
        for r in RecordType::ALL {
            for lang in [Lang::Vi, Lang::En] {
                let h = row(&r.header(lang));
                let m = match_header(None, &h).unwrap();
                assert_eq!(m.record, r, "{r:?} {lang:?}");
                let want: Vec<Option<usize>> = (0..r.columns().len()).map(Some).collect();
                assert_eq!(m.positions, want);
            }
        }
    }

    #[test]
    fn headers_match_without_accents_or_case_and_in_any_order() {
        let h = row(&[
            "TRANG THAI",
            "ngay gia tri",
            "Mã dòng",
            "so tien",
            "loai tien",
        ]);
        let m = match_header(None, &h).unwrap();
        assert_eq!(m.record, RecordType::Disbursements);
        assert_eq!(
            m.positions[RecordType::Disbursements.index("ref").unwrap()],
            Some(2)
        );
        assert_eq!(
            m.positions[RecordType::Disbursements.index("status").unwrap()],
            Some(0)
        );
        let keys = row(&["ref", "value_date", "amount"]);
        assert_eq!(
            match_header(None, &keys).unwrap().record,
            RecordType::Disbursements
        );
    }

    #[test]
    fn an_amount_header_may_name_its_number_format() {
        let h = row(&["Mã dòng", "Số tiền (vi)", "Loại tiền"]);
        let m = match_header(None, &h).unwrap();
        assert_eq!(m.amount_lang, Some(Lang::Vi));
        let h = row(&["Reference", "Amount (1,234.56)", "Currency"]);
        assert_eq!(match_header(None, &h).unwrap().amount_lang, Some(Lang::En));
        let h = row(&["Reference", "Amount", "Currency"]);
        assert_eq!(match_header(None, &h).unwrap().amount_lang, None);
        // Only the amount column takes a format; on any other column the tag is a stray.
        let h = row(&["Reference", "Status (vi)"]);
        assert!(match_header(Some(RecordType::Disbursements), &h).is_err());
    }

    #[test]
    fn a_stray_duplicate_or_missing_key_column_is_named() {
        let stray = row(&["Reference", "Value date", "Colour"]);
        assert!(matches!(
            match_header(Some(RecordType::Disbursements), &stray),
            Err(HeaderError::Stray { column: 3, .. })
        ));
        assert!(matches!(
            match_header(None, &stray),
            Err(HeaderError::Unknown(_))
        ));
        let twice = row(&["Reference", "ref"]);
        assert!(matches!(
            match_header(Some(RecordType::Milestones), &twice),
            Err(HeaderError::Duplicate(_))
        ));
        let keyless = row(&["Amount", "Currency"]);
        assert!(matches!(
            match_header(Some(RecordType::Commitments), &keyless),
            Err(HeaderError::Missing { key: "ref", .. })
        ));
    }

    #[test]
    fn record_types_are_named_by_key_or_sheet_name() {
        assert_eq!(
            RecordType::named("Giải ngân"),
            Some(RecordType::Disbursements)
        );
        assert_eq!(
            RecordType::named("giai ngan"),
            Some(RecordType::Disbursements)
        );
        assert_eq!(RecordType::named("Exchange rates"), Some(RecordType::Rates));
        assert_eq!("items".parse::<RecordType>(), Ok(RecordType::Items));
        assert!("loans".parse::<RecordType>().is_err());
    }
}
