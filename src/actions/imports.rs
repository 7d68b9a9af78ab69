//! Imports uploaded from the pages or the API: the file is stored in the database with the
//! preview of a dry run, and applied later, by its uploader or a coordinator, by running the
//! import again on the stored bytes (any application instance can, since the bytes are not on
//! one machine's disk). What a file may change is the import's own decision (see
//! `sheets::gate`), so an upload here and `aidledger import` on the command line agree.
//!
//! Who may upload, from the permission matrix: anyone who may change some record a template
//! carries. Coordinators import organisations, aid items, commitments, disbursements and
//! milestones; reviewers hold `EditRates`, so they import exchange rates (their other rows are
//! error rows saying who may import them); NGO staff import their own organisation's
//! disbursement reports (stored as drafts) and milestone progress (stored as reports for a
//! coordinator to accept). Administrators hold none of these and may not upload; like every
//! province role they may read the list. NGO staff see only their own organisation's uploads.

mod file;
mod view;

pub use file::safe_file_name;

pub use view::{CellChange, RowOutcome, RowProblem, RowResult, StoredPreview};

use super::idempotency::{Answer, Idempotency, remember, replay};
use super::scope::Scope;
use super::{Actor, Ctx, record};
use crate::db::Tx;
use crate::db::imports::{self, ImportRow, NewImport, RunOutcome};
use crate::domain::item::{ImportKind, ImportState};
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use file::{check_size, run, temporary};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// A file as received: the name it was sent with (not trusted), its kind and its bytes.
#[derive(Debug, Clone)]
pub struct ImportUpload {
    pub name: String,
    pub kind: ImportKind,
    pub bytes: Vec<u8>,
}

/// A stored import as lists show it: no preview rows, only their counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub id: i64,
    pub kind: ImportKind,
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub uploaded_by: Option<i64>,
    pub uploaded_by_name: String,
    pub organisation_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub state: ImportState,
    pub new: i64,
    pub changed: i64,
    pub unchanged: i64,
    pub errors: i64,
    pub applied_at: Option<DateTime<Utc>>,
    pub applied_by_name: Option<String>,
}

/// A stored import with the preview of its latest run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredImport {
    #[serde(flatten)]
    pub summary: ImportSummary,
    pub preview: StoredPreview,
}

fn summary(r: &ImportRow) -> ImportSummary {
    ImportSummary {
        id: r.id,
        kind: r.kind,
        file_name: r.file_name.clone(),
        sha256: r.sha256.clone(),
        size_bytes: r.size_bytes,
        uploaded_by: r.uploaded_by,
        uploaded_by_name: r.uploaded_by_name.clone(),
        organisation_id: r.organisation_id,
        created_at: r.created_at,
        state: r.state,
        new: r.new_rows,
        changed: r.changed_rows,
        unchanged: r.unchanged_rows,
        errors: r.error_rows,
        applied_at: r.applied_at,
        applied_by_name: r.applied_by_name.clone(),
    }
}

fn stored(r: &ImportRow) -> Result<StoredImport> {
    Ok(StoredImport {
        summary: summary(r),
        preview: StoredPreview::parse(&r.preview)?,
    })
}

pub fn import_not_found(id: i64) -> Error {
    Error::NotFound(format!("import {id}"))
}

/// The permissions that open some record type of an import.
const IMPORTING: [Permission; 6] = [
    Permission::EditOrganisations,
    Permission::EditItems,
    Permission::EditLedger,
    Permission::EditMilestones,
    Permission::EditRates,
    Permission::ReportProgress,
];

fn may_upload(actor: &Actor) -> Result<()> {
    if IMPORTING.iter().any(|p| actor.require(*p).is_ok()) {
        return Ok(());
    }
    Err(Error::Forbidden(
        "imports are made by coordinators, by reviewers (exchange rates) and by NGO staff (their own organisation's reports); this role may not upload one".into(),
    ))
}

fn state_of(p: &StoredPreview) -> ImportState {
    if p.errors > 0 {
        ImportState::Refused
    } else {
        ImportState::Previewed
    }
}

