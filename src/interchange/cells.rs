//! Cells as a file holds them, brought to the canonical text an export writes: dates as
//! `YYYY-MM-DD` (typed `dd/mm/yyyy` too, with the forms' parser), amounts with the currency's
//! decimals, rates without trailing zeros, codes from their vocabularies, share lists sorted
//! by code. Comparing canonical text is how an import tells changed from unchanged. The
//! parsers are the domain's (the forms' and the API's), so their messages are the same.

use super::RecordType;
use super::template::fold;
use crate::domain::allocation::{Share, validate_shares};
use crate::domain::item::{
    AidForm, CertificateType, CommitmentKind, DisbursementStatus, ItemStatus, MilestoneStatus,
    Modality, OrgKind, Vocabulary,
};
use crate::domain::rate::RateValue;
use crate::domain::{Currency, Lang, Money};
use std::str::FromStr;

const DATE_KEYS: &[&str] = &[
    "cert_valid_from",
    "cert_valid_to",
    "approval_date",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "planned_date",
    "actual_date",
    "date",
    "value_date",
];

/// Why a cell was refused: the forms' error code for the same mistake, and the message.
pub type CellError = (&'static str, String);

/// A vocabulary cell as its code. People who fill a template by hand write what the pages
/// show them, so a label in either language is read too, compared as headers are (accents,
/// case, spacing and `_` do not matter); a label two entries share is ambiguous and refused.
fn vocab<T: Vocabulary + FromStr<Err = String>>(v: &str) -> Result<String, CellError> {
    let refused = match T::from_str(&v.to_lowercase()) {
        Ok(x) => return Ok(x.code().to_string()),
        Err(e) => e,
    };
    let want = fold(v);
    let mut found = T::all().iter().filter(|x| {
        [x.code(), x.label(Lang::Vi), x.label(Lang::En)]
            .iter()
            .any(|t| fold(t) == want)
    });
    match (found.next(), found.next()) {
        (Some(x), None) if !want.is_empty() => Ok(x.code().to_string()),
        _ => Err(("choice", refused)),
    }
}

/// The forms' code for an amount's mistake, so a page words it as the money form does.
fn amount_code(e: &crate::domain::money::AmountError) -> &'static str {
    use crate::domain::money::AmountError as A;
    match e {
        A::TooManyDecimals(..) => "amount_too_precise",
        A::BadGrouping(..) => "amount_grouping",
        A::AboveMaximum(..) => "amount_above_maximum",
        _ => "amount",
    }
}

/// `0101:60;0203:40` (percent, up to two decimals) as canonical text, or why not.
fn share_list(v: &str) -> Result<String, CellError> {
    let mut parts = Vec::new();
    for p in v.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (code, pct) = p.split_once(':').ok_or_else(|| {
            (
                "invalid_shares",
                format!("\"{p}\" is not CODE:PERCENT (for example 0101:60)"),
            )
        })?;
        let share: Share = pct
            .trim()
            .parse()
            .map_err(|e: crate::domain::allocation::ShareError| ("percent", e.to_string()))?;
        parts.push((code.trim().to_string(), share));
    }
    validate_shares(&parts).map_err(|e| ("invalid_shares", e.to_string()))?;
    parts.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(parts
        .iter()
        .map(|(c, s)| format!("{c}:{}", s.percent_text()))
        .collect::<Vec<_>>()
        .join(";"))
}

fn code_list(v: &str) -> String {
    let mut codes: Vec<&str> = v
        .split(';')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    codes.sort_unstable();
    codes.join(";")
}

