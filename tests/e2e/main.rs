//! End-to-end tests in a real browser: headless Chromium (Debian's `chromium` and
//! `chromium-driver`) drives the real server over HTTP through the main flows of the
//! product, and saves screenshots of the main pages in both languages in `screenshots/`
//! (not committed); `pages.rs` checks every main page per role, language and width (sideways
//! scrolling, English leftovers, chart text size, axe-core) with screenshots in
//! `target/screens/`. Without Chromium `cargo test` reports them as ignored, with the reason;
//! `.ci/run` installs it.
#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod browser;
mod evidence;
mod flows;
mod mobilisation;
mod pages;
mod server;
