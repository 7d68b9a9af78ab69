//! One typed configuration, read from the environment (and a `.env` file if present) and
//! validated at start-up, so a bad deployment fails at once with a message naming the
//! setting, not at the first request. `.env.example` documents every setting.

use crate::error::Error;
use std::env;

pub mod server;

/// Where the embedded database lives unless `DATABASE_URL` says otherwise.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/aidledger.db";

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    /// How old a rate may be and still convert a transaction (days before its value date).
    pub rate_max_age_days: u32,
    /// The agency that issues the report, as printed in its header.
    pub issuing_agency_vi: String,
    pub issuing_agency_en: String,
    /// The superior body the agency belongs to (first header line).
    pub parent_agency_vi: String,
    pub parent_agency_en: String,
    /// Where reports are signed ("Huế, ngày 5 tháng 7 năm 2025").
    pub place_vi: String,
    pub place_en: String,
    /// Use the 15 December cut-off for six-month and annual periods.
    pub vn_reporting_periods: bool,
    /// The header a trusted reverse proxy puts the client's address in
    /// (`AIDLEDGER_TRUSTED_IP_HEADER`, or Rocket's `ROCKET_IP_HEADER`). `None`: the socket's
    /// peer address is the client's, and no client-address header is believed.
    pub trusted_ip_header: Option<String>,
    /// Who signs the report and whom it is sent to, unless overridden per issue.
    pub signing: Signing,
    /// The largest evidence file taken, in bytes (`AIDLEDGER_EVIDENCE_MAX_MB`, default 10 MiB).
    pub evidence_max_bytes: u64,
}

/// The default limit of one evidence file: 10 MiB.
pub const DEFAULT_EVIDENCE_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// The signature block and "Nơi nhận" defaults (`AIDLEDGER_SIGNER_*`, `AIDLEDGER_RECIPIENTS_*`).
/// Empty means "not configured": a draft prints what there is, issuing refuses without a
/// signer name and at least one recipient.
#[derive(Debug, Clone, Default)]
pub struct Signing {
    /// The authority line above the title ("KT. GIÁM ĐỐC"); may be empty.
    pub authority_vi: String,
    pub authority_en: String,
    /// The signer's title ("PHÓ GIÁM ĐỐC", or "GIÁM ĐỐC" alone).
    pub title_vi: String,
    pub title_en: String,
    pub name: String,
    /// Recipients in order, the last being the archive line ("Lưu: VT, QLNN"), without the
    /// leading "- " and the final punctuation.
    pub recipients_vi: Vec<String>,
    pub recipients_en: Vec<String>,
}

impl Signing {
    /// Splits `;`-separated recipients, dropping the "- " and punctuation people type.
    #[must_use]
    pub fn split_recipients(s: &str, sep: char) -> Vec<String> {
        s.split(sep)
            .map(|r| {
                r.trim()
                    .trim_start_matches(['-', '–', '•'])
                    .trim_end_matches([';', '.', ','])
                    .trim()
                    .to_string()
            })
            .filter(|r| !r.is_empty())
            .collect()
    }

    /// Reads the signer block of settings; problems are added to `problems`.
    fn from_env(problems: &mut Vec<String>) -> Signing {
        let mut s = Signing::default();
        let line = |name: &str, target: &mut String, problems: &mut Vec<String>| {
            if let Ok(v) = env::var(name) {
                let v = v.trim();
                if v.chars().count() > 100 {
                    problems.push(format!("{name} may have at most 100 characters"));
                } else {
                    *target = v.to_string();
                }
            }
        };
        line(
            "AIDLEDGER_SIGNER_AUTHORITY_VI",
            &mut s.authority_vi,
            problems,
        );
        line(
            "AIDLEDGER_SIGNER_AUTHORITY_EN",
            &mut s.authority_en,
            problems,
        );
        line("AIDLEDGER_SIGNER_TITLE_VI", &mut s.title_vi, problems);
        line("AIDLEDGER_SIGNER_TITLE_EN", &mut s.title_en, problems);
        line("AIDLEDGER_SIGNER_NAME", &mut s.name, problems);
        for (name, target) in [
            ("AIDLEDGER_RECIPIENTS_VI", &mut s.recipients_vi),
            ("AIDLEDGER_RECIPIENTS_EN", &mut s.recipients_en),
        ] {
            if let Ok(v) = env::var(name) {
                let list = Signing::split_recipients(&v, ';');
                if list.is_empty() && !v.trim().is_empty() {
                    problems.push(format!("{name} lists no recipient: separate them with ';'"));
                } else if list.len() > 30 || list.iter().any(|r| r.chars().count() > 200) {
                    problems.push(format!(
                        "{name} may list at most 30 recipients of at most 200 characters each"
                    ));
                } else {
                    *target = list;
                }
            }
        }
        s
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: DEFAULT_DATABASE_URL.to_string(),
            rate_max_age_days: 31,
            issuing_agency_vi: "SỞ NGOẠI VỤ".to_string(),
            issuing_agency_en: "DEPARTMENT OF FOREIGN AFFAIRS".to_string(),
            parent_agency_vi: "UBND THÀNH PHỐ HUẾ".to_string(),
            parent_agency_en: "HUE CITY PEOPLE'S COMMITTEE".to_string(),
            place_vi: "Huế".to_string(),
            place_en: "Hue".to_string(),
            vn_reporting_periods: false,
            trusted_ip_header: None,
            signing: Signing::default(),
            evidence_max_bytes: DEFAULT_EVIDENCE_MAX_BYTES,
        }
    }
}

