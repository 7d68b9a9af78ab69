//! Reporting periods: month `2025-M03`, quarter `2025-Q1`, six months `2025-H1`, year `2025`
//! and custom ranges `2025-01-01..2025-06-30`.
//!
//! With the Vietnamese government convention switched on, years and halves follow the
//! 15 December cut-off (year 2025 = 15 Dec 2024 to 14 Dec 2025; first six months = 15 Dec to
//! 14 Jun); months and quarters stay calendar periods either way.

use super::Lang;
use chrono::{Datelike, Duration, NaiveDate};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodKind {
    Month(u32),
    Quarter(u32),
    Half(u32),
    Year,
    Custom,
}

/// A reporting period: what was asked for and the inclusive dates it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub year: i32,
    pub kind: PeriodKind,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub vn_cutoff: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error(
        "period \"{0}\" is not understood: use 2025-M03 (month), 2025-Q1 (quarter), 2025-H1 (six months), 2025 (year) or 2025-01-01..2025-06-30"
    )]
    Malformed(String),
    #[error("period \"{0}\": the month must be 01 to 12")]
    BadMonth(String),
    #[error("period \"{0}\": the quarter must be 1 to 4")]
    BadQuarter(String),
    #[error("period \"{0}\": the half must be 1 or 2")]
    BadHalf(String),
    #[error("period \"{0}\": the year must be between 1990 and 2100")]
    BadYear(String),
    #[error("period \"{0}\": dates must be from 1990-01-01 to 2100-12-31")]
    OutOfRange(String),
    #[error("period \"{0}\": {1} is not a valid date")]
    BadDate(String, String),
    #[error("period \"{0}\": the end is before the start")]
    Reversed(String),
    #[error("period \"{0}\" is longer than ten years")]
    TooLong(String),
}

/// The first and last years a period may be in: the range the ledger can report on.
pub const FIRST_YEAR: i32 = 1990;
pub const LAST_YEAR: i32 = 2100;

/// A date no period can report on (before [`FIRST_YEAR`] or after [`LAST_YEAR`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0} is outside the dates the ledger reports on: give a date from 1990-01-01 to 2100-12-31"
)]
pub struct DateOutOfRange(pub NaiveDate);

/// Accepts a date that some period can report on. Every date a person or machine enters
/// (value, commitment, approval, milestone, rate dates) passes here, so no row can be dated
/// where it could never be reported or locked.
pub fn reportable(d: NaiveDate) -> Result<NaiveDate, DateOutOfRange> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(DateOutOfRange(d))
    }
}

/// [`reportable`], refused with an error naming `field` (a 422 in the API, a message beside
/// the field on the pages).
pub fn reportable_field(field: &str, d: NaiveDate) -> crate::error::Result<NaiveDate> {
    reportable(d).map_err(|e| {
        crate::error::Error::invalid(field, "date_out_of_range", format!("{field}: {e}"))
    })
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn month_end(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1) - Duration::days(1)
}

impl Period {
    /// Builds a period of `kind` in `year` with the given convention.
    #[must_use]
    pub fn of(year: i32, kind: PeriodKind, vn_cutoff: bool) -> Period {
        let (from, to) = match kind {
            PeriodKind::Month(m) => (ymd(year, m, 1), month_end(year, m)),
            PeriodKind::Quarter(q) => (ymd(year, q * 3 - 2, 1), month_end(year, q * 3)),
            PeriodKind::Half(1) if vn_cutoff => (ymd(year - 1, 12, 15), ymd(year, 6, 14)),
            PeriodKind::Half(_) if vn_cutoff => (ymd(year, 6, 15), ymd(year, 12, 14)),
            PeriodKind::Half(1) => (ymd(year, 1, 1), ymd(year, 6, 30)),
            PeriodKind::Half(_) => (ymd(year, 7, 1), ymd(year, 12, 31)),
            PeriodKind::Year if vn_cutoff => (ymd(year - 1, 12, 15), ymd(year, 12, 14)),
            PeriodKind::Year | PeriodKind::Custom => (ymd(year, 1, 1), ymd(year, 12, 31)),
        };
        Period {
            year,
            kind,
            from,
            to,
            vn_cutoff,
        }
    }

