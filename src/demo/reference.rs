//! Reference data of the demo province, Thừa Thiên Huế (code 46; the centrally governed city
//! of Huế since 2025): the eight top-level sectors of NGO aid reporting with their sub-sectors
//! and OECD-DAC purpose codes, and the administrative units before and after the reform of
//! 1 July 2025 (districts and their communes end on 30 June 2025; new communes and wards
//! answer directly to the province).
//!
//! Design choices, documented here because reports depend on them: every old commune names
//! the new commune that took over its area (`successor_code`), and every district names the
//! new commune that took over the district seat, so district-level allocations made before
//! July 2025 can still be shown after it. District codes follow the GSO list; commune codes
//! are illustrative. The urban district is shown under its last name, Thuận Hóa, for the whole
//! period. Reference data is not audited, so it is written with `db::reference` directly.

use crate::db::Tx;
use crate::db::reference::{self, AdminUnit, Sector};
use crate::domain::item::AdminLevel;
use crate::error::Result;
use chrono::NaiveDate;

use super::date;

pub const PROVINCE: &str = "46";
pub const REFORM: NaiveDate = date(2025, 7, 1);
const OLD_UNTIL: NaiveDate = date(2025, 6, 30);
const SINCE: NaiveDate = date(1976, 1, 1);

/// Top-level sectors: code, Vietnamese name, English name.
#[rustfmt::skip]
pub const TOP_SECTORS: [(&str, &str, &str); 8] = [
    ("HEALTH", "Y tế", "Health"),
    ("EDU", "Giáo dục – đào tạo", "Education and training"),
    ("SOCIAL", "Giải quyết các vấn đề xã hội", "Social issues"),
    ("SOCIOECON", "Phát triển kinh tế – xã hội", "Socio-economic development"),
    ("ENV", "Tài nguyên – môi trường", "Environment and climate change"),
    ("EMERG", "Cứu trợ khẩn cấp, phòng chống thiên tai", "Emergency relief and disaster preparedness"),
    ("WAR", "Khắc phục hậu quả chiến tranh", "War legacy"),
    ("OTHER", "Lĩnh vực khác", "Other"),
];

/// Sub-sectors: code (parent before the dot), DAC purpose code, Vietnamese, English.
#[rustfmt::skip]
pub const SUB_SECTORS: &[(&str, &str, &str, &str)] = &[
    ("HEALTH.PHC", "12220", "Chăm sóc sức khỏe cơ bản", "Basic health care"),
    ("HEALTH.MCH", "13020", "Sức khỏe sinh sản, bà mẹ và trẻ em", "Reproductive, maternal and child health"),
    ("HEALTH.NUT", "12240", "Dinh dưỡng cơ bản", "Basic nutrition"),
    ("HEALTH.INF", "12250", "Phòng chống bệnh truyền nhiễm", "Infectious disease control"),
    ("EDU.ECE", "11240", "Giáo dục mầm non", "Early childhood education"),
    ("EDU.PRI", "11220", "Giáo dục tiểu học", "Primary education"),
    ("EDU.FAC", "11120", "Cơ sở vật chất và đào tạo giáo viên", "Education facilities and training"),
    ("EDU.VOC", "11330", "Đào tạo nghề", "Vocational training"),
    ("SOCIAL.DIS", "16010", "Hỗ trợ người khuyết tật, bảo trợ xã hội", "Disability support and social protection"),
    ("SOCIAL.CHILD", "15160", "Quyền và bảo vệ trẻ em", "Child rights and protection"),
    ("SOCIAL.GBV", "15180", "Phòng chống bạo lực giới và mua bán người", "Ending gender-based violence and trafficking"),
    ("SOCIAL.HIV", "13040", "Phòng chống HIV/AIDS", "HIV/AIDS prevention and care"),
    ("SOCIOECON.AGRI", "31120", "Phát triển nông nghiệp", "Agricultural development"),
    ("SOCIOECON.WATER", "14030", "Nước sạch và vệ sinh môi trường", "Basic drinking water and sanitation"),
    ("SOCIOECON.LIVE", "24040", "Sinh kế và tín dụng vi mô", "Livelihoods and microfinance"),
    ("SOCIOECON.RURAL", "43040", "Phát triển nông thôn, hạ tầng quy mô nhỏ", "Rural development and small infrastructure"),
    ("ENV.POLICY", "41010", "Quản lý môi trường, thích ứng biến đổi khí hậu", "Environmental management and climate adaptation"),
    ("ENV.BIO", "41030", "Bảo tồn đa dạng sinh học", "Biodiversity"),
    ("ENV.WASTE", "14050", "Quản lý chất thải", "Waste management"),
    ("ENV.EDU", "41081", "Giáo dục môi trường", "Environmental education"),
    ("EMERG.RELIEF", "72010", "Cứu trợ vật chất khẩn cấp", "Material relief assistance"),
    ("EMERG.FOOD", "72040", "Hỗ trợ lương thực khẩn cấp", "Emergency food assistance"),
    ("EMERG.RECON", "73010", "Tái thiết sau thiên tai", "Post-disaster reconstruction and rehabilitation"),
    ("EMERG.DRR", "74020", "Phòng ngừa, ứng phó thiên tai", "Multi-hazard response preparedness"),
    ("WAR.UXO", "15250", "Rà phá bom mìn, vật nổ sau chiến tranh", "Removal of land mines and explosive remnants of war"),
    ("WAR.AO", "16010", "Hỗ trợ nạn nhân chất độc da cam/dioxin", "Support to Agent Orange/dioxin victims"),
    ("OTHER.CULT", "16061", "Văn hóa", "Culture and recreation"),
    ("OTHER.GOV", "15110", "Nâng cao năng lực quản lý nhà nước", "Public sector policy and administrative management"),
    ("OTHER.MULTI", "43010", "Đa lĩnh vực", "Multisector aid"),
];

