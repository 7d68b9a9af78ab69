//! Money as integer minor units of one currency: the strict amount parser, checked arithmetic
//! and the Vietnamese and English number formats.
//!
//! There is exactly one parser for amounts typed by people or machines. It checks the canonical
//! ASCII grammar `-?(0|[1-9][0-9]*)(\.[0-9]+)?` byte by byte before any number is built, so
//! exponents, separators, signs, spaces and non-ASCII digits are refused with a message naming
//! the problem, and nothing is ever rounded. Floats never appear here.
#![deny(
    clippy::float_arithmetic,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation
)]

pub mod limits;

use super::{Currency, Lang};
use rust_decimal::Decimal;
use std::fmt;

/// The most integer digits an amount may have: 999 trillion đồng is far beyond any aid item,
/// and 15 digits plus two decimals still fit an `i64` with room for sums.
pub const MAX_INTEGER_DIGITS: usize = 15;

/// An exact amount: minor units (cents for USD, đồng for VND) of one currency.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("cannot combine {0} with {1}: convert one of them first")]
    CurrencyMismatch(Currency, Currency),
    #[error(
        "the sum is too large to hold exactly (more than 9,223,372,036,854,775,807 minor units)"
    )]
    Overflow,
}

impl Money {
    #[must_use]
    pub const fn from_minor(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    #[must_use]
    pub const fn zero(currency: Currency) -> Self {
        Self { minor: 0, currency }
    }

    #[must_use]
    pub const fn minor(self) -> i64 {
        self.minor
    }

    #[must_use]
    pub const fn currency(self) -> Currency {
        self.currency
    }

    #[must_use]
    pub fn is_positive(self) -> bool {
        self.minor > 0
    }

    /// The amount in major units, exact (`12345` cents → `123.45`).
    #[must_use]
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.minor, self.currency.minor_units())
    }

    /// Adds two amounts of the same currency; overflow is an error, never a wrap.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, other.currency));
        }
        self.minor
            .checked_add(other.minor)
            .map(|minor| Money::from_minor(minor, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    pub fn checked_neg(self) -> Result<Money, MoneyError> {
        self.minor
            .checked_neg()
            .map(|m| Money::from_minor(m, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// Sums amounts that must all be in `currency`.
    pub fn sum<I: IntoIterator<Item = Money>>(
        currency: Currency,
        items: I,
    ) -> Result<Money, MoneyError> {
        items
            .into_iter()
            .try_fold(Money::zero(currency), Money::checked_add)
    }

    /// Parses the canonical form (see the module comment) for `currency`, refusing an amount
    /// whose size is above the currency's maximum for one transaction ([`limits::max_minor`]).
    pub fn parse(input: &str, currency: Currency) -> Result<Money, AmountError> {
        let minor = parse_minor(input, currency.minor_units())?;
        let max = limits::max_minor(currency);
        if minor.unsigned_abs() > max.unsigned_abs() {
            return Err(AmountError::AboveMaximum(
                shown(input),
                Money::from_minor(max, currency).to_string(),
            ));
        }
        Ok(Money::from_minor(minor, currency))
    }

    /// Parses an amount as a person types it in `lang`: `1.234.567,89` in Vietnamese,
    /// `1,234,567.89` in English. Group separators must sit every three digits; anything else
    /// is refused rather than guessed, then the canonical parser has the last word.
    pub fn parse_localized(
        input: &str,
        currency: Currency,
        lang: Lang,
    ) -> Result<Money, AmountError> {
        let canonical = delocalize(input.trim(), lang)?;
        Money::parse(&canonical, currency)
    }

    /// The canonical form: `-1234567.89`, always with the currency's number of decimals.
    #[must_use]
    pub fn canonical(self) -> String {
        format_parts(self.minor, self.currency.minor_units(), "", ".")
    }

    /// Grouped digits in the language's style, without the currency: `1.234.567,89` (vi) or
    /// `1,234,567.89` (en).
    #[must_use]
    pub fn format(self, lang: Lang) -> String {
        let (group, point) = separators(lang);
        format_parts(self.minor, self.currency.minor_units(), group, point)
    }

    /// Grouped digits followed by the currency: `1.234.567 ₫` for VND in Vietnamese,
    /// `12.345,67 USD`, `1,234,567 VND` in English.
    #[must_use]
    pub fn format_with_currency(self, lang: Lang) -> String {
        if self.currency == Currency::VND && lang == Lang::Vi {
            format!("{} ₫", self.format(lang))
        } else {
            format!("{} {}", self.format(lang), self.currency.code())
        }
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.canonical(), self.currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.canonical(), self.currency)
    }
}

/// Formats a sum of minor units (which may exceed what one [`Money`] holds) in `lang`'s style,
/// without the currency: `1.234.567` for VND in Vietnamese, `12,345.67` for USD in English.
#[must_use]
pub fn format_sum(minor: i128, currency: Currency, lang: Lang) -> String {
    let (group, point) = separators(lang);
    format_parts(minor, currency.minor_units(), group, point)
}

/// A sum of minor units in canonical form (`-1234.50`), as [`Money::canonical`] writes one amount.
#[must_use]
pub fn canonical_sum(minor: i128, currency: Currency) -> String {
    format_parts(minor, currency.minor_units(), "", ".")
}

fn separators(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Vi => (".", ","),
        Lang::En => (",", "."),
    }
}

/// Formats an integer count of minor units with grouping; used for money and for plain
/// integer totals (minor units 0).
#[must_use]
pub fn format_parts(minor: impl Into<i128>, minor_units: u32, group: &str, point: &str) -> String {
    let minor: i128 = minor.into();
    let digits = minor.unsigned_abs().to_string();
    let scale = minor_units as usize;
    let padded = if digits.len() <= scale {
        format!("{}{digits}", "0".repeat(scale + 1 - digits.len()))
    } else {
        digits
    };
    let (int_part, frac_part) = padded.split_at(padded.len() - scale);
    let mut out = String::with_capacity(padded.len() + padded.len() / 3 + 2);
    if minor < 0 {
        out.push('-');
    }
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            out.push_str(group);
        }
        out.push(ch);
    }
    if scale > 0 {
        out.push_str(point);
        out.push_str(frac_part);
    }
    out
}

