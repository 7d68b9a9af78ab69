//! The fixed part of the national data set: 8 top-level sectors with 24 sub-sectors, 714
//! administrative units (34 provinces; 136 districts and 408 communes that end on 30 June 2025,
//! the communes merging into 136 new ones), 854 organisations (450 foreign NGOs from 17
//! countries) and one exchange rate per currency and month, 2007–2026, in exact decimals.

use crate::BoxError;
use crate::data::{Rng, midnight, ymd};
use aidledger::db::orgs::Organisation;
use aidledger::db::reference::{AdminUnit, Sector};
use aidledger::domain::Currency;
use aidledger::domain::item::{AdminLevel, CertificateType, Modality, OrgKind};
use aidledger::domain::rate::{Rate, RateValue};
use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

pub const FIRST_YEAR: i32 = 2007;
pub const YEARS: usize = 20;
pub const MONTHS: usize = YEARS * 12;
pub const PROVINCES: usize = 34;
pub const OWNERS: usize = 10; // aid owners per province
pub const FUNDERS: usize = 30;
pub const NGOS: usize = 450;
const DISTRICTS: usize = 4; // per province
const OLD_COMMUNES: usize = 3; // per district, merged into one new commune on 1 July 2025

/// Currency; US cents → its minor units as a fraction (only to make sizes plausible); value in
/// billionths of a USD around which its rate drifts (USD and VND follow `VND_PER_USD`).
#[rustfmt::skip]
pub const CURRENCIES: [(&str, i64, i64, i64); 8] = [
    ("USD", 1, 1, 0), ("VND", 250, 1, 0), ("EUR", 9, 10, 1_120_000_000), ("KRW", 13, 1, 820_000),
    ("JPY", 14, 10, 8_200_000), ("AUD", 15, 10, 760_000_000), ("GBP", 8, 10, 1_380_000_000),
    ("CHF", 9, 10, 1_030_000_000),
];
/// VND per USD on 1 January; the months in between are interpolated.
#[rustfmt::skip]
const VND_PER_USD: [(i32, i64); 13] = [
    (2007, 16_000), (2009, 17_000), (2011, 19_500), (2012, 20_800), (2015, 21_500), (2016, 22_300),
    (2020, 23_200), (2022, 23_000), (2023, 23_600), (2024, 24_300), (2025, 25_400), (2026, 26_000),
    (2027, 26_300),
];
/// Donor country, weight (Europe 40, North America 34, Asia-Pacific 26) and usual currency.
#[rustfmt::skip]
const NATIONS: [(&str, u64, usize); 17] = [
    ("US", 30, 0), ("CA", 4, 0), ("DE", 8, 2), ("FR", 6, 2), ("GB", 7, 6), ("NL", 5, 2),
    ("CH", 4, 7), ("SE", 3, 0), ("NO", 3, 0), ("DK", 2, 2), ("BE", 2, 2), ("JP", 7, 4),
    ("KR", 8, 3), ("AU", 6, 5), ("NZ", 1, 5), ("SG", 2, 0), ("TW", 2, 0),
];
/// Top-level sectors (code, Vietnamese, English, weight); social issues carry the most aid.
#[rustfmt::skip]
pub const TOP: [(&str, &str, &str, u64); 8] = [
    ("HEALTH", "Y tế", "Health", 15),
    ("EDU", "Giáo dục – đào tạo", "Education and training", 13),
    ("SOCIAL", "Giải quyết các vấn đề xã hội", "Social issues", 40),
    ("ECON", "Phát triển kinh tế – xã hội", "Socio-economic development", 15),
    ("ENV", "Tài nguyên – môi trường", "Environment and climate change", 5),
    ("RELIEF", "Cứu trợ khẩn cấp, phòng chống thiên tai", "Emergency relief and disaster preparedness", 6),
    ("WAR", "Khắc phục hậu quả chiến tranh", "War legacy", 4),
    ("OTHER", "Lĩnh vực khác", "Other", 2),
];
/// Three sub-sectors per top-level sector, in its order: (code, vi, en, OECD-DAC code).
#[rustfmt::skip]
pub const SUB: [(&str, &str, &str, &str); 24] = [
    ("HEALTH-BASIC", "Y tế cơ sở", "Basic health care", "12220"),
    ("HEALTH-MCH", "Sức khỏe bà mẹ trẻ em", "Maternal and child health", "13020"),
    ("HEALTH-NUTR", "Dinh dưỡng", "Basic nutrition", "12240"),
    ("EDU-PRIMARY", "Giáo dục tiểu học", "Primary education", "11220"),
    ("EDU-VOC", "Dạy nghề", "Vocational training", "11330"),
    ("EDU-SCHOL", "Học bổng", "Scholarships", "11420"),
    ("SOCIAL-DIS", "Người khuyết tật", "Disability", "16010"),
    ("SOCIAL-HIV", "Phòng chống HIV/AIDS", "HIV/AIDS", "13040"),
    ("SOCIAL-TRAF", "Phòng chống mua bán người", "Counter-trafficking", "15180"),
    ("ECON-AGRI", "Nông nghiệp, sinh kế", "Agriculture and livelihoods", "31120"),
    ("ECON-WATER", "Nước sạch, vệ sinh", "Water and sanitation", "14030"),
    ("ECON-INFRA", "Hạ tầng nông thôn", "Rural infrastructure", "43040"),
    ("ENV-CLIM", "Thích ứng biến đổi khí hậu", "Climate change adaptation", "41010"),
    ("ENV-BIO", "Đa dạng sinh học", "Biodiversity", "41030"),
    ("ENV-WASTE", "Quản lý chất thải", "Waste management", "14050"),
    ("RELIEF-EMERG", "Cứu trợ khẩn cấp", "Emergency response", "72010"),
    ("RELIEF-RECON", "Tái thiết sau thiên tai", "Reconstruction", "73010"),
    ("RELIEF-DRR", "Phòng chống thiên tai", "Disaster risk reduction", "74020"),
    ("WAR-UXO", "Rà phá bom mìn", "Mine and UXO clearance", "15250"),
    ("WAR-VICTIM", "Hỗ trợ nạn nhân chất độc da cam", "Agent Orange victims", "16010"),
    ("WAR-RISK", "Giáo dục phòng tránh bom mìn", "Mine risk education", "15250"),
    ("OTHER-GOV", "Quản trị, pháp luật", "Governance", "15110"),
    ("OTHER-CULT", "Văn hóa", "Culture", "16061"),
    ("OTHER-MISC", "Khác", "Miscellaneous", "99810"),
];
/// Modality, weight, duration in months, size in US cents, tranche weight (ranges inclusive):
/// about USD 240 million of commitments a year at 2,500 items a year.
pub type Shape = (Modality, u64, (i64, i64), (i64, i64), (i64, i64));
#[rustfmt::skip]
pub const MODALITIES: [Shape; 5] = [
    (Modality::NonProject, 36, (1, 12), (200_000, 8_000_000), (2, 6)),
    (Modality::EmergencyRelief, 12, (1, 6), (1_000_000, 30_000_000), (1, 4)),
    (Modality::TechnicalAssistance, 28, (12, 36), (2_000_000, 20_000_000), (8, 30)),
    (Modality::InvestmentProject, 23, (12, 48), (3_000_000, 40_000_000), (10, 40)),
    (Modality::Programme, 1, (36, 60), (100_000_000, 500_000_000), (40, 120)),
];
#[rustfmt::skip]
const OWNER_NAMES: [(&str, &str); OWNERS] = [
    ("Sở Y tế", "Department of Health"), ("Sở Giáo dục và Đào tạo", "Department of Education"),
    ("Hội Chữ thập đỏ", "Red Cross"), ("Hội Liên hiệp Phụ nữ", "Women's Union"),
    ("Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment"),
    ("Hội Người khuyết tật", "Association of People with Disabilities"), ("Tỉnh Đoàn", "Youth Union"),
    ("Bệnh viện Đa khoa", "General Hospital"), ("Trường Cao đẳng", "College"),
    ("Liên hiệp các tổ chức hữu nghị", "Union of Friendship Organisations"),
];

