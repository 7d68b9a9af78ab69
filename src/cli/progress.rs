//! Progress shown on the terminal while a long import or export runs: rows or bytes so far
//! and the rate, on standard error, so standard output stays the command's result. Nothing is
//! drawn when standard error is not a terminal (scripts, CI, tests).

use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;

/// A counter of `unit` (rows, bytes) with its rate and the time so far.
#[must_use]
pub fn counter(what: &str, bytes: bool) -> ProgressBar {
    let pos = if bytes {
        "{binary_bytes} ({binary_bytes_per_sec})"
    } else {
        "{human_pos} rows ({per_sec})"
    };
    let style = ProgressStyle::with_template(&format!("{{spinner}} {what}: {pos}, {{elapsed}}"))
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    let bar = ProgressBar::new_spinner().with_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// A writer that advances `bar` by the bytes written through it.
pub struct Counted<W> {
    inner: W,
    bar: ProgressBar,
}

impl<W> Counted<W> {
    pub fn new(inner: W, bar: ProgressBar) -> Self {
        Self { inner, bar }
    }

    /// The inner writer, with the bar cleared from the terminal.
    pub fn into_inner(self) -> W {
        self.bar.finish_and_clear();
        self.inner
    }
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
