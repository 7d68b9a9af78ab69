//! IATI 2.03 activity files read into plain records: what each `<iati-activity>` says about
//! its organisations, texts, status, dates, places, sectors, money and results, with the line
//! each came from. Nothing here touches the ledger: matching organisations, sectors and places
//! and converting money are the import's next step, which can then name the line of every
//! problem. aidledger's own extension attributes (see [`crate::export::iati::NS`]) are read
//! too, so an exported file reads back exactly.

mod extract;
pub mod tree;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
pub use tree::ReadError;

/// The largest file read (the schema check refuses larger ones first).
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// The deepest nesting of elements an IATI activity needs, with room for extensions.
pub const MAX_DEPTH: usize = 64;

/// A text in one language, as IATI's `<narrative>` holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Narrative {
    pub lang: Option<String>,
    pub text: String,
}

/// The narratives of one element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub Vec<Narrative>);

impl Text {
    /// The text in `lang`; a narrative without a language is in `default_lang`.
    #[must_use]
    pub fn in_lang(&self, lang: &str, default_lang: Option<&str>) -> Option<&str> {
        self.0
            .iter()
            .find(|n| n.lang.as_deref().or(default_lang) == Some(lang))
            .map(|n| n.text.as_str())
    }

    /// Any text at all, the first given.
    #[must_use]
    pub fn first(&self) -> Option<&str> {
        self.0.first().map(|n| n.text.as_str())
    }
}

/// An organisation as an activity names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgRef {
    pub line: u32,
    pub identifier: Option<String>,
    pub kind: Option<String>,
    /// IATI OrganisationRole: 1 funding, 2 accountable, 3 extending, 4 implementing.
    pub role: Option<String>,
    pub name: Text,
    /// aidledger's own role (donor, funding_source, aid_owner, managing_agency).
    pub al_role: Option<String>,
}

/// An amount as written: exact decimal, currency (or none, meaning the activity's default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub line: u32,
    pub amount: Decimal,
    pub currency: Option<String>,
    pub value_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    pub line: u32,
    pub reference: Option<String>,
    /// IATI TransactionType code (2 outgoing commitment, 3 disbursement, 4 expenditure,
    /// 11 incoming commitment, 12 outgoing pledge, 13 incoming pledge, ...).
    pub type_code: String,
    pub date: NaiveDate,
    pub value: Value,
    pub description: Text,
    /// aidledger extension attributes (kind, reverses, tranche, milestone).
    pub al: BTreeMap<String, String>,
}

/// A budget or a planned disbursement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    pub line: u32,
    /// The element's @type (budget: 1 original, 2 revised; planned disbursement: 1 original,
    /// 2 revised, 3 committed).
    pub kind: Option<String>,
    /// A budget's @status (1 indicative, 2 committed); planned disbursements have none.
    pub status: Option<String>,
    pub start: NaiveDate,
    /// IATI 2.03 requires it in a budget, not in a planned disbursement.
    pub end: Option<NaiveDate>,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sector {
    pub line: u32,
    pub vocabulary: Option<String>,
    pub code: String,
    pub percentage: Option<Decimal>,
    /// The ledger's own sector code, when aidledger wrote the file.
    pub al_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: u32,
    pub reference: Option<String>,
    pub name: Text,
    pub al_share_bp: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub line: u32,
    pub title: Text,
    pub periods: Vec<(NaiveDate, NaiveDate)>,
    pub al: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultBlock {
    pub line: u32,
    pub kind: Option<String>,
    pub title: Text,
    pub indicators: Vec<Indicator>,
    pub al: BTreeMap<String, String>,
}

/// One `<iati-activity>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub line: u32,
    pub identifier: String,
    pub lang: Option<String>,
    pub default_currency: Option<String>,
    pub humanitarian: bool,
    pub reporting_org: OrgRef,
    pub title: Text,
    /// (IATI DescriptionType, text).
    pub descriptions: Vec<(Option<String>, Text)>,
    pub participating: Vec<OrgRef>,
    pub status: Option<String>,
    /// (IATI ActivityDateType: 1 planned start, 2 actual start, 3 planned end, 4 actual end).
    pub dates: Vec<(String, NaiveDate)>,
    pub countries: Vec<(String, Option<Decimal>)>,
    pub locations: Vec<Location>,
    pub sectors: Vec<Sector>,
    pub budgets: Vec<Budget>,
    pub planned_disbursements: Vec<Budget>,
    pub transactions: Vec<Transaction>,
    pub results: Vec<ResultBlock>,
    /// aidledger extension attributes of the activity (code, modality, form, status, ...).
    pub al: BTreeMap<String, String>,
}

impl Activity {
    /// The date of an IATI ActivityDateType, if given.
    #[must_use]
    pub fn date(&self, kind: &str) -> Option<NaiveDate> {
        self.dates.iter().find(|(k, _)| k == kind).map(|(_, d)| *d)
    }
}

/// Reads an IATI activities file, handing each activity to `each` in file order; returns
/// how many there were. The bytes must be UTF-8 (IATI's encoding); anything else is refused.
pub fn read(
    bytes: &[u8],
    mut each: impl FnMut(Activity) -> Result<(), ReadError>,
) -> Result<usize, ReadError> {
    let refuse = |message: String| ReadError { line: 1, message };
    if bytes.len() > MAX_BYTES {
        return Err(refuse(format!(
            "the file has {} bytes; at most {MAX_BYTES} are read",
            bytes.len()
        )));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(refuse("the file is UTF-16; IATI files are UTF-8".into()));
    }
    let xml = std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        ReadError {
            line: 1 + u32::try_from(before.iter().filter(|&&b| b == b'\n').count()).unwrap_or(0),
            message: "the file is not UTF-8 (IATI files must be)".into(),
        }
    })?;
    let mut count = 0;
    let root = tree::read_elements(xml, 1, MAX_DEPTH, |node| {
        if node.ns.is_some() || node.name != "iati-activity" {
            return Ok(()); // extension elements beside the activities
        }
        count += 1;
        each(extract::activity(&node)?)
    })?;
    if root.ns.is_some() || root.name != "iati-activities" {
        return Err(ReadError {
            line: root.line,
            message: format!("the root element is <{}>, not <iati-activities>", root.name),
        });
    }
    Ok(count)
}
