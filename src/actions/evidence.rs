//! Evidence documents attached to disbursements, milestones and promotion activities. NGO
//! staff attach files to their own organisation's disbursement reports and milestone progress;
//! coordinators to any disbursement, milestone or activity. Everyone who may see the record
//! (for an activity, NGO staff of an organisation that took part) may list and download its
//! documents, through the same scope as the record: another organisation's document is "not
//! found", exactly as one that does not exist. Attaching and removing are audited (name, type,
//! size and SHA-256; the bytes themselves stay out of the audit trail).

use super::scope::{self, Scope};
use super::{Actor, Ctx, record};
use crate::db::Tx;
use crate::db::evidence::{self, Document, NewDocument};
use crate::db::items::AidItem;
use crate::domain::document::{DocKind, safe_name};
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use sha2::{Digest, Sha256};

/// The record a document belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Disbursement(i64),
    Milestone(i64),
    Activity(i64),
}

/// The record whose page lists a document: the aid item of a disbursement or milestone, or
/// the promotion activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Item(i64),
    Activity(i64),
}

/// A file as received: the name it was sent with (not trusted) and its bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A document's metadata and bytes, for a download.
#[derive(Debug, Clone)]
pub struct Download {
    pub doc: Document,
    pub bytes: Vec<u8>,
}

pub fn document_not_found(id: i64) -> Error {
    Error::NotFound(format!("document {id}"))
}

/// Refuses a file that is empty, over `max_bytes`, or not a PDF, JPEG or PNG by its content.
pub fn check_file(bytes: &[u8], max_bytes: u64) -> Result<DocKind> {
    if bytes.is_empty() {
        return Err(Error::invalid(
            "file",
            "evidence_empty",
            "choose a file to attach: the one sent is empty",
        ));
    }
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max_bytes {
        return Err(Error::invalid(
            "file",
            "evidence_too_large",
            format!(
                "the file is larger than the limit of {} MiB",
                max_bytes / (1024 * 1024)
            ),
        ));
    }
    DocKind::sniff(bytes).ok_or_else(|| {
        Error::invalid(
            "file",
            "evidence_type",
            "the file is not a PDF, JPEG or PNG (its content was checked, not its name)",
        )
    })
}

/// Who may attach to `target`: coordinators to any record, NGO staff to their own
/// organisation's (scope first, so another's record is "not found"); to an activity,
/// coordinators only. Returns the record whose page lists it.
async fn may_attach(tx: &mut Tx, actor: &Actor, target: Target) -> Result<Owner> {
    let staff = match target {
        Target::Disbursement(_) => Permission::EditLedger,
        Target::Milestone(_) => Permission::EditMilestones,
        Target::Activity(id) => {
            super::mobilisation::activities::may_attach_in(tx, actor, id).await?;
            return Ok(Owner::Activity(id));
        }
    };
    let scope = if actor.require(staff).is_ok() {
        Scope::All
    } else {
        actor.require(Permission::ReportProgress)?;
        Scope::of(actor)?
    };
    let item_id = match target {
        Target::Disbursement(id) => scope::disbursement(tx, scope, id).await?.item_id,
        Target::Milestone(id) => scope::milestone(tx, scope, id).await?.item_id,
        Target::Activity(id) => return Ok(Owner::Activity(id)),
    };
    Ok(Owner::Item(item_id))
}

pub async fn attach(
    ctx: &Ctx,
    actor: &Actor,
    target: Target,
    file: &Upload,
) -> Result<(Owner, Document)> {
    let mut tx = ctx.store.write().await?;
    let out = attach_in(&mut tx, actor, target, file, ctx.config.evidence_max_bytes).await?;
    tx.commit().await?;
    Ok(out)
}

/// Checks and stores `file` on `target`; returns the record whose page lists it and the
/// stored document.
pub async fn attach_in(
    tx: &mut Tx,
    actor: &Actor,
    target: Target,
    file: &Upload,
    max_bytes: u64,
) -> Result<(Owner, Document)> {
    let owner = may_attach(tx, actor, target).await?;
    let kind = check_file(&file.bytes, max_bytes)?;
    let name = safe_name(&file.name, kind);
    let sha = hex::encode(Sha256::digest(&file.bytes));
    let (disbursement_id, milestone_id, activity_id) = match target {
        Target::Disbursement(id) => (Some(id), None, None),
        Target::Milestone(id) => (None, Some(id), None),
        Target::Activity(id) => (None, None, Some(id)),
    };
    let now = crate::db::now();
    let doc = evidence::insert_document(
        tx,
        &NewDocument {
            disbursement_id,
            milestone_id,
            activity_id,
            file_name: &name,
            content_type: kind.mime(),
            sha256: &sha,
            content: &file.bytes,
            uploaded_by: actor.user_id,
            uploaded_by_name: &actor.name,
        },
        now,
    )
    .await?;
    record::<(), _>(
        tx,
        actor,
        "evidence.attach",
        "evidence_document",
        doc.id,
        None,
        Some(&doc),
        now,
    )
    .await?;
    Ok((owner, doc))
}

