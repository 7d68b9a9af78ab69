//! The organisations of the demo province as static tables: 30 foreign NGOs from 12
//! countries, the funding sources behind some of them, the Vietnamese aid owners and the
//! managing agency.
//!
//! Every foreign NGO and funder here is INVENTED: names, acronyms, IATI identifiers and
//! certificate numbers are fictional, so that no demo figure is ever attributed to a real
//! organisation. Vietnamese bodies are generic offices every province has. Certificates under
//! Decree 58/2022/NĐ-CP: operation and project-office registrations run at most 3 years,
//! representative offices at most 5; three have expired and three expire within 60 days of
//! late November 2026, so the certificate warnings have something to show.

use crate::domain::item::CertificateType::{
    self, Operation as Op, ProjectOffice as Po, RepresentativeOffice as Ro,
};
use chrono::NaiveDate;

use super::date;

pub struct Ngo {
    pub name_en: &'static str,
    pub name_vi: &'static str,
    pub acronym: &'static str,
    /// ISO 3166-1 alpha-2.
    pub country: &'static str,
    pub iati: &'static str,
    pub cert: CertificateType,
    pub cert_no: &'static str,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    /// Registered top-level sectors.
    pub sectors: &'static [&'static str],
    /// How active the NGO is in the province, relative to the others.
    pub weight: u32,
}