/// Communes and wards since 1 July 2025: code, Vietnamese name, English name.
#[rustfmt::skip]
pub const NEW_UNITS: &[(&str, &str, &str)] = &[
    ("46101", "phường Thuận Hóa", "Thuan Hoa ward"),
    ("46102", "phường Phú Xuân", "Phu Xuan ward"),
    ("46103", "phường Vỹ Dạ", "Vy Da ward"),
    ("46104", "phường Hương Thủy", "Huong Thuy ward"),
    ("46105", "phường Phú Bài", "Phu Bai ward"),
    ("46106", "phường Hương Trà", "Huong Tra ward"),
    ("46107", "phường Kim Trà", "Kim Tra ward"),
    ("46108", "phường Phong Điền", "Phong Dien ward"),
    ("46109", "phường Phong Thái", "Phong Thai ward"),
    ("46110", "xã Quảng Điền", "Quang Dien commune"),
    ("46111", "xã Đan Điền", "Dan Dien commune"),
    ("46112", "xã Phú Vang", "Phu Vang commune"),
    ("46113", "phường Thuận An", "Thuan An ward"),
    ("46114", "xã Phú Lộc", "Phu Loc commune"),
    ("46115", "xã Chân Mây – Lăng Cô", "Chan May – Lang Co commune"),
    ("46116", "xã A Lưới 2", "A Luoi 2 commune"),
    ("46117", "xã A Lưới 4", "A Luoi 4 commune"),
    ("46118", "xã Nam Đông", "Nam Dong commune"),
    ("46119", "xã Khe Tre", "Khe Tre commune"),
];

/// Districts until 30 June 2025: code, Vietnamese name, English name, successor (the new
/// commune holding the former district seat).
#[rustfmt::skip]
pub const DISTRICTS: &[(&str, &str, &str, &str)] = &[
    ("474", "quận Thuận Hóa", "Thuan Hoa district", "46101"),
    ("476", "huyện Phong Điền", "Phong Dien district", "46108"),
    ("477", "huyện Quảng Điền", "Quang Dien district", "46110"),
    ("478", "huyện Phú Vang", "Phu Vang district", "46112"),
    ("479", "thị xã Hương Thủy", "Huong Thuy town", "46104"),
    ("480", "thị xã Hương Trà", "Huong Tra town", "46106"),
    ("481", "huyện A Lưới", "A Luoi district", "46116"),
    ("482", "huyện Phú Lộc", "Phu Loc district", "46114"),
    ("483", "huyện Nam Đông", "Nam Dong district", "46118"),
];

/// Communes and wards until 30 June 2025: code, district, Vietnamese, English, successor.
#[rustfmt::skip]
pub const OLD_UNITS: &[(&str, &str, &str, &str, &str)] = &[
    ("19801", "474", "phường Phú Hội", "Phu Hoi ward", "46101"),
    ("19802", "474", "phường Vĩnh Ninh", "Vinh Ninh ward", "46101"),
    ("19803", "474", "phường Phú Hậu", "Phu Hau ward", "46102"),
    ("19804", "474", "phường Vỹ Dạ", "Vy Da ward", "46103"),
    ("19811", "476", "thị trấn Phong Điền", "Phong Dien township", "46108"),
    ("19812", "476", "xã Phong Mỹ", "Phong My commune", "46108"),
    ("19813", "476", "xã Phong Hải", "Phong Hai commune", "46109"),
    ("19821", "477", "thị trấn Sịa", "Sia township", "46110"),
    ("19822", "477", "xã Quảng Thái", "Quang Thai commune", "46111"),
    ("19823", "477", "xã Quảng Phước", "Quang Phuoc commune", "46110"),
    ("19831", "478", "thị trấn Phú Đa", "Phu Da township", "46112"),
    ("19832", "478", "xã Vinh Thanh", "Vinh Thanh commune", "46112"),
    ("19833", "478", "phường Thuận An", "Thuan An ward", "46113"),
    ("19841", "479", "phường Phú Bài", "Phu Bai ward", "46105"),
    ("19842", "479", "phường Thủy Dương", "Thuy Duong ward", "46104"),
    ("19843", "479", "xã Dương Hòa", "Duong Hoa commune", "46104"),
    ("19851", "480", "phường Tứ Hạ", "Tu Ha ward", "46106"),
    ("19852", "480", "xã Hương Toàn", "Huong Toan commune", "46107"),
    ("19853", "480", "xã Bình Tiến", "Binh Tien commune", "46106"),
    ("19861", "481", "thị trấn A Lưới", "A Luoi township", "46116"),
    ("19862", "481", "xã Hồng Thượng", "Hong Thuong commune", "46116"),
    ("19863", "481", "xã A Roàng", "A Roang commune", "46117"),
    ("19864", "481", "xã Hồng Vân", "Hong Van commune", "46117"),
    ("19871", "482", "thị trấn Phú Lộc", "Phu Loc township", "46114"),
    ("19872", "482", "thị trấn Lăng Cô", "Lang Co township", "46115"),
    ("19873", "482", "xã Lộc Tiến", "Loc Tien commune", "46115"),
    ("19874", "482", "xã Vinh Hưng", "Vinh Hung commune", "46114"),
    ("19881", "483", "thị trấn Khe Tre", "Khe Tre township", "46119"),
    ("19882", "483", "xã Hương Phú", "Huong Phu commune", "46118"),
    ("19883", "483", "xã Thượng Long", "Thuong Long commune", "46119"),
];