/// Checks and dry-runs an upload; returns its safe name, SHA-256 and preview.
async fn dry_run(
    ctx: &Ctx,
    actor: &Actor,
    upload: &ImportUpload,
) -> Result<(String, String, StoredPreview)> {
    may_upload(actor)?;
    Scope::of(actor)?;
    check_size(&upload.bytes)?;
    let name = safe_file_name(&upload.name, upload.kind);
    let (_dir, path) = temporary(&name, &upload.bytes)?;
    let preview = run(ctx, actor, upload.kind, &path, true, async |_, _| Ok(())).await?;
    let sha = hex::encode(Sha256::digest(&upload.bytes));
    let preview = StoredPreview::of(&preview, &name)?;
    Ok((name, sha, preview))
}

async fn store_in(
    tx: &mut Tx,
    actor: &Actor,
    upload: &ImportUpload,
    (name, sha, preview): (String, String, StoredPreview),
) -> Result<StoredImport> {
    let organisation_id = match Scope::of(actor)? {
        Scope::Organisation(own) => Some(own),
        Scope::All => None,
    };
    let json = preview.to_json()?;
    let now = crate::db::now();
    let row = imports::insert_import(
        tx,
        &NewImport {
            kind: upload.kind,
            file_name: &name,
            sha256: &sha,
            content: &upload.bytes,
            uploaded_by: actor.user_id,
            uploaded_by_name: &actor.name,
            organisation_id,
            run: RunOutcome {
                state: state_of(&preview),
                preview: &json,
                counts: preview.counts(),
            },
        },
        now,
    )
    .await?;
    let out = StoredImport {
        summary: summary(&row),
        preview,
    };
    record::<(), _>(
        tx,
        actor,
        "imports.upload",
        "import",
        row.id,
        None,
        Some(&out.summary),
        now,
    )
    .await?;
    Ok(out)
}

/// Stores an upload with the preview of a dry run. A file the import cannot read at all (an
/// unknown template, another encoding) is refused and nothing is stored; a file with error
/// rows is stored as `refused`, so its preview can be read, and cannot be applied.
pub async fn preview_upload(
    ctx: &Ctx,
    actor: &Actor,
    upload: ImportUpload,
) -> Result<StoredImport> {
    let run = dry_run(ctx, actor, &upload).await?;
    let mut tx = ctx.store.write().await?;
    let out = store_in(&mut tx, actor, &upload, run).await?;
    tx.commit().await?;
    Ok(out)
}

/// [`preview_upload`] for the API: with a key, a retry gets the stored answer (201 with the
/// first upload's import) instead of a second import.
pub async fn preview_upload_keyed(
    ctx: &Ctx,
    actor: &Actor,
    upload: ImportUpload,
    idem: Option<&Idempotency>,
) -> Result<Answer> {
    let run = dry_run(ctx, actor, &upload).await?;
    super::idempotency::write(ctx, actor, idem, 201, async |tx| {
        store_in(tx, actor, &upload, run).await
    })
    .await
}

/// The import if the actor may see it: NGO staff their organisation's, province staff all.
async fn visible(tx: &mut Tx, actor: &Actor, id: i64) -> Result<ImportRow> {
    let scope = Scope::of(actor)?;
    match imports::get_import(tx, id).await? {
        Some(r)
            if scope == Scope::All
                || r.organisation_id
                    .is_some_and(|o| scope.sees_organisation(o)) =>
        {
            Ok(r)
        }
        _ => Err(import_not_found(id)),
    }
}

pub async fn get_import(ctx: &Ctx, actor: &Actor, id: i64) -> Result<StoredImport> {
    let mut tx = ctx.store.read().await?;
    stored(&visible(&mut tx, actor, id).await?)
}

/// The newest imports the actor may see (at most `limit`, newest first).
pub async fn list_imports(ctx: &Ctx, actor: &Actor, limit: i64) -> Result<Vec<ImportSummary>> {
    let org = match Scope::of(actor)? {
        Scope::Organisation(own) => Some(own),
        Scope::All => None,
    };
    let mut tx = ctx.store.read().await?;
    let rows = imports::list_imports(&mut tx, org, limit.clamp(1, 500)).await?;
    Ok(rows.iter().map(summary).collect())
}