const fn ngo(
    (name_en, name_vi, acronym): (&'static str, &'static str, &'static str),
    (country, iati): (&'static str, &'static str),
    (cert, cert_no, valid_from, valid_to): (CertificateType, &'static str, NaiveDate, NaiveDate),
    sectors: &'static [&'static str],
    weight: u32,
) -> Ngo {
    Ngo {
        name_en,
        name_vi,
        acronym,
        country,
        iati,
        cert,
        cert_no,
        valid_from,
        valid_to,
        sectors,
        weight,
    }
}

#[rustfmt::skip]
pub const NGOS: &[Ngo] = &[
    ngo(("Amberline Health Alliance", "Liên minh Y tế Amberline (Hoa Kỳ)", "AMHA"), ("US", "US-EIN-910047731"),
        (Ro, "112/CNV-VPĐD", date(2022, 11, 15), date(2027, 11, 14)), &["HEALTH", "SOCIAL"], 5),
    ngo(("Tallgrass Rural Futures", "Tổ chức Tương lai Nông thôn Tallgrass (Hoa Kỳ)", "TRF"), ("US", "US-EIN-920318842"),
        (Op, "1094/CNV-HĐ", date(2024, 5, 2), date(2027, 5, 1)), &["SOCIOECON", "ENV", "EMERG"], 4),
    ngo(("Quillwater Children's Fund", "Quỹ Trẻ em Quillwater (Hoa Kỳ)", "QCF"), ("US", "US-EIN-930552107"),
        (Ro, "118/CNV-VPĐD", date(2023, 3, 1), date(2028, 2, 29)), &["SOCIAL", "EDU", "HEALTH"], 4),
    ngo(("Ridgeway Legacy Clearance Initiative", "Sáng kiến Khắc phục Di chứng Ridgeway (Hoa Kỳ)", "RLCI"), ("US", "US-EIN-940671225"),
        (Op, "1038/CNV-HĐ", date(2023, 12, 20), date(2026, 12, 19)), &["WAR"], 3),
    ngo(("Harbor Lantern Education Partners", "Tổ chức Đối tác Giáo dục Harbor Lantern (Hoa Kỳ)", "HLEP"), ("US", "US-EIN-950884316"),
        (Op, "1151/CNV-HĐ", date(2025, 2, 10), date(2028, 2, 9)), &["EDU"], 2),
    ngo(("Cedarbrook Disability Action", "Tổ chức Hành động vì Người khuyết tật Cedarbrook (Hoa Kỳ)", "CDA"), ("US", "US-EIN-960127458"),
        (Op, "1117/CNV-HĐ", date(2024, 8, 15), date(2027, 8, 14)), &["SOCIAL", "HEALTH", "WAR"], 3),
    ngo(("Fenwick Water Trust", "Quỹ Nước sạch Fenwick (Vương quốc Anh)", "FWT"), ("GB", "GB-CHC-1190417"),
        (Op, "1087/CNV-HĐ", date(2024, 3, 18), date(2027, 3, 17)), &["SOCIOECON", "ENV", "EMERG"], 3),
    ngo(("Northmoor Community Aid", "Tổ chức Hỗ trợ Cộng đồng Northmoor (Vương quốc Anh)", "NCA"), ("GB", "GB-CHC-1172068"),
        (Ro, "114/CNV-VPĐD", date(2022, 12, 1), date(2027, 11, 30)), &["SOCIOECON", "SOCIAL", "EMERG"], 4),
    ngo(("Kestrel Literacy Foundation", "Quỹ Khuyến học Kestrel (Vương quốc Anh)", "KLF"), ("GB", "GB-CHC-1185533"),
        (Op, "1012/CNV-HĐ", date(2023, 1, 16), date(2026, 1, 15)), &["EDU"], 2),
    ngo(("Lindenhof Development Aid", "Tổ chức Hỗ trợ Phát triển Lindenhof (Đức)", "LDA"), ("DE", "DE-VR-VR20417"),
        (Ro, "121/CNV-VPĐD", date(2023, 6, 1), date(2028, 5, 31)), &["SOCIOECON", "ENV", "EMERG"], 5),
    ngo(("Elbtal Climate Partners", "Tổ chức Đối tác Khí hậu Elbtal (Đức)", "EKP"), ("DE", "DE-VR-VR31188"),
        (Op, "1163/CNV-HĐ", date(2025, 4, 1), date(2028, 3, 31)), &["ENV", "EMERG"], 3),
    ngo(("Sonnenweg Children's Aid", "Tổ chức Hỗ trợ Trẻ em Sonnenweg (Đức)", "SKH"), ("DE", "DE-VR-VR12954"),
        (Op, "1126/CNV-HĐ", date(2024, 10, 1), date(2027, 9, 30)), &["SOCIAL", "EDU", "HEALTH"], 3),
    ngo(("Val-de-Loire Mekong Solidarity", "Tổ chức Đoàn kết Val-de-Loire – Mê Kông (Pháp)", "SVLM"), ("FR", "FR-RNA-W491008264"),
        (Op, "1102/CNV-HĐ", date(2024, 6, 10), date(2027, 6, 9)), &["HEALTH", "SOCIOECON", "OTHER"], 3),
    ngo(("Aubrac-Mekong Health Foundation", "Quỹ Y tế Aubrac – Mê Kông (Pháp)", "FAMS"), ("FR", "FR-RNA-W751203377"),
        (Op, "1041/CNV-HĐ", date(2024, 1, 10), date(2027, 1, 9)), &["HEALTH", "EMERG"], 3),
    ngo(("Bellerive Rural Workshops", "Tổ chức Xưởng Nông thôn Bellerive (Pháp)", "ARB"), ("FR", "FR-RNA-W691015590"),
        (Po, "207/CNV-VPDA", date(2024, 9, 1), date(2027, 8, 31)), &["EDU", "SOCIOECON", "OTHER"], 2),
    ngo(("Saeron Global Neighbours", "Tổ chức Láng giềng Toàn cầu Saeron (Hàn Quốc)", "SGN"), ("KR", "KR-CRN-2218200417"),
        (Ro, "109/CNV-VPĐD", date(2022, 10, 20), date(2027, 10, 19)), &["SOCIAL", "EDU", "SOCIOECON"], 4),
    ngo(("Dasom Medical Mission", "Tổ chức Sứ mệnh Y tế Dasom (Hàn Quốc)", "DMM"), ("KR", "KR-CRN-1148207763"),
        (Op, "1140/CNV-HĐ", date(2025, 1, 15), date(2028, 1, 14)), &["HEALTH"], 3),
    ngo(("Barami Education Bridge", "Tổ chức Nhịp cầu Giáo dục Barami (Hàn Quốc)", "BEB"), ("KR", "KR-CRN-3058211904"),
        (Op, "1079/CNV-HĐ", date(2024, 2, 20), date(2027, 2, 19)), &["EDU", "OTHER"], 2),
    ngo(("Hoshizora Asia Support Network", "Mạng lưới Hỗ trợ châu Á Hoshizora (Nhật Bản)", "HASN"), ("JP", "JP-JCN-4010405019283"),
        (Ro, "124/CNV-VPĐD", date(2023, 9, 1), date(2028, 8, 31)), &["EDU", "SOCIAL", "EMERG"], 3),
    ngo(("Kawasemi Rural Development Association", "Hiệp hội Phát triển Nông thôn Kawasemi (Nhật Bản)", "KRDA"), ("JP", "JP-JCN-7120005031846"),
        (Op, "1133/CNV-HĐ", date(2024, 11, 11), date(2027, 11, 10)), &["SOCIOECON", "ENV"], 3),
    ngo(("Tsubomi Children's Care Japan", "Tổ chức Chăm sóc Trẻ em Tsubomi (Nhật Bản)", "TCCJ"), ("JP", "JP-JCN-2011005007731"),
        (Po, "188/CNV-VPDA", date(2023, 7, 1), date(2026, 6, 30)), &["HEALTH", "SOCIAL"], 2),
    ngo(("Wattlebrook Community Development", "Tổ chức Phát triển Cộng đồng Wattlebrook (Ô-xtrây-li-a)", "WCD"), ("AU", "AU-ABN-61904127735"),
        (Op, "1158/CNV-HĐ", date(2025, 3, 3), date(2028, 3, 2)), &["SOCIOECON", "SOCIAL", "EMERG"], 2),
    ngo(("Coolabah Vision Foundation", "Quỹ Thị lực Coolabah (Ô-xtrây-li-a)", "CVF"), ("AU", "AU-ABN-48177302619"),
        (Po, "196/CNV-VPDA", date(2023, 12, 5), date(2026, 12, 4)), &["HEALTH"], 2),
    ngo(("Bergbrücke Foundation", "Quỹ Bergbrücke (Thụy Sĩ)", "BBF"), ("CH", "CH-FDJP-CHE190447215"),
        (Op, "1109/CNV-HĐ", date(2024, 7, 1), date(2027, 6, 30)), &["SOCIOECON", "EDU", "EMERG"], 3),
    ngo(("Aarewasser Partnership", "Tổ chức Đối tác Aarewasser (Thụy Sĩ)", "AWP"), ("CH", "CH-FDJP-CHE318662904"),
        (Op, "1170/CNV-HĐ", date(2025, 6, 2), date(2028, 6, 1)), &["SOCIOECON", "ENV"], 2),
    ngo(("Polderwijk Delta Resilience", "Tổ chức Chống chịu Vùng châu thổ Polderwijk (Hà Lan)", "PDR"), ("NL", "NL-KVK-90417263"),
        (Ro, "111/CNV-VPĐD", date(2022, 11, 1), date(2027, 10, 31)), &["ENV", "EMERG"], 3),
    ngo(("Tulpenhof Foundation", "Quỹ Tulpenhof (Hà Lan)", "STV"), ("NL", "NL-KVK-81526044"),
        (Op, "1091/CNV-HĐ", date(2024, 4, 15), date(2027, 4, 14)), &["SOCIAL", "HEALTH"], 2),
    ngo(("Fjordlys Development Aid", "Tổ chức Hỗ trợ Phát triển Fjordlys (Na Uy)", "FJUH"), ("NO", "NO-BRC-997204518"),
        (Ro, "097/CNV-VPĐD", date(2021, 9, 20), date(2026, 9, 19)), &["EDU", "SOCIAL"], 2),
    ngo(("Maple Harbour Health Partners", "Tổ chức Đối tác Y tế Maple Harbour (Ca-na-đa)", "MHHP"), ("CA", "CA-CRA_ACR-804417729RR0001"),
        (Op, "1178/CNV-HĐ", date(2025, 8, 1), date(2028, 7, 31)), &["HEALTH"], 2),
    ngo(("Björkvik Equal Futures", "Tổ chức Tương lai Bình đẳng Björkvik (Thụy Điển)", "BEF"), ("SE", "SE-ON-8024417730"),
        (Op, "1137/CNV-HĐ", date(2024, 12, 1), date(2027, 11, 30)), &["SOCIAL", "OTHER"], 2),
];

/// Funding sources: English, Vietnamese, acronym, country, IATI identifier. Items of an NGO
/// from the same country may name one as the source of their money.
#[rustfmt::skip]
pub const FUNDERS: &[(&str, &str, &str, &str, &str)] = &[
    ("Hanul Development Cooperation Agency", "Cơ quan Hợp tác Phát triển Hanul (Hàn Quốc)", "HDCA", "KR", "KR-CRN-1018300552"),
    ("Tindarra Foundation", "Quỹ Tindarra (Ô-xtrây-li-a)", "TIF", "AU", "AU-ABN-90663018274"),
    ("Ellery Hart Family Foundation", "Quỹ Gia đình Ellery Hart (Hoa Kỳ)", "EHFF", "US", "US-EIN-970344810"),
    ("Morgentau Foundation", "Quỹ Morgentau (Đức)", "MGT", "DE", "DE-VR-VR40771"),
];

pub struct Owner {
    pub name_vi: &'static str,
    pub name_en: &'static str,
    /// Top-level sectors the owner implements (empty: any).
    pub sectors: &'static [&'static str],
    /// Only owns items approved from..=until (People's Committees of districts end with them).
    pub from: NaiveDate,
    pub until: NaiveDate,
    /// A local People's Committee implements only in its own area: a district code before the
    /// reform, a new commune code after it.
    pub area: Option<&'static str>,
}

