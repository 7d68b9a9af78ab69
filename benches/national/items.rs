//! The aid items of twenty years, spread evenly over 2007–2026, each with 1–3 sector and 1–3
//! locality shares (communes before the 1 July 2025 reform, new communes after), commitments
//! (the original at approval, amendments up or down, now and then a partial cancellation) and
//! disbursements (weighted tranches worth 73–80 % of the commitment; about 1 % rejected or
//! unverified, 0.5 % reversals). Money rows are converted with the library's own `convert`;
//! the rate is found by index and cross-checked against `pick_rate` on every 997th row.

use crate::BoxError;
use crate::data::{CommitmentRow, Dataset, DisbursementRow, Rng, dates, id, midnight, shares, ymd};
use crate::reference::{
    CURRENCIES, FIRST_YEAR, FUNDERS, MODALITIES, MONTHS, NGOS, OWNERS, PROVINCES, SUB, TOP, YEARS,
    agency_id, funder_id, month_index, ngo_id, owner_id,
};
use aidledger::db::items::{AidItem, Allocation};
use aidledger::domain::allocation::allocate;
use aidledger::domain::item::{AidForm, CommitmentKind, DisbursementStatus, ItemStatus};
use aidledger::domain::rate::{Converted, Rate, convert, pick_rate};
use aidledger::domain::{Currency, Lang, Money};
use chrono::{Days, Months, NaiveDate};

/// Generates `items` aid items and `transactions` money rows (a tenth of them commitments,
/// at least one per item; the rest disbursements) from `seed`.
pub fn generate(items: usize, transactions: usize, seed: u64) -> Result<Dataset, BoxError> {
    let mut rng = Rng(seed ^ 0x6169_646c_6564_6765);
    let currencies: Vec<Currency> = CURRENCIES
        .iter()
        .map(|c| c.0.parse())
        .collect::<Result<_, _>>()?;
    let (units, old_communes, new_communes) = crate::reference::units();
    let (organisations, ngo_currency) = crate::reference::organisations(&mut rng);
    let rates = crate::reference::rates(&mut rng, &currencies)?;
    let n_commit = (transactions / 10).max(items);
    let n_disb = transactions
        .checked_sub(n_commit)
        .ok_or("--transactions must be at least --items")?;
    // Each item's shape, and its number of tranches in proportion to its weight.
    let shapes: Vec<(usize, u64)> = MODALITIES
        .iter()
        .enumerate()
        .map(|(i, m)| (i, m.1))
        .collect();
    let plan: Vec<(usize, u32)> = (0..items)
        .map(|_| {
            let s = rng.weighted(&shapes);
            (
                s,
                u32::try_from(rng.range(MODALITIES[s].4.0, MODALITIES[s].4.1)).unwrap_or(1),
            )
        })
        .collect();
    let tranches = allocate(id(n_disb)?, &plan.iter().map(|p| p.1).collect::<Vec<_>>());
    let mut extra_commitments = vec![0_usize; items];
    for _ in items..n_commit {
        extra_commitments[rng.index(items)] += 1;
    }
    let mut g = Gen {
        rng,
        d: Dataset {
            sectors: crate::reference::sectors(),
            units,
            organisations,
            rates: Vec::new(),
            items: Vec::with_capacity(items),
            item_sectors: Vec::new(),
            item_localities: Vec::new(),
            commitments: Vec::with_capacity(n_commit),
            disbursements: Vec::with_capacity(n_disb),
        },
        rates,
        currencies,
        communes: (old_communes, new_communes),
        ngo_currency,
        converted: 0,
    };
    for (i, (&(shape, _), &n_tranches)) in plan.iter().zip(&tranches).enumerate() {
        let year = FIRST_YEAR + i32::try_from(i * YEARS / items)?;
        let item = g.item(i, year, shape)?;
        let committed = g.commitments(&item, extra_commitments[i])?;
        g.disbursements(&item, committed, usize::try_from(n_tranches)?)?;
    }
    g.d.rates = g.rates;
    Ok(g.d)
}

struct Gen {
    rng: Rng,
    d: Dataset,
    rates: Vec<Rate>,
    currencies: Vec<Currency>,
    /// Per province, the communes before the reform and after it.
    communes: (Vec<Vec<String>>, Vec<Vec<String>>),
    ngo_currency: Vec<usize>,
    converted: u64,
}

/// What the money rows of an item need to know about it.
struct Placed {
    id: i64,
    currency: usize,
    amount: i64,
    approval: NaiveDate,
    start: NaiveDate,
    /// Days from the start to the last day money may move (its end, at most 2026-12-31).
    span: u64,
}

