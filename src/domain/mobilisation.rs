//! The vocabularies of aid mobilisation by stage: where a proposal offered to NGOs stands and
//! which moves it may make, the kinds of promotion work, and the dimensions a programme sets
//! targets on. Pure rules; the actions enforce them and the database repeats the codes as
//! CHECK constraints.

use super::Lang;
use super::item::{Vocabulary, vocabulary};
use serde::{Deserialize, Serialize};

vocabulary!(
    /// Where a proposal in the province's list stands.
    ProposalStatus, "proposal status" {
        Proposed = "proposed", "Đề xuất", "Proposed";
        Presented = "presented", "Đã giới thiệu", "Presented";
        Interested = "interested", "Tổ chức quan tâm", "NGO interested";
        Agreed = "agreed", "Đã thống nhất", "Agreed";
        Approved = "approved", "Đã phê duyệt", "Approved";
        Withdrawn = "withdrawn", "Đã rút", "Withdrawn";
    }
);

impl ProposalStatus {
    /// The moves a coordinator may make. A proposal goes forward one step at a time or is
    /// withdrawn; an approved proposal is final (it is an aid item now), and a withdrawn one
    /// may be put back on the list as proposed.
    #[must_use]
    pub fn can_become(self, next: ProposalStatus) -> bool {
        use ProposalStatus::{Agreed, Approved, Interested, Presented, Proposed, Withdrawn};
        matches!(
            (self, next),
            (Proposed, Presented | Withdrawn)
                | (Presented, Interested | Withdrawn)
                | (Interested, Agreed | Presented | Withdrawn)
                | (Agreed, Approved | Interested | Withdrawn)
                | (Withdrawn, Proposed)
        )
    }

    /// Whether the proposal is still being offered (counts as open work in progress).
    #[must_use]
    pub fn is_open(self) -> bool {
        !matches!(self, ProposalStatus::Approved | ProposalStatus::Withdrawn)
    }
}

vocabulary!(
    /// Kinds of promotion work ("xúc tiến, vận động viện trợ").
    ActivityKind, "activity kind" {
        Conference = "conference", "Hội nghị, hội thảo", "Conference or seminar";
        Meeting = "meeting", "Làm việc, tiếp xúc", "Meeting";
        DelegationIn = "delegation_in", "Đón đoàn vào", "Incoming delegation";
        DelegationOut = "delegation_out", "Đoàn ra", "Outgoing delegation";
        FieldVisit = "field_visit", "Khảo sát thực địa", "Field visit";
        Other = "other", "Khác", "Other";
    }
);

vocabulary!(
    /// What a programme's per-dimension target is set on.
    TargetDimension, "target dimension" {
        SectorGroup = "sector_group", "Nhóm lĩnh vực", "Sector group";
        Locality = "locality", "Địa bàn", "Locality";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proposal_reaches_approval_only_step_by_step() {
        use ProposalStatus::*;
        let path = [Proposed, Presented, Interested, Agreed, Approved];
        for w in path.windows(2) {
            assert!(w[0].can_become(w[1]), "{:?} -> {:?}", w[0], w[1]);
        }
        for s in ProposalStatus::ALL {
            assert!(!s.can_become(*s), "{s:?} to itself");
            assert!(!Approved.can_become(*s), "approved is final");
        }
        assert!(!Proposed.can_become(Approved));
        assert!(!Presented.can_become(Agreed));
        assert!(Withdrawn.can_become(Proposed));
        assert!(!Withdrawn.can_become(Approved));
    }

    #[test]
    fn codes_and_labels_are_distinct() {
        for all in [
            ProposalStatus::ALL
                .iter()
                .map(|s| (s.code(), s.label(Lang::Vi), s.label(Lang::En)))
                .collect::<Vec<_>>(),
            ActivityKind::ALL
                .iter()
                .map(|s| (s.code(), s.label(Lang::Vi), s.label(Lang::En)))
                .collect(),
        ] {
            for (i, a) in all.iter().enumerate() {
                for b in &all[i + 1..] {
                    assert!(a.0 != b.0 && a.1 != b.1 && a.2 != b.2, "{a:?} {b:?}");
                }
            }
        }
    }
}
