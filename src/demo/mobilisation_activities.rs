//! The demo's promotion activities: thirty conferences, working meetings, delegations and
//! field visits from 2021 to 2026, each under the programme of its stage, with the foreign
//! NGOs that took part (the demo NGO account's organisation among them in several) and, at
//! most of them, proposals of that stage presented. Only proposals already presented or
//! further along are listed, so the activities add presentations without moving any proposal
//! out of the status the proposals' demo gave it.

use super::date;
use super::rng::Rng;
use crate::actions::Actor;
use crate::actions::mobilisation::activities::create_activity_in;
use crate::db::activities::NewActivity;
use crate::db::{Tx, programmes, proposals};
use crate::domain::mobilisation::{ActivityKind as K, ProposalStatus as S};
use crate::error::Result;
use chrono::NaiveDate;

/// One activity: kind, title, place, and its date as (year, month, day).
struct Plan(K, &'static str, &'static str, (i32, u32, u32));

const PLANS: &[Plan] = &[
    Plan(
        K::Conference,
        "Hội nghị gặp mặt các tổ chức phi chính phủ nước ngoài năm 2021",
        "Trung tâm Hội nghị tỉnh, Huế",
        (2021, 3, 24),
    ),
    Plan(
        K::Meeting,
        "Làm việc với đại diện tổ chức về chương trình y tế cơ sở",
        "Sở Ngoại vụ",
        (2021, 5, 12),
    ),
    Plan(
        K::FieldVisit,
        "Khảo sát nhu cầu nước sạch tại các xã vùng cao",
        "Huyện A Lưới",
        (2021, 9, 8),
    ),
    Plan(
        K::DelegationIn,
        "Đón đoàn công tác của tổ chức đến tìm hiểu dự án giáo dục",
        "UBND tỉnh",
        (2021, 11, 17),
    ),
    Plan(
        K::Conference,
        "Hội thảo xúc tiến vận động viện trợ lĩnh vực y tế",
        "Trung tâm Hội nghị tỉnh, Huế",
        (2022, 4, 6),
    ),
    Plan(
        K::Meeting,
        "Làm việc về danh mục dự án giảm nhẹ rủi ro thiên tai",
        "Sở Ngoại vụ",
        (2022, 6, 21),
    ),
    Plan(
        K::DelegationOut,
        "Đoàn công tác của tỉnh làm việc với các tổ chức tại Hàn Quốc",
        "Seoul, Hàn Quốc",
        (2022, 9, 14),
    ),
    Plan(
        K::FieldVisit,
        "Khảo sát trường học vùng ngập lụt cùng các tổ chức",
        "Huyện Quảng Điền",
        (2022, 11, 2),
    ),
    Plan(
        K::Conference,
        "Hội nghị gặp mặt các tổ chức phi chính phủ nước ngoài năm 2023",
        "Trung tâm Hội nghị tỉnh, Huế",
        (2023, 2, 22),
    ),
    Plan(
        K::Meeting,
        "Trao đổi về hỗ trợ người khuyết tật và nạn nhân bom mìn",
        "Sở Lao động – Thương binh và Xã hội",
        (2023, 4, 19),
    ),
    Plan(
        K::DelegationIn,
        "Đón đoàn tổ chức khảo sát dự án sinh kế ven phá",
        "Huyện Phú Vang",
        (2023, 6, 7),
    ),
    Plan(
        K::DelegationOut,
        "Đoàn công tác xúc tiến vận động viện trợ tại Nhật Bản",
        "Tokyo, Nhật Bản",
        (2023, 8, 28),
    ),
    Plan(
        K::FieldVisit,
        "Khảo sát công trình nước sạch hoàn thành",
        "Thị xã Hương Trà",
        (2023, 10, 11),
    ),
    Plan(
        K::Other,
        "Gửi danh mục dự án kêu gọi vận động đến các tổ chức qua thư",
        "Sở Ngoại vụ",
        (2023, 12, 5),
    ),
    Plan(
        K::Conference,
        "Hội thảo chia sẻ kinh nghiệm phòng, chống thiên tai dựa vào cộng đồng",
        "Trung tâm Hội nghị tỉnh, Huế",
        (2024, 3, 20),
    ),
    Plan(
        K::Meeting,
        "Làm việc với tổ chức về dự án bảo tồn đầm phá",
        "Sở Tài nguyên và Môi trường",
        (2024, 5, 15),
    ),
    Plan(
        K::DelegationIn,
        "Đón đoàn nhà tài trợ thăm các mô hình y tế cơ sở",
        "Huyện Phong Điền",
        (2024, 7, 3),
    ),
    Plan(
        K::DelegationOut,
        "Đoàn công tác làm việc với các tổ chức tại Úc",
        "Melbourne, Úc",
        (2024, 9, 23),
    ),
    Plan(
        K::FieldVisit,
        "Khảo sát sau bão tại các xã ven biển",
        "Huyện Phú Lộc",
        (2024, 11, 13),
    ),
    Plan(
        K::Conference,
        "Hội nghị tổng kết công tác viện trợ phi chính phủ nước ngoài giai đoạn 2021–2025",
        "Trung tâm Hội nghị tỉnh, Huế",
        (2025, 3, 26),
    ),
    Plan(
        K::Meeting,
        "Làm việc về dự án chăm sóc người cao tuổi tại cộng đồng",
        "Sở Ngoại vụ",
        (2025, 5, 21),
    ),
    Plan(
        K::DelegationIn,
        "Đón đoàn tổ chức tìm hiểu dự án giáo dục mầm non",
        "UBND tỉnh",
        (2025, 8, 6),
    ),
    Plan(
        K::FieldVisit,
        "Khảo sát các phường trung tâm về phân loại rác tại nguồn",
        "Phường Phú Hội",
        (2025, 10, 15),
    ),
    Plan(
        K::Meeting,
        "Trao đổi định hướng vận động viện trợ giai đoạn 2026–2030",
        "Sở Ngoại vụ",
        (2025, 12, 10),
    ),
    Plan(
        K::Conference,
        "Hội nghị công bố danh mục kêu gọi vận động viện trợ giai đoạn 2026–2030",
        "Trung tâm Hội nghị thành phố Huế",
        (2026, 2, 25),
    ),
    Plan(
        K::Meeting,
        "Làm việc với các tổ chức về y tế và dinh dưỡng trẻ em",
        "Sở Ngoại vụ",
        (2026, 4, 8),
    ),
    Plan(
        K::DelegationOut,
        "Đoàn công tác xúc tiến tại Hàn Quốc",
        "Seoul, Hàn Quốc",
        (2026, 5, 19),
    ),
    Plan(
        K::DelegationIn,
        "Đón đoàn tổ chức khảo sát vùng nhiễm mặn ven biển",
        "Phường Thuận An",
        (2026, 6, 24),
    ),
    Plan(
        K::FieldVisit,
        "Khảo sát nhu cầu sinh kế của đồng bào Cơ Tu",
        "Xã A Lưới 2",
        (2026, 8, 12),
    ),
    Plan(
        K::Meeting,
        "Làm việc với các tổ chức về trường học an toàn trước bão lũ",
        "Sở Ngoại vụ",
        (2026, 9, 30),
    ),
];