impl Gen {
    fn conv(&mut self, ci: usize, minor: i64, date: NaiveDate) -> Result<Converted, BoxError> {
        let rate = self
            .rates
            .get(ci * MONTHS + month_index(date))
            .ok_or("a date outside the rates")?;
        self.converted += 1;
        let max_age = aidledger::Config::default().rate_max_age_days;
        if self.converted.is_multiple_of(997)
            && pick_rate(&self.rates, rate.currency, date, max_age)?.id != rate.id
        {
            return Err(format!("the rate index disagrees with pick_rate on {date}").into());
        }
        Ok(convert(Money::from_minor(minor, rate.currency), rate)?)
    }

    /// The item record and its sector and locality shares.
    fn item(&mut self, i: usize, year: i32, shape: usize) -> Result<Placed, BoxError> {
        let (modality, _, months, cents, _) = MODALITIES[shape];
        let r = &mut self.rng;
        let item_id = id(i + 1)?;
        let start = ymd(year, 1, 1) + Days::new(r.below(365));
        let months = Months::new(u32::try_from(r.range(months.0, months.1))?);
        let planned_end = start
            .checked_add_months(months)
            .and_then(|e| e.pred_opt())
            .unwrap_or(start);
        let span = u64::try_from((planned_end.min(ymd(2026, 12, 31)) - start).num_days())?;
        let approval = (start - Days::new(r.below(90))).max(ymd(FIRST_YEAR, 1, 1));
        let p = r.index(PROVINCES);
        let ngo = r.index(NGOS).min(r.index(NGOS)); // a few donors give most of the items
        let ci = if r.below(1000) < 150 {
            1
        } else {
            self.ngo_currency[ngo]
        };
        let (_, num, den, _) = CURRENCIES[ci];
        let minor = i64::try_from(
            i128::from(r.log_uniform(cents.0, cents.1)) * i128::from(num) / i128::from(den),
        )?;
        let amount = if ci == 1 {
            (minor / 1000 * 1000).max(1000)
        } else {
            minor
        };

        let tops: Vec<(usize, u64)> = TOP.iter().enumerate().map(|(i, t)| (i, t.3)).collect();
        let k = r.weighted(&[(1, 55), (2, 30), (3, 15)]);
        let picks = r.distinct(k, |r| r.weighted(&tops) * 3 + r.index(3));
        for (&s, share_bp) in picks.iter().zip(shares(r, picks.len())) {
            self.d.item_sectors.push(Allocation {
                item_id,
                code: SUB[s].0.into(),
                share_bp,
            });
        }
        let places = if start >= ymd(2025, 7, 1) {
            &self.communes.1[p]
        } else {
            &self.communes.0[p]
        };
        let k = r.weighted(&[(1, 60), (2, 25), (3, 15)]).min(places.len());
        let chosen = r.distinct(k, |r| r.index(places.len()));
        for (&c, share_bp) in chosen.iter().zip(shares(r, chosen.len())) {
            self.d.item_localities.push(Allocation {
                item_id,
                code: places[c].clone(),
                share_bp,
            });
        }

        let done = planned_end < ymd(2026, 1, 1);
        let (sector, place) = (SUB[picks.first().copied().unwrap_or(0)], p + 1);
        let funder = r.index(FUNDERS * 10); // one item in ten names a funding source
        let (vi, en) = (modality.label(Lang::Vi), modality.label(Lang::En));
        let pm = r.below(100) < 2; // the Prime Minister approves what touches security or religion
        self.d.items.push(AidItem {
            id: item_id,
            code: format!("VN-{year}-{:06}", i + 1),
            title_vi: format!("{vi} – {} – tỉnh {place:02} – số {}", sector.1, i + 1),
            title_en: format!("{en} – {} – province {place:02} – no. {}", sector.2, i + 1),
            modality,
            form: if r.below(100) < 12 {
                AidForm::InKind
            } else {
                AidForm::Cash
            },
            donor_id: id(ngo_id(ngo))?,
            funding_source_id: (funder < FUNDERS)
                .then(|| funder_id(funder))
                .map(id)
                .transpose()?,
            aid_owner_id: id(owner_id(p, r.index(OWNERS)))?,
            managing_agency_id: id(agency_id(p))?,
            approval_number: Some(format!(
                "{}/QĐ-{}",
                r.range(1, 3000),
                if pm { "TTg" } else { "UBND" }
            )),
            approval_date: Some(approval),
            approval_authority: Some(
                if pm {
                    "Thủ tướng Chính phủ"
                } else {
                    "Chủ tịch UBND tỉnh"
                }
                .into(),
            ),
            legal_basis: match approval {
                a if a < ymd(2020, 8, 25) => "Nghị định 93/2009/NĐ-CP",
                a if a < ymd(2025, 12, 8) => "Nghị định 80/2020/NĐ-CP",
                _ => "Nghị định 313/2025/NĐ-CP",
            }
            .into(),
            planned_start: start,
            planned_end,
            actual_start: Some(start),
            actual_end: done.then_some(planned_end),
            status: if done {
                ItemStatus::Completed
            } else {
                ItemStatus::Implementing
            },
            beneficiaries: Some(format!("{} người", r.range(50, 5000))),
            created_at: midnight(approval),
        });
        Ok(Placed {
            id: item_id,
            currency: ci,
            amount,
            approval,
            start,
            span,
        })
    }

