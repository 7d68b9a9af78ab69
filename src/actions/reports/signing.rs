//! Who signs the report and whom it goes to: the configured defaults (`config::Signing`) with
//! the per-issue overrides applied, checked once here so the CLI, the API and the period page
//! refuse alike. Also the rule that sections IV-VI are not issued empty by accident.

use super::{FREE_TEXT_SECTIONS, IssueCmd};
use crate::config::Signing;
use crate::domain::Lang;
use crate::error::{Error, Result};
use crate::reports::model::Signature;
use unicode_normalization::UnicodeNormalization;

/// Per-issue overrides of the configured signer; `None` keeps the configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignerInput {
    /// The authority line ("KT. GIÁM ĐỐC"); `Some("")` prints none.
    pub authority: Option<String>,
    /// The title ("PHÓ GIÁM ĐỐC").
    pub title: Option<String>,
    pub name: Option<String>,
}

fn one_line(field: &str, value: &str, max: usize) -> Result<String> {
    let v: String = value.trim().nfc().collect();
    if v.chars().count() > max || v.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            "invalid_signer",
            format!("{field} must be one line of at most {max} characters"),
        ));
    }
    Ok(v)
}

/// The signature block and recipients for `cmd`: overrides over the configuration of the
/// report's language. Checks the shape of what was given, not that anything was given.
pub fn resolve(config: &Signing, cmd: &IssueCmd) -> Result<(Option<Signature>, Vec<String>)> {
    let (authority, title, recipients) = match cmd.lang {
        Lang::Vi => (
            &config.authority_vi,
            &config.title_vi,
            &config.recipients_vi,
        ),
        Lang::En => (
            &config.authority_en,
            &config.title_en,
            &config.recipients_en,
        ),
    };
    let pick = |field: &str, given: &Option<String>, configured: &str| {
        one_line(field, given.as_deref().unwrap_or(configured), 100)
    };
    let authority = pick("signer_authority", &cmd.signer.authority, authority)?;
    let title = pick("signer_title", &cmd.signer.title, title)?;
    let name = pick("signer_name", &cmd.signer.name, &config.name)?;
    let lines: Vec<String> = [authority, title]
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    let signer = (!name.is_empty() || !lines.is_empty()).then_some(Signature {
        authority: lines,
        name,
    });
    let recipients = match &cmd.recipients {
        None => recipients.clone(),
        Some(given) => {
            let list: Vec<String> = given
                .iter()
                .flat_map(|r| Signing::split_recipients(r, '\n'))
                .map(|r| r.nfc().collect::<String>())
                .collect();
            if list.len() > 30 || list.iter().any(|r| r.chars().count() > 200) {
                return Err(Error::invalid(
                    "recipients",
                    "invalid_recipients",
                    "give at most 30 recipients of at most 200 characters each",
                ));
            }
            list
        }
    };
    Ok((signer, recipients))
}

/// An issued report needs a signer's name and at least one recipient; the refusal names the
/// setting and the flag that supply them.
pub fn require(signer: Option<&Signature>, recipients: &[String], lang: Lang) -> Result<()> {
    if signer.is_none_or(|s| s.name.is_empty()) {
        return Err(Error::invalid(
            "signer_name",
            "signer_missing",
            "the report cannot be issued without the signer's full name: set AIDLEDGER_SIGNER_NAME or --signer-name (the signer's name field on the period page)",
        ));
    }
    if recipients.is_empty() {
        let setting = match lang {
            Lang::Vi => "AIDLEDGER_RECIPIENTS_VI",
            Lang::En => "AIDLEDGER_RECIPIENTS_EN",
        };
        return Err(Error::invalid(
            "recipients",
            "recipients_missing",
            format!(
                "the report cannot be issued without at least one recipient (\"Nơi nhận\"): set {setting} (recipients separated by ';', the last being the archive line such as \"Lưu: VT, QLNN\") or --recipient (repeated; the recipients field on the period page)"
            ),
        ));
    }
    Ok(())
}

/// The Roman numeral and key of each free-text section, as the refusal names them.
const NUMERALS: [&str; 3] = ["IV", "V", "VI"];

/// Which of sections IV-VI are empty (missing or only white space), as "IV (assessment)".
#[must_use]
pub fn empty_sections(free_text: &[Option<String>; 3]) -> Vec<String> {
    free_text
        .iter()
        .zip(NUMERALS.iter().zip(FREE_TEXT_SECTIONS))
        .filter(|(t, _)| t.as_deref().is_none_or(|t| t.trim().is_empty()))
        .map(|(_, (n, key))| format!("{n} ({key})"))
        .collect()
}

/// Refuses empty sections unless the person confirmed; when confirmed, the empty sections
/// say "Không có nội dung" / "No content", which is what was meant, rather than the "no
/// figures" the document prints for a section that has none.
pub fn check_sections(free_text: &mut [Option<String>; 3], lang: Lang, allow: bool) -> Result<()> {
    let empty = empty_sections(free_text);
    if empty.is_empty() {
        return Ok(());
    }
    if !allow {
        return Err(Error::invalid(
            "allow_empty_sections",
            "empty_sections",
            format!(
                "section(s) {} of the {} report are empty: write them (aidledger report-text, or the period page) or confirm issuing without them (--allow-empty-sections, or the checkbox on the period page)",
                empty.join(", "),
                lang.code()
            ),
        ));
    }
    let none = match lang {
        Lang::Vi => "Không có nội dung",
        Lang::En => "No content",
    };
    for t in free_text.iter_mut() {
        if t.as_deref().is_none_or(|t| t.trim().is_empty()) {
            *t = Some(none.to_string());
        }
    }
    Ok(())
}
