//! Organisations: the list, registering a new one, and the record's page with its edit form
//! (for those who may edit organisations).
//!
//! The list is grouped the way the Department thinks of them: foreign NGOs (the bodies it
//! registers, with their registration certificate's status), funding sources, and the
//! Vietnamese aid owners and managing agencies; sorted by name in the reader's language,
//! without regard to accents. Only foreign NGOs need a certificate (Decree 58/2022/NĐ-CP),
//! so only they get a certificate badge.

use super::{Form, Opt, t};
use crate::actions::{Ctx, orgs, queries, today_in_vietnam, updates};
use crate::db::orgs::{NewOrganisation, Organisation};
use crate::domain::Lang;
use crate::domain::item::{CertificateType, OrgKind};
use crate::domain::role::Permission;
use crate::error::Result;
use crate::web::pages::fmt;
use crate::web::pages::frame::{Frame, Page, Posted, Viewer};
use askama::Template;
use rocket::State;
use rocket::http::Status;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use std::collections::HashMap;

#[must_use]
pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![list, new_org, create_org, show_org, update_org]
}

pub struct OrgRow {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub nationality: String,
    pub cert: String,
    pub valid_to: String,
    /// `valid`, `expiring`, `expired` or `none`.
    pub cert_status: &'static str,
    pub cert_label: &'static str,
    /// A kind that must hold a registration certificate (foreign NGOs): only these show the
    /// certificate's status.
    pub needs_cert: bool,
}

/// Whether organisations of `kind` must hold a registration certificate.
fn needs_cert(kind: OrgKind) -> bool {
    kind == OrgKind::ForeignNgo
}

/// One group of the list: its heading and its rows, sorted by name.
pub struct OrgGroup {
    /// `foreign_ngo`, `funder` or `vietnamese`: the table's id suffix.
    pub key: &'static str,
    pub heading: &'static str,
    pub hint: &'static str,
    /// Shows the certificate columns (foreign NGOs).
    pub certs: bool,
    /// Shows the kind column (the Vietnamese group holds two kinds).
    pub kinds: bool,
    pub rows: Vec<OrgRow>,
}

/// The groups in the order the list shows them; a group without organisations is left out.
fn groups(all: &[Organisation], lang: Lang) -> Vec<OrgGroup> {
    let spec: [(&'static str, &[OrgKind], bool, bool); 3] = [
        ("foreign_ngo", &[OrgKind::ForeignNgo], true, false),
        ("funder", &[OrgKind::Funder], false, false),
        (
            "vietnamese",
            &[OrgKind::AidOwner, OrgKind::ManagingAgency],
            false,
            true,
        ),
    ];
    spec.into_iter()
        .filter_map(|(key, kinds, certs, show_kind)| {
            let mut list: Vec<(String, OrgRow)> = all
                .iter()
                .filter(|o| kinds.contains(&o.kind))
                .map(|o| {
                    let r = row(o, lang);
                    (queries::search_key(&r.name), r)
                })
                .collect();
            list.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
            (!list.is_empty()).then(|| OrgGroup {
                key,
                heading: t(lang, &format!("lists.org.group.{key}")),
                hint: t(lang, &format!("lists.org.group.{key}_hint")),
                certs,
                kinds: show_kind,
                rows: list.into_iter().map(|(_, r)| r).collect(),
            })
        })
        .collect()
}

fn cert_status(o: &Organisation) -> &'static str {
    let today = today_in_vietnam();
    match o.cert_valid_to {
        None if o.cert_number.is_none() => "none",
        None => "valid",
        Some(to) if to < today => "expired",
        Some(to) if to <= today + chrono::Duration::days(60) => "expiring",
        Some(_) => "valid",
    }
}

fn row(o: &Organisation, lang: Lang) -> OrgRow {
    let status = cert_status(o);
    OrgRow {
        id: o.id,
        name: super::items::org_name(lang, &o.name_vi, &o.name_en),
        kind: o.kind.label(lang),
        nationality: fmt::country(&o.nationality, lang),
        cert: o.cert_number.clone().unwrap_or_default(),
        valid_to: fmt::opt_date(o.cert_valid_to, lang),
        cert_status: status,
        cert_label: t(lang, &format!("forms.org.cert_{status}")),
        needs_cert: needs_cert(o.kind),
    }
}

#[derive(Template)]
#[template(path = "forms/orgs.html", config = "src/web/pages/askama.toml")]
struct ListPage {
    f: Frame,
    groups: Vec<OrgGroup>,
    can_edit: bool,
}

#[rocket::get("/organisations")]
pub async fn list(ctx: &State<Ctx>, v: Viewer, flash: Option<FlashMessage<'_>>) -> Result<Page> {
    let all = queries::list_organisations(ctx, &v.actor, None, None).await?;
    Page::render(&ListPage {
        f: Frame::new(&v, "/organisations", "forms.org.list_title", flash),
        groups: groups(&all, v.lang),
        can_edit: v.actor.require(Permission::EditOrganisations).is_ok(),
    })
}

#[derive(Template)]
#[template(path = "forms/org.html", config = "src/web/pages/askama.toml")]
struct OrgPage {
    f: Frame,
    fm: Form,
    action: String,
    row: Option<OrgRow>,
    can_edit: bool,
    kinds: Vec<Opt>,
    cert_types: Vec<Opt>,
}