/// Why an amount was refused. Each variant names exactly what is wrong with the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("amount is empty")]
    Empty,
    #[error("amount \"{0}\" is not a number")]
    NotANumber(String),
    #[error("amount \"{0}\" uses exponent notation; write the digits out in full")]
    Exponent(String),
    #[error("amount \"{0}\" contains a space; write digits only")]
    Whitespace(String),
    #[error("amount \"{0}\" has a leading '+'; write positive amounts without a sign")]
    PlusSign(String),
    #[error("amount \"{0}\" contains '_'; write digits only")]
    Underscore(String),
    #[error(
        "amount \"{0}\" contains ',' : use '.' as the decimal point and no thousands separators"
    )]
    Comma(String),
    #[error(
        "amount \"{0}\" has more than one '.': use '.' only as the decimal point, with no thousands separators"
    )]
    SeveralPoints(String),
    #[error("amount \"{0}\" contains the non-ASCII character '{1}'; use the digits 0-9")]
    NonAscii(String, char),
    #[error("amount \"{0}\" contains the character '{1}', which is not allowed in an amount")]
    BadCharacter(String, char),
    #[error("amount \"{0}\" has a leading zero; write \"{1}\"")]
    LeadingZero(String, String),
    #[error("amount \"{0}\" needs a digit on both sides of the decimal point")]
    BareDecimalPoint(String),
    #[error("amount \"{0}\" has no digits")]
    NoDigits(String),
    #[error(
        "amount \"{0}\" has {1} decimal places but the currency allows {2}; amounts are never rounded"
    )]
    TooManyDecimals(String, usize, u32),
    #[error("amount \"{0}\" has {1} digits before the decimal point; at most {max} are allowed", max = MAX_INTEGER_DIGITS)]
    TooManyDigits(String, usize),
    #[error("amount \"{0}\": {1}")]
    BadGrouping(String, &'static str),
    #[error("amount \"{0}\" is above the maximum for one transaction, {1}")]
    AboveMaximum(String, String),
}

/// Shows at most 40 characters of refused input, so a megabyte of junk does not come back
/// in an error message.
fn shown(input: &str) -> String {
    let mut s: String = input.chars().take(40).collect();
    if input.chars().nth(40).is_some() {
        s.push('…');
    }
    s
}

