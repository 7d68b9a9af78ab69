//! What the activity pages show beside an activity: the programmes, organisations and
//! proposals to choose from or to name. NGO staff get their own organisation and the
//! proposals published to NGOs only, as everywhere else.

use crate::actions::scope::Scope;
use crate::actions::{Actor, Ctx};
use crate::db::orgs::{self, Organisation};
use crate::db::programmes::{self, Programme};
use crate::db::proposals::{self, Proposal};
use crate::error::Result;

/// The records an activity's form offers and its page names.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// Newest stage first.
    pub programmes: Vec<Programme>,
    pub organisations: Vec<Organisation>,
    pub proposals: Vec<Proposal>,
}

/// The programmes, organisations and proposals `actor` may see.
pub async fn choices(ctx: &Ctx, actor: &Actor) -> Result<Choices> {
    let scope = Scope::of(actor)?;
    let mut tx = ctx.store.read().await?;
    let programmes = programmes::list_programmes(&mut tx).await?;
    let mut organisations = orgs::list_organisations(&mut tx, None).await?;
    let mut proposals = proposals::list_proposals(&mut tx, None).await?;
    if let Scope::Organisation(own) = scope {
        organisations.retain(|o| o.id == own);
        proposals.retain(|p| p.published);
    }
    Ok(Choices {
        programmes,
        organisations,
        proposals,
    })
}
