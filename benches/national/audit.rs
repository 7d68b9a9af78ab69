//! The audit trail the loaded rows would have: one entry per user, exchange rate, aid item
//! (its creation), commitment and disbursement, shaped as the application's actions write
//! them (same action, entity, entity id and `after` JSON, read back through the library's own
//! `db` functions where the action reads the row back) and hash-chained with the library's
//! own [`audit::chain`], so `aidledger audit verify` passes on the loaded database. Each entry
//! is stamped with its row's `created_at`, the moment the action would have run, and the
//! entries are chained in that order. A verified disbursement gets one entry holding its final
//! row (not a record and a verify entry): one entry per money row, as the issue's
//! measurement assumed. Without these entries an item page's audit history is nearly free,
//! which hid its cost at national scale.

use crate::BoxError;
use crate::data::{Dataset, ENTERED_BY, midnight};
use aidledger::Store;
use aidledger::db::audit::{self, GENESIS, NewAuditEntry};
use aidledger::db::ledger::{Conversion, Disbursement};
use aidledger::db::{items, rates, users};
use aidledger::domain::item::DisbursementStatus;
use aidledger::domain::money::Money;
use aidledger::domain::rate::Converted;
use chrono::{DateTime, Days, Utc};
use serde_json::json;
use std::collections::HashMap;

/// The coordinator enters items and money rows; the rates are entered by the administrator
/// and the users created by the command line (the system actor).
const COORDINATOR: (Option<i64>, &str) = (Some(ENTERED_BY), "bench-coordinator");
const ADMIN: (Option<i64>, &str) = (Some(1), "bench-admin");
const CLI: (Option<i64>, &str) = (None, "system:cli");

/// One chained entry, ready to insert.
pub struct AuditRow {
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor: &'static str,
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: String,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// An entry before chaining, with the order it takes in the chain.
struct Pending {
    at: DateTime<Utc>,
    order: (u8, i64),
    who: (Option<i64>, &'static str),
    action: &'static str,
    entity: &'static str,
    entity_id: String,
    after: String,
}

fn text(v: &impl serde::Serialize) -> Result<String, BoxError> {
    Ok(serde_json::to_string(v)?)
}

fn conversion(c: Converted) -> Conversion {
    Conversion {
        rate_id: Some(c.rate_id),
        amount_vnd: Some(c.vnd),
        amount_usd_cents: Some(c.usd_cents),
        unconverted_reason: None,
    }
}

/// The entries for the loaded rows, in chain order, chained from the genesis hash (the
/// database's trail is empty before the load). Call it after every table is loaded: users,
/// rates and items are read back as the actions read them.
pub async fn entries(store: &Store, d: &Dataset) -> Result<Vec<AuditRow>, BoxError> {
    let mut tx = store.read().await?;
    let mut p = Vec::with_capacity(d.items.len() + d.commitments.len() + d.disbursements.len());
    for u in users::list_users(&mut tx).await? {
        p.push(Pending {
            at: u.created_at,
            order: (0, u.id),
            who: CLI,
            action: "user.create",
            entity: "app_user",
            entity_id: u.id.to_string(),
            after: text(&u)?,
        });
    }
    for r in rates::list_rates(&mut tx, None, true).await? {
        p.push(Pending {
            at: r.created_at,
            order: (1, r.id),
            who: ADMIN,
            action: "rate.enter",
            entity: "exchange_rate",
            entity_id: format!("{}:{}", r.currency, r.rate_date),
            after: text(&r)?,
        });
    }
    let mut sectors: HashMap<i64, Vec<(&str, i64)>> = HashMap::new();
    for a in &d.item_sectors {
        sectors
            .entry(a.item_id)
            .or_default()
            .push((a.code.as_str(), a.share_bp));
    }
    let mut localities: HashMap<i64, Vec<(&str, i64)>> = HashMap::new();
    for a in &d.item_localities {
        localities
            .entry(a.item_id)
            .or_default()
            .push((a.code.as_str(), a.share_bp));
    }
    for item in items::list_items(&mut tx).await? {
        let (id, at) = (item.id, item.created_at);
        let after = json!({
            "item": item,
            "sectors": sectors.remove(&id).unwrap_or_default(),
            "localities": localities.remove(&id).unwrap_or_default(),
        });
        p.push(Pending {
            at,
            order: (2, id),
            who: COORDINATOR,
            action: "aid_item.create",
            entity: "aid_item",
            entity_id: id.to_string(),
            after: text(&after)?,
        });
    }
    tx.commit().await?;
    for c in &d.commitments {
        let money = Money::from_minor(c.amount_minor, c.currency);
        let after = json!({
            "item_id": c.item_id, "kind": c.kind, "amount": money.canonical(), "currency": c.currency,
            "date": c.date, "reference": None::<String>, "conversion": conversion(c.conv),
        });
        p.push(Pending {
            at: midnight(c.date),
            order: (3, c.id),
            who: COORDINATOR,
            action: "commitment.record",
            entity: "commitment",
            entity_id: c.id.to_string(),
            after: text(&after)?,
        });
    }
    for x in &d.disbursements {
        // The row exactly as the loader stores it (load.rs), as the action reads it back.
        let verified = x.status == DisbursementStatus::Verified;
        let row = Disbursement {
            id: x.id,
            item_id: x.item_id,
            amount_minor: x.amount_minor,
            currency: x.currency,
            value_date: x.date,
            tranche: x.tranche,
            milestone_id: None,
            reverses_id: x.reverses_id,
            status: x.status,
            entered_by: Some(ENTERED_BY),
            verified_by: verified.then_some(crate::data::VERIFIED_BY),
            verified_at: x
                .date
                .checked_add_days(Days::new(2))
                .map(midnight)
                .filter(|_| verified),
            rejection_reason: None,
            created_at: midnight(x.date),
            conversion: conversion(x.conv),
        };
        p.push(Pending {
            at: row.created_at,
            order: (4, x.id),
            who: COORDINATOR,
            action: "disbursement.record",
            entity: "disbursement",
            entity_id: x.id.to_string(),
            after: text(&row)?,
        });
    }
    p.sort_by_key(|e| (e.at, e.order));
    let mut prev = GENESIS.to_string();
    let mut out = Vec::with_capacity(p.len());
    for e in p {
        let entry = NewAuditEntry {
            actor_id: e.who.0,
            actor: e.who.1,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            before: None,
            after: Some(e.after),
        };
        let link = audit::chain(prev, std::slice::from_ref(&entry), e.at)?
            .pop()
            .ok_or("the chain of one entry is empty")?;
        prev = link.1.clone();
        out.push(AuditRow {
            at: e.at,
            actor_id: entry.actor_id,
            actor: e.who.1,
            action: e.action,
            entity: e.entity,
            entity_id: entry.entity_id,
            after: entry.after,
            prev_hash: link.0,
            hash: link.1,
        });
    }
    Ok(out)
}