/// Organisation ids, in the order [`organisations`] creates them.
pub fn agency_id(p: usize) -> usize {
    p + 1
}
pub fn owner_id(p: usize, j: usize) -> usize {
    PROVINCES + p * OWNERS + j + 1
}
pub fn funder_id(f: usize) -> usize {
    PROVINCES * (1 + OWNERS) + f + 1
}
pub fn ngo_id(k: usize) -> usize {
    funder_id(FUNDERS) + k
}

pub fn sectors() -> Vec<Sector> {
    let top = TOP.iter().map(|t| (t.0, None, t.1, t.2, None));
    let sub = SUB
        .iter()
        .map(|s| (s.0, s.0.split_once('-').map(|p| p.0), s.1, s.2, Some(s.3)));
    (top.chain(sub).zip(0..))
        .map(|((code, parent, vi, en, dac), order)| Sector {
            code: code.into(),
            parent_code: parent.map(Into::into),
            name_vi: vi.into(),
            name_en: en.into(),
            dac_code: dac.map(Into::into),
            sort_order: order,
        })
        .collect()
}

/// The units in an order that satisfies their references, and per province the communes
/// items are placed in before the reform (old) and from it (new).
pub fn units() -> (Vec<AdminUnit>, Vec<Vec<String>>, Vec<Vec<String>>) {
    let (begin, end, reform) = (ymd(2000, 1, 1), ymd(2025, 6, 30), ymd(2025, 7, 1));
    let unit = |code: String,
                level: AdminLevel,
                parent: &str,
                to: Option<NaiveDate>,
                succ: Option<&str>| {
        let (vi, en) = match level {
            AdminLevel::Province => ("Tỉnh", "Province"),
            AdminLevel::District => ("Huyện", "District"),
            AdminLevel::Commune => ("Xã", "Commune"),
        };
        let new_commune = level == AdminLevel::Commune && to.is_none();
        AdminUnit {
            name_vi: format!("{vi} {code}"),
            name_en: format!("{en} {code}"),
            code,
            level,
            parent_code: Some(parent.to_string()).filter(|p| !p.is_empty()),
            valid_from: if new_commune { reform } else { begin },
            valid_to: to,
            successor_code: succ.map(Into::into),
        }
    };
    let (mut provinces, mut districts, mut news, mut olds) = (vec![], vec![], vec![], vec![]);
    let (mut old_by, mut new_by) = (vec![vec![]; PROVINCES], vec![vec![]; PROVINCES]);
    for p in 0..PROVINCES {
        let pc = format!("{:02}", p + 1);
        provinces.push(unit(pc.clone(), AdminLevel::Province, "", None, None));
        for d in 0..DISTRICTS {
            let dn = p * DISTRICTS + d + 1;
            let (dc, nc) = (format!("{dn:03}"), format!("{:05}", 90_000 + dn));
            districts.push(unit(dc.clone(), AdminLevel::District, &pc, Some(end), None));
            news.push(unit(nc.clone(), AdminLevel::Commune, &pc, None, None));
            for c in 0..OLD_COMMUNES {
                let oc = format!("{:05}", dn * 10 + c);
                olds.push(unit(
                    oc.clone(),
                    AdminLevel::Commune,
                    &dc,
                    Some(end),
                    Some(&nc),
                ));
                old_by[p].push(oc);
            }
            new_by[p].push(nc);
        }
    }
    provinces.extend(districts.into_iter().chain(news).chain(olds));
    (provinces, old_by, new_by)
}

