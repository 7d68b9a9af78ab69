//! Unit and property tests of the amount grammar, formatting and checked arithmetic.
#![allow(clippy::unwrap_used)]

use super::*;
use proptest::prelude::*;

fn usd() -> Currency {
    Currency::USD
}
fn vnd() -> Currency {
    Currency::VND
}

#[test]
fn accepts_canonical_amounts() {
    assert_eq!(Money::parse("0", usd()).unwrap().minor(), 0);
    assert_eq!(Money::parse("-0", usd()).unwrap().minor(), 0);
    assert_eq!(Money::parse("12.5", usd()).unwrap().minor(), 1250);
    assert_eq!(Money::parse("12.05", usd()).unwrap().minor(), 1205);
    assert_eq!(Money::parse("-100", usd()).unwrap().minor(), -10000);
    assert_eq!(
        Money::parse("250000000000000", vnd()).unwrap().minor(),
        250_000_000_000_000
    );
    assert_eq!(
        Money::parse("-10000000000.00", usd()).unwrap().minor(),
        -1_000_000_000_000
    );
}

#[test]
fn refuses_amounts_above_the_maximum_for_one_transaction() {
    for (text, cur) in [
        ("236901679028804", usd()),
        ("10000000000.01", usd()),
        ("-10000000000.01", usd()),
        ("250000000000001", vnd()),
        ("999999999999999", vnd()),
    ] {
        let err = Money::parse(text, cur).unwrap_err();
        assert!(
            matches!(err, AmountError::AboveMaximum(..)),
            "{text}: {err}"
        );
        assert!(
            err.to_string().contains("maximum for one transaction"),
            "{err}"
        );
    }
    let err = Money::parse_localized("10.000.000.000,01", usd(), Lang::Vi).unwrap_err();
    assert!(err.to_string().contains("10000000000.00 USD"), "{err}");
}

#[test]
fn refuses_with_a_specific_message() {
    let cases: &[(&str, Currency, &str)] = &[
        ("", usd(), "empty"),
        ("1e3", usd(), "exponent"),
        ("1e309", usd(), "exponent"),
        ("1E-2", usd(), "exponent"),
        ("NaN", usd(), "not a number"),
        ("inf", usd(), "not a number"),
        ("-Infinity", usd(), "not a number"),
        ("12,5", usd(), "','"),
        ("1,234.56", usd(), "','"),
        ("1.234,56", usd(), "','"),
        ("1.234.567", vnd(), "more than one '.'"),
        ("+5", usd(), "'+'"),
        ("1_000", usd(), "'_'"),
        (" 5", usd(), "space"),
        ("5 000", vnd(), "space"),
        ("１２３", vnd(), "non-ASCII"),
        ("١٢٣", vnd(), "non-ASCII"),
        ("0.001", usd(), "3 decimal places but the currency allows 2"),
        ("100.5", vnd(), "1 decimal places but the currency allows 0"),
        ("100.0", vnd(), "allows 0"),
        ("0123", usd(), "leading zero; write \"123\""),
        ("-00.5", usd(), "write \"-0.5\""),
        (".5", usd(), "both sides"),
        ("5.", usd(), "both sides"),
        ("-", usd(), "no digits"),
        (".", usd(), "no digits"),
        ("1-2", usd(), "'-'"),
        ("--1", usd(), "'-'"),
        ("$5", usd(), "'$'"),
        (
            "123456789012345678901234567890",
            vnd(),
            "30 digits before the decimal point",
        ),
        ("1000000000000000", vnd(), "16 digits"),
        ("null", usd(), "'n'"),
        ("[1]", usd(), "'['"),
    ];
    for (input, cur, needle) in cases {
        let err = Money::parse(input, *cur).unwrap_err().to_string();
        assert!(
            err.contains(needle),
            "{input:?}: {err:?} should mention {needle:?}"
        );
    }
}

#[test]
fn formats_in_both_languages() {
    let m = Money::from_minor(123_456_789, usd());
    assert_eq!(m.format(Lang::Vi), "1.234.567,89");
    assert_eq!(m.format(Lang::En), "1,234,567.89");
    assert_eq!(m.canonical(), "1234567.89");
    assert_eq!(Money::from_minor(-5, usd()).canonical(), "-0.05");
    assert_eq!(
        Money::from_minor(1_234_567_890, vnd()).format_with_currency(Lang::Vi),
        "1.234.567.890 ₫"
    );
    assert_eq!(
        Money::from_minor(1_234_567, usd()).format_with_currency(Lang::Vi),
        "12.345,67 USD"
    );
    assert_eq!(
        Money::from_minor(1_234_567_890, vnd()).format_with_currency(Lang::En),
        "1,234,567,890 VND"
    );
    assert_eq!(Money::from_minor(999, vnd()).format(Lang::Vi), "999");
    assert_eq!(Money::from_minor(1000, vnd()).format(Lang::Vi), "1.000");
}

