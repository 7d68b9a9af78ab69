//! The process's copies of [`LookupData`], keyed by the database's `lookup_version`: a random
//! value that migration 0016's triggers replace in the same transaction as every change to
//! items, their shares, organisations, units or sectors. A transaction that reads the value
//! it was cached with would read exactly the cached rows, so serving the copy changes no
//! figure; a rolled-back change leaves a value nobody reads again. The key is random rather
//! than a counter so that two databases open in one process (tests, a restored copy) cannot
//! share a key by counting to the same number.

use super::LookupData;
use crate::db::{Tx, on};
use crate::error::Result;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// At most this many copies, and at most this many items over all of them, so that a national
/// database (50,000 items, some 40 MB of lookup data) keeps one copy.
const MAX_COPIES: usize = 4;
const MAX_ITEMS: usize = 60_000;

/// Held while a copy is read afresh, so that the requests that all miss after a change wait
/// for one read instead of each making its own (at national scale, a second and 40 MB each).
pub(super) static READING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Whether copies are kept at all: a server reads the same lookup data for request after
/// request; a one-shot command (a report, an export) reads it once, and a kept copy would only
/// hold some 80 MB while it draws its output.
static KEEP: AtomicBool = AtomicBool::new(true);

/// Most recently used last.
static COPIES: Mutex<Vec<(i64, Arc<LookupData>)>> = Mutex::new(Vec::new());

pub(super) async fn version(tx: &mut Tx) -> Result<i64> {
    const SQL: &str = "SELECT version FROM lookup_version WHERE id = 1";
    Ok(on!(tx, c => sqlx::query_scalar(SQL).fetch_one(&mut *c).await)?)
}

pub(super) fn get(version: i64) -> Option<Arc<LookupData>> {
    let mut copies = COPIES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let at = copies.iter().position(|(v, _)| *v == version)?;
    let hit = copies.remove(at);
    let data = Arc::clone(&hit.1);
    copies.push(hit);
    Some(data)
}

pub(super) fn put(version: i64, data: Arc<LookupData>) {
    if !KEEP.load(Ordering::Relaxed) {
        return;
    }
    let mut copies = COPIES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    copies.retain(|(v, _)| *v != version);
    copies.push((version, data));
    while copies.len() > MAX_COPIES
        || (copies.len() > 1
            && copies.iter().map(|(_, d)| d.items.len()).sum::<usize>() > MAX_ITEMS)
    {
        copies.remove(0);
    }
}

/// Keeps copies from now on (the default) or not; not keeping them also drops those held.
pub(super) fn keep(keep: bool) {
    KEEP.store(keep, Ordering::Relaxed);
    if !keep {
        COPIES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> Arc<LookupData> {
        Arc::new(LookupData {
            items: Vec::new(),
            organisations: Vec::new(),
            sectors: Vec::new(),
            localities: Vec::new(),
            units: Vec::new(),
            sector_list: Vec::new(),
            sector_parent: std::collections::HashMap::new(),
            item_index: std::collections::HashMap::new(),
            org_index: std::collections::HashMap::new(),
            sector_ranges: std::collections::HashMap::new(),
            locality_ranges: std::collections::HashMap::new(),
            folded: std::sync::OnceLock::new(),
        })
    }

    #[test]
    fn a_process_that_keeps_no_copies_drops_those_held_and_keeps_no_new_one() {
        // Versions no database gives (random 64-bit values), so other tests' copies are
        // untouched apart from the moment copies are off.
        let (held, later) = (-7_301_118_274_001, -7_301_118_274_002);
        put(held, empty());
        assert!(get(held).is_some());
        keep(false);
        let dropped = get(held).is_none();
        put(later, empty());
        let kept_later = get(later).is_some();
        keep(true);
        assert!(dropped, "switching copies off drops the one held");
        assert!(!kept_later, "and keeps no new one");
        put(later, empty());
        assert!(
            get(later).is_some(),
            "switched back on, copies are kept again"
        );
    }
}
