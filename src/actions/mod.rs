//! One function per use case. Each checks the permission matrix, opens one database
//! transaction, calls `db`, writes the audit entry in that same transaction and commits, so a
//! change and its record of who made it land together or not at all.
//!
//! Most actions come in two forms: `thing(ctx, actor, cmd)` owns its transaction, and
//! `thing_in(tx, …)` joins the caller's, which the demo loader and importers use to apply a
//! whole data set atomically.

pub mod account;
pub mod audit_check;
pub mod auth;
pub mod budgets;
pub mod convert;
pub mod dash_views;
pub mod evidence;
pub mod export;
pub mod forms_views;
pub mod iati_export;
pub mod iati_import;
pub mod idempotency;
pub mod imports;
pub mod items;
pub mod items_views;
pub mod ledger;
pub mod ledger_batch;
pub mod mobilisation;
pub mod orgs;
pub mod overdue;
pub mod periods;
pub mod progress;
pub mod queries;
pub mod rates;
pub mod rates_views;
pub mod reports;
pub mod review;
pub mod scope;
pub mod sheets;
pub mod tokens;
pub mod updates;
pub mod users;

use crate::config::Config;
use crate::db::audit::{self, NewAuditEntry};
use crate::db::{Store, Tx};
use crate::domain::item::Role;
use crate::domain::role::{Permission, allows};
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};

/// What an action needs from the application: the store and the configuration.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub store: Store,
    pub config: Config,
}

/// Who is acting. The command line and the demo loader act as the system, which holds every
/// permission and is named in the audit trail as such.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
    pub role: Option<Role>,
    pub organisation_id: Option<i64>,
}

impl Actor {
    #[must_use]
    pub fn system(what: &str) -> Actor {
        Actor {
            user_id: None,
            name: format!("system:{what}"),
            role: None,
            organisation_id: None,
        }
    }

    #[must_use]
    pub fn user(id: i64, username: &str, role: Role, organisation_id: Option<i64>) -> Actor {
        Actor {
            user_id: Some(id),
            name: username.to_string(),
            role: Some(role),
            organisation_id,
        }
    }

    /// Refuses unless the matrix grants `p` (the system actor holds every permission).
    pub fn require(&self, p: Permission) -> Result<()> {
        match self.role {
            None => Ok(()),
            Some(role) if allows(role, p) => Ok(()),
            Some(role) => Err(Error::Forbidden(format!(
                "the {} role may not do this",
                role.label(crate::domain::Lang::En)
            ))),
        }
    }
}

/// Writes one audit entry for a change; `before` and `after` are serialised as JSON.
/// Every argument is a distinct fact of the entry, so they stay explicit at each call site.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record<B: serde::Serialize, A: serde::Serialize>(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: impl ToString,
    before: Option<&B>,
    after: Option<&A>,
    at: DateTime<Utc>,
) -> Result<()> {
    let before = before
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let after = after
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let entry = NewAuditEntry {
        actor_id: actor.user_id,
        actor: &actor.name,
        action,
        entity,
        entity_id: entity_id.to_string(),
        before,
        after,
    };
    audit::append(tx, &entry, at).await?;
    Ok(())
}

/// Cuts a keyset page read with one row more than `size` (which says whether another page
/// follows) back to `size`, and gives the key of its last row to continue after, when more
/// follow.
pub(crate) fn keyset_page<T>(
    mut rows: Vec<T>,
    size: i64,
    key: impl Fn(&T) -> i64,
) -> (Vec<T>, Option<i64>) {
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    let more = rows.len() > size;
    rows.truncate(size);
    let next_after = rows.last().filter(|_| more).map(key);
    (rows, next_after)
}

/// Today's date in UTC+7, the date the province works in, for "not in the future" checks.
#[must_use]
pub fn today_in_vietnam() -> chrono::NaiveDate {
    (Utc::now() + chrono::Duration::hours(7)).date_naive()
}