#[test]
fn localized_parsing_refuses_bad_grouping() {
    let p = |s: &str, l| Money::parse_localized(s, usd(), l);
    assert_eq!(p("1.234.567,89", Lang::Vi).unwrap().minor(), 123_456_789);
    assert_eq!(p("1,234,567.89", Lang::En).unwrap().minor(), 123_456_789);
    assert_eq!(p("1234,5", Lang::Vi).unwrap().minor(), 123_450);
    assert!(p("1.23.456", Lang::Vi).is_err());
    assert!(p("12,34,567.00", Lang::En).is_err());
    assert!(p("1,234,56", Lang::Vi).is_err());
    assert!(
        p("1,234.567", Lang::En).is_err(),
        "three decimals in USD are refused, not rounded"
    );
}

#[test]
fn arithmetic_is_checked() {
    let max = Money::from_minor(i64::MAX, usd());
    assert_eq!(
        max.checked_add(Money::from_minor(1, usd())),
        Err(MoneyError::Overflow)
    );
    assert!(matches!(
        Money::from_minor(1, usd()).checked_add(Money::from_minor(1, vnd())),
        Err(MoneyError::CurrencyMismatch(..))
    ));
    assert_eq!(
        Money::sum(
            usd(),
            [
                Money::from_minor(i64::MAX, usd()),
                Money::from_minor(1, usd())
            ]
        ),
        Err(MoneyError::Overflow)
    );
    assert_eq!(
        Money::from_minor(i64::MIN, usd()).checked_neg(),
        Err(MoneyError::Overflow)
    );
}

/// A reference implementation of the grammar, written independently of the parser.
fn matches_grammar(s: &str, cur: Currency) -> bool {
    let minor_units = cur.minor_units() as usize;
    let body = s.strip_prefix('-').unwrap_or(s);
    let (i, f) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let int_ok =
        i == "0" || (!i.is_empty() && !i.starts_with('0') && i.bytes().all(|b| b.is_ascii_digit()));
    let frac_ok = f.is_none_or(|f| {
        !f.is_empty() && f.len() <= minor_units && f.bytes().all(|b| b.is_ascii_digit())
    });
    if !(int_ok && frac_ok && i.len() <= MAX_INTEGER_DIGITS) {
        return false;
    }
    // Within the currency's maximum for one transaction, computed independently in i128.
    let f = f.unwrap_or("");
    let digits = format!("{i}{f}{}", "0".repeat(minor_units - f.len()));
    let minor: i128 = digits.parse().unwrap();
    minor <= i128::from(limits::max_minor(cur))
}

fn any_currency() -> impl Strategy<Value = Currency> {
    proptest::sample::select(Currency::all().collect::<Vec<_>>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::domain::fuzz_cases()))]

    #[test]
    fn parser_accepts_exactly_the_grammar(s in "[-+0-9.,eE_ ]{0,20}", cur in any_currency()) {
        let ok = Money::parse(&s, cur).is_ok();
        prop_assert_eq!(ok, matches_grammar(&s, cur), "input {:?}", s);
    }

    #[test]
    fn parser_never_panics_on_any_text(s in "\\PC{0,40}", cur in any_currency()) {
        let ok = Money::parse(&s, cur).is_ok();
        prop_assert_eq!(ok, matches_grammar(&s, cur));
    }

    #[test]
    fn non_ascii_digits_are_refused(d in "[\u{ff10}-\u{ff19}\u{0660}-\u{0669}\u{0966}-\u{096f}]{1,6}") {
        let err = Money::parse(&d, Currency::VND).unwrap_err();
        prop_assert!(matches!(err, AmountError::NonAscii(..)));
    }

    #[test]
    fn format_then_parse_is_identity(minor in any::<i64>(), cur in any_currency()) {
        let minor = minor % (limits::max_minor(cur) + 1);
        let m = Money::from_minor(minor, cur);
        prop_assert_eq!(Money::parse(&m.canonical(), cur).unwrap(), m);
        prop_assert_eq!(Money::parse_localized(&m.format(Lang::Vi), cur, Lang::Vi).unwrap(), m);
        prop_assert_eq!(Money::parse_localized(&m.format(Lang::En), cur, Lang::En).unwrap(), m);
    }

    #[test]
    fn sums_match_i128_or_fail_loudly(xs in proptest::collection::vec(any::<i64>(), 0..8)) {
        let exact: i128 = xs.iter().map(|&x| i128::from(x)).sum();
        let partials_fit = xs.iter().scan(0_i128, |acc, &x| { *acc += i128::from(x); Some(*acc) })
            .all(|p| i64::try_from(p).is_ok());
        let got = Money::sum(usd(), xs.iter().map(|&x| Money::from_minor(x, usd())));
        if partials_fit {
            prop_assert_eq!(i128::from(got.unwrap().minor()), exact);
        } else {
            prop_assert_eq!(got, Err(MoneyError::Overflow));
        }
    }
}
