//! Aid mobilisation by stage: the People's Committee's programme for a stage with its targets,
//! the proposals the province offers to NGOs and the path each takes to an approved aid item,
//! the NGOs' interest registered from the portal, the promotion activities, and the progress
//! of the stage against its targets. Proposals and targets are plans; progress is read from
//! the ledger's commitments, never from a proposal's estimate.

pub mod activities;
pub mod activities_views;
pub mod programmes;
pub mod progress;
pub mod proposals;

use crate::error::{Error, Result};

/// A piece of text a person may leave empty (a summary, an outcome, a note), cleaned under the
/// domain's text rule when given.
pub(crate) fn optional_text(field: &str, value: &mut String, max: usize) -> Result<()> {
    if value.trim().is_empty() {
        value.clear();
        return Ok(());
    }
    crate::domain::text::multiline_field(field, value, max)
}

/// A positive amount in minor units that one record of `currency` may hold.
pub(crate) fn positive_amount(
    field: &str,
    minor: i64,
    currency: crate::domain::Currency,
) -> Result<()> {
    if minor <= 0 {
        return Err(Error::invalid(
            field,
            "not_positive",
            format!("{field} must be more than zero"),
        ));
    }
    let max = crate::domain::money::limits::max_minor(currency);
    if minor > max {
        return Err(Error::invalid(
            field,
            "above_maximum",
            format!(
                "{field} is above the most one record may hold ({})",
                crate::domain::Money::from_minor(max, currency)
            ),
        ));
    }
    Ok(())
}