const EVER: (NaiveDate, NaiveDate) = (date(2000, 1, 1), date(2099, 12, 31));
const OLD: (NaiveDate, NaiveDate) = (date(2000, 1, 1), date(2025, 6, 30));
const NEW: (NaiveDate, NaiveDate) = (date(2025, 7, 1), date(2099, 12, 31));

const fn owner(
    name_vi: &'static str,
    name_en: &'static str,
    sectors: &'static [&'static str],
    (from, until): (NaiveDate, NaiveDate),
    area: Option<&'static str>,
) -> Owner {
    Owner {
        name_vi,
        name_en,
        sectors,
        from,
        until,
        area,
    }
}

#[rustfmt::skip]
pub const OWNERS: &[Owner] = &[
    owner("Sở Y tế", "Department of Health", &["HEALTH", "SOCIAL"], EVER, None),
    owner("Trung tâm Kiểm soát bệnh tật", "Centre for Disease Control", &["HEALTH"], EVER, None),
    owner("Sở Giáo dục và Đào tạo", "Department of Education and Training", &["EDU"], EVER, None),
    owner("Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment", &["SOCIOECON", "ENV", "EMERG"], EVER, None),
    owner("Sở Lao động – Thương binh và Xã hội", "Department of Labour, Invalids and Social Affairs", &["SOCIAL", "EDU", "WAR"], (date(2000, 1, 1), date(2025, 2, 28)), None),
    owner("Sở Nội vụ", "Department of Home Affairs", &["SOCIAL", "WAR", "OTHER"], (date(2025, 3, 1), date(2099, 12, 31)), None),
    owner("Hội Chữ thập đỏ tỉnh Thừa Thiên Huế", "Thua Thien Hue Red Cross Society", &["EMERG", "HEALTH", "SOCIAL"], EVER, None),
    owner("Hội Liên hiệp Phụ nữ tỉnh", "Provincial Women's Union", &["SOCIAL", "SOCIOECON", "OTHER"], EVER, None),
    owner("Hội Bảo trợ người khuyết tật và trẻ mồ côi", "Association for the Support of People with Disabilities and Orphans", &["SOCIAL", "WAR"], EVER, None),
    owner("Hội Nạn nhân chất độc da cam/dioxin", "Association of Victims of Agent Orange/Dioxin", &["WAR"], EVER, None),
    owner("Ban Chỉ huy Phòng chống thiên tai và Tìm kiếm cứu nạn", "Steering Committee for Disaster Prevention and Search and Rescue", &["EMERG", "ENV"], EVER, None),
    owner("Bộ Chỉ huy Quân sự tỉnh", "Provincial Military Command", &["WAR"], EVER, None),
    owner("Ủy ban nhân dân huyện A Lưới", "A Luoi District People's Committee", &[], OLD, Some("481")),
    owner("Ủy ban nhân dân huyện Nam Đông", "Nam Dong District People's Committee", &[], OLD, Some("483")),
    owner("Ủy ban nhân dân huyện Phú Vang", "Phu Vang District People's Committee", &[], OLD, Some("478")),
    owner("Ủy ban nhân dân xã A Lưới 2", "A Luoi 2 Commune People's Committee", &[], NEW, Some("46116")),
    owner("Ủy ban nhân dân xã Phú Vang", "Phu Vang Commune People's Committee", &[], NEW, Some("46112")),
    owner("Ủy ban nhân dân xã Chân Mây – Lăng Cô", "Chan May – Lang Co Commune People's Committee", &[], NEW, Some("46115")),
];

/// The managing agency of every item: the provincial People's Committee, which became the
/// People's Committee of Huế City when the province became a centrally governed city in 2025.
pub const AGENCY: (&str, &str) = (
    "Ủy ban nhân dân thành phố Huế (UBND tỉnh Thừa Thiên Huế đến 2024)",
    "Hue City People's Committee (Thua Thien Hue Provincial People's Committee until 2024)",
);

/// Which funder (index into [`FUNDERS`]) may fund an NGO of `country`.
#[must_use]
pub fn funder_for(country: &str) -> Option<usize> {
    FUNDERS.iter().position(|f| f.3 == country)
}
