//! The province's aid mobilisation programmes in the demo: the 2021–2025 stage (ended, with
//! targets the ledger reaches most of) and the 2026–2030 stage (under way), their priority
//! sector groups and localities, and twenty-five proposals in every status. An approved
//! proposal is linked to an aid item the ledger approved in its stage with the proposal's
//! sector group, so the report's appendix shows real committed values. Districts are the
//! localities before the July 2025 reform, communes and wards after it.

use super::date;
use super::orgs::OrgIds;
use crate::actions::Actor;
use crate::actions::mobilisation::programmes::create_programme_in;
use crate::actions::mobilisation::proposals::{
    acknowledge_interest_in, create_proposal_in, move_proposal_in, record_presentation_in,
    register_interest_in,
};
use crate::db::programmes::{NewProgramme, ProgrammeTarget};
use crate::db::proposals::NewProposal;
use crate::db::{Tx, items, ledger};
use crate::domain::Currency;
use crate::domain::item::ItemStatus;
use crate::domain::mobilisation::{ProposalStatus as S, TargetDimension as D};
use crate::error::Result;
use chrono::NaiveDate;
use std::collections::HashSet;

/// What was written, for the demo's summary.
pub struct Written {
    pub programmes: usize,
    pub proposals: usize,
    /// The ids written, for the promotion activities that follow.
    pub programme_ids: Vec<i64>,
    pub proposal_ids: Vec<i64>,
}

fn target(dimension: D, code: &str, usd: Option<i64>, items: Option<i64>) -> ProgrammeTarget {
    ProgrammeTarget {
        dimension,
        code: code.to_string(),
        target_minor: usd.map(|u| u * 100),
        target_items: items,
    }
}

fn programmes() -> [NewProgramme; 2] {
    let text = |s: &str| s.to_string();
    [
        NewProgramme {
            name_vi: text(
                "Chương trình vận động viện trợ phi chính phủ nước ngoài giai đoạn 2021–2025",
            ),
            name_en: text("Programme for mobilising foreign non-governmental aid, 2021–2025"),
            decision_number: text("2856/QĐ-UBND"),
            decision_date: date(2020, 12, 18),
            decision_authority: text("Chủ tịch UBND tỉnh Thừa Thiên Huế"),
            starts_on: date(2021, 1, 1),
            ends_on: date(2025, 12, 31),
            target_currency: Currency::USD,
            target_minor: 25_000_000 * 100,
            target_items: Some(140),
            targets: vec![
                target(D::SectorGroup, "HEALTH", Some(5_000_000), Some(30)),
                target(D::SectorGroup, "SOCIAL", Some(6_000_000), None),
                target(D::SectorGroup, "EMERG", Some(3_000_000), Some(20)),
                target(D::SectorGroup, "WAR", None, None),
                target(D::Locality, "481", Some(5_500_000), Some(25)),
                target(D::Locality, "483", Some(2_000_000), None),
            ],
        },
        NewProgramme {
            name_vi: text(
                "Chương trình vận động viện trợ phi chính phủ nước ngoài giai đoạn 2026–2030",
            ),
            name_en: text("Programme for mobilising foreign non-governmental aid, 2026–2030"),
            decision_number: text("3120/QĐ-UBND"),
            decision_date: date(2025, 12, 22),
            decision_authority: text("Chủ tịch UBND thành phố Huế"),
            starts_on: date(2026, 1, 1),
            ends_on: date(2030, 12, 31),
            target_currency: Currency::USD,
            target_minor: 30_000_000 * 100,
            target_items: Some(150),
            targets: vec![
                target(D::SectorGroup, "HEALTH", Some(6_000_000), None),
                target(D::SectorGroup, "EDU", Some(4_000_000), None),
                target(D::SectorGroup, "ENV", Some(3_000_000), Some(10)),
                target(D::Locality, "46116", Some(2_500_000), None),
                target(D::Locality, "46118", Some(2_000_000), None),
                target(D::Locality, "46119", None, None),
            ],
        },
    ]
}

/// One proposal of the list: stage (0 or 1), titles, sub-sector, unit, currency, estimate in
/// major units, proposing aid owner (index into the demo's owners) and where it ends up.
struct Row(
    usize,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    usize,
    S,
);

