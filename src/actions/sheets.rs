//! Spreadsheet round-trip use cases: reading a selection of records into the templates
//! (export), and checking then applying a filled-in template (import).

use super::scope::Scope;
use super::{Actor, Ctx};
use crate::db::{Tx, interchange as dbx, items, rates};
use crate::error::Result;
use crate::interchange::Table;
use crate::interchange::rows::{Selection, Snapshot, tables};

/// Reads everything an export may show, in one transaction.
pub(crate) async fn snapshot(tx: &mut Tx) -> Result<Snapshot> {
    Ok(Snapshot {
        orgs: dbx::organisations(tx).await?,
        org_sectors: dbx::organisation_sectors(tx).await?,
        org_provinces: dbx::organisation_provinces(tx).await?,
        items: {
            let mut all = items::list_items(tx).await?;
            all.sort_by_key(|i| i.id);
            all
        },
        sectors: items::all_sector_allocations(tx).await?,
        localities: items::all_locality_allocations(tx).await?,
        milestones: dbx::milestones(tx).await?,
        commitments: dbx::commitments(tx).await?,
        disbursements: dbx::disbursements(tx).await?,
        rates: rates::list_rates(tx, None, false).await?,
        users: dbx::usernames(tx).await?,
    })
}

/// The selected records as template tables. NGO staff export only their own organisation's
/// items (whatever organisation they ask for), as the scope rule says.
pub async fn export_tables(ctx: &Ctx, actor: &Actor, selection: Selection) -> Result<Vec<Table>> {
    let mut sel = selection;
    if let Scope::Organisation(own) = Scope::of(actor)? {
        sel.organisation = Some(own);
    }
    let mut tx = ctx.store.read_long().await?;
    let snap = snapshot(&mut tx).await?;
    drop(tx);
    Ok(tables(&snap, &sel))
}

mod create;
mod gate;
mod import;
mod rowset;
mod update;

use crate::interchange::cells::split_reference;
use crate::interchange::preview::{Outcome, OutcomeKind, Preview};
use crate::interchange::read::{CsvRows, SourceRow, check_file, record_of_file_name, xlsx_sheets};
use crate::interchange::rows::references;
use crate::interchange::template::match_header;
use crate::interchange::{RecordType, SheetFormat};
pub(crate) use import::savepoint;
use import::{Importer, Known, key_of};
use rowset::Row;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What to import and how.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// A CSV file, a folder of CSV files named by record type (`items.csv`, ...), or an XLSX
    /// workbook.
    pub path: PathBuf,
    pub format: SheetFormat,
    /// The record type of a single CSV file whose name and header do not say it.
    pub record: Option<RecordType>,
    /// Check every row and roll everything back, whatever the outcome.
    pub dry_run: bool,
}

/// What the import compares its rows with: organisations, rates and items (with their
/// shares) read whole; an item's money rows and milestones are read when the file first names
/// the item ([`Known::load_item`]), so a small file on a national database reads little.
async fn known(tx: &mut Tx) -> Result<Known> {
    let mut snap = snapshot_without_rows(tx).await?;
    let mut rows = HashMap::new();
    for t in tables(&snap, &Selection::default()) {
        for r in t.rows {
            let key = match t.record {
                RecordType::Rates => format!("{} {}", r[0], r[1]),
                _ => r[0].clone(),
            };
            rows.insert((t.record, key), r);
        }
    }
    Ok(Known {
        rows,
        orgs: snap.orgs.iter().map(|o| (o.code.clone(), o.id)).collect(),
        items: snap.items.iter().map(|i| (i.code.clone(), i.id)).collect(),
        milestones: HashMap::new(),
        disbursements: HashMap::new(),
        counts: HashMap::new(),
        users: crate::db::users::list_users(tx)
            .await?
            .into_iter()
            .map(|u| (u.username.clone(), u))
            .collect(),
        stored_items: std::mem::take(&mut snap.items)
            .into_iter()
            .map(|i| (i.id, i))
            .collect(),
        usernames: snap.users,
        loaded: std::collections::HashSet::new(),
    })
}