const OUTCOMES: &[&str] = &[
    "Các tổ chức nắm được danh mục dự án và ưu tiên của tỉnh; đã gửi tài liệu dự án sau hội nghị.",
    "Hai tổ chức đề nghị gửi báo cáo nghiên cứu khả thi; hẹn làm việc tiếp trong quý sau.",
    "Tổ chức quan tâm và sẽ trình hội đồng quản trị xem xét trong năm.",
    "Thống nhất khảo sát bổ sung tại địa phương trước khi xây dựng văn kiện dự án.",
    "",
];

/// Writes the activities. `programmes` are the stages' programme ids in stage order,
/// `proposals` the list's ids, `ngos` the foreign NGOs' ids in the demo's order.
pub(crate) async fn load_activities(
    tx: &mut Tx,
    actor: &Actor,
    rng: &mut Rng,
    programmes: &[i64],
    proposals: &[i64],
    ngos: &[i64],
) -> Result<usize> {
    let mut stages: Vec<(i64, NaiveDate, NaiveDate)> = Vec::new();
    for id in programmes {
        if let Some(p) = programmes::get_programme(tx, *id).await? {
            stages.push((p.id, p.starts_on, p.ends_on));
        }
    }
    // Proposals already presented and still open, by programme: listing them records
    // presentations and moves nothing.
    let mut offered: Vec<(i64, i64)> = Vec::new();
    for id in proposals {
        if let Some(p) = proposals::get_proposal(tx, *id).await?
            && matches!(p.status, S::Presented | S::Interested | S::Agreed)
        {
            offered.push((p.programme_id, p.id));
        }
    }
    let own = ngos.get(super::users::NGO_USER_ORG).copied();
    let mut written = 0;
    for (n, Plan(kind, title, place, (y, m, d))) in PLANS.iter().enumerate() {
        let held_on = date(*y, *m, *d);
        let programme = stages
            .iter()
            .find(|(_, from, to)| *from <= held_on && held_on <= *to)
            .map(|s| s.0);
        let mut organisation_ids = Vec::new();
        let take = match kind {
            K::Conference => 6,
            K::Other => 4,
            _ => 1 + rng.index(2),
        };
        while organisation_ids.len() < take.min(ngos.len()) {
            let id = ngos[rng.index(ngos.len())];
            if !organisation_ids.contains(&id) {
                organisation_ids.push(id);
            }
        }
        if let Some(own) = own
            && n % 4 == 0
            && !organisation_ids.contains(&own)
        {
            organisation_ids.push(own);
        }
        let mut proposal_ids = Vec::new();
        let candidates: Vec<i64> = offered
            .iter()
            .filter(|(prog, _)| Some(*prog) == programme)
            .map(|(_, id)| *id)
            .collect();
        if !candidates.is_empty() && *kind != K::FieldVisit {
            let want = if *kind == K::Conference { 3 } else { 1 };
            for _ in 0..want {
                let id = candidates[rng.index(candidates.len())];
                if !proposal_ids.contains(&id) {
                    proposal_ids.push(id);
                }
            }
        }
        let cmd = NewActivity {
            programme_id: programme,
            kind: *kind,
            title: (*title).to_string(),
            held_on,
            place: (*place).to_string(),
            outcome: OUTCOMES[rng.index(OUTCOMES.len())].to_string(),
            organisation_ids,
            proposal_ids,
        };
        create_activity_in(tx, actor, cmd).await?;
        written += 1;
    }
    Ok(written)
}