const ROWS: [Row; 25] = [
    Row(
        0,
        "Nâng cao năng lực chăm sóc sức khỏe ban đầu tuyến xã huyện A Lưới",
        "Strengthening primary health care in A Luoi communes",
        "HEALTH.PHC",
        "481",
        "USD",
        450_000,
        0,
        S::Approved,
    ),
    Row(
        0,
        "Chăm sóc sức khỏe bà mẹ và trẻ em vùng đồng bào dân tộc thiểu số",
        "Maternal and child health for ethnic minority communities",
        "HEALTH.MCH",
        "483",
        "USD",
        380_000,
        0,
        S::Approved,
    ),
    Row(
        0,
        "Hỗ trợ người khuyết tật hòa nhập cộng đồng",
        "Community inclusion for people with disabilities",
        "SOCIAL.DIS",
        "478",
        "USD",
        300_000,
        8,
        S::Approved,
    ),
    Row(
        0,
        "Phòng, chống xâm hại và bạo lực trẻ em",
        "Preventing abuse of and violence against children",
        "SOCIAL.CHILD",
        "474",
        "EUR",
        250_000,
        4,
        S::Approved,
    ),
    Row(
        0,
        "Nhà an toàn phòng, tránh bão lũ cho hộ nghèo ven biển",
        "Storm-safe houses for poor coastal households",
        "EMERG.RECON",
        "482",
        "USD",
        600_000,
        10,
        S::Approved,
    ),
    Row(
        0,
        "Rà phá bom mìn, vật liệu nổ sau chiến tranh tại các xã vùng gò đồi",
        "Clearing unexploded ordnance in upland communes",
        "WAR.UXO",
        "480",
        "USD",
        1_200_000,
        11,
        S::Approved,
    ),
    Row(
        0,
        "Nước sạch và vệ sinh trường học vùng cao",
        "Clean water and sanitation for upland schools",
        "SOCIOECON.WATER",
        "481",
        "USD",
        220_000,
        2,
        S::Agreed,
    ),
    Row(
        0,
        "Sinh kế bền vững cho phụ nữ nông thôn",
        "Sustainable livelihoods for rural women",
        "SOCIOECON.LIVE",
        "477",
        "AUD",
        350_000,
        7,
        S::Interested,
    ),
    Row(
        0,
        "Phục hồi chức năng cho nạn nhân chất độc da cam/dioxin",
        "Rehabilitation for Agent Orange/dioxin victims",
        "WAR.AO",
        "476",
        "USD",
        280_000,
        9,
        S::Interested,
    ),
    Row(
        0,
        "Trang thiết bị y tế cho Trung tâm Y tế huyện Nam Đông",
        "Medical equipment for the Nam Dong district health centre",
        "HEALTH.PHC",
        "483",
        "KRW",
        650_000_000,
        0,
        S::Presented,
    ),
    Row(
        0,
        "Giáo dục mầm non cho trẻ em dân tộc thiểu số",
        "Early childhood education for ethnic minority children",
        "EDU.ECE",
        "481",
        "USD",
        180_000,
        2,
        S::Presented,
    ),
    Row(
        0,
        "Mô hình nông nghiệp thích ứng biến đổi khí hậu",
        "Climate-adapted farming models",
        "SOCIOECON.AGRI",
        "476",
        "JPY",
        30_000_000,
        3,
        S::Proposed,
    ),
    Row(
        0,
        "Xây dựng trường tiểu học vùng ngập lụt",
        "Building a primary school in a flood zone",
        "EDU.FAC",
        "478",
        "USD",
        420_000,
        2,
        S::Withdrawn,
    ),
    Row(
        0,
        "Chợ nông sản an toàn cấp huyện",
        "A safe farm produce market for the district",
        "SOCIOECON.RURAL",
        "479",
        "VND",
        4_500_000_000,
        3,
        S::Withdrawn,
    ),
    Row(
        0,
        "Phòng, chống HIV/AIDS cho thanh niên",
        "HIV/AIDS prevention among young people",
        "SOCIAL.HIV",
        "474",
        "USD",
        150_000,
        1,
        S::Withdrawn,
    ),
    Row(
        1,
        "Y tế cơ sở thông minh tại các xã miền núi",
        "Digital primary health care in mountain communes",
        "HEALTH.PHC",
        "46116",
        "USD",
        520_000,
        0,
        S::Approved,
    ),
    Row(
        1,
        "Dinh dưỡng học đường vùng cao",
        "School nutrition in the highlands",
        "HEALTH.NUT",
        "46118",
        "USD",
        200_000,
        1,
        S::Agreed,
    ),
    Row(
        1,
        "Đào tạo nghề cho thanh niên khuyết tật",
        "Vocational training for young people with disabilities",
        "EDU.VOC",
        "46102",
        "EUR",
        310_000,
        2,
        S::Interested,
    ),
    Row(
        1,
        "Bảo tồn đa dạng sinh học vùng đầm phá Tam Giang – Cầu Hai",
        "Biodiversity conservation in the Tam Giang – Cau Hai lagoon",
        "ENV.BIO",
        "46112",
        "USD",
        750_000,
        3,
        S::Interested,
    ),
    Row(
        1,
        "Phân loại rác tại nguồn ở các phường trung tâm",
        "Sorting waste at source in the central wards",
        "ENV.WASTE",
        "46101",
        "USD",
        240_000,
        3,
        S::Presented,
    ),
    Row(
        1,
        "Nâng cao năng lực ứng phó thiên tai cấp xã",
        "Commune disaster response capacity",
        "EMERG.DRR",
        "46114",
        "USD",
        330_000,
        10,
        S::Presented,
    ),
    Row(
        1,
        "Trường mầm non an toàn trước bão lũ",
        "Storm-safe kindergartens",
        "EDU.ECE",
        "46119",
        "KRW",
        900_000_000,
        2,
        S::Presented,
    ),
    Row(
        1,
        "Sinh kế từ du lịch cộng đồng cho đồng bào Cơ Tu",
        "Community tourism livelihoods for the Co Tu people",
        "SOCIOECON.LIVE",
        "46118",
        "USD",
        280_000,
        7,
        S::Proposed,
    ),
    Row(
        1,
        "Nước sạch cho các xã ven biển nhiễm mặn",
        "Clean water for salt-affected coastal communes",
        "SOCIOECON.WATER",
        "46115",
        "USD",
        460_000,
        3,
        S::Proposed,
    ),
    Row(
        1,
        "Chăm sóc người cao tuổi tại cộng đồng",
        "Community care for older people",
        "SOCIAL.DIS",
        "46106",
        "USD",
        190_000,
        4,
        S::Proposed,
    ),
];