    /// The original commitment and `extra` changes; returns the committed total.
    fn commitments(&mut self, it: &Placed, extra: usize) -> Result<i64, BoxError> {
        let changes = dates(&mut self.rng, extra, it.start, it.span);
        let mut total = 0_i64;
        for (k, date) in std::iter::once(it.approval)
            .chain(changes.iter().copied())
            .enumerate()
        {
            let r = &mut self.rng;
            let (kind, minor) = match k {
                0 => (CommitmentKind::Original, it.amount),
                k if k == changes.len() && r.below(100) < 15 => (
                    CommitmentKind::Cancellation,
                    -(total * r.range(10, 50) / 100).max(1),
                ),
                _ if r.below(100) < 60 => (
                    CommitmentKind::Amendment,
                    (it.amount * r.range(5, 30) / 100).max(1),
                ),
                _ => (
                    CommitmentKind::Amendment,
                    -(total * r.range(5, 20) / 100).max(1),
                ),
            };
            total += minor;
            let (id, conv) = (
                id(self.d.commitments.len() + 1)?,
                self.conv(it.currency, minor, date)?,
            );
            let currency = self.currencies[it.currency];
            let item_id = it.id;
            self.d.commitments.push(CommitmentRow {
                id,
                item_id,
                kind,
                amount_minor: minor,
                currency,
                date,
                conv,
            });
        }
        Ok(total)
    }

    /// `k` rows sharing 73–80 % of `committed`; a verified tranche is sometimes reversed by
    /// the next row.
    fn disbursements(&mut self, it: &Placed, committed: i64, k: usize) -> Result<(), BoxError> {
        let r = &mut self.rng;
        let target = (committed * r.range(7300, 8000) / 10_000).max(id(k)?);
        let weights: Vec<u32> = (0..k)
            .map(|_| u32::try_from(r.range(1, 4)).unwrap_or(1))
            .collect();
        let when = dates(r, k, it.start, it.span);
        let (mut tranche, mut reversible) = (0_i64, None::<DisbursementRow>);
        for (part, date) in allocate(target, &weights).into_iter().zip(when) {
            let id = id(self.d.disbursements.len() + 1)?;
            let row = match reversible {
                Some(prev) if self.rng.below(1000) < 5 => {
                    let (amount_minor, reverses_id) = (-prev.amount_minor, Some(prev.id));
                    let conv = self.conv(it.currency, amount_minor, date)?;
                    DisbursementRow {
                        id,
                        amount_minor,
                        date,
                        tranche: None,
                        reverses_id,
                        conv,
                        ..prev
                    }
                }
                _ => {
                    let status = match self.rng.below(1000) {
                        0..6 => DisbursementStatus::Rejected,
                        6..20 => DisbursementStatus::Submitted,
                        20..30 => DisbursementStatus::Draft,
                        _ => DisbursementStatus::Verified,
                    };
                    tranche += 1;
                    let (amount_minor, currency) = (part.max(1), self.currencies[it.currency]);
                    let conv = self.conv(it.currency, amount_minor, date)?;
                    let (item_id, tranche) = (it.id, Some(tranche.min(1000)));
                    DisbursementRow {
                        id,
                        item_id,
                        amount_minor,
                        currency,
                        date,
                        tranche,
                        reverses_id: None,
                        status,
                        conv,
                    }
                }
            };
            let fresh = row.reverses_id.is_none() && row.status == DisbursementStatus::Verified;
            reversible = fresh.then_some(row);
            self.d.disbursements.push(row);
        }
        Ok(())
    }
}
