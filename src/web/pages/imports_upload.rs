//! The import upload form's body: a multipart form with the file, its kind and the CSRF
//! token, read by [`super::upload`] with the file up to the import limit (one byte over is
//! enough to say "too large").

use super::upload::{FileField, FileLimit, Read, read_form};
use crate::actions::imports::ImportUpload;
#[cfg(test)]
use crate::config::server::IMPORT_FILE_LIMIT;
use crate::domain::item::ImportKind;
use crate::interchange::read::MAX_FILE_BYTES;
use rocket::data::{self, Data, FromData};
use rocket::outcome::Outcome;
use rocket::request::Request;

/// Import files are read up to the import limit (one byte over says "too large").
pub struct ImportLimit;

impl FileLimit for ImportLimit {
    /// `limits.import-file`, the server configuration's [`IMPORT_FILE_LIMIT`].
    const KEY: &'static str = "import-file";
    const DEFAULT: u64 = MAX_FILE_BYTES + 1;
}

#[derive(rocket::FromForm)]
struct Fields {
    #[field(name = "_csrf")]
    csrf: String,
    kind: Option<String>,
    file: Option<FileField<ImportLimit>>,
}

/// What the upload form brought.
pub enum Sent {
    File(ImportUpload),
    TooLarge,
    /// No file chosen, an unknown kind, or a form that could not be read.
    Nothing,
}

/// Reads the multipart upload and checks its `_csrf` field.
#[rocket::async_trait]
impl<'r> FromData<'r> for Sent {
    type Error = ();

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self, ()> {
        let form_limit = MAX_FILE_BYTES + 1 + crate::config::server::UPLOAD_FORM_ROOM;
        let fields = match read_form(req, data, form_limit, |f: &Fields| &f.csrf).await {
            Outcome::Success(Read::Form(f)) => f,
            Outcome::Success(Read::TooLarge) => return Outcome::Success(Sent::TooLarge),
            Outcome::Success(Read::Unreadable) => return Outcome::Success(Sent::Nothing),
            Outcome::Error(e) => return Outcome::Error(e),
            Outcome::Forward(f) => return Outcome::Forward(f),
        };
        let kind = fields
            .kind
            .as_deref()
            .and_then(|k| k.parse::<ImportKind>().ok());
        Outcome::Success(match (fields.file, kind) {
            (Some(f), _) if !f.complete => Sent::TooLarge,
            (Some(f), Some(kind)) if !f.bytes.is_empty() => Sent::File(ImportUpload {
                name: f.name,
                kind,
                bytes: f.bytes,
            }),
            _ => Sent::Nothing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_import_field_reads_up_to_the_configured_import_limit() {
        assert_eq!(IMPORT_FILE_LIMIT, format!("limits.{}", ImportLimit::KEY));
    }
}