/// [`snapshot`] without commitments, milestones and disbursements.
async fn snapshot_without_rows(tx: &mut Tx) -> Result<Snapshot> {
    Ok(Snapshot {
        orgs: dbx::organisations(tx).await?,
        org_sectors: dbx::organisation_sectors(tx).await?,
        org_provinces: dbx::organisation_provinces(tx).await?,
        items: {
            let mut all = items::list_items(tx).await?;
            all.sort_by_key(|i| i.id);
            all
        },
        sectors: items::all_sector_allocations(tx).await?,
        localities: items::all_locality_allocations(tx).await?,
        milestones: Vec::new(),
        commitments: Vec::new(),
        disbursements: Vec::new(),
        rates: rates::list_rates(tx, None, false).await?,
        users: dbx::usernames(tx).await?,
    })
}

impl Known {
    /// Whether `code` is a stored item whose rows have not been read yet.
    pub(super) fn unread(&self, code: &str) -> bool {
        self.items
            .get(code)
            .is_some_and(|id| !self.loaded.contains(id) && self.stored_items.contains_key(id))
    }

    /// Reads the stored commitments, milestones and disbursements of the item with `code`
    /// (once): their rows as the template writes them, their references and how many each
    /// letter has. An item created by this import has none stored.
    pub(super) async fn load_item(&mut self, tx: &mut Tx, code: &str) -> Result<()> {
        let Some(&id) = self.items.get(code) else {
            return Ok(());
        };
        if !self.loaded.insert(id) {
            return Ok(());
        }
        let Some(item) = self.stored_items.get(&id) else {
            return Ok(());
        };
        let (commitments, milestones, disbursements) = dbx::rows_of_item(tx, id).await?;
        let snap = Snapshot {
            orgs: Vec::new(),
            org_sectors: Vec::new(),
            org_provinces: Vec::new(),
            items: vec![item.clone()],
            sectors: Vec::new(),
            localities: Vec::new(),
            milestones,
            commitments,
            disbursements,
            rates: Vec::new(),
            users: self.usernames.clone(),
        };
        for t in tables(&snap, &Selection::default()) {
            if matches!(
                t.record,
                RecordType::Commitments | RecordType::Milestones | RecordType::Disbursements
            ) {
                for r in t.rows {
                    self.rows.insert((t.record, r[0].clone()), r);
                }
            }
        }
        let refs = references(&snap);
        for (letter, n) in [
            ('C', refs.commitments.len()),
            ('D', refs.disbursements.len()),
            ('M', refs.milestones.len()),
        ] {
            *self.counts.entry((id, letter)).or_insert(0) += n;
        }
        self.milestones
            .extend(refs.milestones.into_iter().map(|(id, r)| (r, id)));
        self.disbursements
            .extend(refs.disbursements.into_iter().map(|(id, r)| (r, id)));
        Ok(())
    }
}

/// One sheet or CSV file to read: its name for messages, its record type if its name says
/// so, and where its rows come from.
enum Source {
    Csv(PathBuf),
    Sheet(crate::interchange::read::XlsxSheet),
}

