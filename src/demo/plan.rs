//! The aid items of the demo, planned in memory before anything is written: about 200 items
//! approved from 2019 to October 2026 (regular projects and non-project aid every year, six
//! multi-year programmes, relief after four floods), a few still in the pipeline, and the
//! fates that give the status list its variety (suspensions, revocations, a cancellation).
//! Dates, sizes and choices come from the seeded stream only, so the plan is identical on
//! every run.

use super::names::{NGOS, funder_for};
use super::rng::Rng;
use super::titles::{EMERGENCIES, PROGRAMMES, title};
use super::{DATA_AS_OF, date, days, months_after, pick, reference::unit_names};
use crate::domain::Currency;
use crate::domain::item::{AidForm, ItemStatus, Modality};
use chrono::{Datelike, NaiveDate};

/// Regular items approved each year (2026: until 20 October).
const REGULAR: [(i32, usize); 8] = [
    (2019, 19),
    (2020, 17),
    (2021, 20),
    (2022, 21),
    (2023, 23),
    (2024, 25),
    (2025, 25),
    (2026, 24),
];
const PIPELINE: usize = 6;

pub struct Approval {
    pub number: String,
    pub date: NaiveDate,
    pub authority: &'static str,
}

pub struct Item {
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    pub modality: Modality,
    pub form: AidForm,
    pub donor: usize,
    pub funder: Option<usize>,
    pub owner: usize,
    pub approval: Option<Approval>,
    pub legal_basis: &'static str,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    pub status: ItemStatus,
    pub beneficiaries: Option<String>,
    pub sectors: Vec<(String, u32)>,
    pub localities: Vec<(String, u32)>,
    pub currency: Currency,
    /// The original commitment, in minor units of `currency`.
    pub value: i64,
    /// When a suspension, revocation or cancellation took effect.
    pub stopped: Option<NaiveDate>,
}

impl Item {
    /// Projects and programmes have milestones and several tranches; non-project aid and
    /// relief arrive in one go.
    #[must_use]
    pub fn is_project(&self) -> bool {
        !matches!(
            self.modality,
            Modality::NonProject | Modality::EmergencyRelief
        )
    }

    /// The statuses the item passes through after it is created as approved (or pipeline).
    #[must_use]
    pub fn path(&self) -> Vec<ItemStatus> {
        use ItemStatus::{Completed, Implementing, Revoked, Suspended};
        let started = self.actual_start.is_some();
        match self.status {
            Completed => vec![Implementing, Completed],
            Suspended => vec![Implementing, Suspended],
            Revoked if started => vec![Implementing, Revoked],
            s @ (Implementing | Revoked | ItemStatus::Cancelled) => vec![s],
            _ => Vec::new(),
        }
    }
}

enum Kind {
    Regular,
    Pipeline,
    Emergency(usize),
    Programme(usize),
}

