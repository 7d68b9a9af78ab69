//! The aid-mobilisation report as a document: what is said, in which order, already in the
//! report's language and with every amount already formatted. The code that reads the ledger
//! builds a [`ReportDocument`]; [`crate::reports::pdf::render`] turns it into PDF bytes and never
//! formats a number or looks anything up. The model holds no floating point: chart values are
//! whole units (for example million VND or USD) and cells are strings.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::Lang;

/// One report, ready to print.
///
/// Order on paper: administrative header and title, `sections`, `charts`, the signature block
/// with `recipients`, then each of `appendices` on its own landscape pages, and last the
/// exchange-rate footnote built from `rates_footnote`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDocument {
    /// Language of the fixed text (headings of the header, page numbers, footnote wording).
    pub lang: Lang,
    pub header: Header,
    /// Sections I–VI; free-text sections (IV–VI) come as paragraphs.
    pub sections: Vec<Section>,
    /// Charts printed after the sections, numbered "Biểu đồ 1", "Biểu đồ 2", … in order.
    pub charts: Vec<BarChart>,
    /// Who signs; `None` prints no signature block.
    pub signature: Option<Signature>,
    /// "Nơi nhận" list, printed left of the signature, one per line; given without the leading
    /// "- " and the final punctuation (the renderer adds "- …;" and "." after the last, which
    /// is usually "Lưu: VT, …"). Empty prints nothing.
    pub recipients: Vec<String>,
    /// Appendix tables, captioned "Phụ lục I", "Phụ lục II", … in order.
    pub appendices: Vec<Table>,
    /// One line per exchange rate used, e.g. "1 USD = 25.450 đồng (NHNN, 30/6/2025)".
    pub rates_footnote: Vec<String>,
    /// A draft ("DỰ THẢO" / "DRAFT" mark on every page); never archived.
    #[serde(default)]
    pub draft: bool,
    /// The audit chain anchor the issued report witnesses, e.g. "Audit 4182 · 3f9a1c2e"; printed
    /// small in the bottom margin of every page. `None` prints nothing (drafts, renderer tests).
    #[serde(default)]
    pub audit_anchor: Option<String>,
}

/// The administrative header of a Vietnamese official document and the report title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// e.g. "UBND TỈNH THỪA THIÊN HUẾ" (printed in upper case).
    pub parent_agency: String,
    /// e.g. "SỞ NGOẠI VỤ" (printed bold, in upper case; the appendix captions write it as in a
    /// sentence, "Sở Ngoại vụ", unless it is given in mixed case already).
    pub issuing_agency: String,
    /// e.g. "123/BC-SNgV" (the renderer adds "Số:"). Blank, or blank before the slash
    /// ("      /BC-SNgV"), prints "Số:" with a blank for the clerk before "/BC-SNgV".
    pub number: String,
    /// e.g. "Huế" (English: "Hue").
    pub place: String,
    pub issued_on: NaiveDate,
    /// e.g. "BÁO CÁO".
    pub title: String,
    /// The period, e.g. "Kết quả công tác vận động, quản lý viện trợ PCPNN 6 tháng đầu năm 2025".
    pub subtitle: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Printed as given, e.g. "I. TÌNH HÌNH HOẠT ĐỘNG CỦA CÁC TỔ CHỨC PCPNN TRÊN ĐỊA BÀN".
    pub heading: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "content", rename_all = "snake_case")]
pub enum Block {
    /// Justified text; a `\n` inside is a hard line break.
    Paragraph(String),
    /// A dash list, one string per item.
    Bullets(Vec<String>),
    Table(Table),
    Chart(BarChart),
}

/// A table whose cells are already formatted in the report's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// Printed above the table; may be empty.
    pub title: String,
    pub columns: Vec<Column>,
    /// Every row has exactly one cell per column.
    pub rows: Vec<Vec<String>>,
    /// Printed bold after the rows, e.g. `["", "Tổng cộng", "", "1.234.567"]`.
    pub total_row: Option<Vec<String>>,
    /// The unit of the amounts, printed right-aligned above the table, e.g. "Đơn vị tính: triệu
    /// đồng". `None` when every amount column names its own unit in its header.
    #[serde(default)]
    pub unit: Option<String>,
    /// Notes printed in italics under the table (rounding rule, locality mapping rule, …).
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub header: String,
    /// Share of the table width, relative to the other columns' weights (0 counts as 1).
    pub width_weight: u16,
    /// Alignment of the body cells; header cells are always centred.
    pub align: Align,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    Left,
    Right,
    Center,
}

/// A bar chart of whole-unit values (drawn as horizontal bars, one per category).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BarChart {
    pub title: String,
    /// e.g. "triệu đồng"; printed as "Đơn vị: triệu đồng".
    pub unit_label: String,
    /// (category label, value in whole units). Negative values are drawn as empty bars.
    pub bars: Vec<(String, i64)>,
}

/// The signature block: authority lines (e.g. "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC") and the signer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub authority: Vec<String>,
    pub name: String,
}