/// The document if the actor may see the record it belongs to.
async fn visible(tx: &mut Tx, actor: &Actor, id: i64) -> Result<(Owner, Document)> {
    let scope = Scope::of(actor)?;
    let doc = evidence::get_document(tx, id)
        .await?
        .ok_or_else(|| document_not_found(id))?;
    let owner = match (doc.disbursement_id, doc.milestone_id, doc.activity_id) {
        (Some(d), _, _) => scope::disbursement(tx, scope, d)
            .await
            .map(|d| Owner::Item(d.item_id)),
        (None, Some(m), _) => scope::milestone(tx, scope, m)
            .await
            .map(|m| Owner::Item(m.item_id)),
        (None, None, Some(a)) => super::mobilisation::activities::visible_in(tx, actor, a)
            .await
            .map(|_| Owner::Activity(a)),
        (None, None, None) => Err(document_not_found(id)),
    };
    match owner {
        Ok(owner) => Ok((owner, doc)),
        Err(Error::NotFound(_)) => Err(document_not_found(id)),
        Err(e) => Err(e),
    }
}

/// Document `id` with its bytes, for whoever may see its record.
pub async fn download(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Download> {
    let mut tx = ctx.store.read().await?;
    let (_, doc) = visible(&mut tx, actor, id).await?;
    let bytes = evidence::get_content(&mut tx, id)
        .await?
        .ok_or_else(|| document_not_found(id))?;
    Ok(Download { doc, bytes })
}

/// The documents of the given items' disbursements and milestones (the item page, the NGO
/// portal), in one query. Items the actor may not see are left out, so their documents are
/// never listed.
pub async fn of_items_in(tx: &mut Tx, actor: &Actor, items: &[&AidItem]) -> Result<Vec<Document>> {
    let scope = Scope::of(actor)?;
    let ids: Vec<i64> = items
        .iter()
        .filter(|i| scope.sees_item(i))
        .map(|i| i.id)
        .collect();
    evidence::list_for_items(tx, &ids).await
}

/// The documents of the given disbursements that the actor may see (the review queue).
pub async fn of_disbursements(ctx: &Ctx, actor: &Actor, ids: &[i64]) -> Result<Vec<Document>> {
    let scope = Scope::of(actor)?;
    let mut tx = ctx.store.read().await?;
    let mut seen = Vec::with_capacity(ids.len());
    for id in ids {
        match scope::disbursement(&mut tx, scope, *id).await {
            Ok(_) => seen.push(*id),
            Err(Error::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    evidence::list_for_disbursements(&mut tx, &seen).await
}

/// The documents of promotion activity `id`, for whoever may see the activity.
pub async fn of_activity(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Vec<Document>> {
    let mut tx = ctx.store.read().await?;
    super::mobilisation::activities::visible_in(&mut tx, actor, id).await?;
    evidence::list_for_activity(&mut tx, id).await
}

/// Removes document `id`: a coordinator may remove any, NGO staff only the ones they attached
/// themselves. Returns the record whose page listed it.
pub async fn remove(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Owner> {
    let mut tx = ctx.store.write().await?;
    let (owner, doc) = visible(&mut tx, actor, id).await?;
    let staff = match owner {
        Owner::Item(_) => actor.require(Permission::EditLedger).is_ok(),
        Owner::Activity(_) => actor.require(Permission::EditMobilisation).is_ok(),
    };
    let own = actor.user_id.is_some()
        && actor.user_id == doc.uploaded_by
        && actor.require(Permission::ReportProgress).is_ok();
    if !(staff || own) {
        return Err(Error::Forbidden(
            "only a coordinator or the person who attached a document may remove it".into(),
        ));
    }
    evidence::delete_document(&mut tx, id).await?;
    record::<_, ()>(
        &mut tx,
        actor,
        "evidence.remove",
        "evidence_document",
        id,
        Some(&doc),
        None,
        crate::db::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(owner)
}
