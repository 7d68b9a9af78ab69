//! Build script: re-embed the migrations when they change, and tell the test binaries which
//! optional tools this machine has, so a test that cannot run here is reported by `cargo test`
//! as ignored (with the reason) instead of passing without having run.
//!
//! - `aidledger_pg`: `AIDLEDGER_TEST_PG_URL` is set, so the PostgreSQL-only tests run;
//! - `aidledger_pdftotext`: poppler's `pdftotext` is on `PATH` (the PDF text checks);
//! - `aidledger_browser`: Debian's /usr/bin/chromium and /usr/bin/chromedriver (the browser tests);
//! - `aidledger_xmllint`: libxml2's `xmllint` is on `PATH` (the IATI schema cross-checks);
//! - `aidledger_mount`: the build may mount a filesystem (CAP_SYS_ADMIN and `mount` on PATH), so
//!   the full-disk test can make a small tmpfs disk and fill it.

use std::path::Path;

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
}

/// Whether this process holds CAP_SYS_ADMIN (bit 21 of `CapEff` in /proc/self/status), which
/// `mount -t tmpfs` needs; a container without it reports the full-disk test as ignored.
fn may_mount() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("CapEff:"))
                .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        })
        .is_some_and(|caps| caps & (1 << 21) != 0)
}

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-env-changed=AIDLEDGER_TEST_PG_URL");
    println!("cargo:rerun-if-env-changed=PATH");
    // Installing a package changes /usr/bin, so the tools are looked for again.
    if Path::new("/usr/bin").is_dir() {
        println!("cargo:rerun-if-changed=/usr/bin");
    }
    for cfg in [
        "aidledger_pg",
        "aidledger_pdftotext",
        "aidledger_browser",
        "aidledger_mount",
        "aidledger_xmllint",
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
    }
    if std::env::var("AIDLEDGER_TEST_PG_URL").is_ok_and(|u| !u.is_empty()) {
        println!("cargo:rustc-cfg=aidledger_pg");
    }
    if on_path("pdftotext") {
        println!("cargo:rustc-cfg=aidledger_pdftotext");
    }
    if on_path("xmllint") {
        println!("cargo:rustc-cfg=aidledger_xmllint");
    }
    if may_mount() && on_path("mount") && on_path("umount") {
        println!("cargo:rustc-cfg=aidledger_mount");
    }
    if Path::new("/usr/bin/chromium").is_file() && Path::new("/usr/bin/chromedriver").is_file() {
        println!("cargo:rustc-cfg=aidledger_browser");
    }
}
