//! The four demo accounts, one per role: admin, coordinator, reviewer and an NGO staff member
//! of one NGO. Passwords are generated at load time (never fixed strings), hashed
//! before the write transaction opens, and shown once in the load summary.

use super::names::NGOS;
use super::orgs::OrgIds;
use crate::actions::Actor;
use crate::actions::users::{NewUser, add_user_in};
use crate::auth::password;
use crate::db::Tx;
use crate::domain::item::Role;
use crate::error::{Error, Result};

/// The NGO (index into `names::NGOS`) the demo NGO account belongs to: Saeron Global
/// Neighbours, which has disbursement reports awaiting review.
pub const NGO_USER_ORG: usize = 15;

const ACCOUNTS: [(&str, &str, Role); 4] = [
    ("admin", "Quản trị hệ thống (demo)", Role::Admin),
    (
        "coordinator",
        "Nguyễn Thị Thu Hà (điều phối, demo)",
        Role::Coordinator,
    ),
    (
        "reviewer",
        "Trần Quang Minh (thẩm định tài chính, demo)",
        Role::Reviewer,
    ),
    ("ngo", "Cán bộ tổ chức PCPNN (demo)", Role::Ngo),
];

/// An account ready to store: its command (with the clear password, for the summary) and
/// the hash of that password.
pub struct Prepared {
    pub cmd: NewUser,
    pub hash: String,
}

/// Generates and hashes the passwords. Call before opening the write transaction.
pub async fn prepare() -> Result<Vec<Prepared>> {
    let mut out = Vec::with_capacity(ACCOUNTS.len());
    for (username, display, role) in ACCOUNTS {
        let pw = password::generate();
        if pw.is_empty() {
            return Err(Error::Internal(
                "the operating system gave no randomness to generate the demo passwords".into(),
            ));
        }
        let display_name = if role == Role::Ngo {
            format!("{display} – {}", NGOS[NGO_USER_ORG].acronym)
        } else {
            display.to_string()
        };
        let hash = password::hash(pw.clone()).await?;
        let cmd = NewUser {
            username: username.to_string(),
            display_name,
            role,
            organisation_id: None,
            password: pw,
        };
        out.push(Prepared { cmd, hash });
    }
    Ok(out)
}

/// Database ids of the accounts the ledger names as enterers and verifiers.
pub struct UserIds {
    pub coordinator: i64,
    pub reviewer: i64,
    pub ngo: i64,
}

pub async fn insert(
    tx: &mut Tx,
    actor: &Actor,
    orgs: &OrgIds,
    accounts: &mut [Prepared],
) -> Result<UserIds> {
    let mut ids = UserIds {
        coordinator: 0,
        reviewer: 0,
        ngo: 0,
    };
    for a in accounts.iter_mut() {
        if a.cmd.role == Role::Ngo {
            a.cmd.organisation_id = orgs.ngos.get(NGO_USER_ORG).copied();
        }
        let id = add_user_in(tx, actor, &a.cmd, &a.hash).await?;
        match a.cmd.role {
            Role::Coordinator => ids.coordinator = id,
            Role::Reviewer => ids.reviewer = id,
            Role::Ngo => ids.ngo = id,
            Role::Admin => {}
        }
    }
    Ok(ids)
}