/// Managing agencies (one per province), aid owners, funders, then foreign NGOs, with ids
/// from 1 in that order; also each NGO's usual currency (an index into `CURRENCIES`).
pub fn organisations(rng: &mut Rng) -> (Vec<Organisation>, Vec<usize>) {
    let mut out: Vec<Organisation> = Vec::new();
    let mut org = |kind, name_vi: String, name_en: String, nat: &str| {
        let id = i64::try_from(out.len() + 1).unwrap_or(0);
        out.push(Organisation {
            id,
            kind,
            name_vi,
            name_en,
            acronym: None,
            nationality: nat.into(),
            iati_ref: None,
            cert_type: None,
            cert_number: None,
            cert_valid_from: None,
            cert_valid_to: None,
            created_at: midnight(ymd(FIRST_YEAR, 1, 1)),
        });
    };
    for p in 1..=PROVINCES {
        org(
            OrgKind::ManagingAgency,
            format!("UBND tỉnh {p:02}"),
            format!("People's Committee, Province {p:02}"),
            "VN",
        );
    }
    for p in 1..=PROVINCES {
        for (vi, en) in OWNER_NAMES {
            org(
                OrgKind::AidOwner,
                format!("{vi} tỉnh {p:02}"),
                format!("{en}, Province {p:02}"),
                "VN",
            );
        }
    }
    let nations: Vec<(usize, u64)> = NATIONS.iter().enumerate().map(|(i, n)| (i, n.1)).collect();
    for f in 1..=FUNDERS {
        let nat = NATIONS[rng.weighted(&nations)].0;
        org(
            OrgKind::Funder,
            format!("Nhà tài trợ {f:02}"),
            format!("Funder {f:02}"),
            nat,
        );
    }
    let mut currency = Vec::with_capacity(NGOS);
    for k in 1..=NGOS {
        let (nat, _, cur) = NATIONS[rng.weighted(&nations)];
        org(
            OrgKind::ForeignNgo,
            format!("Tổ chức PCPNN {k:03}"),
            format!("Foreign NGO {k:03} ({nat})"),
            nat,
        );
        currency.push(cur);
    }
    let certs = [
        (CertificateType::Operation, 80),
        (CertificateType::RepresentativeOffice, 15),
        (CertificateType::ProjectOffice, 5),
    ];
    for (k, o) in out
        .iter_mut()
        .filter(|o| o.kind == OrgKind::ForeignNgo)
        .enumerate()
    {
        let kind = rng.weighted(&certs);
        let from = ymd(2023, 1, 1) + chrono::Days::new(rng.below(1000));
        let years = if kind == CertificateType::RepresentativeOffice {
            5
        } else {
            3
        };
        o.acronym = Some(format!("NGO{:03}", k + 1));
        o.iati_ref = Some(format!("{}-NGO-{:04}", o.nationality, k + 1));
        o.cert_number = Some(format!("{:03}/GĐK-UBCTPCPNN", k + 1));
        o.cert_valid_to = from
            .checked_add_months(Months::new(12 * years))
            .and_then(|d| d.pred_opt());
        o.cert_valid_from = Some(from);
        o.cert_type = Some(kind);
    }
    (out, currency)
}

