//! The one permission matrix. Every action asks [`allows`]; nothing else decides who may do
//! what. Organisation scope for NGO staff is checked next to it, in `actions`.

use super::item::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    ManageUsers,
    ManageTokens,
    ManageSettings,
    EditOrganisations,
    EditItems,
    EditLedger,
    EditMilestones,
    VerifyDisbursements,
    EditRates,
    LockPeriods,
    IssueReports,
    /// Read every organisation's records (province staff).
    ReadAll,
    /// Read one's own organisation's records (NGO staff).
    ReadOwnOrganisation,
    /// Record milestone progress and submit disbursement reports for one's own organisation.
    ReportProgress,
    /// Keep the stage programmes, the proposals offered to NGOs and the promotion activities.
    EditMobilisation,
    /// Register one's own organisation's interest in a proposal published to NGOs.
    RegisterInterest,
}

/// Whether `role` holds `permission`. Unlisted pairs are refused (fail closed).
#[must_use]
pub fn allows(role: Role, permission: Permission) -> bool {
    use Permission as P;
    match role {
        Role::Admin => matches!(
            permission,
            P::ManageUsers | P::ManageTokens | P::ManageSettings | P::ReadAll
        ),
        Role::Coordinator => matches!(
            permission,
            P::EditOrganisations
                | P::EditItems
                | P::EditMobilisation
                | P::EditLedger
                | P::EditMilestones
                | P::ManageTokens
                | P::ReadAll
        ),
        Role::Reviewer => matches!(
            permission,
            P::VerifyDisbursements
                | P::EditRates
                | P::LockPeriods
                | P::IssueReports
                | P::ManageTokens
                | P::ReadAll
        ),
        Role::Ngo => matches!(
            permission,
            P::ReadOwnOrganisation | P::ReportProgress | P::RegisterInterest | P::ManageTokens
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobody_both_enters_and_verifies_money() {
        for role in Role::ALL {
            assert!(
                !(allows(*role, Permission::EditLedger)
                    && allows(*role, Permission::VerifyDisbursements)),
                "{role}"
            );
        }
    }

    #[test]
    fn ngo_staff_never_read_everything() {
        assert!(!allows(Role::Ngo, Permission::ReadAll));
        assert!(allows(Role::Ngo, Permission::ReadOwnOrganisation));
    }
}