/// A file's name for messages (the whole path when it has none).
pub(crate) fn display(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The sources of a request in the order they apply, and the SHA-256 the import is
/// audited under (of the file; for a folder, of the list of its files' hashes and names).
/// A source with its name for messages and the record type its name announces, if any.
type Named = (String, Option<RecordType>, Source);

/// Data rows, one at a time, from a CSV file or a sheet.
type NextRow = Box<dyn FnMut() -> Result<Option<SourceRow>> + Send>;

fn sources(req: &ImportRequest) -> Result<(Vec<Named>, String)> {
    let mut out = Vec::new();
    match req.format {
        SheetFormat::Xlsx => {
            let sha = check_file(&req.path, &display(&req.path), false)?;
            let mut sheets: Vec<_> = xlsx_sheets(&req.path, &display(&req.path))?
                .into_iter()
                .map(|s| (s.name.clone(), RecordType::named(&s.name), Source::Sheet(s)))
                .collect();
            // Sheets apply in dependency order whatever their order in the workbook.
            sheets.sort_by_key(|(_, r, _)| r.map_or(usize::MAX, |r| r as usize));
            out = sheets;
            Ok((out, sha))
        }
        SheetFormat::Csv if req.path.is_dir() => {
            let mut listing = String::new();
            for r in RecordType::ALL {
                let p = req.path.join(crate::interchange::write::csv_name(r));
                if p.is_file() {
                    let sha = check_file(&p, &display(&p), true)?;
                    listing.push_str(&format!("{sha}  {}\n", display(&p)));
                    out.push((display(&p), Some(r), Source::Csv(p)));
                }
            }
            if out.is_empty() {
                return Err(crate::error::Error::invalid(
                    "path",
                    "no_files",
                    format!(
                        "{} holds none of the template files (organisations.csv, rates.csv, items.csv, milestones.csv, commitments.csv, disbursements.csv)",
                        req.path.display()
                    ),
                ));
            }
            use sha2::Digest;
            Ok((out, hex::encode(sha2::Sha256::digest(listing.as_bytes()))))
        }
        SheetFormat::Csv => {
            let sha = check_file(&req.path, &display(&req.path), true)?;
            let hint = req.record.or_else(|| record_of_file_name(&req.path));
            out.push((display(&req.path), hint, Source::Csv(req.path.clone())));
            Ok((out, sha))
        }
    }
}

fn header_refused(
    name: &str,
    e: &crate::interchange::template::HeaderError,
) -> crate::error::Error {
    crate::error::Error::Request {
        status: 422,
        code: "unknown_template",
        message: format!("{name}, line 1: {e}"),
    }
}

/// Checks every row of a spreadsheet and, unless it is a dry run or any row has an error,
/// applies them all in ONE transaction, audited as one import naming the file's SHA-256.
/// A row dated inside a locked period is an error, so it refuses the whole file.
pub async fn import_file(ctx: &Ctx, actor: &Actor, req: &ImportRequest) -> Result<Preview> {
    import_file_with(ctx, actor, req, &|_| {}).await
}

/// [`import_file`], telling `progress` how many rows have been checked, every few thousand
/// rows (the command line draws it).
pub async fn import_file_with(
    ctx: &Ctx,
    actor: &Actor,
    req: &ImportRequest,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<Preview> {
    import_file_then(ctx, actor, req, progress, async |_, _| Ok(())).await
}

/// [`import_file_with`], with `before_commit` run inside the import's transaction just before
/// it commits (only when the import is applied): what it writes commits with the import or
/// not at all, and its error undoes the whole import. An uploaded import records that it was
/// applied this way.
pub async fn import_file_then(
    ctx: &Ctx,
    actor: &Actor,
    req: &ImportRequest,
    progress: &(dyn Fn(u64) + Send + Sync),
    before_commit: impl AsyncFnOnce(&mut Tx, &Preview) -> Result<()>,
) -> Result<Preview> {
    let (srcs, sha) = sources(req)?;
    let mut done: u64 = 0;
    let mut preview = Preview::new(display(&req.path), sha.clone());
    let mut tx = ctx.store.write_bulk().await?;
    let known = known(&mut tx).await?;
    let gate = gate::Gate::of(&mut tx, actor).await?;
    let mut imp = Importer::new(tx, actor, ctx.config.rate_max_age_days, known);
    let mut seen: HashMap<(RecordType, String), (String, u64)> = HashMap::new();
    for (name, hint, src) in srcs {
        let hint = if matches!(src, Source::Csv(_)) {
            req.record.or(hint)
        } else {
            hint
        };
        let (header, mut next): (Vec<String>, NextRow) = match src {
            Source::Csv(p) => {
                let (mut rows, header) = CsvRows::open(&p, &name)?;
                (header, Box::new(move || rows.next_row()))
            }
            Source::Sheet(s) => {
                let mut it = s.rows.into_iter();
                (s.header, Box::new(move || Ok(it.next())))
            }
        };
        let map = match_header(hint, &header).map_err(|e| header_refused(&name, &e))?;
        let record = map.record;
        while let Some(src_row) = next()? {
            done += 1;
            if done.is_multiple_of(5000) {
                progress(done);
            }
            let raw: Vec<String> = map
                .positions
                .iter()
                .map(|p| {
                    p.and_then(|i| src_row.cells.get(i).cloned())
                        .unwrap_or_default()
                })
                .collect();
            if raw.iter().all(String::is_empty) {
                continue;
            }
            let probe = Row::new(record, raw.clone(), None, map.amount_lang);
            let stored_key = key_of(&probe);
            // A money row or milestone is compared with its item's stored rows, and a
            // disbursement may name a milestone: read those items' rows on first sight.
            if matches!(
                record,
                RecordType::Commitments | RecordType::Milestones | RecordType::Disbursements
            ) {
                for r in [stored_key.as_str(), probe.get("milestone")] {
                    if let Some((code, ..)) = split_reference(r) {
                        imp.load_item(code).await?;
                    }
                }
            }
            let stored = imp.known.rows.get(&(record, stored_key.clone())).cloned();
            let mut row = Row::new(record, raw, stored.as_ref(), map.amount_lang);
            let key = key_of(&row);
            // More cells than the header has names for: usually a comma typed in a text
            // without quotes, which shifts every later cell; say that instead of listing
            // the shifted cells' errors.
            let extra = src_row
                .cells
                .get(header.len()..)
                .is_some_and(|rest| rest.iter().any(|c| !c.trim().is_empty()));
            let (kind, changes) = if extra {
                row.problems.clear();
                row.problem(
                    None,
                    "shifted_cells",
                    format!(
                        "the row has {} cells but the header names {}: a text with a comma must be in double quotes",
                        src_row.cells.len(),
                        header.len()
                    ),
                );
                (OutcomeKind::Error, Vec::new())
            } else if let Some((f, l)) = seen.get(&(record, key.clone())) {
                row.problem(
                    None,
                    "duplicate_row",
                    format!("\"{key}\" appears twice in this import (first in {f}, line {l})"),
                );
                (OutcomeKind::Error, Vec::new())
            } else if key.trim().is_empty() {
                row.problem(
                    None,
                    "no_key",
                    "the row has no key: give its code (or reference, or currency and date)",
                );
                (OutcomeKind::Error, Vec::new())
            } else if let Some((code, why)) = gate.refuses(record, &key, &imp.known) {
                row.problem(None, code, why);
                (OutcomeKind::Error, Vec::new())
            } else {
                // A new money row or milestone is not remembered: its reference must take the
                // item's next number, so a second copy is refused by that check, and a
                // million-row file keeps no million keys.
                let numbered = matches!(
                    record,
                    RecordType::Milestones | RecordType::Commitments | RecordType::Disbursements
                ) && stored.is_none();
                if !numbered {
                    seen.insert((record, key.clone()), (name.clone(), src_row.line));
                }
                imp.apply(&mut row, &key).await?
            };
            let kind = if row.problems.is_empty() {
                kind
            } else {
                OutcomeKind::Error
            };
            preview.push(Outcome {
                source: name.clone(),
                line: src_row.line,
                record,
                key,
                outcome: kind,
                changes,
                problems: std::mem::take(&mut row.problems),
            });
        }
    }
    let mut tx = imp.finish().await?;
    progress(done);
    // Back to the default before the connection returns to the pool (an error on the way
    // leaves only a larger cache on it, never a wrong result).
    crate::db::bulk_done(&mut tx).await?;
    if preview.errors == 0 && !req.dry_run {
        let after = serde_json::json!({
            "file": preview.file, "sha256": sha, "new": preview.new, "changed": preview.changed,
            "unchanged": preview.unchanged,
        });
        super::record::<(), _>(
            &mut tx,
            actor,
            "sheets.import",
            "import",
            &sha,
            None,
            Some(&after),
            crate::db::now(),
        )
        .await?;
        before_commit(&mut tx, &preview).await?;
        tx.commit().await?;
        preview.applied = true;
    }
    Ok(preview)
}
