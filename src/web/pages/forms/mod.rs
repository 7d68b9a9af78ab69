//! The data-entry forms: organisations, aid items with their shares, commitments,
//! disbursements and milestones, exchange rates, and user administration. Each form is
//! posted as plain fields (no JavaScript needed); when an action refuses it, the form comes
//! back with the person's input and the message beside the field it is about, in their
//! language. Amounts are typed in the person's own number format and confirmed before saving.

mod items;
mod milestones;
mod money;
mod orgs;
mod rates;
mod users;

use crate::domain::Lang;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::str::FromStr;

#[must_use]
pub fn routes() -> Vec<rocket::Route> {
    let mut r = rocket::routes![
        items::new_item,
        items::create_item,
        items::edit_item,
        items::update_item,
        money::new_commitment,
        money::post_commitment,
        money::new_disbursement,
        money::post_disbursement,
        milestones::new_milestone,
        milestones::create_milestone,
        milestones::edit_milestone,
        milestones::update_milestone,
        rates::show,
        rates::enter,
    ];
    r.extend(orgs::routes());
    r.extend(users::routes());
    r
}

/// The text of `key` in `lang` (the pages' wording).
fn t(lang: Lang, key: &str) -> &'static str {
    super::i18n::text(lang, key)
}

/// One choice of a `<select>`.
pub struct Opt {
    pub value: String,
    pub label: String,
}

impl Opt {
    fn new(value: impl ToString, label: impl ToString) -> Opt {
        Opt {
            value: value.to_string(),
            label: label.to_string(),
        }
    }
}

/// A form as posted: the fields as typed (kept to show them again) and the errors found,
/// by field; `_form` holds an error about the form as a whole.
#[derive(Default)]
pub struct Form {
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
    lang: Lang,
}

impl Form {
    #[must_use]
    pub fn new(lang: Lang, mut values: HashMap<String, String>) -> Form {
        values.remove("_csrf");
        Form {
            values,
            errors: HashMap::new(),
            lang,
        }
    }

    /// An empty form with these starting values.
    #[must_use]
    pub fn with(lang: Lang, values: &[(&str, String)]) -> Form {
        Form::new(
            lang,
            values
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect(),
        )
    }

    /// The value typed for `name` (empty if none).
    #[must_use]
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.values.insert(name.to_string(), value.into());
    }

    #[must_use]
    pub fn err(&self, name: &str) -> Option<&str> {
        self.errors.get(name).map(String::as_str)
    }

    #[must_use]
    pub fn is(&self, name: &str, value: &str) -> bool {
        self.v(name) == value
    }

    #[must_use]
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Every value, sorted by name, for the hidden fields of a confirmation step.
    #[must_use]
    pub fn hidden(&self) -> Vec<(&str, &str)> {
        let mut v: Vec<(&str, &str)> = self
            .values
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "confirm" | "edit" | "understood"))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        v.sort_unstable();
        v
    }

    /// Records `key`'s text as the error of `name` (the first error of a field wins).
    pub fn fail(&mut self, name: &str, key: &str) {
        let text = t(self.lang, key).to_string();
        self.errors.entry(name.to_string()).or_insert(text);
    }

    fn trimmed(&self, name: &str) -> String {
        self.v(name).trim().to_string()
    }

    /// Required text.
    pub fn text(&mut self, name: &str) -> String {
        let s = self.trimmed(name);
        if s.is_empty() {
            self.fail(name, "forms.err.required");
        }
        s
    }

    /// Optional text: empty is `None`.
    #[must_use]
    pub fn opt_text(&self, name: &str) -> Option<String> {
        Some(self.trimmed(name)).filter(|s| !s.is_empty())
    }

    /// A required date typed as `YYYY-MM-DD` (what `<input type="date">` sends).
    pub fn date(&mut self, name: &str) -> Option<NaiveDate> {
        let d = self.opt_date(name);
        if d.is_none() && self.err(name).is_none() {
            self.fail(name, "forms.err.required");
        }
        d
    }

    /// An optional date: empty is `None`, anything else must be a real date.
    pub fn opt_date(&mut self, name: &str) -> Option<NaiveDate> {
        let s = self.trimmed(name);
        if s.is_empty() {
            return None;
        }
        let d = NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(&s, "%d/%m/%Y"));
        // A date no period can report on is refused by the action (`date_out_of_range`), shown
        // beside the field in the reader's language.
        if d.is_err() {
            self.fail(name, "forms.err.date");
        }
        d.ok()
    }

    /// A required choice from a closed vocabulary (or an id).
    pub fn pick<T: FromStr>(&mut self, name: &str) -> Option<T> {
        let s = self.trimmed(name);
        if s.is_empty() {
            self.fail(name, "forms.err.required");
            return None;
        }
        let v = s.parse().ok();
        if v.is_none() {
            self.fail(name, "forms.err.choice");
        }
        v
    }

    /// An optional choice: empty is `None`.
    pub fn opt_pick<T: FromStr>(&mut self, name: &str) -> Option<T> {
        if self.trimmed(name).is_empty() {
            return None;
        }
        self.pick(name)
    }

    /// Shows an action's refusal beside its field (or above the form), in the person's
    /// language where the refusal has a known code; other errors are passed on.
    pub fn refused(&mut self, e: Error) -> Result<()> {
        let (field, code, message) = match e {
            Error::Invalid {
                field,
                code,
                message,
            } => (field.unwrap_or_else(|| "_form".into()), code, message),
            Error::Conflict { code, message } => ("_form".to_string(), code, message),
            other => return Err(other),
        };
        let text = refusal_text(self.lang, code, &message);
        let field = match field.as_str() {
            "sectors" => "share_1".to_string(),
            "localities" => "lshare_1".to_string(),
            "to_usd" | "to_vnd" | "date" | "value_date" | "amount" | "currency" | "source"
            | "code" | "title_vi" | "title_en" | "legal_basis" | "planned_start"
            | "planned_end" | "actual_start" | "actual_end" | "approval_number"
            | "approval_date" | "approval_authority" | "donor_id" | "funding_source_id"
            | "aid_owner_id" | "managing_agency_id" | "name_vi" | "name_en" | "nationality"
            | "iati_ref" | "cert_number" | "cert_type" | "cert_valid_from" | "cert_valid_to"
            | "acronym" | "planned_date" | "actual_date" | "evidence" | "status" | "kind"
            | "reference" | "tranche" | "milestone_id" | "username" | "display_name"
            | "password" | "role" | "organisation_id" | "beneficiaries" => field,
            _ => "_form".to_string(),
        };
        self.errors.entry(field).or_insert(text);
        Ok(())
    }
}

