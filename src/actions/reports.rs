//! Issuing the period's report: figures, document, PDF, SHA-256 and the archive row, all from
//! one transaction so the archived PDF is exactly what the ledger said at that moment. A
//! report is refused, with every blocking transaction named, while any money in the period
//! has no usable exchange rate, without a signer and recipients, with sections IV-VI empty
//! (unless confirmed), or while the same report is already issued and its period locked.
//! Issuing locks the period in the same transaction. A draft renders the same document,
//! marked, from a read transaction: nothing is archived, locked or audited.

use super::{Actor, Ctx, record};
use crate::config::Config;
use crate::db::Tx;
use crate::db::periods;
use crate::db::reports::{self, IssuedReport, NewIssuedReport};
use crate::domain::period::Period;
use crate::domain::role::Permission;
use crate::domain::{Lang, Money};
use crate::error::{Error, Result};
use crate::reports::document::{self, IssueInfo};
use crate::rollup::LookupData;
use crate::rollup::figures::figures;
use crate::rollup::sums::UnconvertedRow;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

mod signing;
pub use signing::{SignerInput, empty_sections};

/// The free-text sections, in the order the report prints them.
pub const FREE_TEXT_SECTIONS: [&str; 3] = ["assessment", "tasks", "recommendations"];

#[derive(Debug, Clone)]
pub struct IssueCmd {
    pub period: Period,
    pub lang: Lang,
    pub issued_on: NaiveDate,
    pub number: String,
    /// Overrides of the configured signer (`AIDLEDGER_SIGNER_*`).
    pub signer: SignerInput,
    /// Replaces the configured recipients (`AIDLEDGER_RECIPIENTS_*`) when given; one per
    /// entry (an entry may also hold several lines).
    pub recipients: Option<Vec<String>>,
    /// Issue even though sections IV-VI are empty: they then print "Không có nội dung".
    pub allow_empty_sections: bool,
}

impl IssueCmd {
    /// A command with the configured signer and recipients and no confirmation of empty
    /// sections.
    #[must_use]
    pub fn new(period: Period, lang: Lang, issued_on: NaiveDate, number: String) -> IssueCmd {
        IssueCmd {
            period,
            lang,
            issued_on,
            number,
            signer: SignerInput::default(),
            recipients: None,
            allow_empty_sections: false,
        }
    }
}

/// The rendered document and what was printed in it, before anything is stored.
struct Rendered {
    pdf: Vec<u8>,
    signer: Option<crate::reports::model::Signature>,
    recipients: Vec<String>,
    anchor: Option<(i64, String)>,
}

/// Builds and renders the report for `cmd`. An issue (`draft == false`) is checked against
/// every rule first and carries the audit anchor; a draft is checked only for missing rates.
async fn render_in(tx: &mut Tx, config: &Config, cmd: &IssueCmd, draft: bool) -> Result<Rendered> {
    let code = cmd.period.code();
    if !draft {
        let issued = reports::list_issued(tx, Some(&code)).await?;
        if let Some(last) = issued
            .iter()
            .filter(|r| r.lang == cmd.lang)
            .max_by_key(|r| r.version)
            && periods::active_lock_covering(tx, cmd.period.from, cmd.period.to)
                .await?
                .is_some()
        {
            return Err(Error::conflict(
                "already_issued",
                format!(
                    "the {} report for {code} is already issued (version {}) and the period is locked: unlock the period first (with a reason, on the period page or POST /api/v1/periods/{code}/unlock), then issue a new version",
                    cmd.lang.code(),
                    last.version
                ),
            ));
        }
    }
    let look = LookupData::load(tx).await?;
    let fig = figures(tx, &look, &cmd.period).await?;
    if !fig.unconverted.is_empty() {
        return Err(Error::conflict(
            "missing_rates",
            missing_rates_message(&cmd.period, &fig.unconverted),
        ));
    }
    let (signer, recipients) = signing::resolve(&config.signing, cmd)?;
    if !draft {
        signing::require(signer.as_ref(), &recipients, cmd.lang)?;
    }
    let mut free_text: [Option<String>; 3] = [None, None, None];
    for (slot, section) in free_text.iter_mut().zip(FREE_TEXT_SECTIONS) {
        *slot = reports::get_text(tx, &code, cmd.lang, section).await?;
    }
    if !draft || cmd.allow_empty_sections {
        signing::check_sections(&mut free_text, cmd.lang, cmd.allow_empty_sections)?;
    }
    // The anchor is the chain head before this report's own entry is written.
    let anchor = if draft {
        None
    } else {
        reports::audit_head(tx).await?
    };
    let info = IssueInfo {
        lang: cmd.lang,
        issued_on: cmd.issued_on,
        number: cmd.number.clone(),
        free_text,
        signer: signer.clone(),
        recipients: recipients.clone(),
        draft,
        audit_anchor: anchor.as_ref().map(|(id, hash)| {
            let word = match cmd.lang {
                Lang::Vi => "Nhật ký",
                Lang::En => "Audit",
            };
            format!("{word} #{id} · {}", hash.get(..12).unwrap_or(hash))
        }),
    };
    let doc = document::build(config, &look, &cmd.period, &fig, &info)
        .map_err(|e| Error::Internal(e.to_string()))?;
    // A national year's lookup and per-item figures are tens of megabytes the document no
    // longer needs while it is drawn.
    drop(fig);
    drop(look);
    // Drawing a national year takes a second or two of both cores: off the async workers,
    // so the server's other requests are not queued behind it.
    let pdf = tokio::task::spawn_blocking(move || crate::reports::pdf::render_owned(doc))
        .await
        .map_err(|e| Error::Internal(format!("rendering the report stopped: {e}")))?
        .map_err(|e| Error::Internal(format!("rendering the report failed: {e}")))?;
    Ok(Rendered {
        pdf,
        signer,
        recipients,
        anchor,
    })
}

