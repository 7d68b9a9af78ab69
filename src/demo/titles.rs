//! Words of the demo items: title templates per sub-sector (a project form and a non-project
//! form, in Vietnamese and English, with `{}` where the locality goes), the disasters the
//! emergency items answer, the six programmes, and the milestone titles with the evidence a
//! completed milestone cites.

use super::date;
use chrono::NaiveDate;

/// Sub-sector, project title (vi, en), non-project title (vi, en).
#[rustfmt::skip]
const TEMPLATES: &[(&str, [&str; 4])] = &[
    ("HEALTH.PHC", ["Nâng cao chất lượng chăm sóc sức khỏe ban đầu tại {}", "Improving primary health care in {}",
        "Trao tặng trang thiết bị y tế cho trạm y tế {}", "Medical equipment for the health station of {}"]),
    ("HEALTH.MCH", ["Cải thiện sức khỏe bà mẹ và trẻ sơ sinh tại {}", "Improving maternal and newborn health in {}",
        "Hỗ trợ bộ dụng cụ đỡ đẻ sạch cho {}", "Clean delivery kits for {}"]),
    ("HEALTH.NUT", ["Phòng chống suy dinh dưỡng trẻ em dưới 5 tuổi tại {}", "Reducing malnutrition in children under five in {}",
        "Hỗ trợ vi chất dinh dưỡng cho trẻ em {}", "Micronutrient supplements for children in {}"]),
    ("HEALTH.INF", ["Tăng cường năng lực phòng chống dịch bệnh tại {}", "Strengthening communicable disease control in {}",
        "Trao tặng vật tư y tế phòng chống dịch cho {}", "Infection-control supplies for {}"]),
    ("EDU.ECE", ["Nâng cao chất lượng giáo dục mầm non tại {}", "Quality early childhood education in {}",
        "Trao tặng đồ chơi và học liệu cho trường mầm non {}", "Toys and learning materials for the kindergarten of {}"]),
    ("EDU.PRI", ["Hỗ trợ học sinh tiểu học vùng khó khăn tại {}", "Supporting primary pupils in disadvantaged areas of {}",
        "Học bổng và xe đạp cho học sinh nghèo {}", "Scholarships and bicycles for poor pupils in {}"]),
    ("EDU.FAC", ["Xây dựng phòng học và nhà vệ sinh trường học tại {}", "Classrooms and school latrines in {}",
        "Trang bị bàn ghế, máy tính cho trường học {}", "Desks and computers for schools in {}"]),
    ("EDU.VOC", ["Đào tạo nghề và tạo việc làm cho thanh niên {}", "Vocational training and jobs for young people in {}",
        "Hỗ trợ thiết bị dạy nghề tại {}", "Vocational training equipment in {}"]),
    ("SOCIAL.DIS", ["Phục hồi chức năng dựa vào cộng đồng cho người khuyết tật tại {}", "Community-based rehabilitation for people with disabilities in {}",
        "Trao tặng xe lăn và dụng cụ trợ giúp cho người khuyết tật {}", "Wheelchairs and assistive devices for people with disabilities in {}"]),
    ("SOCIAL.CHILD", ["Bảo vệ trẻ em và phòng ngừa xâm hại tại {}", "Child protection and abuse prevention in {}",
        "Hỗ trợ trẻ em có hoàn cảnh đặc biệt khó khăn tại {}", "Support for children in especially difficult circumstances in {}"]),
    ("SOCIAL.GBV", ["Phòng chống bạo lực gia đình và mua bán người tại {}", "Preventing domestic violence and human trafficking in {}",
        "Hỗ trợ nhà tạm lánh cho phụ nữ bị bạo lực tại {}", "Support to a shelter for women survivors of violence in {}"]),
    ("SOCIAL.HIV", ["Dự phòng và chăm sóc người nhiễm HIV tại {}", "HIV prevention and care in {}",
        "Hỗ trợ dinh dưỡng cho người nhiễm HIV tại {}", "Nutrition support for people living with HIV in {}"]),
    ("SOCIOECON.AGRI", ["Phát triển chuỗi giá trị nông sản cho hộ nghèo tại {}", "Agricultural value chains for poor households in {}",
        "Hỗ trợ giống cây trồng, vật nuôi cho hộ nghèo {}", "Seeds and livestock for poor households in {}"]),
    ("SOCIOECON.WATER", ["Cấp nước sạch và vệ sinh môi trường nông thôn tại {}", "Rural water supply and sanitation in {}",
        "Lắp đặt hệ thống lọc nước cho {}", "Water filtration systems for {}"]),
    ("SOCIOECON.LIVE", ["Tín dụng vi mô và sinh kế cho phụ nữ {}", "Microcredit and livelihoods for women in {}",
        "Hỗ trợ vốn sản xuất cho hộ cận nghèo {}", "Start-up capital for near-poor households in {}"]),
    ("SOCIOECON.RURAL", ["Xây dựng cầu, đường dân sinh tại {}", "Footbridges and village roads in {}",
        "Hỗ trợ xây nhà tình thương tại {}", "Houses for poor families in {}"]),
    ("ENV.POLICY", ["Thích ứng với biến đổi khí hậu dựa vào cộng đồng tại {}", "Community-based climate change adaptation in {}",
        "Hỗ trợ trồng rừng ngập mặn tại {}", "Mangrove planting in {}"]),
    ("ENV.BIO", ["Bảo tồn đa dạng sinh học và sinh kế bền vững tại {}", "Biodiversity conservation and sustainable livelihoods in {}",
        "Hỗ trợ trang thiết bị tuần tra bảo vệ rừng tại {}", "Forest patrol equipment in {}"]),
    ("ENV.WASTE", ["Quản lý rác thải nhựa dựa vào cộng đồng tại {}", "Community plastic waste management in {}",
        "Trao tặng thùng phân loại rác cho {}", "Waste sorting bins for {}"]),
    ("ENV.EDU", ["Giáo dục môi trường trong trường học tại {}", "Environmental education in the schools of {}",
        "Tài liệu truyền thông bảo vệ môi trường cho {}", "Environmental awareness materials for {}"]),
    ("EMERG.RELIEF", ["Khắc phục hậu quả thiên tai tại {}", "Disaster recovery in {}",
        "Cứu trợ khẩn cấp hàng hóa thiết yếu cho người dân vùng lũ {}", "Emergency relief items for flood-affected people in {}"]),
    ("EMERG.FOOD", ["Bảo đảm an ninh lương thực sau thiên tai tại {}", "Food security after disasters in {}",
        "Hỗ trợ gạo và lương thực khẩn cấp cho người dân {}", "Emergency rice and food for the people of {}"]),
    ("EMERG.RECON", ["Sửa chữa nhà ở và trường học bị hư hỏng do lũ tại {}", "Repairing flood-damaged houses and schools in {}",
        "Hỗ trợ tấm lợp, vật liệu sửa chữa nhà ở tại {}", "Roofing sheets and house repair materials in {}"]),
    ("EMERG.DRR", ["Nâng cao năng lực phòng chống thiên tai dựa vào cộng đồng tại {}", "Community-based disaster risk management in {}",
        "Trang bị áo phao, xuồng cứu hộ cho {}", "Life jackets and rescue boats for {}"]),
    ("WAR.UXO", ["Khảo sát, rà phá bom mìn, vật nổ còn sót lại sau chiến tranh tại {}", "Survey and clearance of unexploded ordnance in {}",
        "Giáo dục phòng tránh tai nạn bom mìn cho học sinh {}", "Mine risk education for pupils in {}"]),
    ("WAR.AO", ["Hỗ trợ nạn nhân chất độc da cam/dioxin tại {}", "Support for Agent Orange/dioxin victims in {}",
        "Hỗ trợ sinh kế cho gia đình nạn nhân chất độc da cam tại {}", "Livelihood support for Agent Orange families in {}"]),
    ("OTHER.CULT", ["Bảo tồn văn hóa truyền thống của đồng bào Tà Ôi, Cơ Tu tại {}", "Preserving Ta Oi and Co Tu traditional culture in {}",
        "Hỗ trợ nhạc cụ, trang phục truyền thống cho {}", "Traditional instruments and costumes for {}"]),
    ("OTHER.GOV", ["Nâng cao năng lực quản lý dự án cho cán bộ cơ sở tại {}", "Project management training for local officials in {}",
        "Hỗ trợ tổ chức hội thảo chia sẻ kinh nghiệm tại {}", "Experience-sharing workshop in {}"]),
    ("OTHER.MULTI", ["Phát triển cộng đồng tổng hợp tại {}", "Integrated community development in {}",
        "Quà Tết cho hộ nghèo tại {}", "Tet gifts for poor households in {}"]),
];

