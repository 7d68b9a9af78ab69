//! How the portal page is drawn from the portal's data and the state of its two forms (the
//! input kept and the field's error when a report was refused, or the understood amount
//! waiting for confirmation). Open items come first and only their milestones are listed;
//! finished items are folded away. A report the organisation sent is shown from its own side
//! ("sent", "accepted") rather than with the ledger's internal status names.

use super::{item_title, text};
use crate::actions::items_views::{IssuedFigures, Portal, PortalFigures};
use crate::actions::today_in_vietnam;
use crate::domain::item::{DisbursementStatus, ItemStatus, MilestoneStatus, ReportDecision};
use crate::domain::{Currency, Lang};
use crate::web::pages::evidence::{DocView, doc_view};
use crate::web::pages::fmt;
use crate::web::pages::frame::{Frame, Viewer};
use askama::Template;
use rocket::request::FlashMessage;

/// A milestone progress form as sent, with the refused field and its message.
#[derive(Default)]
pub struct ProgressForm {
    pub milestone_id: i64,
    pub status: String,
    pub actual_date: String,
    pub evidence: String,
    pub error: Option<(String, String)>,
}

/// The disbursement report form as sent; `understood` is set on the confirmation step.
#[derive(Default)]
pub struct DisbForm {
    pub item_id: String,
    pub amount: String,
    pub currency: String,
    pub value_date: String,
    pub error: Option<(String, String)>,
    pub understood: Option<String>,
}

impl DisbForm {
    #[must_use]
    pub fn error_on(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Default)]
pub struct Forms {
    pub progress: Option<ProgressForm>,
    pub disbursement: DisbForm,
}

impl Forms {
    #[must_use]
    pub fn progress(p: ProgressForm) -> Forms {
        Forms {
            progress: Some(p),
            ..Forms::default()
        }
    }

    #[must_use]
    pub fn disbursement(d: DisbForm) -> Forms {
        Forms {
            progress: None,
            disbursement: d,
        }
    }
}

pub struct Figures {
    pub committed_vnd: String,
    pub committed_usd: String,
    pub disbursed_vnd: String,
    pub disbursed_usd: String,
    pub committed_raw: i128,
    pub disbursed_raw: i128,
    pub unconverted: usize,
}

/// One issued report's period, and the organisation's figures in it when the period is still
/// locked.
pub struct IssuedBox {
    pub label: String,
    pub meta: String,
    pub figures: Option<Figures>,
}

pub struct ReportRow {
    pub date: String,
    pub status: &'static str,
    pub decision: &'static str,
    pub decision_label: &'static str,
    pub evidence: String,
    pub note: String,
}

pub struct MilestoneBox {
    pub id: i64,
    pub item_code: String,
    pub title: String,
    pub planned: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub open: bool,
    pub reports: Vec<ReportRow>,
    /// The evidence documents attached to the milestone.
    pub docs: Vec<DocView>,
    pub form: ProgressForm,
}