/// What an NGO writes when it registers interest.
const NOTES: [&str; 3] = [
    "Tổ chức đề nghị được trao đổi thêm về phạm vi và đối tác thực hiện.",
    "Chúng tôi quan tâm và đề nghị khảo sát địa bàn trong quý tới; xin gửi đề cương chi tiết.",
    "Tổ chức có thể tài trợ một phần; đề nghị làm việc với chủ khoản viện trợ về đối ứng.",
];

/// The path from proposed to `end` (withdrawn proposals are withdrawn once presented).
fn path(end: S) -> &'static [S] {
    match end {
        S::Proposed => &[],
        S::Presented => &[S::Presented],
        S::Interested => &[S::Presented, S::Interested],
        S::Agreed => &[S::Presented, S::Interested, S::Agreed],
        S::Approved => &[S::Presented, S::Interested, S::Agreed, S::Approved],
        S::Withdrawn => &[S::Presented, S::Withdrawn],
    }
}

/// Writes both programmes and the list. `ngo_user` is the demo NGO account, whose
/// organisation registers interest in one proposal of the current stage from the portal.
pub async fn insert(
    tx: &mut Tx,
    actor: &Actor,
    orgs: &OrgIds,
    ngo_user: (i64, i64),
) -> Result<Written> {
    let mut programme_ids = Vec::new();
    let mut stages: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for p in programmes() {
        stages.push((p.starts_on, p.ends_on));
        programme_ids.push(create_programme_in(tx, actor, p).await?);
    }
    let all_items = items::list_items(tx).await?;
    let sectors = items::all_sector_allocations(tx).await?;
    let mut used: HashSet<i64> = HashSet::new();
    let mut proposal_ids = Vec::new();
    let mut interested_current = 0;
    for (n, Row(stage, vi, en, sector, unit, code, major, owner, end)) in ROWS.iter().enumerate() {
        let (from, to) = stages[*stage];
        let mut currency: Currency = code
            .parse()
            .map_err(|e| crate::error::Error::Internal(format!("demo proposal currency: {e}")))?;
        let mut minor = major * 10_i64.pow(currency.minor_units());
        // An approved proposal became an item approved in its stage with its sector group:
        // the largest such item not yet taken, whose first commitment sets the estimate (what
        // the province sought, rounded up), so the appendix reads as a real list does.
        let mut item = None;
        if *end == S::Approved {
            let group = sector.split('.').next().unwrap_or(sector);
            let in_stage = |i: &&crate::db::items::AidItem| {
                i.approval_date.is_some_and(|d| d >= from && d <= to)
                    && !used.contains(&i.id)
                    && matches!(
                        i.status,
                        ItemStatus::Approved | ItemStatus::Implementing | ItemStatus::Completed
                    )
            };
            let mut best: Option<(i64, crate::db::ledger::Commitment)> = None;
            for i in all_items.iter().filter(in_stage).filter(|i| {
                sectors
                    .iter()
                    .any(|a| a.item_id == i.id && a.code.starts_with(group))
            }) {
                let Some(first) = ledger::list_commitments(tx, i.id).await?.into_iter().next()
                else {
                    continue;
                };
                let usd = first.conversion.amount_usd_cents.unwrap_or(0);
                if best.as_ref().is_none_or(|(b, _)| usd > *b) {
                    best = Some((usd, first));
                }
            }
            if let Some((_, first)) = best {
                used.insert(first.item_id);
                currency = first.currency;
                minor = round_up(first.amount_minor);
                item = Some(first.item_id);
            }
        }
        let id = create_proposal_in(
            tx,
            actor,
            NewProposal {
                programme_id: programme_ids[*stage],
                title_vi: (*vi).to_string(),
                title_en: (*en).to_string(),
                sector_code: (*sector).to_string(),
                unit_code: (*unit).to_string(),
                currency,
                estimate_minor: minor,
                aid_owner_id: orgs.owners[*owner % orgs.owners.len()],
                summary: summary(vi, minor, currency),
                published: *end != S::Proposed || n % 2 == 0,
            },
        )
        .await?;
        proposal_ids.push(id);
        let ngo = orgs.ngos[(n * 7) % orgs.ngos.len()];
        let presented_on = (from + chrono::Duration::days(40 + 23 * n as i64)).min(to);
        for step in path(*end) {
            match step {
                S::Presented => {
                    record_presentation_in(tx, actor, id, ngo, presented_on, None).await?;
                }
                S::Interested => {
                    // In the current stage the demo NGO's own organisation is interested in
                    // the first proposal still waiting at "interested", so its portal shows
                    // the interest sent and the coordinator's queue shows it to acknowledge.
                    let (org, who) =
                        if *stage == 1 && *end == S::Interested && interested_current == 0 {
                            interested_current += 1;
                            (
                                ngo_user.1,
                                Actor::user(
                                    ngo_user.0,
                                    "ngo",
                                    crate::domain::item::Role::Ngo,
                                    Some(ngo_user.1),
                                ),
                            )
                        } else {
                            (ngo, actor.clone())
                        };
                    let note = NOTES[n % NOTES.len()].to_string();
                    let interest = register_interest_in(tx, &who, id, org, note).await?;
                    // A coordinator has seen every interest that has gone further.
                    if *stage == 0 || *end != S::Interested {
                        acknowledge_interest_in(tx, actor, interest).await?;
                    }
                }
                S::Approved => {
                    if item.is_some() {
                        move_proposal_in(tx, actor, id, S::Approved, item).await?;
                    }
                }
                other => move_proposal_in(tx, actor, id, *other, None).await?,
            }
        }
    }
    Ok(Written {
        programmes: programme_ids.len(),
        proposals: proposal_ids.len(),
        programme_ids,
        proposal_ids,
    })
}

/// `minor` rounded up to two significant digits (412,350 → 420,000).
fn round_up(minor: i64) -> i64 {
    let mut unit = 1_i64;
    while minor / unit >= 100 {
        unit *= 10;
    }
    (minor + unit - 1) / unit * unit
}

fn summary(title: &str, minor: i64, currency: Currency) -> String {
    format!(
        "Đề xuất của địa phương: {title}. Giá trị kêu gọi dự kiến {} {}. Thời gian thực hiện dự kiến 24–36 tháng; đối ứng của địa phương bằng hiện vật và nhân lực.",
        crate::domain::money::format_sum(minor.into(), currency, crate::domain::Lang::Vi),
        currency.code()
    )
}