/// The reader's wording of a domain refusal, by its code: `forms.err.<code>`, else
/// `lang.err.<code>`, else a general sentence (never the English message). The message's
/// dates and first number fill `{date}`, `{date2}` and `{max}` in the text, dates in the
/// reader's format.
#[must_use]
pub fn refusal_text(lang: Lang, code: &str, message: &str) -> String {
    known_refusal(lang, code, message).unwrap_or_else(|| t(lang, "lang.err.other").to_string())
}

/// [`refusal_text`] for a code the i18n files word; `None` for any other code.
#[must_use]
pub fn known_refusal(lang: Lang, code: &str, message: &str) -> Option<String> {
    let text = [format!("forms.err.{code}"), format!("lang.err.{code}")]
        .iter()
        .map(|k| t(lang, k))
        .find(|s| *s != "?")?;
    let (dates, numbers) = message_params(message);
    let mut out = text.to_string();
    for (slot, d) in ["{date}", "{date2}"].iter().zip(&dates) {
        out = out.replace(slot, &super::fmt::date(*d, lang));
    }
    if let Some(n) = numbers.first() {
        out = out.replace("{max}", n);
    }
    Some(out)
}

/// The ISO dates (`2026-09-14`) and the other whole numbers an English message states, in
/// order.
fn message_params(message: &str) -> (Vec<NaiveDate>, Vec<&str>) {
    let mut dates = Vec::new();
    let mut numbers = Vec::new();
    let b = message.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'-') {
            i += 1;
        }
        let token = message[start..i].trim_end_matches('-');
        if let Ok(d) = NaiveDate::parse_from_str(token, "%Y-%m-%d") {
            dates.push(d);
        } else if token.bytes().all(|c| c.is_ascii_digit()) {
            numbers.push(token);
        }
    }
    (dates, numbers)
}

/// Reads a percentage with up to two decimals (`33,33` or `33.33`) as basis points.
#[must_use]
pub fn percent_bp(s: &str) -> Option<u32> {
    s.trim()
        .trim_end_matches('%')
        .replace(',', ".")
        .parse::<crate::domain::allocation::Share>()
        .ok()
        .map(crate::domain::allocation::Share::bp)
}

/// Basis points as the percentage a person types: `33.33` / `33,33`, `60`.
#[must_use]
pub fn bp_text(bp: i64, lang: Lang) -> String {
    super::fmt::share(bp, lang)
        .trim_end_matches('%')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_read_in_either_notation() {
        assert_eq!(percent_bp("33,33"), Some(3333));
        assert_eq!(percent_bp("33.33"), Some(3333));
        assert_eq!(percent_bp("100"), Some(10_000));
        assert_eq!(percent_bp("12.345"), None);
        assert_eq!(percent_bp("abc"), None);
        assert_eq!(bp_text(3333, Lang::Vi), "33,33");
    }

    #[test]
    fn refusals_are_worded_by_code_with_their_dates_and_maximum() {
        let locked = refusal_text(
            Lang::Vi,
            "already_locked",
            "2025-H1 (2025-01-01 to 2025-06-30) is already locked since 2025-07-02 10:00",
        );
        assert!(
            locked.contains("01/01/2025") && locked.contains("30/06/2025"),
            "{locked}"
        );
        let signer = refusal_text(
            Lang::Vi,
            "invalid_signer",
            "signer_title must be one line of at most 200 characters",
        );
        assert!(
            signer.contains("200") && !signer.contains("{max}"),
            "{signer}"
        );
        let unknown = refusal_text(Lang::Vi, "some_new_code", "an English sentence");
        assert_eq!(unknown, t(Lang::Vi, "lang.err.other"));
        assert!(!refusal_text(Lang::Vi, "four_eyes", "whoever entered").contains("whoever"));
    }
}
