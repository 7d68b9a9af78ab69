//! The rows of the item page's "budgets and planned disbursements" table: the plans an IATI
//! import stored ([`crate::db::budgets`]), in the reader's language. They are plans, so the
//! page shows them apart from the money rows and never in its figures.

use super::text;
use crate::db::budgets::StoredBudget;
use crate::domain::Lang;
use crate::domain::item::BudgetKind;
use crate::web::pages::fmt;

pub struct BudgetRow {
    pub kind: &'static str,
    pub period: String,
    pub amount: String,
    pub value_date: String,
    /// IATI type and status in words ("Original · Committed"), blank when the file gave none.
    pub note: String,
}

fn type_label(kind: BudgetKind, code: &str, lang: Lang) -> &'static str {
    match (kind, code) {
        (_, "1") => text(lang, "items.budget.type_original"),
        (_, "2") => text(lang, "items.budget.type_revised"),
        (BudgetKind::Planned, "3") => text(lang, "items.budget.type_committed"),
        _ => "",
    }
}

fn status_label(code: &str, lang: Lang) -> &'static str {
    match code {
        "1" => text(lang, "items.budget.status_indicative"),
        "2" => text(lang, "items.budget.status_committed"),
        _ => "",
    }
}

#[must_use]
pub fn rows(budgets: &[StoredBudget], lang: Lang) -> Vec<BudgetRow> {
    budgets
        .iter()
        .map(|b| {
            let words: Vec<&str> = [
                b.type_code.as_deref().map(|t| type_label(b.kind, t, lang)),
                b.status_code.as_deref().map(|s| status_label(s, lang)),
            ]
            .into_iter()
            .flatten()
            .filter(|w| !w.is_empty())
            .collect();
            BudgetRow {
                kind: b.kind.label(lang),
                period: format!(
                    "{} – {}",
                    fmt::date(b.period_start, lang),
                    fmt::opt_date(b.period_end, lang)
                ),
                amount: fmt::money(b.amount_minor, b.currency, lang),
                value_date: fmt::date(b.value_date, lang),
                note: words.join(" · "),
            }
        })
        .collect()
}
