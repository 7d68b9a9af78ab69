//! The milestones the national items would have, derived from each item's planned dates
//! without the generator's random stream (so every other row stays as it was): three per
//! item at a quarter, a half and three quarters of its planned span. Those dated before
//! `CUT` are done, except one in ten left open (planned or in progress), which a province
//! that never closes them would have; those after it are planned. Each milestone in
//! progress carries an NGO progress report awaiting a decision.

use crate::data::{Dataset, ENTERED_BY, midnight, ymd};
use aidledger::domain::item::MilestoneStatus;
use chrono::{DateTime, Days, NaiveDate, Utc};

/// The day the data's milestones were last brought up to date.
fn cut() -> NaiveDate {
    ymd(2026, 11, 30)
}

const TITLES: [(&str, &str); 3] = [
    (
        "Khởi công và bàn giao mặt bằng",
        "Work started and site handed over",
    ),
    ("Hoàn thành một nửa khối lượng", "Half the work completed"),
    ("Nghiệm thu và bàn giao", "Acceptance and handover"),
];

pub struct MilestoneRow {
    pub id: i64,
    pub item_id: i64,
    pub title_vi: &'static str,
    pub title_en: &'static str,
    pub planned: NaiveDate,
    pub actual: Option<NaiveDate>,
    pub status: MilestoneStatus,
    pub created_at: DateTime<Utc>,
}

pub struct ReportRow {
    pub milestone_id: i64,
    pub reported_by: i64,
    pub evidence: &'static str,
    pub created_at: DateTime<Utc>,
}

pub fn rows(d: &Dataset) -> (Vec<MilestoneRow>, Vec<ReportRow>) {
    let mut milestones = Vec::with_capacity(d.items.len() * 3);
    let mut reports = Vec::new();
    for item in &d.items {
        let span = u64::try_from((item.planned_end - item.planned_start).num_days()).unwrap_or(0);
        for (k, (title_vi, title_en)) in (0_u64..).zip(TITLES) {
            let id = item.id * 3 + i64::try_from(k).unwrap_or(0) - 2;
            let planned = item.planned_start + Days::new(span * (k + 1) / 4);
            let open = (item.id * 7 + i64::try_from(k).unwrap_or(0)) % 10 == 0;
            let (status, actual) = if planned >= cut() {
                (MilestoneStatus::Planned, None)
            } else if open && item.id % 2 == 0 {
                (MilestoneStatus::InProgress, None)
            } else if open {
                (MilestoneStatus::Planned, None)
            } else {
                let late = Days::new(u64::try_from(id % 45).unwrap_or(0));
                (MilestoneStatus::Done, Some((planned + late).min(cut())))
            };
            if status == MilestoneStatus::InProgress {
                reports.push(ReportRow {
                    milestone_id: id,
                    reported_by: ENTERED_BY,
                    evidence: "Đã thi công khoảng 60% khối lượng; ảnh hiện trường gửi kèm.",
                    created_at: midnight(planned),
                });
            }
            milestones.push(MilestoneRow {
                id,
                item_id: item.id,
                title_vi,
                title_en,
                planned,
                actual,
                status,
                created_at: midnight(item.planned_start),
            });
        }
    }
    (milestones, reports)
}
