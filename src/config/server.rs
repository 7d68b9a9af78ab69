//! The web server's settings (Rocket's `ROCKET_*` variables and `Rocket.toml`), checked before
//! `serve` touches the database: a bad port, address, secret key or log level stops the start
//! with a message naming the setting, before demo data is loaded or a password printed, and
//! a port already in use is found before anything is written too.
//!
//! The figment built here is the one the server runs with, so what was checked is what runs:
//! the client-address header Rocket trusts is set from [`super::Config::trusted_ip_header`]
//! (none by default), and `serve` logs only warnings and errors unless `ROCKET_LOG_LEVEL` says
//! otherwise, so the demo accounts printed at start are not buried under route listings.

use super::Config;
use crate::error::Error;
use rocket::figment::Figment;
use std::env;
use std::net::{IpAddr, TcpListener};

/// Where the server will listen, and the configuration it will run with.
#[derive(Debug, Clone)]
pub struct Server {
    pub address: IpAddr,
    pub port: u16,
    pub figment: Figment,
}

impl Server {
    /// The address to print: `http://127.0.0.1:8000` (IPv6 in brackets).
    #[must_use]
    pub fn url(&self, tls: bool) -> String {
        url(self.address, self.port, tls)
    }
}

#[must_use]
pub fn url(address: IpAddr, port: u16, tls: bool) -> String {
    let scheme = if tls { "https" } else { "http" };
    match address {
        IpAddr::V4(a) => format!("{scheme}://{a}:{port}"),
        IpAddr::V6(a) => format!("{scheme}://[{a}]:{port}"),
    }
}

/// Rocket's own figment with the application's choices over it: the trusted client-address
/// header (or none). Used by every Rocket this application builds, tests included.
/// Rocket's multipart limits follow the evidence and import limits: a file field may hold one
/// byte more than its limit (so an oversize file is known as such and refused with the limit
/// named), and the whole form the larger of the two plus room for its other fields.
#[must_use]
pub fn figment_over(base: Figment, config: &Config) -> Figment {
    let file = config.evidence_max_bytes + 1;
    let import_file = crate::interchange::read::MAX_FILE_BYTES + 1;
    let base = base
        .merge(("limits.file", file))
        .merge((IMPORT_FILE_LIMIT, import_file))
        .merge(("limits.data-form", file.max(import_file) + UPLOAD_FORM_ROOM));
    match &config.trusted_ip_header {
        Some(h) => base.merge(("ip_header", h.as_str())),
        None => base.merge(("ip_header", false)),
    }
}

/// The Rocket limit of an import's file field (`limits.import-file`).
pub const IMPORT_FILE_LIMIT: &str = "limits.import-file";

/// What a multipart upload form may carry besides its file (the CSRF token, boundaries).
pub const UPLOAD_FORM_ROOM: u64 = 64 * 1024;

const LOG_LEVELS: [&str; 4] = ["off", "critical", "normal", "debug"];

/// Checks the server settings for `serve`; every problem is reported together, each naming
/// its setting.
pub fn check(config: &Config) -> Result<Server, Error> {
    let mut problems = Vec::new();
    if let Ok(v) = env::var("ROCKET_PORT") {
        match v.trim().parse::<u16>() {
            Ok(p) if p > 0 => {}
            _ => problems.push(format!(
                "ROCKET_PORT must be a port number from 1 to 65535, not {v:?}"
            )),
        }
    }
    if let Ok(v) = env::var("ROCKET_ADDRESS")
        && v.trim().parse::<IpAddr>().is_err()
    {
        problems.push(format!(
            "ROCKET_ADDRESS must be an IP address such as 127.0.0.1 (this computer only) or 0.0.0.0 (every interface), not {v:?}"
        ));
    }
    if let Ok(v) = env::var("ROCKET_LOG_LEVEL")
        && !LOG_LEVELS.contains(&v.trim().to_ascii_lowercase().as_str())
    {
        problems.push(format!(
            "ROCKET_LOG_LEVEL must be one of {}, not {v:?}",
            LOG_LEVELS.join(", ")
        ));
    }
    let mut figment = figment_over(rocket::Config::figment(), config);
    if env::var("ROCKET_LOG_LEVEL").is_err() {
        figment = figment.merge(("log_level", "critical"));
    }
    if let Ok(v) = env::var("ROCKET_SECRET_KEY")
        && figment
            .extract_inner::<rocket::config::SecretKey>("secret_key")
            .is_err()
    {
        problems.push(format!(
            "ROCKET_SECRET_KEY must be 32 random bytes written as 44 characters of base64 (generate one with: openssl rand -base64 32) or 64 hex digits; the one given has {} characters",
            v.trim().len()
        ));
    }
    if !problems.is_empty() {
        return Err(Error::Config(format!(
            "configuration problems: {}",
            problems.join("; ")
        )));
    }
    let rc: rocket::Config = figment.extract().map_err(|e| {
        Error::Config(format!(
            "the web server's configuration (ROCKET_* settings or Rocket.toml) is invalid: {e}"
        ))
    })?;
    if *figment.profile() != rocket::Config::DEBUG_PROFILE && !rc.secret_key.is_provided() {
        return Err(Error::Config(
            "ROCKET_SECRET_KEY is required: it encrypts the session cookie (generate one with: openssl rand -base64 32)".into(),
        ));
    }
    if rc.port == 0 {
        return Err(Error::Config(
            "the port (ROCKET_PORT or Rocket.toml) must be from 1 to 65535, not 0".into(),
        ));
    }
    Ok(Server {
        address: rc.address,
        port: rc.port,
        figment,
    })
}

/// Finds out before anything is written whether the address can be listened on (another
/// server may hold the port), naming the address and port and the settings that choose them.
pub fn check_bind(server: &Server) -> Result<(), Error> {
    TcpListener::bind((server.address, server.port))
        .map(drop)
        .map_err(|e| {
            Error::Config(format!(
                "cannot listen on {}:{} (set by ROCKET_ADDRESS and ROCKET_PORT): {e}",
                server.address, server.port
            ))
        })
}
