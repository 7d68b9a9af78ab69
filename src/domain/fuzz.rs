//! Fuzzing of the domain's parsers on stable Rust: property tests with large case counts over
//! arbitrary text and over text close to each grammar (the cases that find bugs). Each parser
//! must never panic and must accept exactly its grammar, checked against a reference written
//! independently here. 2,000 cases each in the normal test run; a long run with
//! `AIDLEDGER_FUZZ_CASES=1000000 cargo test --lib fuzz`.
#![allow(clippy::unwrap_used)]

use super::period::{FIRST_YEAR, LAST_YEAR, Period, reportable};
use super::rate::RateValue;
use super::{Currency, Lang, Money};
use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

/// Arbitrary printable text, or text made of the characters a grammar uses.
fn near(alphabet: &'static str, max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::string::string_regex(&format!("\\PC{{0,{max}}}")).unwrap(),
        proptest::string::string_regex(&format!("[{alphabet}]{{0,{max}}}")).unwrap(),
        any::<Vec<u8>>().prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

fn rate_grammar(s: &str) -> bool {
    let (i, f) = s.split_once('.').unwrap_or((s, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    !i.is_empty()
        && digits(i)
        && digits(f)
        && (i == "0" || !i.starts_with('0'))
        && (!s.contains('.') || !f.is_empty())
        && f.len() <= super::rate::MAX_RATE_DECIMALS
        && i.len() <= 9
        && s.bytes().any(|b| (b'1'..=b'9').contains(&b))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(super::fuzz_cases()))]

    #[test]
    fn currency_parser_accepts_exactly_the_listed_codes(s in near("A-Za-z", 5)) {
        let listed = Currency::all().any(|c| c.code() == s);
        prop_assert_eq!(s.parse::<Currency>().is_ok(), listed);
    }

    #[test]
    fn rate_parser_accepts_exactly_its_grammar(s in near("0-9.", 24)) {
        prop_assert_eq!(s.parse::<RateValue>().is_ok(), rate_grammar(&s), "{:?}", s);
    }

    #[test]
    fn localized_amounts_never_panic_and_stay_within_the_maximum(
        s in near("0-9.,-", 24),
        cur in proptest::sample::select(Currency::all().collect::<Vec<_>>()),
        vi in any::<bool>(),
    ) {
        let lang = if vi { Lang::Vi } else { Lang::En };
        if let Ok(m) = Money::parse_localized(&s, cur, lang) {
            prop_assert!(m.minor().unsigned_abs() <= super::money::limits::max_minor(cur).unsigned_abs());
            prop_assert_eq!(Money::parse_localized(&m.format(lang), cur, lang).unwrap(), m);
        }
    }

    #[test]
    fn period_parser_never_panics_and_stays_in_range(
        s in near("0-9MQH.-", 24),
        vn in any::<bool>(),
    ) {
        if let Ok(p) = Period::parse(&s, vn) {
            prop_assert!(p.from <= p.to);
            prop_assert!((FIRST_YEAR..=LAST_YEAR).contains(&p.year));
            prop_assert_eq!(Period::parse(&p.code(), vn).unwrap(), p);
        }
    }

    #[test]
    fn periods_written_canonically_parse(year in 1900_i32..2200, n in 0_u32..15, kind in 0_u8..4, vn in any::<bool>()) {
        let s = match kind {
            0 => format!("{year}-M{n:02}"),
            1 => format!("{year}-Q{n}"),
            2 => format!("{year}-H{n}"),
            _ => year.to_string(),
        };
        let valid_n = match kind { 0 => (1..=12).contains(&n), 1 => (1..=4).contains(&n), 2 => (1..=2).contains(&n), _ => true };
        let ok = Period::parse(&s, vn).is_ok();
        prop_assert_eq!(ok, valid_n && (FIRST_YEAR..=LAST_YEAR).contains(&year), "{}", s);
    }

    #[test]
    fn reportable_dates_are_exactly_the_period_years(days in -1_000_000_i32..1_000_000) {
        let d = NaiveDate::from_num_days_from_ce_opt(days + 730_000).unwrap();
        prop_assert_eq!(reportable(d).is_ok(), (FIRST_YEAR..=LAST_YEAR).contains(&d.year()));
    }
}