/// The canonical text of a non-blank cell in column `key` of `record`. `currency` is the
/// row's currency (from the file, or the stored row's when the file leaves it blank).
/// `amount_lang` is the amount column's number format when the file's header names one.
pub fn canonical(
    record: RecordType,
    key: &str,
    value: &str,
    currency: Option<Currency>,
    amount_lang: Option<crate::domain::Lang>,
) -> Result<String, CellError> {
    use RecordType as R;
    if DATE_KEYS.contains(&key) {
        return crate::domain::dates::parse_date(value)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .ok_or_else(|| {
                (
                    "date",
                    "is not a date: write it as dd/mm/yyyy or yyyy-mm-dd".to_string(),
                )
            });
    }
    match (record, key) {
        (R::Commitments | R::Disbursements, "amount") => {
            let Some(c) = currency else {
                return Err((
                    "amount_without_currency",
                    "needs the row's currency to be read".into(),
                ));
            };
            let read = amount_lang.map_or_else(
                || Money::parse(value, c),
                |l| Money::parse_localized(value, c, l),
            );
            read.map(Money::canonical).map_err(|e| {
                // A plain column refusing `12.500.000` would otherwise be told to write it
                // "as on paper", which is what the person did: say how to make the column
                // read it so.
                let written_as = [crate::domain::Lang::Vi, crate::domain::Lang::En]
                    .into_iter()
                    .find(|&l| Money::parse_localized(value, c, l).is_ok());
                match (amount_lang, written_as) {
                    (None, Some(l)) => (
                        "amount_needs_format",
                        format!(
                            "is written with separators ({} style), but this column reads plain amounts such as 1234567.89: write it so, or head the column \"{}\" to read the whole column as written",
                            if l == crate::domain::Lang::Vi { "1.234.567,89" } else { "1,234,567.89" },
                            if l == crate::domain::Lang::Vi { "Số tiền (vi)" } else { "Amount (1,234.56)" }
                        ),
                    ),
                    _ => (amount_code(&e), e.to_string()),
                }
            })
        }
        (_, "currency") => Currency::from_str(&value.to_uppercase())
            .map(|c| c.code().to_string())
            .map_err(|e| ("currency", e.to_string())),
        (R::Rates, "to_vnd" | "to_usd") => RateValue::from_str(value)
            .map(RateValue::canonical)
            .map_err(|e| ("rate", e.to_string())),
        (R::Organisations, "kind") => vocab::<OrgKind>(value),
        (R::Organisations, "cert_type") => vocab::<CertificateType>(value),
        (R::Organisations, "nationality") => Ok(value.to_uppercase()),
        (R::Organisations, "sectors" | "provinces") => Ok(code_list(value)),
        (R::Items, "modality") => vocab::<Modality>(value),
        (R::Items, "form") => vocab::<AidForm>(value),
        (R::Items, "status") => vocab::<ItemStatus>(value),
        (R::Items, "sectors" | "localities") => share_list(value),
        (R::Milestones, "status") => vocab::<MilestoneStatus>(value),
        (R::Commitments, "kind") => vocab::<CommitmentKind>(value),
        (R::Disbursements, "status") => vocab::<DisbursementStatus>(value),
        (R::Disbursements, "tranche") => value
            .parse::<i64>()
            .map(|t| t.to_string())
            .map_err(|_| ("invalid_tranche", "is not a whole number".to_string())),
        _ => Ok(value.to_string()),
    }
}