impl MilestoneBox {
    #[must_use]
    pub fn error_on(&self, field: &str) -> Option<&str> {
        self.form
            .error
            .as_ref()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

pub struct ItemLine {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub status_label: &'static str,
}

pub struct Reported {
    pub id: i64,
    pub item_code: String,
    pub date: String,
    pub amount: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub note: String,
    /// The evidence documents attached to the reported disbursement.
    pub docs: Vec<DocView>,
}

#[derive(Template)]
#[template(path = "items/portal.html", config = "src/web/pages/askama.toml")]
pub struct PortalPage {
    f: Frame,
    org_name: String,
    cert: String,
    cert_valid: String,
    cert_state: &'static str,
    cert_state_label: &'static str,
    issued: Vec<IssuedBox>,
    open_items: Vec<ItemLine>,
    finished_items: Vec<ItemLine>,
    milestones: Vec<MilestoneBox>,
    reported: Vec<Reported>,
    disb: DisbForm,
    currencies: Vec<&'static str>,
}

/// Whether an item still takes reports: anything not completed, cancelled or revoked.
fn is_open(status: ItemStatus) -> bool {
    !matches!(
        status,
        ItemStatus::Completed | ItemStatus::Cancelled | ItemStatus::Revoked
    )
}

/// A reported disbursement's state as the organisation that sent it sees it: its draft is a
/// report it has sent, not a draft of its own.
fn reported_label(status: DisbursementStatus, lang: Lang) -> &'static str {
    text(
        lang,
        match status {
            DisbursementStatus::Draft => "portal.status.draft",
            DisbursementStatus::Submitted => "portal.status.submitted",
            DisbursementStatus::Verified => "portal.status.verified",
            DisbursementStatus::Rejected => "portal.status.rejected",
        },
    )
}

fn issued_box(i: &IssuedFigures, lang: Lang) -> IssuedBox {
    IssuedBox {
        label: text(lang, "portal.issued.label").replace("{period}", &i.period.label(lang)),
        meta: text(lang, "portal.issued.meta")
            .replace("{version}", &i.version.to_string())
            .replace("{date}", &fmt::date(i.issued_on, lang)),
        figures: i.figures.as_ref().map(|p| figures(p, lang)),
    }
}

fn figures(p: &PortalFigures, lang: Lang) -> Figures {
    Figures {
        committed_vnd: fmt::vnd(p.total.committed_vnd, lang),
        committed_usd: fmt::usd(p.total.committed_usd_cents, lang),
        disbursed_vnd: fmt::vnd(p.total.disbursed_vnd, lang),
        disbursed_usd: fmt::usd(p.total.disbursed_usd_cents, lang),
        committed_raw: p.total.committed_vnd,
        disbursed_raw: p.total.disbursed_vnd,
        unconverted: p.unconverted,
    }
}

pub fn build(
    v: &Viewer,
    flash: Option<FlashMessage<'_>>,
    data: &Portal,
    forms: Forms,
) -> PortalPage {
    let lang = v.lang;
    let o = &data.organisation;
    let today = today_in_vietnam();
    let (cert_state, cert_state_label) = match o.cert_valid_to {
        None => ("none", text(lang, "items.portal.cert_none")),
        Some(to) if to < today => ("expired", text(lang, "items.portal.cert_expired")),
        Some(to) if (to - today).num_days() <= 60 => ("soon", text(lang, "items.portal.cert_soon")),
        Some(_) => ("valid", text(lang, "items.portal.cert_valid")),
    };
    let mut progress = forms.progress;
    let mut milestones = Vec::new();
    for pi in data.items.iter().filter(|pi| is_open(pi.item.status)) {
        for (m, reports) in &pi.milestones {
            let form = match progress.take() {
                Some(p) if p.milestone_id == m.id => p,
                other => {
                    progress = other;
                    ProgressForm {
                        milestone_id: m.id,
                        ..ProgressForm::default()
                    }
                }
            };
            milestones.push(MilestoneBox {
                id: m.id,
                item_code: pi.item.code.clone(),
                title: match lang {
                    Lang::Vi => m.title_vi.clone(),
                    Lang::En => m.title_en.clone(),
                },
                planned: fmt::date(m.planned_date, lang),
                status: m.status.code(),
                status_label: m.status.label(lang),
                open: matches!(
                    m.status,
                    MilestoneStatus::Planned | MilestoneStatus::InProgress
                ) && !reports
                    .iter()
                    .any(|r| r.decision == ReportDecision::Pending),
                reports: reports
                    .iter()
                    .map(|r| ReportRow {
                        date: fmt::time(r.created_at, lang),
                        status: r.status.label(lang),
                        decision: r.decision.code(),
                        decision_label: r.decision.label(lang),
                        evidence: r.evidence.clone(),
                        note: r.decision_note.clone().unwrap_or_default(),
                    })
                    .collect(),
                docs: data
                    .documents
                    .iter()
                    .filter(|d| d.milestone_id == Some(m.id))
                    .map(|d| doc_view(d, v))
                    .collect(),
                form,
            });
        }
    }
    let line = |pi: &crate::actions::items_views::PortalItem| ItemLine {
        id: pi.item.id,
        code: pi.item.code.clone(),
        title: item_title(&pi.item, lang).to_string(),
        status_label: pi.item.status.label(lang),
    };
    let (open, finished): (Vec<_>, Vec<_>) =
        data.items.iter().partition(|pi| is_open(pi.item.status));
    let open_items: Vec<ItemLine> = open.into_iter().map(line).collect();
    let finished_items: Vec<ItemLine> = finished.into_iter().map(line).collect();
    let mut disb = forms.disbursement;
    if disb.currency.is_empty() {
        disb.currency = "USD".into();
    }
    if disb.item_id.is_empty()
        && let Some(first) = open_items.first()
    {
        disb.item_id = first.id.to_string();
    }
    PortalPage {
        f: Frame::new(v, "/portal", "items.portal.title", flash),
        org_name: match lang {
            Lang::Vi => o.name_vi.clone(),
            Lang::En => o.name_en.clone(),
        },
        cert: format!(
            "{} {}",
            o.cert_type.map(|c| c.label(lang)).unwrap_or_default(),
            o.cert_number.clone().unwrap_or_default()
        ),
        cert_valid: format!(
            "{} – {}",
            fmt::opt_date(o.cert_valid_from, lang),
            fmt::opt_date(o.cert_valid_to, lang)
        ),
        cert_state,
        cert_state_label,
        issued: data.issued.iter().map(|i| issued_box(i, lang)).collect(),
        open_items,
        finished_items,
        milestones,
        reported: data
            .reported
            .iter()
            .map(|(d, code)| Reported {
                id: d.id,
                item_code: code.clone(),
                date: fmt::date(d.value_date, lang),
                amount: fmt::money(d.amount_minor, d.currency, lang),
                status: d.status.code(),
                status_label: reported_label(d.status, lang),
                note: d.rejection_reason.clone().unwrap_or_default(),
                docs: data
                    .documents
                    .iter()
                    .filter(|x| x.disbursement_id == Some(d.id))
                    .map(|x| doc_view(x, v))
                    .collect(),
            })
            .collect(),
        disb,
        currencies: Currency::all().map(Currency::code).collect(),
    }
}
