//! Issuing the period's report: figures, document, PDF, SHA-256 and the archive row, all from
//! one transaction so the archived PDF is exactly what the ledger said at that moment. A
//! report is refused, with every blocking transaction named, while any money in the period
//! has no usable exchange rate. Issuing locks the period in the same transaction.

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

/// The free-text sections, in the order the report prints them.
pub const FREE_TEXT_SECTIONS: [&str; 3] = ["assessment", "tasks", "recommendations"];

#[derive(Debug, Clone)]
pub struct IssueCmd {
    pub period: Period,
    pub lang: Lang,
    pub issued_on: NaiveDate,
    pub number: String,
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
    crate::domain::period::reportable_field("issued_on", cmd.issued_on)?;
    crate::domain::text::clean_opt_line(Some(&cmd.number), 50)
        .map_err(|e| e.into_error("number"))?;
    let look = LookupData::load(tx).await?;
    let fig = figures(tx, &look, &cmd.period).await?;
    if !fig.unconverted.is_empty() {
        return Err(Error::conflict(
            "missing_rates",
            missing_rates_message(&cmd.period, &fig.unconverted),
        ));
    }
    let mut free_text: [Option<String>; 3] = [None, None, None];
    for (slot, section) in free_text.iter_mut().zip(FREE_TEXT_SECTIONS) {
        *slot = reports::get_text(tx, &cmd.period.code(), cmd.lang, section).await?;
    }
    let info = IssueInfo {
        lang: cmd.lang,
        issued_on: cmd.issued_on,
        number: cmd.number.clone(),
        free_text,
        signer: None,
        recipients: Vec::new(),
        draft: false,
        audit_anchor: None,
    };
    let doc = document::build(config, &look, &cmd.period, &fig, &info)
        .map_err(|e| Error::Internal(e.to_string()))?;
    let pdf = crate::reports::pdf::render(&doc)
        .map_err(|e| Error::Internal(format!("rendering the report failed: {e}")))?;
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
    actor.require(Permission::IssueReports)?;
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
    // An empty section clears it; anything else obeys the domain's text rule.
    let body = match crate::domain::text::clean_opt_multiline(Some(body), 20_000) {
        Ok(b) => b.unwrap_or_default(),
        Err(e) => return Err(e.into_error("body")),
    };
    let mut tx = ctx.store.write().await?;
    let before = reports::get_text(&mut tx, &period.code(), lang, section).await?;
    let now = crate::db::now();
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
    tx.commit().await
}
