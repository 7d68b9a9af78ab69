//! Entering and correcting exchange rates. Either way, every transaction the rate can affect
//! is re-converted in the same database transaction, so no total ever mixes old and new rates.

use super::{Actor, Ctx, convert::reconvert, record, today_in_vietnam};
use crate::db::{Tx, rates};
use crate::domain::Currency;
use crate::domain::rate::{Rate, RateError, RateValue};
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use chrono::NaiveDate;

#[derive(Debug, Clone)]
pub struct RateCmd {
    pub currency: Currency,
    pub date: NaiveDate,
    pub to_vnd: RateValue,
    pub to_usd: RateValue,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RateOutcome {
    pub id: i64,
    /// The rate this one corrects, if one was already entered for that currency and date.
    pub supersedes: Option<i64>,
    /// Commitments and disbursements whose converted amounts changed.
    pub reconverted: u64,
}

pub async fn enter_rate(ctx: &Ctx, actor: &Actor, cmd: RateCmd) -> Result<RateOutcome> {
    let mut tx = ctx.store.write().await?;
    let out = enter_rate_in(&mut tx, actor, &cmd, ctx.config.rate_max_age_days).await?;
    tx.commit().await?;
    Ok(out)
}

pub async fn enter_rate_in(
    tx: &mut Tx,
    actor: &Actor,
    cmd: &RateCmd,
    max_age_days: u32,
) -> Result<RateOutcome> {
    actor.require(Permission::EditRates)?;
    Rate::validate(cmd.currency, cmd.to_vnd, cmd.to_usd).map_err(|e| {
        let field = match &e {
            RateError::AboveMaximum { target: "USD", .. } => "to_usd",
            _ => "to_vnd",
        };
        Error::invalid(field, "invalid_rate", e.to_string())
    })?;
    if cmd.date > today_in_vietnam() {
        return Err(Error::invalid(
            "date",
            "future_date",
            format!("a rate cannot be dated in the future ({})", cmd.date),
        ));
    }
    crate::domain::period::reportable_field("date", cmd.date)?;
    let source = crate::domain::text::note_field("source", &cmd.source, 1, 200, || {
        Error::invalid(
            "source",
            "invalid_source",
            "give the rate's source (for example \"SBV central rate\"), at most 200 characters",
        )
    })?;
    if source.contains('\n') {
        return Err(crate::domain::text::TextError::LineBreak.into_error("source"));
    }
    let source = source.as_str();
    let now = crate::db::now();
    let old = rates::current_rate_on(tx, cmd.currency, cmd.date).await?;
    let rate = Rate {
        id: 0,
        currency: cmd.currency,
        date: cmd.date,
        to_vnd: cmd.to_vnd,
        to_usd: cmd.to_usd,
    };
    if let Some(o) = &old {
        if o.to_vnd == cmd.to_vnd && o.to_usd == cmd.to_usd {
            return Err(Error::conflict(
                "rate_unchanged",
                format!(
                    "the {} rate for {} is already {} VND / {} USD",
                    cmd.currency,
                    cmd.date,
                    o.to_vnd.canonical(),
                    o.to_usd.canonical()
                ),
            ));
        }
        // The partial unique index allows one current row per date: retire the old one first.
        rates::mark_superseded_placeholder(tx, o.id).await?;
    }
    let id = rates::insert_rate(tx, &rate, source, actor.user_id, now).await?;
    if let Some(o) = &old {
        rates::mark_superseded(tx, o.id, id).await?;
    }
    let new_row = rates::get_rate(tx, id).await?;
    let action = if old.is_some() {
        "rate.correct"
    } else {
        "rate.enter"
    };
    record(
        tx,
        actor,
        action,
        "exchange_rate",
        format!("{}:{}", cmd.currency, cmd.date),
        old.as_ref(),
        new_row.as_ref(),
        now,
    )
    .await?;
    let reconverted = reconvert(tx, cmd.currency, cmd.date, max_age_days).await?;
    Ok(RateOutcome {
        id,
        supersedes: old.map(|o| o.id),
        reconverted,
    })
}
