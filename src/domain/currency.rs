//! The allow-list of currencies the ledger accepts, with their ISO 4217 minor units.
//!
//! Only active ISO 4217 codes that aid actually arrives in are listed; testing codes (`XTS`),
//! "no currency" (`XXX`), precious metals and fund codes are refused on purpose, so an amount can
//! never be stored in a unit nobody can convert. This module knows nothing about amounts.
#![deny(clippy::float_arithmetic)]

use std::fmt;
use std::str::FromStr;

/// A currency the ledger accepts. `Copy` and cheap: a thin handle on the static table below.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(u8);

struct Info {
    code: &'static str,
    minor_units: u8,
    name_en: &'static str,
    name_vi: &'static str,
}

/// Sorted by code so look-ups and listings are stable.
const TABLE: &[Info] = &[
    Info {
        code: "AUD",
        minor_units: 2,
        name_en: "Australian dollar",
        name_vi: "Đô la Úc",
    },
    Info {
        code: "CAD",
        minor_units: 2,
        name_en: "Canadian dollar",
        name_vi: "Đô la Canada",
    },
    Info {
        code: "CHF",
        minor_units: 2,
        name_en: "Swiss franc",
        name_vi: "Franc Thụy Sĩ",
    },
    Info {
        code: "CNY",
        minor_units: 2,
        name_en: "Chinese yuan",
        name_vi: "Nhân dân tệ",
    },
    Info {
        code: "DKK",
        minor_units: 2,
        name_en: "Danish krone",
        name_vi: "Krone Đan Mạch",
    },
    Info {
        code: "EUR",
        minor_units: 2,
        name_en: "Euro",
        name_vi: "Euro",
    },
    Info {
        code: "GBP",
        minor_units: 2,
        name_en: "Pound sterling",
        name_vi: "Bảng Anh",
    },
    Info {
        code: "HKD",
        minor_units: 2,
        name_en: "Hong Kong dollar",
        name_vi: "Đô la Hồng Kông",
    },
    Info {
        code: "JPY",
        minor_units: 0,
        name_en: "Japanese yen",
        name_vi: "Yên Nhật",
    },
    Info {
        code: "KRW",
        minor_units: 0,
        name_en: "South Korean won",
        name_vi: "Won Hàn Quốc",
    },
    Info {
        code: "NOK",
        minor_units: 2,
        name_en: "Norwegian krone",
        name_vi: "Krone Na Uy",
    },
    Info {
        code: "NZD",
        minor_units: 2,
        name_en: "New Zealand dollar",
        name_vi: "Đô la New Zealand",
    },
    Info {
        code: "SEK",
        minor_units: 2,
        name_en: "Swedish krona",
        name_vi: "Krona Thụy Điển",
    },
    Info {
        code: "SGD",
        minor_units: 2,
        name_en: "Singapore dollar",
        name_vi: "Đô la Singapore",
    },
    Info {
        code: "THB",
        minor_units: 2,
        name_en: "Thai baht",
        name_vi: "Baht Thái",
    },
    Info {
        code: "TWD",
        minor_units: 2,
        name_en: "New Taiwan dollar",
        name_vi: "Đô la Đài Loan",
    },
    Info {
        code: "USD",
        minor_units: 2,
        name_en: "US dollar",
        name_vi: "Đô la Mỹ",
    },
    Info {
        code: "VND",
        minor_units: 0,
        name_en: "Vietnamese đồng",
        name_vi: "Đồng Việt Nam",
    },
];

/// Codes that are valid ISO 4217 but never a currency aid is paid in.
const REFUSED: &[(&str, &str)] = &[
    ("XXX", "means \"no currency\""),
    ("XTS", "is reserved for testing"),
    ("XAU", "is gold, not a currency"),
    ("XAG", "is silver, not a currency"),
    ("XPT", "is platinum, not a currency"),
    ("XPD", "is palladium, not a currency"),
    (
        "XDR",
        "is the IMF's special drawing right, not a payment currency",
    ),
];

