//! `aidledger import`: bring data in from a file. Today it checks IATI 2.03 activity XML
//! against the official schema (`import iati FILE --schema-only`); importing the activities
//! themselves comes with the import mapping and says plainly that it is not available yet.
//! This module only reads the file and reports: the checks are [`crate::import::iati`]'s.

use crate::error::{Error, Result};
use crate::import::iati::{self, CheckError, XmlRefusal};
use clap::{Args, Subcommand};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The exit code of a file that breaks the schema (0: valid; 1: not read or not available).
pub const EXIT_INVALID: u8 = 3;

#[derive(Subcommand, Debug)]
pub enum ImportCmd {
    /// IATI 2.03 activity XML: check it against the official IATI schema (--schema-only).
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
  0  the file is valid against the IATI 2.03 activity schema
  1  the file was not read: it cannot be opened, is larger than 64 MiB, is not well-formed
     UTF-8 XML, or is unsafe (a DTD, an entity other than the predefined ones, nesting
     deeper than 64, too many nodes); or importing is not available yet
  3  the file breaks the schema: the first 20 violations are printed (line, column,
     element path and the rule broken)")]
pub struct ImportIatiArgs {
    /// The IATI activity XML file.
    pub file: PathBuf,
    /// Check the file against the official IATI 2.03 activity schema only; import nothing.
    #[arg(long)]
    pub schema_only: bool,
}

/// Runs an import command and returns the exit code it ends with (0, or [`EXIT_INVALID`]);
/// a file that cannot be read or is unsafe is an error (exit 1).
pub fn run(cmd: ImportCmd) -> Result<u8> {
    match cmd {
        ImportCmd::Iati(args) => iati_file(&args),
        // The spreadsheet imports need the database; cli::run dispatches them itself.
        ImportCmd::Csv(_) | ImportCmd::Xlsx(_) => Ok(0),
    }
}

fn iati_file(args: &ImportIatiArgs) -> Result<u8> {
    if !args.schema_only {
        return Err(Error::Invalid {
            field: None,
            code: "import_not_available",
            message: "importing IATI activities is not available yet; `aidledger import iati FILE --schema-only` checks the file against the IATI 2.03 activity schema".into(),
        });
    }
    let shown = args.file.display();
    let bytes = read_bounded(&args.file)?;
    match iati::check_schema(&bytes) {
        Ok(()) => {
            println!("{shown}: valid (IATI 2.03 activity schema)");
            Ok(0)
        }
        Err(CheckError::Unsafe(refusal)) => Err(unsafe_file(&args.file, &refusal)),
        Err(CheckError::Invalid(violations)) => {
            let more = if violations.len() >= iati::MAX_VIOLATIONS {
                format!(" (the first {})", iati::MAX_VIOLATIONS)
            } else {
                String::new()
            };
            println!("{shown}: not valid against the IATI 2.03 activity schema{more}:");
            for v in &violations {
                println!("  {v}");
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