/// The report as it would be issued now, marked "DỰ THẢO" / "DRAFT", from a read
/// transaction: nothing is archived, locked or audited. Signer and recipients may be missing.
pub async fn draft_report(ctx: &Ctx, actor: &Actor, cmd: &IssueCmd) -> Result<Vec<u8>> {
    actor.require(Permission::IssueReports)?;
    let mut tx = ctx.store.read_long().await?;
    Ok(render_in(&mut tx, &ctx.config, cmd, true).await?.pdf)
}

/// The message that blocks issuing: which transactions, and which rates would unblock them.
#[must_use]
pub fn missing_rates_message(period: &Period, rows: &[UnconvertedRow]) -> String {
    let needed: BTreeSet<String> = rows
        .iter()
        .map(|r| format!("{} on or before {}", r.currency, r.date))
        .collect();
    let listed: Vec<String> = rows
        .iter()
        .take(20)
        .map(|r| {
            format!(
                "{} {} of item {} ({} {} dated {}): {}",
                r.table_name,
                r.id,
                r.item_id,
                Money::from_minor(r.amount_minor, r.currency).canonical(),
                r.currency,
                r.date,
                r.reason
            )
        })
        .collect();
    let more = if rows.len() > 20 {
        format!("; and {} more", rows.len() - 20)
    } else {
        String::new()
    };
    format!(
        "the report for {} cannot be issued: {} transaction(s) have no usable exchange rate: {}{}. Enter rates for: {}",
        period.code(),
        rows.len(),
        listed.join("; "),
        more,
        needed.into_iter().collect::<Vec<_>>().join(", ")
    )
}

/// Issues and archives the report; returns the archive record and the PDF bytes.
pub async fn issue_report(
    ctx: &Ctx,
    actor: &Actor,
    cmd: &IssueCmd,
) -> Result<(IssuedReport, Vec<u8>)> {
    let mut tx = ctx.store.write().await?;
    let out = issue_report_in(&mut tx, &ctx.config, actor, cmd).await?;
    tx.commit().await?;
    Ok(out)
}

/// [`issue_report`] inside the caller's write transaction.
pub async fn issue_report_in(
    tx: &mut Tx,
    config: &Config,
    actor: &Actor,
    cmd: &IssueCmd,
) -> Result<(IssuedReport, Vec<u8>)> {
    actor.require(Permission::IssueReports)?;
    check_fields(cmd)?;
    let Rendered {
        pdf,
        signer,
        recipients,
        anchor,
    } = render_in(tx, config, cmd, false).await?;
    let sha256 = hex::encode(Sha256::digest(&pdf));
    let now = crate::db::now();
    let new = NewIssuedReport {
        period: cmd.period.code(),
        period_from: cmd.period.from,
        period_to: cmd.period.to,
        lang: cmd.lang,
        issued_on: cmd.issued_on,
        issued_by: actor.user_id,
        sha256,
        pdf: &pdf,
        audit_anchor: anchor,
        signer_name: signer.as_ref().map(|s| s.name.clone()),
        signer_lines: signer.as_ref().map(|s| s.authority.join("\n")),
        recipients: Some(recipients.join("\n")),
    };
    let issued = reports::insert_issued(tx, &new, now).await?;
    // An issued report closes its period, unless one lock already covers all of it: what
    // the archived PDF says cannot then change without an audited unlock.
    if periods::active_lock_covering(tx, cmd.period.from, cmd.period.to)
        .await?
        .is_none()
    {
        super::periods::insert_lock(tx, actor, &cmd.period).await?;
    }
    record::<(), _>(
        tx,
        actor,
        "report.issue",
        "issued_report",
        issued.id,
        None,
        Some(&issued),
        now,
    )
    .await?;
    Ok((issued, pdf))
}

