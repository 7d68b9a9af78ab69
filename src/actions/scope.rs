//! Organisation scope, decided in this one place. Province staff (`ReadAll`) see everything.
//! NGO staff see their own organisation, the aid items it is the donor of, and the
//! commitments, disbursements, milestones and milestone reports of those items, nothing else.
//!
//! A record outside the actor's scope is answered exactly like a record that does not exist
//! (`Error::NotFound` with the same text), so ids cannot be probed to learn what others hold.

use super::Actor;
use crate::db::items::AidItem;
use crate::db::ledger::{self, Disbursement, Milestone};
use crate::db::milestone_reports::{self, MilestoneReport};
use crate::db::orgs::{self, Organisation};
use crate::db::{Tx, items};
use crate::domain::role::Permission;
use crate::error::{Error, Result};

/// What an actor may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    /// Only records of this organisation (as the donor of an aid item).
    Organisation(i64),
}

impl Scope {
    /// The actor's read scope; refuses an actor that may read nothing (fail closed: an NGO
    /// user without an organisation sees nothing rather than everything).
    pub fn of(actor: &Actor) -> Result<Scope> {
        if actor.require(Permission::ReadAll).is_ok() {
            return Ok(Scope::All);
        }
        actor.require(Permission::ReadOwnOrganisation)?;
        actor
            .organisation_id
            .map(Scope::Organisation)
            .ok_or_else(|| {
                Error::Forbidden(
                    "this account belongs to no organisation, so it may read nothing".into(),
                )
            })
    }

    #[must_use]
    pub fn sees_organisation(self, id: i64) -> bool {
        match self {
            Scope::All => true,
            Scope::Organisation(own) => own == id,
        }
    }

    #[must_use]
    pub fn sees_item(self, item: &AidItem) -> bool {
        self.sees_organisation(item.donor_id)
    }
}

pub fn organisation_not_found(id: i64) -> Error {
    Error::NotFound(format!("organisation {id}"))
}
pub fn item_not_found(id: i64) -> Error {
    Error::NotFound(format!("aid item {id}"))
}
pub fn disbursement_not_found(id: i64) -> Error {
    Error::NotFound(format!("disbursement {id}"))
}
pub fn milestone_not_found(id: i64) -> Error {
    Error::NotFound(format!("milestone {id}"))
}
pub fn milestone_report_not_found(id: i64) -> Error {
    Error::NotFound(format!("milestone report {id}"))
}

pub async fn organisation(tx: &mut Tx, scope: Scope, id: i64) -> Result<Organisation> {
    match orgs::get_organisation(tx, id).await? {
        Some(o) if scope.sees_organisation(o.id) => Ok(o),
        _ => Err(organisation_not_found(id)),
    }
}

pub async fn item(tx: &mut Tx, scope: Scope, id: i64) -> Result<AidItem> {
    match items::get_item(tx, id).await? {
        Some(i) if scope.sees_item(&i) => Ok(i),
        _ => Err(item_not_found(id)),
    }
}

/// Whether the item exists and is in scope, without telling which when it is not.
async fn item_visible(tx: &mut Tx, scope: Scope, id: i64) -> Result<bool> {
    Ok(match scope {
        Scope::All => true,
        Scope::Organisation(_) => match item(tx, scope, id).await {
            Ok(_) => true,
            Err(Error::NotFound(_)) => false,
            Err(e) => return Err(e),
        },
    })
}

pub async fn disbursement(tx: &mut Tx, scope: Scope, id: i64) -> Result<Disbursement> {
    match ledger::get_disbursement(tx, id).await? {
        Some(d) if item_visible(tx, scope, d.item_id).await? => Ok(d),
        _ => Err(disbursement_not_found(id)),
    }
}

pub async fn milestone(tx: &mut Tx, scope: Scope, id: i64) -> Result<Milestone> {
    match ledger::get_milestone(tx, id).await? {
        Some(m) if item_visible(tx, scope, m.item_id).await? => Ok(m),
        _ => Err(milestone_not_found(id)),
    }
}

pub async fn milestone_report(tx: &mut Tx, scope: Scope, id: i64) -> Result<MilestoneReport> {
    let Some(r) = milestone_reports::get_report(tx, id).await? else {
        return Err(milestone_report_not_found(id));
    };
    match milestone(tx, scope, r.milestone_id).await {
        Ok(_) => Ok(r),
        Err(Error::NotFound(_)) => Err(milestone_report_not_found(id)),
        Err(e) => Err(e),
    }
}
