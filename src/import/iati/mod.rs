//! IATI 2.03 activity XML: the checks a file passes before anything in it is read as data.
//! [`check_schema`] refuses unsafe or malformed XML first ([`XmlRefusal`]: no DTD, no entity
//! other than the predefined ones, bounded size, depth and node count), then validates the
//! document against the official IATI 2.03 activity schema, embedded from
//! `tests/data/iati/schema` and compiled once into a content model. Pure Rust, no system
//! library. It owns validation only: mapping activities to the ledger is the import's job,
//! which calls [`check_schema`] first and then reads the file itself.

mod compile;
mod lexical;
mod model;
mod reader;
mod simple;
mod validate;
mod xsd_tree;

use std::fmt;

/// How many violations a check reports at most; the rest of the file is still read for safety.
pub const MAX_VIOLATIONS: usize = 20;
/// The largest file read (64 MiB).
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// The deepest element nesting read (IATI itself needs fewer than ten levels).
pub const MAX_DEPTH: usize = 64;
/// The most elements, attributes and text nodes read in one file.
pub const MAX_NODES: usize = 4_000_000;

/// The reading limits; [`Limits::default`] holds the constants above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_depth: usize,
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: MAX_BYTES,
            max_depth: MAX_DEPTH,
            max_nodes: MAX_NODES,
        }
    }
}

/// One way the document breaks the schema: where, and which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub line: u32,
    pub column: u32,
    /// The element's path, as `/iati-activities/iati-activity[2]/transaction[3]/value`
    /// (`[n]` only from the second same-named sibling on).
    pub path: String,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {} (at {})",
            self.line, self.column, self.message, self.path
        )
    }
}

/// Why a file is not read at all: unsafe or not well-formed XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlRefusal {
    /// A `<!DOCTYPE`: DTDs can declare entities that expand without bound or read other files.
    Dtd {
        line: u32,
        column: u32,
    },
    /// A reference to an entity other than `&lt; &gt; &amp; &apos; &quot;` and `&#…;`.
    Entity {
        name: String,
        line: u32,
        column: u32,
    },
    TooDeep {
        line: u32,
        column: u32,
        max: usize,
    },
    TooLarge {
        bytes: usize,
        max: usize,
    },
    TooManyNodes {
        line: u32,
        max: usize,
    },
    Malformed {
        line: u32,
        column: u32,
        message: String,
    },
}

impl fmt::Display for XmlRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XmlRefusal::Dtd { line, column } => write!(
                f,
                "line {line}, column {column}: the file has a document type declaration (<!DOCTYPE); DTDs are refused because their entities can expand without bound or read other files"
            ),
            XmlRefusal::Entity { name, line, column } => write!(
                f,
                "line {line}, column {column}: the entity reference &{name}; is refused; only &lt; &gt; &amp; &apos; &quot; and character references are read"
            ),
            XmlRefusal::TooDeep { line, column, max } => write!(
                f,
                "line {line}, column {column}: elements are nested more than {max} deep"
            ),
            XmlRefusal::TooLarge { bytes, max } => write!(
                f,
                "the file has {bytes} bytes; at most {max} bytes ({} MiB) are read",
                max / (1024 * 1024)
            ),
            XmlRefusal::TooManyNodes { line, max } => write!(
                f,
                "line {line}: the file has more than {max} elements, attributes and text nodes"
            ),
            XmlRefusal::Malformed {
                line,
                column,
                message,
            } => write!(
                f,
                "line {line}, column {column}: not well-formed XML: {message}"
            ),
        }
    }
}

/// Why [`check_schema`] did not accept a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckError {
    /// The file was not read: unsafe or not well-formed.
    Unsafe(XmlRefusal),
    /// The file is well-formed XML that breaks the schema: the first [`MAX_VIOLATIONS`].
    Invalid(Vec<Violation>),
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckError::Unsafe(r) => write!(f, "{r}"),
            CheckError::Invalid(v) => {
                let mut first = true;
                for violation in v {
                    if !first {
                        writeln!(f)?;
                    }
                    first = false;
                    write!(f, "{violation}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for CheckError {}

/// Checks `xml` against the official IATI 2.03 activity schema, within [`Limits::default`].
/// `Ok(())` when valid; `Err(CheckError::Unsafe(_))` when the file is not read at all;
/// `Err(CheckError::Invalid(_))` with the first violations otherwise.
pub fn check_schema(xml: &[u8]) -> Result<(), CheckError> {
    check_schema_with(xml, &Limits::default())
}

/// [`check_schema`] with other reading limits.
pub fn check_schema_with(xml: &[u8], limits: &Limits) -> Result<(), CheckError> {
    let mut validator = validate::Validator::new(compile::activity_schema());
    reader::read(xml, limits, &mut validator).map_err(CheckError::Unsafe)?;
    let violations = validator.finish();
    if violations.is_empty() {
        Ok(())
    } else {
        Err(CheckError::Invalid(violations))
    }
}
