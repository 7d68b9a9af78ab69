//! OECD-DAC purpose codes (IATI sector vocabulary 1, five digits) and DAC categories
//! (vocabulary 2, three digits) mapped to the ledger's sector codes, for activities that other
//! publishers wrote. The list is explicit on purpose: a code missing from it is named in the
//! import's preview for the coordinator, never guessed from its neighbours.
//!
//! Every sub-sector's own DAC code (the `dac_code` of the reference sectors) maps back to that
//! sub-sector, except 16010 (social protection), which two sub-sectors share and which maps to
//! disability support and social protection. The other purpose codes map to the sub-sector
//! that reports them, or to the top-level sector when no sub-sector fits.

/// (DAC 5-digit purpose code, ledger sector code).
#[rustfmt::skip]
pub const PURPOSE_CODES: &[(&str, &str)] = &[
    // Education
    ("11110", "EDU"), ("11120", "EDU.FAC"), ("11130", "EDU.FAC"), ("11182", "EDU"),
    ("11220", "EDU.PRI"), ("11230", "EDU"), ("11231", "EDU"), ("11232", "EDU"),
    ("11240", "EDU.ECE"), ("11320", "EDU"), ("11330", "EDU.VOC"), ("11420", "EDU"),
    ("11430", "EDU.VOC"),
    // Health and population
    ("12110", "HEALTH"), ("12181", "HEALTH"), ("12191", "HEALTH.PHC"), ("12220", "HEALTH.PHC"),
    ("12230", "HEALTH.PHC"), ("12240", "HEALTH.NUT"), ("12250", "HEALTH.INF"),
    ("12261", "HEALTH.PHC"), ("12262", "HEALTH.INF"), ("12263", "HEALTH.INF"),
    ("12264", "HEALTH.INF"), ("12281", "HEALTH"), ("13010", "HEALTH.MCH"),
    ("13020", "HEALTH.MCH"), ("13030", "HEALTH.MCH"), ("13040", "SOCIAL.HIV"),
    ("13081", "HEALTH"),
    // Water and sanitation
    ("14010", "SOCIOECON.WATER"), ("14020", "SOCIOECON.WATER"), ("14030", "SOCIOECON.WATER"),
    ("14031", "SOCIOECON.WATER"), ("14032", "SOCIOECON.WATER"), ("14050", "ENV.WASTE"),
    ("14081", "SOCIOECON.WATER"),
    // Government, civil society, protection
    ("15110", "OTHER.GOV"), ("15112", "OTHER.GOV"), ("15150", "OTHER.GOV"),
    ("15160", "SOCIAL.CHILD"), ("15170", "SOCIAL"), ("15180", "SOCIAL.GBV"),
    ("15250", "WAR.UXO"),
    // Other social infrastructure
    ("16010", "SOCIAL.DIS"), ("16020", "SOCIOECON.LIVE"), ("16050", "OTHER.MULTI"),
    ("16061", "OTHER.CULT"),
    // Production
    ("24040", "SOCIOECON.LIVE"), ("25010", "SOCIOECON.LIVE"), ("31110", "SOCIOECON.AGRI"),
    ("31120", "SOCIOECON.AGRI"), ("31161", "SOCIOECON.AGRI"), ("31163", "SOCIOECON.AGRI"),
    ("31166", "SOCIOECON.AGRI"), ("31310", "SOCIOECON.AGRI"), ("32130", "SOCIOECON.LIVE"),
    // Environment and multisector
    ("41010", "ENV.POLICY"), ("41020", "ENV.POLICY"), ("41030", "ENV.BIO"),
    ("41081", "ENV.EDU"), ("43010", "OTHER.MULTI"), ("43040", "SOCIOECON.RURAL"),
    ("43060", "EMERG.DRR"), ("43072", "SOCIOECON.AGRI"),
    // Humanitarian
    ("72010", "EMERG.RELIEF"), ("72040", "EMERG.FOOD"), ("72050", "EMERG.RELIEF"),
    ("73010", "EMERG.RECON"), ("74010", "EMERG.DRR"), ("74020", "EMERG.DRR"),
];

/// (DAC 3-digit category, ledger sector code): the top-level sector, or the sub-sector when
/// the category is narrower than it.
#[rustfmt::skip]
pub const CATEGORIES: &[(&str, &str)] = &[
    ("111", "EDU"), ("112", "EDU"), ("113", "EDU"), ("114", "EDU"),
    ("121", "HEALTH"), ("122", "HEALTH"), ("123", "HEALTH"), ("130", "HEALTH.MCH"),
    ("140", "SOCIOECON.WATER"), ("151", "OTHER.GOV"), ("152", "WAR.UXO"), ("160", "SOCIAL"),
    ("311", "SOCIOECON.AGRI"), ("410", "ENV"), ("430", "OTHER.MULTI"),
    ("720", "EMERG"), ("730", "EMERG.RECON"), ("740", "EMERG.DRR"),
];

/// The ledger sector of an IATI sector code in `vocabulary` ("1" or none: DAC 5-digit
/// purpose codes; "2": DAC 3-digit categories); `None` when the list has no entry.
#[must_use]
pub fn ledger_sector(vocabulary: Option<&str>, code: &str) -> Option<&'static str> {
    let table = match vocabulary.unwrap_or("1") {
        "1" => PURPOSE_CODES,
        "2" => CATEGORIES,
        _ => return None,
    };
    table
        .iter()
        .find(|(dac, _)| *dac == code.trim())
        .map(|(_, s)| *s)
}