/// Saves one free-text section (IV-VI) for a period and language.
pub async fn save_report_text(
    ctx: &Ctx,
    actor: &Actor,
    period: &Period,
    lang: Lang,
    section: &str,
    body: &str,
) -> Result<()> {
    save_report_texts(ctx, actor, period, &[(lang, section, body)], |_, _| {
        "body".to_string()
    })
    .await
    .map(|_| ())
}

/// Saves several free-text sections of a period at once, in one transaction: all of them or
/// none. A refusal names the field `field(lang, section)` gives, so a form holding every
/// section can show it by the right one. Sections whose text did not change are not
/// rewritten (nor audited). Returns how many changed.
pub async fn save_report_texts(
    ctx: &Ctx,
    actor: &Actor,
    period: &Period,
    texts: &[(Lang, &str, &str)],
    field: impl Fn(Lang, &str) -> String,
) -> Result<usize> {
    actor.require(Permission::IssueReports)?;
    let mut clean = Vec::with_capacity(texts.len());
    for &(lang, section, body) in texts {
        let named = |e: Error| match e {
            Error::Invalid { code, message, .. } => Error::Invalid {
                field: Some(field(lang, section)),
                code,
                message,
            },
            other => other,
        };
        clean.push((lang, section, clean_text(section, body).map_err(named)?));
    }
    let mut tx = ctx.store.write().await?;
    let now = crate::db::now();
    let mut changed = 0;
    for (lang, section, body) in clean {
        let before = reports::get_text(&mut tx, &period.code(), lang, section).await?;
        if before.as_deref().unwrap_or_default() == body {
            continue;
        }
        reports::save_text(
            &mut tx,
            &period.code(),
            lang,
            section,
            &body,
            actor.user_id,
            now,
        )
        .await?;
        record(
            &mut tx,
            actor,
            "report_text.save",
            "report_text",
            format!("{}:{}:{section}", period.code(), lang.code()),
            before.as_ref(),
            Some(&body),
            now,
        )
        .await?;
        changed += 1;
    }
    tx.commit().await?;
    Ok(changed)
}

/// One section's text as stored: a known section, at most 20,000 characters, obeying the
/// domain's text rule; empty clears it.
fn clean_text(section: &str, body: &str) -> Result<String> {
    if !FREE_TEXT_SECTIONS.contains(&section) {
        return Err(Error::invalid(
            "section",
            "unknown_section",
            format!("section must be one of {}", FREE_TEXT_SECTIONS.join(", ")),
        ));
    }
    if body.chars().count() > 20_000 {
        return Err(Error::invalid(
            "body",
            "too_long",
            "a section may have at most 20,000 characters",
        ));
    }
    match crate::domain::text::clean_opt_multiline(Some(body), 20_000) {
        Ok(b) => Ok(b.unwrap_or_default()),
        Err(e) => Err(e.into_error("body")),
    }
}

/// Runs every check issuing `cmd` would make (rates, signer, recipients, sections, an
/// issued report on a locked period) from a read transaction, storing nothing: what the
/// period page's confirmation step asks before it offers to issue.
pub async fn check_issue(ctx: &Ctx, actor: &Actor, cmd: &IssueCmd) -> Result<()> {
    actor.require(Permission::IssueReports)?;
    check_fields(cmd)?;
    let mut tx = ctx.store.read().await?;
    render_in(&mut tx, &ctx.config, cmd, false)
        .await
        .map(|_| ())
}

fn check_fields(cmd: &IssueCmd) -> Result<()> {
    crate::domain::period::reportable_field("issued_on", cmd.issued_on)?;
    crate::domain::text::clean_opt_line(Some(&cmd.number), 50)
        .map_err(|e| e.into_error("number"))?;
    Ok(())
}
