//! The closed vocabularies of the ledger's records and their state machines: aid modalities,
//! item statuses and which transitions are allowed, commitment kinds, disbursement and
//! milestone statuses, organisation kinds, certificate types and user roles.
//!
//! Each is an enum with a stable lower-case code (what the database and the API store) and
//! Vietnamese and English labels (what people read). Parsing a code is the only way in.

use super::Lang;
use serde::{Deserialize, Serialize};

/// What every vocabulary offers generically, so a spreadsheet cell can accept a label as
/// people read it (`Đang thực hiện`, `Implementing`) as well as the stored code.
pub trait Vocabulary: Copy + 'static {
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;
    fn label(self, lang: Lang) -> &'static str;
}

/// Declares a code-backed enum with labels in both languages.
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident, $what:literal { $($variant:ident = $code:literal, $vi:literal, $en:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            #[must_use]
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            #[must_use]
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, Lang::Vi) => $vi, ($name::$variant, Lang::En) => $en,)+
                }
            }
        }

        impl Vocabulary for $name {
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn label(self, lang: Lang) -> &'static str {
                $name::label(self, lang)
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($code => Ok($name::$variant),)+
                    other => Err(format!(
                        "{} \"{}\" is not known; use one of: {}",
                        $what,
                        other.chars().take(30).collect::<String>(),
                        [$($code),+].join(", ")
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary!(
    /// How an aid item is delivered (Decree 80/2020 and 313/2025 categories).
    Modality, "modality" {
        Programme = "programme", "Chương trình", "Programme";
        InvestmentProject = "investment_project", "Dự án đầu tư", "Investment project";
        TechnicalAssistance = "technical_assistance", "Dự án hỗ trợ kỹ thuật", "Technical assistance project";
        NonProject = "non_project", "Phi dự án", "Non-project aid";
        EmergencyRelief = "emergency_relief", "Cứu trợ khẩn cấp", "Emergency relief";
    }
);

vocabulary!(
    AidForm, "form of aid" {
        Cash = "cash", "Bằng tiền", "Cash";
        InKind = "in_kind", "Bằng hiện vật", "In kind";
    }
);

vocabulary!(
    /// Where an aid item is in its life.
    ItemStatus, "status" {
        Pipeline = "pipeline", "Đang vận động", "Pipeline";
        Approved = "approved", "Đã phê duyệt", "Approved";
        Implementing = "implementing", "Đang thực hiện", "Implementing";
        Completed = "completed", "Hoàn thành", "Completed";
        Suspended = "suspended", "Tạm dừng", "Suspended";
        Cancelled = "cancelled", "Đã hủy", "Cancelled";
        Revoked = "revoked", "Thu hồi", "Revoked";
    }
);

impl ItemStatus {
    /// The transitions a coordinator may make. Completed, cancelled and revoked are final:
    /// a mistake there is corrected by a new item, not by rewriting history.
    #[must_use]
    pub fn can_become(self, next: ItemStatus) -> bool {
        use ItemStatus::{
            Approved, Cancelled, Completed, Implementing, Pipeline, Revoked, Suspended,
        };
        matches!(
            (self, next),
            (Pipeline, Approved | Cancelled)
                | (Approved, Implementing | Suspended | Cancelled | Revoked)
                | (Implementing, Completed | Suspended | Revoked)
                | (Suspended, Implementing | Cancelled | Revoked)
        )
    }

    /// Items in these states have been approved at some point and count in reports.
    #[must_use]
    pub fn was_approved(self) -> bool {
        !matches!(self, ItemStatus::Pipeline)
    }
}

vocabulary!(
    /// Commitments are never edited: a change is an amendment row, a withdrawal a cancellation.
    CommitmentKind, "commitment kind" {
        Original = "original", "Cam kết ban đầu", "Original";
        Amendment = "amendment", "Điều chỉnh", "Amendment";
        Cancellation = "cancellation", "Hủy cam kết", "Cancellation";
    }
);

impl CommitmentKind {
    /// The sign an amount of this kind must have, as a refusal message when it is wrong.
    pub fn check_sign(self, minor: i64) -> Result<(), &'static str> {
        match self {
            CommitmentKind::Original if minor <= 0 => {
                Err("an original commitment must be greater than zero")
            }
            CommitmentKind::Amendment if minor == 0 => Err(
                "an amendment must change the amount (positive to increase, negative to decrease)",
            ),
            CommitmentKind::Cancellation if minor >= 0 => {
                Err("a cancellation must be negative (the amount withdrawn)")
            }
            _ => Ok(()),
        }
    }
}

vocabulary!(
    DisbursementStatus, "disbursement status" {
        Draft = "draft", "Nháp", "Draft";
        Submitted = "submitted", "Chờ xác minh", "Submitted";
        Verified = "verified", "Đã xác minh", "Verified";
        Rejected = "rejected", "Bị từ chối", "Rejected";
    }
);

impl DisbursementStatus {
    #[must_use]
    pub fn can_become(self, next: DisbursementStatus) -> bool {
        use DisbursementStatus::{Draft, Rejected, Submitted, Verified};
        matches!(
            (self, next),
            // A draft is an NGO's report: a coordinator accepts it (submitted) or returns it.
            (Draft, Submitted | Rejected)
                | (Submitted, Verified | Rejected)
                | (Rejected, Submitted)
        )
    }
}

vocabulary!(
    MilestoneStatus, "milestone status" {
        Planned = "planned", "Kế hoạch", "Planned";
        InProgress = "in_progress", "Đang thực hiện", "In progress";
        Done = "done", "Hoàn thành", "Done";
        Cancelled = "cancelled", "Đã hủy", "Cancelled";
    }
);

vocabulary!(
    /// What an item's planned figure is: an IATI budget (what is planned to be spent in a
    /// period) or a planned disbursement (when a payment is planned).
    BudgetKind, "budget kind" {
        Budget = "budget", "Ngân sách", "Budget";
        Planned = "planned", "Giải ngân dự kiến", "Planned disbursement";
    }
);

vocabulary!(
    /// A coordinator's decision on an NGO's milestone progress report.
    ReportDecision, "report decision" {
        Pending = "pending", "Chờ xem xét", "Pending";
        Accepted = "accepted", "Đã chấp nhận", "Accepted";
        Returned = "returned", "Đã trả lại", "Returned";
    }
);

vocabulary!(
    OrgKind, "organisation kind" {
        ForeignNgo = "foreign_ngo", "Tổ chức PCPNN", "Foreign NGO";
        Funder = "funder", "Nguồn tài trợ", "Funding source";
        AidOwner = "aid_owner", "Chủ khoản viện trợ", "Aid owner";
        ManagingAgency = "managing_agency", "Cơ quan chủ quản", "Managing agency";
    }
);

vocabulary!(
    /// Registration certificates under Decree 58/2022/NĐ-CP.
    CertificateType, "certificate type" {
        Operation = "operation", "Giấy đăng ký hoạt động", "Operation registration";
        ProjectOffice = "project_office", "Giấy đăng ký lập văn phòng dự án", "Project office registration";
        RepresentativeOffice = "representative_office", "Giấy đăng ký lập văn phòng đại diện", "Representative office registration";
    }
);

vocabulary!(
    /// Declared in privilege order for the staff roles; `Ngo` is outside that order and is
    /// always scoped to one organisation.
    Role, "role" {
        Ngo = "ngo", "Cán bộ tổ chức PCPNN", "NGO staff";
        Coordinator = "coordinator", "Cán bộ điều phối", "Aid coordinator";
        Reviewer = "reviewer", "Cán bộ thẩm định tài chính", "Finance reviewer";
        Admin = "admin", "Quản trị hệ thống", "Administrator";
    }
);

vocabulary!(
    AdminLevel, "administrative level" {
        Province = "province", "Tỉnh/Thành phố", "Province";
        District = "district", "Huyện/Quận", "District";
        Commune = "commune", "Xã/Phường", "Commune";
    }
);

/// The donor region of an ISO 3166 country, as national aid statistics group them
/// (Europe, North America, Asia, Oceania; anything else is "other").
#[must_use]
pub fn region_of(country: &str) -> &'static str {
    const EUROPE: &[&str] = &[
        "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR",
        "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE",
        "SI", "SK",
    ];
    const NORTH_AMERICA: &[&str] = &["US", "CA"];
    const ASIA: &[&str] = &[
        "JP", "KR", "CN", "TW", "HK", "SG", "TH", "MY", "IN", "PH", "ID", "KH", "LA", "MN",
    ];
    const OCEANIA: &[&str] = &["AU", "NZ"];
    if EUROPE.contains(&country) {
        "europe"
    } else if NORTH_AMERICA.contains(&country) {
        "north_america"
    } else if ASIA.contains(&country) {
        "asia"
    } else if OCEANIA.contains(&country) {
        "oceania"
    } else {
        "other"
    }
}

/// The name of an ISO 3166 country in `lang`, as a report names a donor's country; an
/// unknown code is printed as it is.
#[must_use]
pub fn country_name(code: &str, lang: Lang) -> String {
    const NAMES: &[(&str, &str, &str)] = &[
        ("AT", "Áo", "Austria"),
        ("AU", "Ô-xtrây-li-a", "Australia"),
        ("BE", "Bỉ", "Belgium"),
        ("CA", "Ca-na-đa", "Canada"),
        ("CH", "Thụy Sĩ", "Switzerland"),
        ("CN", "Trung Quốc", "China"),
        ("DE", "Đức", "Germany"),
        ("DK", "Đan Mạch", "Denmark"),
        ("ES", "Tây Ban Nha", "Spain"),
        ("FI", "Phần Lan", "Finland"),
        ("FR", "Pháp", "France"),
        ("GB", "Vương quốc Anh", "United Kingdom"),
        ("IE", "Ai-len", "Ireland"),
        ("IN", "Ấn Độ", "India"),
        ("IT", "I-ta-li-a", "Italy"),
        ("JP", "Nhật Bản", "Japan"),
        ("KR", "Hàn Quốc", "Republic of Korea"),
        ("LU", "Lúc-xăm-bua", "Luxembourg"),
        ("NL", "Hà Lan", "Netherlands"),
        ("NO", "Na Uy", "Norway"),
        ("NZ", "Niu Di-lân", "New Zealand"),
        ("SE", "Thụy Điển", "Sweden"),
        ("SG", "Xin-ga-po", "Singapore"),
        ("TH", "Thái Lan", "Thailand"),
        ("US", "Hoa Kỳ", "United States"),
        ("VN", "Việt Nam", "Viet Nam"),
    ];
    NAMES
        .iter()
        .find(|(c, _, _)| c.eq_ignore_ascii_case(code))
        .map_or_else(
            || code.to_string(),
            |(_, vi, en)| {
                if lang == Lang::Vi {
                    (*vi).to_string()
                } else {
                    (*en).to_string()
                }
            },
        )
}

/// The label of a region key from [`region_of`].
#[must_use]
pub fn region_label(key: &str, lang: Lang) -> &'static str {
    match (key, lang) {
        ("europe", Lang::Vi) => "Châu Âu",
        ("europe", Lang::En) => "Europe",
        ("north_america", Lang::Vi) => "Bắc Mỹ",
        ("north_america", Lang::En) => "North America",
        ("asia", Lang::Vi) => "Châu Á",
        ("asia", Lang::En) => "Asia",
        ("oceania", Lang::Vi) => "Châu Đại Dương",
        ("oceania", Lang::En) => "Oceania",
        (_, Lang::Vi) => "Khác",
        (_, Lang::En) => "Other",
    }
}