    /// Parses the notations in the module comment.
    pub fn parse(input: &str, vn_cutoff: bool) -> Result<Period, PeriodError> {
        let shown: String = input.chars().take(40).collect();
        let s = input.trim();
        if let Some((a, b)) = s.split_once("..") {
            let date = |t: &str| {
                NaiveDate::parse_from_str(t, "%Y-%m-%d")
                    .map_err(|_| PeriodError::BadDate(shown.clone(), t.chars().take(20).collect()))
            };
            let (from, to) = (date(a)?, date(b)?);
            if reportable(from).is_err() || reportable(to).is_err() {
                return Err(PeriodError::OutOfRange(shown));
            }
            if to < from {
                return Err(PeriodError::Reversed(shown));
            }
            if (to - from).num_days() > 3660 {
                return Err(PeriodError::TooLong(shown));
            }
            return Ok(Period {
                year: to.year(),
                kind: PeriodKind::Custom,
                from,
                to,
                vn_cutoff,
            });
        }
        let (year_text, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s, None),
        };
        if year_text.len() != 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PeriodError::Malformed(shown));
        }
        let year: i32 = year_text
            .parse()
            .map_err(|_| PeriodError::Malformed(shown.clone()))?;
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(PeriodError::BadYear(shown));
        }
        let number = |t: &str, max_len: usize| -> Option<u32> {
            (!t.is_empty() && t.len() <= max_len && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse().ok())
                .flatten()
        };
        let kind = match rest {
            None => PeriodKind::Year,
            Some(r) if r.starts_with('M') => match number(&r[1..], 2) {
                Some(m) if (1..=12).contains(&m) && r.len() == 3 => PeriodKind::Month(m),
                Some(_) => return Err(PeriodError::BadMonth(shown)),
                None => return Err(PeriodError::Malformed(shown)),
            },
            Some(r) if r.starts_with('Q') => match number(&r[1..], 1) {
                Some(q) if (1..=4).contains(&q) => PeriodKind::Quarter(q),
                Some(_) => return Err(PeriodError::BadQuarter(shown)),
                None => return Err(PeriodError::Malformed(shown)),
            },
            Some(r) if r.starts_with('H') => match number(&r[1..], 1) {
                Some(h) if (1..=2).contains(&h) => PeriodKind::Half(h),
                Some(_) => return Err(PeriodError::BadHalf(shown)),
                None => return Err(PeriodError::Malformed(shown)),
            },
            Some(_) => return Err(PeriodError::Malformed(shown)),
        };
        Ok(Period::of(year, kind, vn_cutoff))
    }

    /// The period just before: the previous month, quarter, half or year; for a custom range,
    /// the range of the same length that ends the day before it starts.
    #[must_use]
    pub fn previous(&self) -> Period {
        match self.kind {
            PeriodKind::Month(1) => {
                Period::of(self.year - 1, PeriodKind::Month(12), self.vn_cutoff)
            }
            PeriodKind::Month(m) => Period::of(self.year, PeriodKind::Month(m - 1), self.vn_cutoff),
            PeriodKind::Quarter(1) => {
                Period::of(self.year - 1, PeriodKind::Quarter(4), self.vn_cutoff)
            }
            PeriodKind::Quarter(q) => {
                Period::of(self.year, PeriodKind::Quarter(q - 1), self.vn_cutoff)
            }
            PeriodKind::Half(1) => Period::of(self.year - 1, PeriodKind::Half(2), self.vn_cutoff),
            PeriodKind::Half(_) => Period::of(self.year, PeriodKind::Half(1), self.vn_cutoff),
            PeriodKind::Year => Period::of(self.year - 1, PeriodKind::Year, self.vn_cutoff),
            PeriodKind::Custom => {
                let len = self.to - self.from;
                let to = self.from - Duration::days(1);
                Period {
                    year: to.year(),
                    kind: PeriodKind::Custom,
                    from: to - len,
                    to,
                    vn_cutoff: self.vn_cutoff,
                }
            }
        }
    }

    /// The same period one year earlier.
    #[must_use]
    pub fn year_earlier(&self) -> Period {
        match self.kind {
            PeriodKind::Custom => {
                let back = |d: NaiveDate| {
                    d.with_year(d.year() - 1)
                        .unwrap_or_else(|| d - Duration::days(365))
                };
                Period {
                    year: self.year - 1,
                    kind: PeriodKind::Custom,
                    from: back(self.from),
                    to: back(self.to),
                    vn_cutoff: self.vn_cutoff,
                }
            }
            k => Period::of(self.year - 1, k, self.vn_cutoff),
        }
    }

    /// The canonical notation, e.g. `2025-H1`.
    #[must_use]
    pub fn code(&self) -> String {
        match self.kind {
            PeriodKind::Month(m) => format!("{}-M{m:02}", self.year),
            PeriodKind::Quarter(q) => format!("{}-Q{q}", self.year),
            PeriodKind::Half(h) => format!("{}-H{h}", self.year),
            PeriodKind::Year => self.year.to_string(),
            PeriodKind::Custom => format!("{}..{}", self.from, self.to),
        }
    }

    /// How the report's title names the period.
    #[must_use]
    pub fn label(&self, lang: Lang) -> String {
        let y = self.year;
        match (self.kind, lang) {
            (PeriodKind::Month(m), Lang::Vi) => format!("tháng {m} năm {y}"),
            (PeriodKind::Month(m), Lang::En) => format!("{} {y}", month_name_en(m)),
            (PeriodKind::Quarter(q), Lang::Vi) => format!("quý {} năm {y}", roman(q)),
            (PeriodKind::Quarter(q), Lang::En) => format!("Q{q} {y}"),
            (PeriodKind::Half(1), Lang::Vi) => format!("6 tháng đầu năm {y}"),
            (PeriodKind::Half(_), Lang::Vi) => format!("6 tháng cuối năm {y}"),
            (PeriodKind::Half(1), Lang::En) => format!("the first six months of {y}"),
            (PeriodKind::Half(_), Lang::En) => format!("the second six months of {y}"),
            (PeriodKind::Year, Lang::Vi) => format!("năm {y}"),
            (PeriodKind::Year, Lang::En) => format!("the year {y}"),
            (PeriodKind::Custom, Lang::Vi) => format!(
                "từ ngày {} đến ngày {}",
                self.from.format("%d/%m/%Y"),
                self.to.format("%d/%m/%Y")
            ),
            (PeriodKind::Custom, Lang::En) => format!(
                "{} to {}",
                self.from.format("%-d %B %Y"),
                self.to.format("%-d %B %Y")
            ),
        }
    }

    /// The calendar quarters that overlap the period's year, for the quarterly trend chart.
    #[must_use]
    pub fn quarters_of_year(&self) -> Vec<Period> {
        (1..=4)
            .map(|q| Period::of(self.year, PeriodKind::Quarter(q), self.vn_cutoff))
            .collect()
    }

    #[must_use]
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