/// Builds one approved (or pipeline) item of `kind` dated `on`, status not yet settled.
fn build(rng: &mut Rng, kind: &Kind, on: NaiveDate) -> Item {
    let (modality, donor, sectors, emergency) = match kind {
        Kind::Programme(p) => {
            let p = &PROGRAMMES[*p];
            let donor = NGOS.iter().position(|n| n.acronym == p.donor).unwrap_or(0);
            let s = p
                .sectors
                .iter()
                .map(|(c, b)| ((*c).to_string(), *b))
                .collect();
            (Modality::Programme, donor, s, None)
        }
        Kind::Emergency(e) => {
            let donor = pick::donor(rng, on, Some("EMERG"));
            (
                Modality::EmergencyRelief,
                donor,
                pick::sectors(rng, donor, true),
                Some(*e),
            )
        }
        Kind::Regular | Kind::Pipeline => {
            let weights = if matches!(kind, Kind::Pipeline) {
                [30, 70, 0]
            } else {
                [20, 40, 40]
            };
            let m = [
                Modality::InvestmentProject,
                Modality::TechnicalAssistance,
                Modality::NonProject,
            ][rng.weighted(&weights)];
            let donor = pick::donor(rng, on, None);
            (m, donor, pick::sectors(rng, donor, false), None)
        }
    };
    let top = sectors[0]
        .0
        .split('.')
        .next()
        .unwrap_or("OTHER")
        .to_string();
    let owner = match kind {
        Kind::Programme(p) => PROGRAMMES[*p].owner,
        Kind::Emergency(_) if rng.chance(55) => 6,
        Kind::Emergency(_) if rng.chance(40) => 10,
        _ => pick::owner(rng, on, &top),
    };
    let localities = match kind {
        Kind::Programme(p) => {
            let l = PROGRAMMES[*p].localities;
            l.iter().map(|(c, b)| ((*c).to_string(), *b)).collect()
        }
        _ => pick::localities(rng, on, owner),
    };
    let country = NGOS[donor].country;
    let (currency, value) = match kind {
        Kind::Programme(p) => {
            let p = &PROGRAMMES[*p];
            let cur = p.currency.parse().unwrap_or(Currency::USD);
            (cur, p.amount * 10_i64.pow(cur.minor_units()))
        }
        _ => {
            let cur = pick::currency(rng, country, modality);
            (cur, pick::value(rng, modality, cur))
        }
    };
    let project = !matches!(modality, Modality::NonProject | Modality::EmergencyRelief);
    let (lead, months) = match (kind, modality) {
        (Kind::Programme(p), _) => (rng.range(30, 45), PROGRAMMES[*p].months),
        (_, Modality::EmergencyRelief) if sectors[0].0 == "EMERG.RECON" => {
            (rng.range(0, 4), rng.range(3, 6))
        }
        (_, Modality::EmergencyRelief) => (rng.range(0, 4), rng.range(1, 3)),
        (_, Modality::NonProject) => (rng.range(3, 20), rng.range(1, 6)),
        (_, Modality::InvestmentProject) => (rng.range(20, 90), rng.range(12, 30)),
        _ => (rng.range(20, 90), rng.range(12, 36)),
    };
    let planned_start = days(on, lead);
    let planned_end = days(months_after(planned_start, months), -1);
    let slip = if project {
        rng.range(-5, 30)
    } else {
        rng.range(0, 10)
    };
    let actual_start = days(planned_start, slip).max(on);
    let overrun = if project {
        rng.range(-15, 45)
    } else {
        rng.range(-5, 20)
    };
    let actual_end = days(planned_end, overrun).max(actual_start);
    let loc = unit_names(&localities[0].0);
    let (title_vi, title_en) = match kind {
        Kind::Programme(p) => (
            PROGRAMMES[*p].title_vi.to_string(),
            PROGRAMMES[*p].title_en.to_string(),
        ),
        Kind::Emergency(e) => {
            let (vi, en) = title(&sectors[0].0, false, loc, false);
            let ev = &EMERGENCIES[*e];
            (format!("{vi} sau {}", ev.3), format!("{en} after {}", ev.4))
        }
        Kind::Regular | Kind::Pipeline => {
            let covid = sectors[0].0 == "HEALTH.INF" && !project && pick::covid(on);
            title(&sectors[0].0, project, loc, covid)
        }
    };
    let form = match modality {
        Modality::NonProject if rng.chance(70) => AidForm::InKind,
        Modality::EmergencyRelief if rng.chance(60) => AidForm::InKind,
        _ => AidForm::Cash,
    };
    let (lo, hi) = match modality {
        Modality::Programme => (20_000, 90_000),
        Modality::EmergencyRelief => (300, 8_000),
        _ if project => (150, 15_000),
        _ => (30, 3_000),
    };
    let funder = funder_for(country).filter(|_| rng.chance(35));
    Item {
        code: String::new(),
        title_vi,
        title_en,
        modality,
        form,
        donor,
        funder,
        owner,
        approval: None,
        legal_basis: pick::legal_basis(on, emergency.is_some()),
        planned_start,
        planned_end,
        actual_start: Some(actual_start),
        actual_end: Some(actual_end),
        status: ItemStatus::Approved,
        beneficiaries: pick::beneficiaries(rng, lo, hi),
        sectors,
        localities,
        currency,
        value,
        stopped: None,
    }
}

/// Every item of the demo, in code order (approval order, pipeline last).
#[must_use]
pub fn items() -> Vec<Item> {
    let mut rng = Rng::stream("items");
    let mut slots: Vec<(NaiveDate, Kind)> = Vec::new();
    for (year, n) in REGULAR {
        let last = if year == 2026 { 292 } else { 354 };
        for _ in 0..n {
            let jan1 = NaiveDate::from_yo_opt(year, 1).unwrap_or(DATA_AS_OF);
            slots.push((days(jan1, rng.range(5, last)), Kind::Regular));
        }
    }
    for (i, e) in EMERGENCIES.iter().enumerate() {
        for _ in 0..e.2 {
            let span = (e.1 - e.0).num_days();
            slots.push((days(e.0, rng.range(0, span)), Kind::Emergency(i)));
        }
    }
    for (i, p) in PROGRAMMES.iter().enumerate() {
        slots.push((p.approved, Kind::Programme(i)));
    }
    slots.sort_by_key(|s| s.0);
    let mut items = Vec::new();
    let (mut year, mut seq, mut number) = (0, 0, 0_i64);
    for (on, kind) in &slots {
        if on.year() != year {
            (year, seq, number) = (on.year(), 0, 0);
        }
        seq += 1;
        number = (number + 1).max(i64::from(on.ordinal()) * 9 + rng.range(1, 8));
        let mut item = build(&mut rng, kind, *on);
        // Aid touching security and defence (mine clearance) is approved by the Prime Minister.
        let pm = match kind {
            Kind::Programme(p) => PROGRAMMES[*p].prime_minister,
            _ => item.is_project() && item.sectors[0].0 == "WAR.UXO",
        };
        let num = if pm {
            format!("{}/QĐ-TTg", rng.range(300, 1500))
        } else {
            format!("{number}/QĐ-UBND")
        };
        item.code = format!("VT-{year}-{seq:03}");
        item.approval = Some(Approval {
            number: num,
            date: *on,
            authority: pick::authority(*on, pm),
        });
        items.push(item);
    }
    for _ in 0..PIPELINE {
        let mut item = build(&mut rng, &Kind::Pipeline, DATA_AS_OF);
        seq += 1;
        item.code = format!("VT-{year}-{seq:03}");
        item.planned_start = days(date(2027, 1, 1), rng.range(0, 150));
        item.planned_end = days(months_after(item.planned_start, rng.range(12, 36)), -1);
        item.status = ItemStatus::Pipeline;
        (item.actual_start, item.actual_end) = (None, None);
        items.push(item);
    }
    super::fates::settle(&mut rng, &mut items);
    items
}