/// The title of an item in sub-sector `sub`, in Vietnamese and English.
#[must_use]
pub fn title(sub: &str, project: bool, loc: (&str, &str), covid: bool) -> (String, String) {
    if covid {
        return (
            format!(
                "Trao tặng vật tư y tế phòng chống dịch COVID-19 cho {}",
                loc.0
            ),
            format!("COVID-19 medical supplies for {}", loc.1),
        );
    }
    let t = TEMPLATES
        .iter()
        .find(|t| t.0 == sub)
        .map_or(TEMPLATES[0].1, |t| t.1);
    let (vi, en) = if project { (t[0], t[1]) } else { (t[2], t[3]) };
    (vi.replace("{}", loc.0), en.replace("{}", loc.1))
}

/// Disasters the emergency items answer: first and last approval date, how many items, the
/// event in Vietnamese and English.
#[rustfmt::skip]
pub const EMERGENCIES: &[(NaiveDate, NaiveDate, usize, &str, &str)] = &[
    (date(2020, 10, 12), date(2020, 11, 30), 8, "đợt lũ lịch sử tháng 10/2020", "the historic floods of October 2020"),
    (date(2022, 10, 17), date(2022, 11, 20), 3, "bão Noru và lũ tháng 10/2022", "Typhoon Noru and the floods of October 2022"),
    (date(2023, 11, 16), date(2023, 12, 8), 2, "đợt lũ tháng 11/2023", "the floods of November 2023"),
    (date(2025, 10, 31), date(2025, 11, 25), 5, "đợt lũ lịch sử cuối tháng 10/2025", "the historic floods of late October 2025"),
];