impl Currency {
    pub const VND: Currency = Currency(17);
    pub const USD: Currency = Currency(16);

    fn info(self) -> &'static Info {
        &TABLE[usize::from(self.0)]
    }

    /// The ISO 4217 alphabetic code, e.g. `"EUR"`.
    #[must_use]
    pub fn code(self) -> &'static str {
        self.info().code
    }

    /// Digits after the decimal point: 2 for USD, 0 for VND, KRW and JPY.
    #[must_use]
    pub fn minor_units(self) -> u32 {
        u32::from(self.info().minor_units)
    }

    #[must_use]
    pub fn name(self, lang: crate::domain::Lang) -> &'static str {
        match lang {
            crate::domain::Lang::Vi => self.info().name_vi,
            crate::domain::Lang::En => self.info().name_en,
        }
    }

    /// Every accepted currency, in code order.
    pub fn all() -> impl Iterator<Item = Currency> {
        (0..TABLE.len()).map(|i| Currency(u8::try_from(i).unwrap_or(u8::MAX)))
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a currency code was refused. The message says what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CurrencyError {
    #[error("currency is empty: give a three-letter ISO 4217 code such as USD or VND")]
    Empty,
    #[error("currency \"{0}\" must be written in capitals, e.g. \"{1}\"")]
    LowerCase(String, String),
    #[error(
        "currency \"{0}\" is a symbol or name, not a code: give a three-letter ISO 4217 code such as USD or VND"
    )]
    NotACode(String),
    #[error("currency {0} {1}")]
    Refused(String, &'static str),
    #[error("currency {0} is not one the ledger accepts (accepted: {1})")]
    Unknown(String, String),
}

impl FromStr for Currency {
    type Err = CurrencyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(CurrencyError::Empty);
        }
        let shown: String = s.chars().take(12).collect();
        if s.len() != 3 || !s.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(CurrencyError::NotACode(shown));
        }
        if !s.bytes().all(|b| b.is_ascii_uppercase()) {
            let upper = s.to_ascii_uppercase();
            if upper.parse::<Currency>().is_ok() {
                return Err(CurrencyError::LowerCase(shown, upper));
            }
            return Err(CurrencyError::NotACode(shown));
        }
        if let Some((code, why)) = REFUSED.iter().find(|(c, _)| *c == s) {
            return Err(CurrencyError::Refused((*code).to_string(), why));
        }
        TABLE
            .binary_search_by(|i| i.code.cmp(s))
            .ok()
            .and_then(|i| u8::try_from(i).ok())
            .map(Currency)
            .ok_or_else(|| {
                let list: Vec<&str> = TABLE.iter().map(|i| i.code).collect();
                CurrencyError::Unknown(shown, list.join(", "))
            })
    }
}

impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn table_is_sorted_and_constants_point_at_the_right_rows() {
        assert!(TABLE.windows(2).all(|w| w[0].code < w[1].code));
        assert_eq!(Currency::VND.code(), "VND");
        assert_eq!(Currency::USD.code(), "USD");
    }

    #[test]
    fn minor_units_follow_iso_4217() {
        let mu = |c: &str| c.parse::<Currency>().map(Currency::minor_units);
        assert_eq!(mu("VND"), Ok(0));
        assert_eq!(mu("KRW"), Ok(0));
        assert_eq!(mu("JPY"), Ok(0));
        assert_eq!(mu("USD"), Ok(2));
        assert_eq!(mu("EUR"), Ok(2));
    }

    #[test]
    fn refusals_are_specific() {
        let err = |c: &str| c.parse::<Currency>().unwrap_err().to_string();
        assert!(err("usd").contains("capitals"));
        assert!(err("$").contains("symbol"));
        assert!(err("US$").contains("symbol"));
        assert!(err("XXX").contains("no currency"));
        assert!(err("XTS").contains("testing"));
        assert!(err("ABC").contains("not one the ledger accepts"));
        assert!(err("").contains("empty"));
        assert!(err("ＵＳＤ").contains("symbol"));
    }
}
