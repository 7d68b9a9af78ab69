//! The operations of uploaded imports: upload with a preview, apply, list, read.

use super::*;

/// The upload's body: the file itself, in one of the three kinds.
pub(in super::super) fn upload_body() -> Value {
    let file = json!({"schema": {"type": "string", "format": "binary"}});
    json!({"required": true, "content": {
        "text/csv": file,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": file,
        "application/xml": file,
        "application/octet-stream": file,
    }})
}

pub(super) fn imports() -> Vec<Op> {
    vec![
        write(with(
            op(
                "post",
                "/imports",
                "uploadImport",
                "Upload a CSV, XLSX or IATI file (the body is the file, at most 64 MB; 413 above): it is stored with the preview of a dry run, state previewed or refused (error rows)",
                None,
                201,
                Some(r("Import")),
            ),
            vec![
                query("kind", codes(&["csv", "xlsx", "iati"])),
                query("name", text(200)),
            ],
        )),
        write(with(
            op(
                "post",
                "/imports/{id}/apply",
                "applyImport",
                "Apply a previewed import, all or nothing; 422 with {error, import} (the new preview) when rows fail now, 409 when already applied",
                None,
                200,
                Some(r("Import")),
            ),
            vec![path_id()],
        )),
        with(
            op(
                "get",
                "/imports",
                "listImports",
                "The newest imports in the caller's scope, without their rows",
                None,
                200,
                Some(array(r("ImportSummary"))),
            ),
            vec![query(
                "limit",
                json!({"type": "integer", "minimum": 1, "maximum": 500}),
            )],
        ),
        with(
            op(
                "get",
                "/imports/{id}",
                "getImport",
                "One import with its preview",
                None,
                200,
                Some(r("Import")),
            ),
            vec![path_id()],
        ),
    ]
}