fn roman(q: u32) -> &'static str {
    ["I", "II", "III", "IV"]
        .get(q.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("?")
}

fn month_name_en(m: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES
        .get(m.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("?")
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} to {})", self.code(), self.from, self.to)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn parses_every_notation() {
        let p = |s: &str| Period::parse(s, false).unwrap();
        assert_eq!(
            (p("2025-M03").from, p("2025-M03").to),
            (d("2025-03-01"), d("2025-03-31"))
        );
        assert_eq!(
            (p("2024-M02").from, p("2024-M02").to),
            (d("2024-02-01"), d("2024-02-29"))
        );
        assert_eq!(
            (p("2025-Q4").from, p("2025-Q4").to),
            (d("2025-10-01"), d("2025-12-31"))
        );
        assert_eq!(
            (p("2025-H1").from, p("2025-H1").to),
            (d("2025-01-01"), d("2025-06-30"))
        );
        assert_eq!(
            (p("2025").from, p("2025").to),
            (d("2025-01-01"), d("2025-12-31"))
        );
        let c = p("2025-01-10..2025-02-20");
        assert_eq!(
            (c.from, c.to, c.kind),
            (d("2025-01-10"), d("2025-02-20"), PeriodKind::Custom)
        );
    }

    #[test]
    fn the_vietnamese_cutoff_moves_years_and_halves_only() {
        let p = |s: &str| Period::parse(s, true).unwrap();
        assert_eq!(
            (p("2025").from, p("2025").to),
            (d("2024-12-15"), d("2025-12-14"))
        );
        assert_eq!(
            (p("2025-H1").from, p("2025-H1").to),
            (d("2024-12-15"), d("2025-06-14"))
        );
        assert_eq!(
            (p("2025-H2").from, p("2025-H2").to),
            (d("2025-06-15"), d("2025-12-14"))
        );
        assert_eq!(p("2025-Q1").from, d("2025-01-01"));
    }

    #[test]
    fn invalid_periods_say_what_is_wrong() {
        let e = |s: &str| Period::parse(s, false).unwrap_err().to_string();
        assert!(e("2025-Q5").contains("quarter must be 1 to 4"));
        assert!(e("2025-M13").contains("month must be 01 to 12"));
        assert!(e("2025-M00").contains("month must be 01 to 12"));
        assert!(e("2025-H3").contains("half must be 1 or 2"));
        assert!(e("2025-02-30..2025-03-01").contains("not a valid date"));
        assert!(e("2025-03-01..2025-02-01").contains("end is before"));
        assert!(e("25").contains("not understood"));
        assert!(e("2025-X1").contains("not understood"));
        assert!(e("1800").contains("between 1990 and 2100"));
        assert!(e("").contains("not understood"));
    }

    #[test]
    fn previous_and_year_earlier() {
        let p = |s: &str| Period::parse(s, false).unwrap();
        assert_eq!(p("2025-H1").previous().code(), "2024-H2");
        assert_eq!(p("2025-M01").previous().code(), "2024-M12");
        assert_eq!(p("2025-Q1").year_earlier().code(), "2024-Q1");
        let c = p("2025-03-01..2025-03-10").previous();
        assert_eq!((c.from, c.to), (d("2025-02-19"), d("2025-02-28")));
        assert_eq!(p("2025-H1").label(Lang::Vi), "6 tháng đầu năm 2025");
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_code_round_trips(s in "\\PC{0,24}", cut in any::<bool>()) {
            if let Ok(p) = Period::parse(&s, cut) {
                prop_assert!(p.from <= p.to);
                prop_assert_eq!(Period::parse(&p.code(), cut).unwrap(), p);
            }
        }

        #[test]
        fn consecutive_periods_tile_time(year in 1991_i32..2099, k in 0_u32..4, cut in any::<bool>()) {
            let kind = match k { 0 => PeriodKind::Month(1 + (year as u32 % 12)), 1 => PeriodKind::Quarter(1 + (year as u32 % 4)), 2 => PeriodKind::Half(1 + (year as u32 % 2)), _ => PeriodKind::Year };
            let p = Period::of(year, kind, cut);
            prop_assert_eq!(p.previous().to + Duration::days(1), p.from);
        }
    }
}
