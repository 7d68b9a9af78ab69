//! Text written into a spreadsheet cell (CSV or XLSX) so that it reads back as the same text
//! and never runs as a formula. Spreadsheet programs treat a cell that begins with `=`, `+`,
//! `-` or `@` as a formula (and a leading tab or carriage return can hide one), so such text
//! is written with a leading apostrophe, the convention spreadsheet users already know; a
//! text that itself begins with an apostrophe gets one more, so [`unguard`] is exact.

use std::borrow::Cow;

/// The characters that make a spreadsheet program read a cell as something other than text.
const TRIGGERS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// The cell text for `s`: `s` itself, or `'` followed by `s` when `s` could run as a formula.
#[must_use]
pub fn guard(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some(c) if TRIGGERS.contains(&c) => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// The text a cell written by [`guard`] stands for. A cell that begins with an apostrophe not
/// followed by a trigger is read as it is, so hand-typed text like `'90s` survives.
#[must_use]
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.chars().next().is_some_and(|c| TRIGGERS.contains(&c)) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_are_written_as_text() {
        assert_eq!(guard("=SUM(A1:A9)"), "'=SUM(A1:A9)");
        assert_eq!(guard("+84 912"), "'+84 912");
        assert_eq!(guard("-1"), "'-1");
        assert_eq!(guard("@cmd"), "'@cmd");
        assert_eq!(guard("\t=1"), "'\t=1");
        assert_eq!(guard("\r=1"), "'\r=1");
        assert_eq!(guard("'=1"), "''=1");
        assert_eq!(guard("Sở Ngoại vụ"), "Sở Ngoại vụ");
        assert_eq!(guard(""), "");
    }

    #[test]
    fn a_hand_typed_apostrophe_survives() {
        assert_eq!(unguard("'90s"), "'90s");
        assert_eq!(unguard("'"), "'");
    }

    proptest! {
        #[test]
        fn unguard_undoes_guard(s in ".*") {
            let g = guard(&s);
            prop_assert_eq!(unguard(&g), s.as_str());
        }

        #[test]
        fn a_guarded_cell_never_starts_a_formula(s in ".*") {
            let g = guard(&s);
            let first = g.chars().next();
            prop_assert!(!matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')));
        }
    }
}
