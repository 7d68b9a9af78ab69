//! The data-entry forms: organisations, aid items with their shares, commitments,
//! disbursements and milestones, exchange rates, and user administration. Each form is
//! posted as plain fields (no JavaScript needed); when an action refuses it, the form comes
//! back with the person's input and the message beside the field it is about, in their
//! language. Amounts are typed in the person's own number format and confirmed before saving.

mod items;
mod milestones;
pub(crate) mod money;
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

/// One line of the summary at the top of a refused form: the field's label and its error,
/// linking to the field (`#f-<name>`, the id the form macros give each input).
pub struct ErrorLink {
    pub id: String,
    pub label: String,
    pub message: String,
}

/// The label of each field a form may refuse, in the order the forms show them, so the
/// summary reads top to bottom like the form. The numbered share rows are added in
/// [`Form::summary`].
const LABELS: &[(&str, &str)] = &[
    ("code", "forms.item.code"),
    ("title_vi", "forms.item.title_vi"),
    ("title_en", "forms.item.title_en"),
    ("name_vi", "forms.org.name_vi"),
    ("name_en", "forms.org.name_en"),
    ("acronym", "forms.org.acronym"),
    ("nationality", "forms.org.nationality"),
    ("iati_ref", "forms.org.iati_ref"),
    ("cert_type", "forms.org.cert_type"),
    ("cert_number", "forms.org.cert_number"),
    ("cert_valid_from", "forms.org.cert_valid_from"),
    ("cert_valid_to", "forms.org.cert_valid_to"),
    ("modality", "forms.item.modality"),
    ("form", "forms.item.form"),
    ("donor_id", "forms.item.donor"),
    ("funding_source_id", "forms.item.funding_source"),
    ("aid_owner_id", "forms.item.aid_owner"),
    ("managing_agency_id", "forms.item.managing_agency"),
    ("legal_basis", "forms.item.legal_basis"),
    ("status", "forms.item.status"),
    ("planned_start", "forms.item.planned_start"),
    ("planned_end", "forms.item.planned_end"),
    ("actual_start", "forms.item.actual_start"),
    ("actual_end", "forms.item.actual_end"),
    ("approval_number", "forms.item.approval_number"),
    ("approval_date", "forms.item.approval_date"),
    ("approval_authority", "forms.item.approval_authority"),
    ("beneficiaries", "forms.item.beneficiaries"),
    ("kind", "forms.money.kind"),
    ("amount", "forms.money.amount"),
    ("currency", "forms.money.currency"),
    ("date", "forms.money.date"),
    ("value_date", "forms.money.date"),
    ("to_vnd", "forms.rates.to_vnd"),
    ("to_usd", "forms.rates.to_usd"),
    ("source", "forms.rates.source"),
    ("reference", "forms.money.reference"),
    ("tranche", "forms.money.tranche"),
    ("milestone_id", "forms.money.milestone"),
    ("planned_date", "forms.milestone.planned_date"),
    ("actual_date", "forms.milestone.actual_date"),
    ("evidence", "forms.milestone.evidence"),
    ("username", "forms.user.username"),
    ("display_name", "forms.user.display_name"),
    ("password", "forms.user.password"),
    ("role", "forms.user.role"),
    ("organisation_id", "forms.user.organisation"),
];

/// The label key of a numbered share row's field (`share_2` is the share of row 2).
fn row_label(name: &str) -> Option<(&'static str, &str)> {
    let (field, n) = name.rsplit_once('_')?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let key = match field {
        "sector" => "forms.item.sector",
        "locality" => "forms.item.locality",
        "share" | "lshare" => "forms.item.share",
        _ => return None,
    };
    Some((key, n))
}

/// The one date parser (forms, API and imports share it).
pub use crate::domain::dates::parse_date;