/// The one place the canonical grammar is checked. Returns minor units.
fn parse_minor(input: &str, minor_units: u32) -> Result<i64, AmountError> {
    if input.is_empty() {
        return Err(AmountError::Empty);
    }
    let s = shown(input);
    let lower = input.to_ascii_lowercase();
    let word = lower.trim_start_matches(['-', '+']);
    if ["nan", "inf", "infinity"].contains(&word) {
        return Err(AmountError::NotANumber(s));
    }
    // Classify the first offending character so the message is specific.
    for ch in input.chars() {
        match ch {
            '0'..='9' | '.' | '-' => {}
            'e' | 'E' if input.chars().any(|c| c.is_ascii_digit()) => {
                return Err(AmountError::Exponent(s));
            }
            ' ' | '\t' | '\n' | '\r' | '\u{a0}' | '\u{202f}' => {
                return Err(AmountError::Whitespace(s));
            }
            '+' => return Err(AmountError::PlusSign(s)),
            '_' => return Err(AmountError::Underscore(s)),
            ',' => return Err(AmountError::Comma(s)),
            c if !c.is_ascii() => return Err(AmountError::NonAscii(s, c)),
            c => return Err(AmountError::BadCharacter(s, c)),
        }
    }
    let body = input.strip_prefix('-').unwrap_or(input);
    if body.contains('-') {
        return Err(AmountError::BadCharacter(s, '-'));
    }
    let (int_part, frac_part) = match body.split_once('.') {
        Some((_, f)) if f.contains('.') => return Err(AmountError::SeveralPoints(s)),
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int_part.is_empty() && frac_part.is_none_or(str::is_empty) {
        return Err(AmountError::NoDigits(s));
    }
    if int_part.is_empty() || frac_part.is_some_and(str::is_empty) {
        return Err(AmountError::BareDecimalPoint(s));
    }
    if int_part.len() > 1 && int_part.starts_with('0') {
        let fixed = body.trim_start_matches('0');
        let fixed = if fixed.is_empty() || fixed.starts_with('.') {
            format!("0{fixed}")
        } else {
            fixed.to_string()
        };
        let sign = if input.starts_with('-') { "-" } else { "" };
        return Err(AmountError::LeadingZero(s, format!("{sign}{fixed}")));
    }
    if int_part.len() > MAX_INTEGER_DIGITS {
        return Err(AmountError::TooManyDigits(s, int_part.len()));
    }
    let frac = frac_part.unwrap_or("");
    if frac.len() > minor_units as usize {
        return Err(AmountError::TooManyDecimals(s, frac.len(), minor_units));
    }
    // The grammar is proven; the arithmetic below cannot overflow (15 + 2 digits < 19) but is
    // still checked so a future change to the limits cannot turn into a wrap.
    let scale = 10_i64.pow(minor_units);
    let mut value: i64 = 0;
    for b in int_part.bytes() {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or_else(|| AmountError::TooManyDigits(s.clone(), int_part.len()))?;
    }
    let mut minor = value
        .checked_mul(scale)
        .ok_or_else(|| AmountError::TooManyDigits(s.clone(), int_part.len()))?;
    let mut place = scale;
    for b in frac.bytes() {
        place /= 10;
        minor += i64::from(b - b'0') * place;
    }
    Ok(if input.starts_with('-') {
        -minor
    } else {
        minor
    })
}

/// Turns `1.234.567,89` (vi) or `1,234,567.89` (en) into `1234567.89`, refusing misplaced
/// group separators instead of guessing what was meant.
fn delocalize(input: &str, lang: Lang) -> Result<String, AmountError> {
    let (group, point) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    let s = shown(input);
    if input.matches(point).count() > 1 {
        return Err(AmountError::BadGrouping(s, "more than one decimal point"));
    }
    let (int_part, frac_part) = match input.split_once(point) {
        Some((i, f)) => (i, Some(f)),
        None => (input, None),
    };
    if frac_part.is_some_and(|f| f.contains(group)) {
        return Err(AmountError::BadGrouping(
            s,
            "a group separator after the decimal point",
        ));
    }
    let (sign, digits) = match int_part.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", int_part),
    };
    if digits.contains(group) {
        let groups: Vec<&str> = digits.split(group).collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(AmountError::BadGrouping(
                s,
                "digits must be grouped in threes",
            ));
        }
    }
    let mut out = format!("{sign}{}", digits.replace(group, ""));
    if let Some(f) = frac_part {
        out.push('.');
        out.push_str(f);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
