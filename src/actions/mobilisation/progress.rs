//! Reading a stage's progress for the pages and the API; the figures are
//! [`crate::rollup::progress`]'s, the same the report prints.

use super::super::{Actor, Ctx};
use super::programmes::programme_not_found;
use crate::actions::scope::Scope;
use crate::db::programmes;
use crate::error::{Error, Result};
use crate::rollup::LookupData;
use crate::rollup::progress::{StageProgress, stage_progress};
use chrono::NaiveDate;

/// Province staff only: the figures sum every NGO's commitments.
pub async fn progress(
    ctx: &Ctx,
    actor: &Actor,
    programme_id: i64,
    period_from: NaiveDate,
    to: NaiveDate,
) -> Result<StageProgress> {
    if Scope::of(actor)? != Scope::All {
        return Err(Error::Forbidden(
            "a stage's progress sums every NGO's aid; it is for province staff".into(),
        ));
    }
    let mut tx = ctx.store.read().await?;
    let programme = programmes::get_programme(&mut tx, programme_id)
        .await?
        .ok_or_else(|| programme_not_found(programme_id))?;
    let targets = programmes::targets_of(&mut tx, programme_id).await?;
    let look = LookupData::load(&mut tx).await?;
    stage_progress(&mut tx, &look, programme, targets, period_from, to).await
}
