//! The file side of an uploaded import: its size checked against the command line's limit,
//! the name it is kept and run under, and the run itself on a temporary copy of the stored
//! bytes (the importer reads files; the copy is removed as soon as the run ends).

use crate::actions::iati_import::{IatiImportRequest, import_iati_then};
use crate::actions::sheets::{ImportRequest, import_file_then};
use crate::actions::{Actor, Ctx};
use crate::db::Tx;
use crate::domain::item::ImportKind;
use crate::error::{Error, Result};
use crate::interchange::SheetFormat;
use crate::interchange::preview::Preview;
use crate::interchange::read::MAX_FILE_BYTES;
use std::path::Path;

/// Refuses an empty file, or one over the command line's limit (413).
pub(super) fn check_size(bytes: &[u8]) -> Result<()> {
    if bytes.is_empty() {
        return Err(Error::invalid(
            "file",
            "import_empty",
            "choose a file to import: the one sent is empty",
        ));
    }
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_FILE_BYTES {
        return Err(Error::Request {
            status: 413,
            code: "import_too_large",
            message: format!(
                "the file is larger than the import limit of {} MB: split it by record type or by period",
                MAX_FILE_BYTES / 1_000_000
            ),
        });
    }
    Ok(())
}

/// The name to keep and to run the file under: the last part of what was sent, without
/// control characters or path separators, at most 120 characters, ending in the kind's
/// extension. A CSV named after its record type (`disbursements.csv`) keeps that name, which
/// tells the import what its rows are.
#[must_use]
pub fn safe_file_name(sent: &str, kind: ImportKind) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut name: String = base
        .chars()
        .filter(|c| !c.is_control())
        .take(120)
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_string();
    let ext = match kind {
        ImportKind::Csv => ".csv",
        ImportKind::Xlsx => ".xlsx",
        ImportKind::Iati => ".xml",
    };
    if !name.to_ascii_lowercase().ends_with(ext) {
        name.push_str(ext);
    }
    if name.len() == ext.len() {
        name = format!("import{ext}");
    }
    name
}

/// Runs the import of `path` as `actor`; `before_commit` runs inside the import's
/// transaction when it is applied.
pub(super) async fn run(
    ctx: &Ctx,
    actor: &Actor,
    kind: ImportKind,
    path: &Path,
    dry_run: bool,
    before_commit: impl AsyncFnOnce(&mut Tx, &Preview) -> Result<()>,
) -> Result<Preview> {
    let format = match kind {
        ImportKind::Csv => SheetFormat::Csv,
        ImportKind::Xlsx => SheetFormat::Xlsx,
        ImportKind::Iati => {
            let req = IatiImportRequest {
                path: path.to_path_buf(),
                dry_run,
            };
            return import_iati_then(ctx, actor, &req, before_commit).await;
        }
    };
    let req = ImportRequest {
        path: path.to_path_buf(),
        format,
        record: None,
        dry_run,
    };
    import_file_then(ctx, actor, &req, &|_| {}, before_commit).await
}

/// Writes `bytes` into a fresh temporary folder under `name` (the importer reads files); the
/// folder is removed when the guard is dropped.
pub(super) fn temporary(
    name: &str,
    bytes: &[u8],
) -> Result<(tempfile::TempDir, std::path::PathBuf)> {
    let io = |e: std::io::Error| Error::Internal(format!("cannot stage an upload: {e}"));
    let dir = tempfile::tempdir().map_err(io)?;
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).map_err(io)?;
    Ok((dir, path))
}
