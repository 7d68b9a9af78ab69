//! Pure types and rules of the aid ledger: money, currencies, exchange rates, allocation,
//! and the records' validated values. No SQL, no HTTP, no clock: everything here is a function
//! of its inputs, so it is tested exhaustively with properties.

pub mod allocation;
pub mod cell;
pub mod currency;
pub mod dac;
pub mod dates;
pub mod digest;
pub mod document;
#[cfg(test)]
mod fuzz;
pub mod item;
pub mod mobilisation;
pub mod money;
pub mod period;
pub mod rate;
pub mod role;
pub mod text;

pub use currency::Currency;
pub use money::{AmountError, Money, MoneyError};

use serde::{Deserialize, Serialize};

/// The two languages of the product. Vietnamese first: it is the language of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "vi" => Ok(Lang::Vi),
            "en" => Ok(Lang::En),
            other => Err(format!(
                "language \"{}\" is not available: use vi or en",
                other.chars().take(12).collect::<String>()
            )),
        }
    }
}

impl Lang {
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// How many cases each property test of the parsers runs: 2,000 in the normal test run, or
/// `AIDLEDGER_FUZZ_CASES` for a long fuzzing run (e.g. `AIDLEDGER_FUZZ_CASES=1000000`).
#[must_use]
pub fn fuzz_cases() -> u32 {
    std::env::var("AIDLEDGER_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}
