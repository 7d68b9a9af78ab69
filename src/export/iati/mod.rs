//! IATI 2.03 activity XML out of the ledger: one `<iati-activity>` per aid item, with the NGO
//! as reporting organisation, the participating organisations, sectors with percentages,
//! localities, budgets and planned disbursements, transactions in their original currency
//! with value dates, and milestones as result indicators. The document streams: activities are written as they are loaded.

pub mod activity;
pub mod xml;

pub use activity::{Activity, NS, Reference};
use std::io::{self, Write};
use xml::XmlWriter;

/// The IATI standard version written.
pub const VERSION: &str = "2.03";

/// Writes `<iati-activities>` one activity at a time.
pub struct IatiWriter<W: Write> {
    xml: XmlWriter<W>,
    activities: usize,
}

impl<W: Write> IatiWriter<W> {
    pub fn new(out: W) -> io::Result<Self> {
        let mut xml = XmlWriter::new(out)?;
        // No generated-datetime: the same ledger exports to the same bytes, which is what
        // lets a round trip be checked by comparing files.
        xml.open("iati-activities", &[("version", VERSION), ("xmlns:al", NS)])?;
        Ok(IatiWriter { xml, activities: 0 })
    }

    pub fn activity(&mut self, r: &Reference, a: &Activity<'_>) -> io::Result<()> {
        self.activities += 1;
        activity::write(&mut self.xml, r, a)
    }

    /// Closes the document. The schema requires at least one activity, so an empty one is an
    /// error rather than an invalid file.
    pub fn finish(mut self) -> io::Result<(W, usize)> {
        if self.activities == 0 {
            return Err(io::Error::other(
                "an IATI file must hold at least one activity",
            ));
        }
        self.xml.close()?;
        Ok((self.xml.finish()?, self.activities))
    }
}