/// `ITEM/D3` split into the item code, the letter and the number, if it is one.
#[must_use]
pub fn split_reference(r: &str) -> Option<(&str, char, usize)> {
    let (item, tail) = r.rsplit_once('/')?;
    let mut chars = tail.chars();
    let letter = chars.next()?.to_ascii_uppercase();
    let n: usize = chars.as_str().parse().ok()?;
    (!item.is_empty() && n >= 1).then_some((item, letter, n))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use RecordType as R;

    /// A plain amount column refusing an amount written the way people write it says how to
    /// make the column read it, instead of asking for what the person already wrote.
    #[test]
    fn a_grouped_amount_in_a_plain_column_names_the_header_that_reads_it() {
        let vnd = Some(Currency::VND);
        let usd = Some(Currency::from_str("USD").unwrap_or(Currency::VND));
        let (code, message) =
            canonical(R::Disbursements, "amount", "12.500.000", vnd, None).unwrap_err();
        assert_eq!(code, "amount_needs_format");
        assert!(message.contains("Số tiền (vi)"), "{message}");
        let (code, message) =
            canonical(R::Disbursements, "amount", "1,250.50", usd, None).unwrap_err();
        assert_eq!(code, "amount_needs_format");
        assert!(message.contains("Amount (1,234.56)"), "{message}");
        // Not readable in any style: the amount's own mistake.
        let (code, _) = canonical(R::Disbursements, "amount", "1.25.0,0", usd, None).unwrap_err();
        assert_ne!(code, "amount_needs_format");
    }

    /// A status typed as the pages show it, in either language, with or without accents,
    /// is read as its code; a word that is no entry's code or label is refused with the codes.
    #[test]
    fn a_vocabulary_label_in_either_language_reads_as_its_code() {
        for typed in [
            "Đang thực hiện",
            "dang thuc hien",
            "IMPLEMENTING",
            "implementing",
        ] {
            assert_eq!(
                canonical(R::Items, "status", typed, None, None),
                Ok("implementing".into()),
                "{typed}"
            );
        }
        assert_eq!(
            canonical(
                R::Items,
                "modality",
                "Technical assistance project",
                None,
                None
            ),
            Ok("technical_assistance".into())
        );
        assert_eq!(
            canonical(R::Disbursements, "status", "Chờ xác minh", None, None),
            Ok("submitted".into())
        );
        let (code, message) = canonical(R::Items, "status", "Đang làm", None, None).unwrap_err();
        assert_eq!(code, "choice");
        assert!(message.contains("implementing"), "{message}");
    }

    #[test]
    fn typed_values_become_the_export_text() {
        assert_eq!(
            canonical(R::Milestones, "planned_date", "05/07/2025", None, None),
            Ok("2025-07-05".into())
        );
        assert_eq!(
            canonical(R::Milestones, "planned_date", "2025-07-05", None, None),
            Ok("2025-07-05".into())
        );
        assert!(canonical(R::Milestones, "planned_date", "7/2025", None, None).is_err());
        let usd = Some(Currency::from_str("USD").unwrap_or(Currency::VND));
        assert_eq!(
            canonical(R::Disbursements, "amount", "1234.5", usd, None),
            Ok("1234.50".into())
        );
        assert!(canonical(R::Disbursements, "amount", "12.345", usd, None).is_err());
        assert!(canonical(R::Disbursements, "amount", "1", None, None).is_err());
        let vi = Some(crate::domain::Lang::Vi);
        assert_eq!(
            canonical(R::Disbursements, "amount", "1.234,5", usd, vi),
            Ok("1234.50".into())
        );
        assert!(canonical(R::Disbursements, "amount", "1234.50", usd, vi).is_err());
        assert_eq!(
            canonical(R::Rates, "to_usd", "0.0400", None, None),
            Ok("0.04".into())
        );
        assert_eq!(
            canonical(R::Items, "modality", "Programme", None, None),
            Ok("programme".into())
        );
        let (code, e) = canonical(R::Items, "modality", "loan", None, None).unwrap_err();
        assert_eq!(code, "choice");
        assert!(e.contains("modality \"loan\" is not known"), "{e}");
        assert_eq!(
            canonical(R::Items, "sectors", "EDU:40; HEALTH:60", None, None),
            Ok("EDU:40.00;HEALTH:60.00".into())
        );
        assert!(canonical(R::Items, "sectors", "EDU:40;HEALTH:50", None, None).is_err());
        assert_eq!(
            canonical(R::Organisations, "provinces", "46; 01", None, None),
            Ok("01;46".into())
        );
    }

    #[test]
    fn references_split_at_the_last_slash() {
        assert_eq!(split_reference("HUE/2025/D3"), Some(("HUE/2025", 'D', 3)));
        assert_eq!(split_reference("A/m12"), Some(("A", 'M', 12)));
        assert_eq!(split_reference("A/D0"), None);
        assert_eq!(split_reference("/D1"), None);
        assert_eq!(split_reference("AD1"), None);
    }
}