/// Vietnamese and English names of a unit code, for item titles.
#[must_use]
pub fn unit_names(code: &str) -> (&'static str, &'static str) {
    if let Some(u) = NEW_UNITS.iter().find(|u| u.0 == code) {
        return (u.1, u.2);
    }
    if let Some(u) = OLD_UNITS.iter().find(|u| u.0 == code) {
        return (u.2, u.3);
    }
    if let Some(u) = DISTRICTS.iter().find(|u| u.0 == code) {
        return (u.1, u.2);
    }
    ("thành phố Huế", "Hue City")
}

/// Writes the sectors and administrative units; returns (sectors, units) written. Units go in
/// an order that satisfies the foreign keys: province, new communes, districts, old communes.
pub async fn insert(tx: &mut Tx) -> Result<(usize, usize)> {
    let mut sectors = 0;
    for (i, (code, vi, en)) in (1_i64..).zip(TOP_SECTORS) {
        reference::insert_sector(tx, &sector(code, None, vi, en, None, i * 100)).await?;
        sectors += 1;
        let mut j = 0;
        for (sub, dac, svi, sen) in SUB_SECTORS {
            if sub.split('.').next() == Some(code) {
                j += 1;
                let s = sector(sub, Some(code), svi, sen, Some(dac), i * 100 + j);
                reference::insert_sector(tx, &s).await?;
                sectors += 1;
            }
        }
    }
    let mut units = vec![unit(
        PROVINCE,
        "Thành phố Huế (tỉnh Thừa Thiên Huế đến 2024)",
        "Hue City (Thua Thien Hue province until 2024)",
        AdminLevel::Province,
        None,
        (SINCE, None),
        None,
    )];
    for (code, vi, en) in NEW_UNITS {
        let valid = (REFORM, None);
        units.push(unit(
            code,
            vi,
            en,
            AdminLevel::Commune,
            Some(PROVINCE),
            valid,
            None,
        ));
    }
    for (code, vi, en, succ) in DISTRICTS {
        let valid = (SINCE, Some(OLD_UNTIL));
        let u = unit(
            code,
            vi,
            en,
            AdminLevel::District,
            Some(PROVINCE),
            valid,
            Some(succ),
        );
        units.push(u);
    }
    for (code, district, vi, en, succ) in OLD_UNITS {
        let valid = (SINCE, Some(OLD_UNTIL));
        let u = unit(
            code,
            vi,
            en,
            AdminLevel::Commune,
            Some(district),
            valid,
            Some(succ),
        );
        units.push(u);
    }
    for u in &units {
        reference::insert_admin_unit(tx, u).await?;
    }
    Ok((sectors, units.len()))
}

fn sector(
    code: &str,
    parent: Option<&str>,
    vi: &str,
    en: &str,
    dac: Option<&str>,
    sort_order: i64,
) -> Sector {
    Sector {
        code: code.to_string(),
        parent_code: parent.map(str::to_string),
        name_vi: vi.to_string(),
        name_en: en.to_string(),
        dac_code: dac.map(str::to_string),
        sort_order,
    }
}

fn unit(
    code: &str,
    vi: &str,
    en: &str,
    level: AdminLevel,
    parent: Option<&str>,
    (valid_from, valid_to): (NaiveDate, Option<NaiveDate>),
    successor: Option<&str>,
) -> AdminUnit {
    AdminUnit {
        code: code.to_string(),
        name_vi: vi.to_string(),
        name_en: en.to_string(),
        level,
        parent_code: parent.map(str::to_string),
        valid_from,
        valid_to,
        successor_code: successor.map(str::to_string),
    }
}
