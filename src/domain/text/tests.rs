#![allow(clippy::unwrap_used)]
use super::*;
use proptest::prelude::*;

#[test]
fn the_issue_s_hostile_texts_are_refused() {
    assert_eq!(clean_line("a\u{0}b", 10), Err(TextError::Control(0)));
    assert_eq!(
        clean_line("abc\u{202E}gpj.exe", 50),
        Err(TextError::Bidi(0x202E))
    );
    assert_eq!(clean_line("x\u{2067}y", 50), Err(TextError::Bidi(0x2067)));
    assert_eq!(clean_line("x\u{200F}y", 50), Err(TextError::Bidi(0x200F)));
    assert_eq!(
        clean_line("\u{200B}\u{200B}\u{FEFF} \u{2060}", 50),
        Err(TextError::Blank)
    );
    assert_eq!(clean_line("a\r\nb", 50), Err(TextError::LineBreak));
    assert_eq!(clean_line("a\nb", 50), Err(TextError::LineBreak));
    assert_eq!(clean_line("a\u{2028}b", 50), Err(TextError::LineBreak));
    assert_eq!(clean_line("a\rb", 50), Err(TextError::LineBreak));
    assert_eq!(clean_line("a\u{85}b", 50), Err(TextError::Control(0x85)));
    assert_eq!(clean_line("a\tb", 50), Err(TextError::Control(9)));
    assert_eq!(clean_line("   ", 50), Err(TextError::Blank));
    assert_eq!(
        clean_line("abcdef", 5),
        Err(TextError::TooLong { max: 5, got: 6 })
    );
}

#[test]
fn multiline_keeps_line_breaks_as_lf_only() {
    assert_eq!(clean_multiline(" a\r\nb\n", 10).unwrap(), "a\nb");
    assert_eq!(clean_multiline("a\rb", 10), Err(TextError::Control(0x0D)));
    assert_eq!(clean_multiline("a\u{0}b", 10), Err(TextError::Control(0)));
}

#[test]
fn text_is_stored_as_nfc_and_counted_after_composition() {
    // "Nguyễn" typed with combining marks (NFD) is stored composed.
    let nfd = "Nguye\u{302}\u{303}n";
    let got = clean_line(nfd, 6).unwrap();
    assert_eq!(got, "Nguy\u{1EC5}n");
    assert_eq!(got.chars().count(), 6);
}

#[test]
fn optional_text_treats_blank_as_absent() {
    assert_eq!(clean_opt_line(None, 5), Ok(None));
    assert_eq!(clean_opt_line(Some(" \u{200B}"), 5), Ok(None));
    assert_eq!(clean_opt_line(Some(" x "), 5), Ok(Some("x".into())));
    assert_eq!(
        at_least("ab".into(), 3),
        Err(TextError::TooShort { min: 3, got: 2 })
    );
}

fn cases() -> u32 {
    crate::domain::fuzz_cases()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// Whatever comes in, the result obeys the rule or the input is refused; never a panic.
    #[test]
    fn cleaned_text_always_obeys_the_rule(s in "\\PC{0,40}|[\\x00-\\x7f\u{200b}\u{202e}\u{2066}\r\n ]{0,20}", multi in any::<bool>()) {
        let r = if multi { clean_multiline(&s, 30) } else { clean_line(&s, 30) };
        if let Ok(t) = r {
            prop_assert!(t.chars().count() <= 30);
            prop_assert!(!t.chars().all(is_invisible));
            prop_assert_eq!(t.trim(), t.as_str());
            prop_assert!(t.chars().all(|c| !is_bidi_control(c) && (c == '\n' && multi || !c.is_control())));
            prop_assert!(unicode_normalization::is_nfc(&t));
            // Cleaning is idempotent: a stored value passes the rule unchanged.
            let again = if multi { clean_multiline(&t, 30) } else { clean_line(&t, 30) };
            prop_assert_eq!(again, Ok(t));
        }
    }
}
