//! `aidledger import`: bring data in from a file. `import iati FILE` imports IATI 2.03
//! activity XML into the ledger (a preview, then applied unless `--dry-run` or an activity has
//! an error), and `import iati FILE --schema-only` only checks it against the official schema.
//! This module only reads the file and reports: the checks are [`crate::import::iati`]'s and
//! the import is [`crate::actions::iati_import`]'s.

use crate::error::{Error, Result};
use crate::import::iati::{self, CheckError, XmlRefusal};
use clap::{Args, Subcommand};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The exit code of a file that breaks the schema (0: valid; 1: not read or not available).
pub const EXIT_INVALID: u8 = 3;

#[derive(Subcommand, Debug)]
pub enum ImportCmd {
    /// IATI 2.03 activity XML: checked against the official IATI schema, then each activity
    /// is previewed and all are applied in one transaction unless --dry-run or any has an
    /// error; --schema-only checks the schema alone.
    Iati(ImportIatiArgs),
    /// A filled-in CSV template (or a folder of them): checked row by row, then applied in
    /// one transaction unless --dry-run or any row has an error.
    Csv(super::sheets::SheetImportArgs),
    /// A filled-in XLSX workbook, one sheet per record type; as for csv.
    Xlsx(super::sheets::SheetImportArgs),
}

#[derive(Args, Debug)]
#[command(after_help = "\
Exit codes:
  0  --schema-only: the file is valid against the IATI 2.03 activity schema; otherwise:
     the import was applied, or a dry run found no error
  1  the file was not read: it cannot be opened, is larger than 64 MiB, is not well-formed
     UTF-8 XML, or is unsafe (a DTD, an entity other than the predefined ones, nesting
     deeper than 64, too many nodes); or (without --schema-only) it breaks the schema or
     an activity has an error, and nothing was imported (the preview is printed first)
  3  the file breaks the schema (with --schema-only): the first 20 violations are printed
     (line, column, element path and the rule broken)")]
pub struct ImportIatiArgs {
    /// The IATI activity XML file.
    pub file: PathBuf,
    /// Check the file against the official IATI 2.03 activity schema only; import nothing.
    #[arg(long)]
    pub schema_only: bool,
    /// Print the preview and change nothing.
    #[arg(long, conflicts_with = "schema_only")]
    pub dry_run: bool,
    /// How to print the preview: table (default) or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

/// Runs `import iati FILE` (without `--schema-only`) as the command-line (system) actor: the
/// preview, then an error when any activity had one (nothing is then imported).
pub async fn import_iati(ctx: &crate::actions::Ctx, a: ImportIatiArgs) -> Result<()> {
    let json = super::sheets::json_format(&a.format)?;
    let req = crate::actions::iati_import::IatiImportRequest {
        path: a.file,
        dry_run: a.dry_run,
    };
    let actor = crate::actions::Actor::system("cli");
    let preview = crate::actions::iati_import::import_iati(ctx, &actor, &req).await?;
    super::sheets::finish(super::sheets::show(&preview, json)?)
}

/// Runs an import command and returns the exit code it ends with (0, or [`EXIT_INVALID`]);
/// a file that cannot be read or is unsafe is an error (exit 1).
pub fn run(cmd: ImportCmd) -> Result<u8> {
    match cmd {
        // Only --schema-only arrives here: importing IATI, like the spreadsheet imports,
        // needs the database, and cli::run dispatches it itself.
        ImportCmd::Iati(args) => iati_file(&args),
        ImportCmd::Csv(_) | ImportCmd::Xlsx(_) => Ok(0),
    }
}

fn iati_file(args: &ImportIatiArgs) -> Result<u8> {
    let shown = args.file.display();
    let bytes = read_bounded(&args.file)?;
    match iati::check_schema(&bytes) {
        Ok(()) => {
            outln!("{shown}: valid (IATI 2.03 activity schema)");
            Ok(0)
        }
        Err(CheckError::Unsafe(refusal)) => Err(unsafe_file(&args.file, &refusal)),
        Err(CheckError::Invalid(violations)) => {
            let more = if violations.len() >= iati::MAX_VIOLATIONS {
                format!(" (the first {})", iati::MAX_VIOLATIONS)
            } else {
                String::new()
            };
            outln!("{shown}: not valid against the IATI 2.03 activity schema{more}:");
            for v in &violations {
                outln!("  {v}");
            }
            Ok(EXIT_INVALID)
        }
    }
}

fn unsafe_file(path: &Path, refusal: &XmlRefusal) -> Error {
    Error::Invalid {
        field: Some("file".into()),
        code: "unsafe_xml",
        message: format!("{} was not read: {refusal}", path.display()),
    }
}

/// Reads the file, refusing one over the size limit before reading it.
fn read_bounded(path: &Path) -> Result<Vec<u8>> {
    let cannot = |e: std::io::Error| Error::Invalid {
        field: Some("file".into()),
        code: "file_unreadable",
        message: format!("cannot read {}: {e}", path.display()),
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let max = iati::MAX_BYTES;
    let len = file.metadata().map_err(cannot)?.len();
    if usize::try_from(len).map_or(true, |l| l > max) {
        let bytes = usize::try_from(len).unwrap_or(usize::MAX);
        return Err(unsafe_file(path, &XmlRefusal::TooLarge { bytes, max }));
    }
    let mut bytes = Vec::new();
    // The bound holds even if the file grows while it is read.
    file.take(u64::try_from(max).unwrap_or(u64::MAX) + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    Ok(bytes)
}