/// The rate of month `m` (0 = January 2007) is dated the 1st of that month.
pub fn month_start(m: usize) -> NaiveDate {
    let (y, mo) = (
        i32::try_from(m / 12).unwrap_or(0),
        u32::try_from(m % 12).unwrap_or(0),
    );
    ymd(FIRST_YEAR + y, mo + 1, 1)
}
pub fn month_index(d: NaiveDate) -> usize {
    usize::try_from((d.year() - FIRST_YEAR) * 12).unwrap_or(0) + d.month0() as usize
}

/// One rate per currency and month, ids from 1 currency by currency: VND per USD follows the
/// anchors with some noise, the others drift within ±12 % of their value. Exact decimals.
pub fn rates(rng: &mut Rng, currencies: &[Currency]) -> Result<Vec<Rate>, BoxError> {
    let vnd: Vec<i64> = (0..MONTHS)
        .map(|m| {
            let y = FIRST_YEAR + i32::try_from(m / 12).unwrap_or(0);
            let seg = VND_PER_USD
                .windows(2)
                .find(|w| w[1].0 > y)
                .unwrap_or(&VND_PER_USD[11..]);
            let (a, b) = (seg[0], seg[1]);
            let done = i64::try_from(m).unwrap_or(0) - i64::from(a.0 - FIRST_YEAR) * 12;
            a.1 + (b.1 - a.1) * done / (i64::from(b.0 - a.0) * 12) + rng.range(-40, 40)
        })
        .collect();
    let value = |d: Decimal| d.normalize().to_string().parse::<RateValue>();
    let mut out = Vec::with_capacity(currencies.len() * MONTHS);
    for (ci, &currency) in currencies.iter().enumerate() {
        let mut drift = 1000_i64;
        for (m, &v) in vnd.iter().enumerate() {
            drift = (drift + rng.range(-12, 12)).clamp(880, 1120);
            let usd = Decimal::new(CURRENCIES[ci].3 * drift / 1000, 9);
            let (to_vnd, to_usd) = match ci {
                0 => (Decimal::from(v), Decimal::ONE),
                1 => (
                    Decimal::ONE,
                    Decimal::ONE
                        .checked_div(Decimal::from(v))
                        .ok_or("rate")?
                        .round_dp(12),
                ),
                _ => (usd.checked_mul(Decimal::from(v)).ok_or("rate")?, usd),
            };
            let (to_vnd, to_usd) = (value(to_vnd)?, value(to_usd)?);
            Rate::validate(currency, to_vnd, to_usd)?;
            let id = i64::try_from(out.len() + 1)?;
            out.push(Rate {
                id,
                currency,
                date: month_start(m),
                to_vnd,
                to_usd,
            });
        }
    }
    Ok(out)
}