/// Applies a previewed import by running it again on its stored bytes as `actor`. Only its
/// uploader or a coordinator may; an applied import is a 409 and a refused one a 422. When
/// the data changed since the preview and rows now fail, nothing is applied: the import is
/// returned `refused` with the new preview (check `summary.state`).
pub async fn apply_import(ctx: &Ctx, actor: &Actor, id: i64) -> Result<StoredImport> {
    apply_import_keyed(ctx, actor, id, None).await
}

/// [`apply_import`] for the API: with a key, the answer is stored in the import's own
/// transaction, so a retry gets it back (see [`replay_apply`]) instead of a 409.
pub async fn apply_import_keyed(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    idem: Option<&Idempotency>,
) -> Result<StoredImport> {
    let (row, bytes) = {
        let mut tx = ctx.store.read().await?;
        let row = visible(&mut tx, actor, id).await?;
        let bytes = imports::get_content(&mut tx, id)
            .await?
            .ok_or_else(|| import_not_found(id))?;
        (row, bytes)
    };
    let own = actor.user_id.is_some() && actor.user_id == row.uploaded_by;
    if !own && actor.require(Permission::EditLedger).is_err() {
        return Err(Error::Forbidden(
            "an import is applied by the person who uploaded it or by a coordinator".into(),
        ));
    }
    match row.state {
        ImportState::Previewed => {}
        ImportState::Applied => return Err(already_applied(&row)),
        ImportState::Refused => {
            return Err(Error::Request {
                status: 422,
                code: "import_has_errors",
                message: format!(
                    "import {id} has {} rows with errors, so it cannot be applied: correct the file and upload it again",
                    row.error_rows
                ),
            });
        }
    }
    let (_dir, path) = temporary(&row.file_name, &bytes)?;
    let mut applied: Option<StoredImport> = None;
    let preview = run(ctx, actor, row.kind, &path, false, async |tx, p| {
        let mut preview = StoredPreview::of(p, &row.file_name)?;
        preview.applied = true;
        let json = preview.to_json()?;
        let now = crate::db::now();
        let run = RunOutcome {
            state: ImportState::Applied,
            preview: &json,
            counts: preview.counts(),
        };
        if imports::record_run(tx, id, &run, Some((now, actor.user_id, &actor.name))).await? == 0 {
            return Err(already_applied(&row));
        }
        let after = imports::get_import(tx, id)
            .await?
            .ok_or_else(|| import_not_found(id))?;
        let out = StoredImport {
            summary: summary(&after),
            preview,
        };
        record::<(), _>(
            tx,
            actor,
            "imports.apply",
            "import",
            id,
            None,
            Some(&out.summary),
            now,
        )
        .await?;
        let body = serde_json::to_string(&out).map_err(|e| Error::Internal(e.to_string()))?;
        remember(tx, actor, idem, 200, &body).await?;
        applied = Some(out);
        Ok(())
    })
    .await?;
    if let Some(out) = applied.filter(|_| preview.applied) {
        return Ok(out);
    }
    // Rows fail now that did not at the preview: nothing was applied; keep the new preview.
    let preview = StoredPreview::of(&preview, &row.file_name)?;
    let json = preview.to_json()?;
    let mut tx = ctx.store.write().await?;
    let run = RunOutcome {
        state: state_of(&preview),
        preview: &json,
        counts: preview.counts(),
    };
    imports::record_run(&mut tx, id, &run, None).await?;
    let after = imports::get_import(&mut tx, id)
        .await?
        .ok_or_else(|| import_not_found(id))?;
    tx.commit().await?;
    stored(&after)
}

/// The stored answer to an apply retried with the same key, if there is one.
pub async fn replay_apply(
    ctx: &Ctx,
    actor: &Actor,
    idem: Option<&Idempotency>,
) -> Result<Option<Answer>> {
    let mut tx = ctx.store.read().await?;
    replay(&mut tx, actor, idem).await
}

fn already_applied(row: &ImportRow) -> Error {
    Error::conflict(
        "import_already_applied",
        format!(
            "import {} was already applied{}",
            row.id,
            row.applied_by_name
                .as_deref()
                .map(|n| format!(" by {n}"))
                .unwrap_or_default()
        ),
    )
}