fn org_page(
    v: &Viewer,
    fm: Form,
    org: Option<&Organisation>,
    flash: Option<FlashMessage<'_>>,
) -> OrgPage {
    let lang = v.lang;
    let (path, title) = match org {
        Some(o) => (format!("/organisations/{}", o.id), "forms.org.title"),
        None => ("/organisations/new".to_string(), "forms.org.new_title"),
    };
    OrgPage {
        f: Frame::new(v, &path, title, flash),
        fm,
        action: path,
        row: org.map(|o| row(o, lang)),
        can_edit: v.actor.require(Permission::EditOrganisations).is_ok(),
        kinds: OrgKind::ALL
            .iter()
            .map(|k| Opt::new(k, k.label(lang)))
            .collect(),
        cert_types: CertificateType::ALL
            .iter()
            .map(|k| Opt::new(k, k.label(lang)))
            .collect(),
    }
}

#[rocket::get("/organisations/new")]
pub async fn new_org(v: Viewer) -> Result<Page> {
    v.actor.require(Permission::EditOrganisations)?;
    let fm = Form::with(v.lang, &[("kind", "foreign_ngo".into())]);
    Page::render(&org_page(&v, fm, None, None))
}

struct Fields {
    name_vi: String,
    name_en: String,
    cert_type: Option<CertificateType>,
    cert_valid_from: Option<chrono::NaiveDate>,
    cert_valid_to: Option<chrono::NaiveDate>,
}

fn read(fm: &mut Form) -> Fields {
    Fields {
        name_vi: fm.text("name_vi"),
        name_en: fm.text("name_en"),
        cert_type: fm.opt_pick("cert_type"),
        cert_valid_from: fm.opt_date("cert_valid_from"),
        cert_valid_to: fm.opt_date("cert_valid_to"),
    }
}

#[rocket::post("/organisations/new", data = "<form>")]
pub async fn create_org(
    ctx: &State<Ctx>,
    v: Viewer,
    form: Posted<HashMap<String, String>>,
) -> Result<Result<Flash<Redirect>, Page>> {
    let mut fm = Form::new(v.lang, form.value);
    let x = read(&mut fm);
    let kind = fm.pick::<OrgKind>("kind");
    let nationality = fm.text("nationality").to_uppercase();
    if let (Some(kind), false) = (kind, fm.has_errors()) {
        let cmd = NewOrganisation {
            kind,
            name_vi: x.name_vi,
            name_en: x.name_en,
            acronym: fm.opt_text("acronym"),
            nationality,
            iati_ref: fm.opt_text("iati_ref"),
            cert_type: x.cert_type,
            cert_number: fm.opt_text("cert_number"),
            cert_valid_from: x.cert_valid_from,
            cert_valid_to: x.cert_valid_to,
            sectors: vec![],
            provinces: vec![],
        };
        match orgs::create_organisation(ctx, &v.actor, cmd).await {
            Ok(id) => {
                return Ok(Ok(Flash::success(
                    Redirect::to(format!("/organisations/{id}")),
                    t(v.lang, "forms.org.created"),
                )));
            }
            Err(e) => fm.refused(e)?,
        }
    }
    let p = org_page(&v, fm, None, None);
    Ok(Err(Page::with_status(Status::UnprocessableEntity, &p)?))
}

fn values(lang: Lang, o: &Organisation) -> Form {
    let s = |x: &Option<String>| x.clone().unwrap_or_default();
    Form::with(
        lang,
        &[
            ("name_vi", o.name_vi.clone()),
            ("name_en", o.name_en.clone()),
            ("acronym", s(&o.acronym)),
            ("iati_ref", s(&o.iati_ref)),
            (
                "cert_type",
                o.cert_type
                    .map(|c| c.code().to_string())
                    .unwrap_or_default(),
            ),
            ("cert_number", s(&o.cert_number)),
            (
                "cert_valid_from",
                o.cert_valid_from.map(|d| d.to_string()).unwrap_or_default(),
            ),
            (
                "cert_valid_to",
                o.cert_valid_to.map(|d| d.to_string()).unwrap_or_default(),
            ),
        ],
    )
}

#[rocket::get("/organisations/<id>")]
pub async fn show_org(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    flash: Option<FlashMessage<'_>>,
) -> Result<Page> {
    let o = queries::get_organisation(ctx, &v.actor, id).await?;
    Page::render(&org_page(&v, values(v.lang, &o), Some(&o), flash))
}

#[rocket::post("/organisations/<id>", data = "<form>")]
pub async fn update_org(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    form: Posted<HashMap<String, String>>,
) -> Result<Result<Flash<Redirect>, Page>> {
    let o = queries::get_organisation(ctx, &v.actor, id).await?;
    let mut fm = Form::new(v.lang, form.value);
    let x = read(&mut fm);
    if !fm.has_errors() {
        let patch = updates::OrganisationPatch {
            name_vi: Some(x.name_vi),
            name_en: Some(x.name_en),
            acronym: Some(fm.opt_text("acronym")),
            iati_ref: Some(fm.opt_text("iati_ref")),
            cert_type: Some(x.cert_type),
            cert_number: Some(fm.opt_text("cert_number")),
            cert_valid_from: Some(x.cert_valid_from),
            cert_valid_to: Some(x.cert_valid_to),
        };
        match updates::update_organisation(ctx, &v.actor, id, &patch).await {
            Ok(_) => {
                return Ok(Ok(Flash::success(
                    Redirect::to(format!("/organisations/{id}")),
                    t(v.lang, "forms.org.saved"),
                )));
            }
            Err(e) => fm.refused(e)?,
        }
    }
    let p = org_page(&v, fm, Some(&o), None);
    Ok(Err(Page::with_status(Status::UnprocessableEntity, &p)?))
}