pub struct Programme {
    pub approved: NaiveDate,
    pub donor: &'static str,
    pub currency: &'static str,
    /// In major units of `currency`.
    pub amount: i64,
    pub months: i64,
    pub sectors: &'static [(&'static str, u32)],
    pub localities: &'static [(&'static str, u32)],
    /// Index into `names::OWNERS`.
    pub owner: usize,
    /// Approved by the Prime Minister (it touches security and defence).
    pub prime_minister: bool,
    pub title_vi: &'static str,
    pub title_en: &'static str,
}

#[rustfmt::skip]
pub const PROGRAMMES: &[Programme] = &[
    Programme { approved: date(2019, 3, 18), donor: "AMHA", currency: "USD", amount: 3_200_000, months: 60,
        sectors: &[("HEALTH.PHC", 6000), ("HEALTH.MCH", 4000)], localities: &[("481", 6000), ("483", 4000)], owner: 0, prime_minister: false,
        title_vi: "Chương trình Nâng cao sức khỏe cộng đồng vùng miền núi A Lưới và Nam Đông giai đoạn 2019–2024",
        title_en: "Community health programme for the mountain districts of A Luoi and Nam Dong, 2019–2024" },
    Programme { approved: date(2020, 6, 22), donor: "LDA", currency: "EUR", amount: 2_900_000, months: 48,
        sectors: &[("SOCIOECON.LIVE", 5000), ("ENV.POLICY", 5000)], localities: &[("478", 4000), ("477", 3000), ("482", 3000)], owner: 3, prime_minister: false,
        title_vi: "Chương trình Sinh kế bền vững thích ứng với biến đổi khí hậu vùng đầm phá Tam Giang – Cầu Hai",
        title_en: "Sustainable livelihoods and climate adaptation programme for the Tam Giang – Cau Hai lagoon" },
    Programme { approved: date(2021, 9, 6), donor: "SGN", currency: "KRW", amount: 3_900_000_000, months: 48,
        sectors: &[("EDU.PRI", 6000), ("SOCIAL.CHILD", 4000)], localities: &[("481", 5000), ("476", 2500), ("480", 2500)], owner: 2, prime_minister: false,
        title_vi: "Chương trình Hỗ trợ giáo dục toàn diện cho trẻ em vùng khó khăn",
        title_en: "Inclusive education programme for children in disadvantaged areas" },
    Programme { approved: date(2023, 4, 10), donor: "RLCI", currency: "USD", amount: 4_000_000, months: 60,
        sectors: &[("WAR.UXO", 10000)], localities: &[("481", 4000), ("476", 3000), ("480", 3000)], owner: 11, prime_minister: true,
        title_vi: "Chương trình Khảo sát và rà phá bom mìn, vật nổ sau chiến tranh giai đoạn 2023–2028",
        title_en: "Survey and clearance of explosive remnants of war, 2023–2028" },
    Programme { approved: date(2024, 10, 14), donor: "PDR", currency: "EUR", amount: 2_400_000, months: 36,
        sectors: &[("EMERG.DRR", 6000), ("ENV.POLICY", 4000)], localities: &[("478", 4000), ("477", 3000), ("482", 3000)], owner: 10, prime_minister: false,
        title_vi: "Chương trình Tăng cường khả năng chống chịu thiên tai vùng ven biển và đầm phá",
        title_en: "Coastal and lagoon disaster resilience programme" },
    Programme { approved: date(2025, 9, 15), donor: "MHHP", currency: "USD", amount: 1_300_000, months: 36,
        sectors: &[("HEALTH.MCH", 6000), ("HEALTH.NUT", 4000)], localities: &[("46116", 4000), ("46117", 3000), ("46118", 3000)], owner: 0, prime_minister: false,
        title_vi: "Chương trình Sức khỏe bà mẹ, trẻ em và dinh dưỡng giai đoạn 2025–2028",
        title_en: "Maternal and child health and nutrition programme, 2025–2028" },
];

/// Milestone titles in the order a project meets them: Vietnamese, English, and the evidence
/// a completed one cites (`{}` is the date).
#[rustfmt::skip]
pub const MILESTONES: [(&str, &str, &str); 6] = [
    ("Khảo sát ban đầu và kế hoạch chi tiết", "Baseline survey and detailed plan", "Báo cáo khảo sát ban đầu gửi Sở Ngoại vụ ngày {}"),
    ("Hoàn thành tập huấn cho cán bộ cơ sở", "Training of local staff completed", "Danh sách học viên và báo cáo tập huấn ngày {}"),
    ("Bàn giao trang thiết bị cho đơn vị thụ hưởng", "Equipment handed over to the beneficiary units", "Biên bản bàn giao ngày {}"),
    ("Đánh giá giữa kỳ", "Mid-term review", "Báo cáo đánh giá giữa kỳ ngày {}"),
    ("Nghiệm thu hạng mục công trình", "Works accepted", "Biên bản nghiệm thu công trình ngày {}"),
    ("Đánh giá cuối kỳ và báo cáo tổng kết", "Final evaluation and closing report", "Báo cáo tổng kết và biên bản nghiệm thu ngày {}"),
];