/// A date as the forms show it: `05/07/2025` in either language.
#[must_use]
pub fn date_text(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A form as posted: the fields as typed (kept to show them again) and the errors found,
/// by field; `_form` holds an error about the form as a whole.
#[derive(Default)]
pub struct Form {
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
    lang: Lang,
    /// The fields of a form defined outside this module, with their label keys: the summary
    /// names them and an action's refusal about one of them is shown beside it.
    extra: &'static [(&'static str, &'static str)],
}

impl Form {
    #[must_use]
    pub fn new(lang: Lang, mut values: HashMap<String, String>) -> Form {
        values.remove("_csrf");
        Form {
            values,
            errors: HashMap::new(),
            lang,
            extra: &[],
        }
    }

    /// The same form knowing more fields (name, label key), in the order the form shows them.
    #[must_use]
    pub fn labelled(mut self, extra: &'static [(&'static str, &'static str)]) -> Form {
        self.extra = extra;
        self
    }

    /// Records `text` as the error of `name` (the first error of a field wins).
    pub fn fail_text(&mut self, name: &str, text: impl Into<String>) {
        self.errors
            .entry(name.to_string())
            .or_insert_with(|| text.into());
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

    /// A field's value as its input shows it: a date that was stored or typed as
    /// `yyyy-mm-dd` shows as `dd/mm/yyyy`; anything else as typed.
    #[must_use]
    pub fn shown(&self, name: &str) -> String {
        let v = self.v(name);
        match NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d") {
            Ok(d) => date_text(d),
            Err(_) => v.to_string(),
        }
    }

    /// The placeholder of a date field, in the person's language.
    #[must_use]
    pub fn date_placeholder(&self) -> &'static str {
        t(self.lang, "periods.date_placeholder")
    }

    /// The hint under a date field, in the person's language.
    #[must_use]
    pub fn date_hint(&self) -> &'static str {
        t(self.lang, "periods.date_hint")
    }

    /// The refused fields, in the order the form shows them, for the summary at its top.
    #[must_use]
    pub fn summary(&self) -> Vec<ErrorLink> {
        let mut out: Vec<(usize, ErrorLink)> = self
            .errors
            .iter()
            .filter(|(name, _)| name.as_str() != "_form")
            .map(|(name, message)| {
                let own = self.extra.iter().position(|(n, _)| n == name);
                let (rank, label) = match own.map(|i| (i, self.extra[i].1)).or_else(|| {
                    LABELS
                        .iter()
                        .position(|(n, _)| n == name)
                        .map(|i| (self.extra.len() + i, LABELS[i].1))
                }) {
                    Some((i, key)) => (i, t(self.lang, key).to_string()),
                    None => match row_label(name) {
                        Some((key, n)) => {
                            let row = t(self.lang, "periods.summary.row").replace("{n}", n);
                            let rank = self.extra.len() + LABELS.len();
                            (rank, format!("{}, {row}", t(self.lang, key)))
                        }
                        None => (self.extra.len() + LABELS.len() + 1, name.clone()),
                    },
                };
                let link = ErrorLink {
                    id: format!("f-{name}"),
                    label,
                    message: message.clone(),
                };
                (rank, link)
            })
            .collect();
        out.sort_by(|(ra, a), (rb, b)| (ra, &a.id).cmp(&(rb, &b.id)));
        out.into_iter().map(|(_, l)| l).collect()
    }

    /// The summary's heading: how many fields need a change.
    #[must_use]
    pub fn summary_title(&self) -> String {
        let n = self.errors.keys().filter(|k| k.as_str() != "_form").count();
        let key = if n == 1 {
            "periods.summary.one"
        } else {
            "periods.summary.other"
        };
        t(self.lang, key).replace("{n}", &n.to_string())
    }

    /// A required date typed as `dd/mm/yyyy` or `yyyy-mm-dd` (see [`parse_date`]).
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
        let d = parse_date(&s);
        // A date no period can report on is refused by the action (`date_out_of_range`), shown
        // beside the field in the reader's language.
        if d.is_none() {
            self.fail(name, "forms.err.date");
        }
        d
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
        let own = self.extra.iter().any(|(n, _)| *n == field);
        let field = match field.as_str() {
            _ if own => field,
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
    fn dates_read_as_day_month_year_or_iso() {
        let d = NaiveDate::from_ymd_opt(2025, 7, 5);
        assert!(d.is_some());
        for typed in ["05/07/2025", "5/7/2025", " 05/07/2025 ", "2025-07-05"] {
            assert_eq!(parse_date(typed), d, "{typed}");
        }
        for wrong in [
            "07/05/25",
            "31/02/2025",
            "5/7/2025/1",
            "2025/07/05",
            "05.07.2025",
            "",
            "a/b/cdef",
            "+5/7/2025",
        ] {
            assert_eq!(parse_date(wrong), None, "{wrong}");
        }
        assert_eq!(d.map(date_text).as_deref(), Some("05/07/2025"));
        let fm = Form::with(Lang::En, &[("d", "2025-07-05".into()), ("x", "5/7".into())]);
        assert_eq!(
            (fm.shown("d").as_str(), fm.shown("x").as_str()),
            ("05/07/2025", "5/7")
        );
    }

    #[test]
    fn the_summary_follows_the_form_and_names_each_field() {
        let mut fm = Form::with(Lang::Vi, &[]);
        fm.fail("value_date", "forms.err.date");
        fm.fail("amount", "forms.err.required");
        fm.fail("share_2", "forms.err.percent");
        fm.fail("_form", "forms.err.invalid_shares");
        let s = fm.summary();
        let ids: Vec<&str> = s.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, ["f-amount", "f-value_date", "f-share_2"]);
        assert_eq!(s[0].label, "Số tiền");
        assert_eq!(s[2].label, "Tỷ lệ (%), dòng 2");
        assert!(fm.summary_title().contains('3'), "{}", fm.summary_title());
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