vocabulary!(
    /// The kind of file an upload is: a spreadsheet template (CSV or XLSX) or IATI activity XML.
    ImportKind, "import kind" {
        Csv = "csv", "CSV", "CSV";
        Xlsx = "xlsx", "Excel (XLSX)", "Excel (XLSX)";
        Iati = "iati", "IATI XML", "IATI XML";
    }
);

vocabulary!(
    /// Where an uploaded import stands: previewed without errors (it may be applied), refused
    /// (its preview has error rows), or applied.
    ImportState, "import state" {
        Previewed = "previewed", "Đã xem trước", "Previewed";
        Refused = "refused", "Có lỗi, chưa áp dụng", "Has errors, not applied";
        Applied = "applied", "Đã áp dụng", "Applied";
    }
);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_named() {
        for s in ItemStatus::ALL {
            assert_eq!(s.code().parse::<ItemStatus>(), Ok(*s));
        }
        let err = "finished".parse::<ItemStatus>().unwrap_err();
        assert!(err.contains("\"finished\"") && err.contains("completed"));
    }

    #[test]
    fn final_states_have_no_way_out() {
        for from in [
            ItemStatus::Completed,
            ItemStatus::Cancelled,
            ItemStatus::Revoked,
        ] {
            assert!(ItemStatus::ALL.iter().all(|to| !from.can_become(*to)));
        }
        assert!(ItemStatus::Pipeline.can_become(ItemStatus::Approved));
        assert!(!ItemStatus::Pipeline.can_become(ItemStatus::Completed));
    }

    #[test]
    fn commitment_signs() {
        assert!(CommitmentKind::Original.check_sign(1).is_ok());
        assert!(CommitmentKind::Original.check_sign(-1).is_err());
        assert!(CommitmentKind::Cancellation.check_sign(5).is_err());
        assert!(CommitmentKind::Amendment.check_sign(0).is_err());
    }
}