impl Config {
    /// Reads `AIDLEDGER_*` settings and `DATABASE_URL` over the defaults. Every problem found
    /// is reported together.
    pub fn from_env() -> Result<Config, Error> {
        let _ = dotenvy::dotenv();
        let mut c = Config::default();
        let mut problems = Vec::new();
        let text = |name: &str, target: &mut String, problems: &mut Vec<String>| {
            if let Ok(v) = env::var(name) {
                if v.trim().is_empty() {
                    problems.push(format!("{name} is set but empty"));
                } else {
                    *target = v;
                }
            }
        };
        text("DATABASE_URL", &mut c.database_url, &mut problems);
        text(
            "AIDLEDGER_ISSUING_AGENCY_VI",
            &mut c.issuing_agency_vi,
            &mut problems,
        );
        text(
            "AIDLEDGER_ISSUING_AGENCY_EN",
            &mut c.issuing_agency_en,
            &mut problems,
        );
        text(
            "AIDLEDGER_PARENT_AGENCY_VI",
            &mut c.parent_agency_vi,
            &mut problems,
        );
        text(
            "AIDLEDGER_PARENT_AGENCY_EN",
            &mut c.parent_agency_en,
            &mut problems,
        );
        text("AIDLEDGER_PLACE_VI", &mut c.place_vi, &mut problems);
        text("AIDLEDGER_PLACE_EN", &mut c.place_en, &mut problems);
        if let Ok(v) = env::var("AIDLEDGER_RATE_MAX_AGE_DAYS") {
            match v.parse::<u32>() {
                Ok(n) if (1..=366).contains(&n) => c.rate_max_age_days = n,
                _ => problems.push(format!("AIDLEDGER_RATE_MAX_AGE_DAYS must be a whole number of days from 1 to 366, not {v:?}")),
            }
        }
        if let Ok(v) = env::var("AIDLEDGER_REPORTING_PERIODS") {
            match v.as_str() {
                "calendar" => c.vn_reporting_periods = false,
                "vn-cutoff" => c.vn_reporting_periods = true,
                _ => problems.push(format!(
                    "AIDLEDGER_REPORTING_PERIODS must be calendar or vn-cutoff, not {v:?}"
                )),
            }
        }
        if let Ok(v) = env::var("AIDLEDGER_EVIDENCE_MAX_MB") {
            match v.trim().parse::<u64>() {
                Ok(n) if (1..=100).contains(&n) => c.evidence_max_bytes = n * 1024 * 1024,
                _ => problems.push(format!(
                    "AIDLEDGER_EVIDENCE_MAX_MB must be a whole number of MiB from 1 to 100, not {v:?}"
                )),
            }
        }
        c.trusted_ip_header = trusted_ip_header(&mut problems);
        c.signing = Signing::from_env(&mut problems);
        if problems.is_empty() {
            Ok(c)
        } else {
            Err(Error::Config(format!(
                "configuration problems: {}",
                problems.join("; ")
            )))
        }
    }
}

/// The client-address header to believe, from `AIDLEDGER_TRUSTED_IP_HEADER` (which wins) or
/// `ROCKET_IP_HEADER`; `false`, `off` or `none` (or neither set) trusts no header. Rocket
/// itself would trust `X-Real-IP` by default, which lets anyone without a proxy in front
/// choose the address the login throttle counts against.
fn trusted_ip_header(problems: &mut Vec<String>) -> Option<String> {
    for name in ["AIDLEDGER_TRUSTED_IP_HEADER", "ROCKET_IP_HEADER"] {
        let Ok(v) = env::var(name) else { continue };
        let v = v.trim();
        if ["false", "off", "none"]
            .iter()
            .any(|no| v.eq_ignore_ascii_case(no))
        {
            return None;
        }
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        if v.is_empty() || !v.bytes().all(token) {
            problems.push(format!(
                "{name} must be a header name such as X-Real-IP (or false to trust none), not {v:?}"
            ));
            return None;
        }
        return Some(v.to_string());
    }
    None
}
