//! The pages' wording in Vietnamese and English. Each area of the pages keeps a flat TOML
//! table of `key = "text"` per language (`i18n/<area>.vi.toml`, `i18n/<area>.en.toml`); a
//! test checks both languages have the same keys and that every key a template or handler
//! asks for exists, so a missing translation fails the tests rather than a page.

use crate::domain::Lang;
use std::collections::HashMap;
use std::sync::LazyLock;

type Table = HashMap<String, String>;

fn load(files: &[&str]) -> Table {
    files
        .iter()
        .filter_map(|text| toml::from_str::<toml::Table>(text).ok())
        .flat_map(|t| t.into_iter())
        .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
        .collect()
}

static VI: LazyLock<Table> = LazyLock::new(|| {
    load(&[
        include_str!("i18n/core.vi.toml"),
        include_str!("i18n/dash.vi.toml"),
        include_str!("i18n/items.vi.toml"),
        include_str!("i18n/forms.vi.toml"),
        include_str!("i18n/lang.vi.toml"),
        include_str!("i18n/lists.vi.toml"),
        include_str!("i18n/periods.vi.toml"),
        include_str!("i18n/evidence.vi.toml"),
        include_str!("i18n/portal.vi.toml"),
        include_str!("i18n/imports.vi.toml"),
        include_str!("i18n/mobilisation.vi.toml"),
        include_str!("i18n/activities.vi.toml"),
    ])
});
static EN: LazyLock<Table> = LazyLock::new(|| {
    load(&[
        include_str!("i18n/core.en.toml"),
        include_str!("i18n/dash.en.toml"),
        include_str!("i18n/items.en.toml"),
        include_str!("i18n/forms.en.toml"),
        include_str!("i18n/lang.en.toml"),
        include_str!("i18n/lists.en.toml"),
        include_str!("i18n/periods.en.toml"),
        include_str!("i18n/evidence.en.toml"),
        include_str!("i18n/portal.en.toml"),
        include_str!("i18n/imports.en.toml"),
        include_str!("i18n/mobilisation.en.toml"),
        include_str!("i18n/activities.en.toml"),
    ])
});

fn table(lang: Lang) -> &'static Table {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

/// The text for `key` in `lang`; the key itself if it is missing (a test prevents that).
#[must_use]
pub fn text(lang: Lang, key: &str) -> &'static str {
    table(lang).get(key).map_or("?", String::as_str)
}

/// Every key of a language, for the completeness tests.
#[must_use]
pub fn keys(lang: Lang) -> Vec<&'static str> {
    let mut k: Vec<&str> = table(lang).keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses() {
        for text in [
            include_str!("i18n/core.vi.toml"),
            include_str!("i18n/core.en.toml"),
            include_str!("i18n/dash.vi.toml"),
            include_str!("i18n/dash.en.toml"),
            include_str!("i18n/items.vi.toml"),
            include_str!("i18n/items.en.toml"),
            include_str!("i18n/forms.vi.toml"),
            include_str!("i18n/forms.en.toml"),
            include_str!("i18n/lang.vi.toml"),
            include_str!("i18n/lang.en.toml"),
            include_str!("i18n/lists.vi.toml"),
            include_str!("i18n/lists.en.toml"),
            include_str!("i18n/periods.vi.toml"),
            include_str!("i18n/periods.en.toml"),
            include_str!("i18n/evidence.vi.toml"),
            include_str!("i18n/evidence.en.toml"),
            include_str!("i18n/portal.vi.toml"),
            include_str!("i18n/portal.en.toml"),
            include_str!("i18n/imports.vi.toml"),
            include_str!("i18n/imports.en.toml"),
            include_str!("i18n/mobilisation.vi.toml"),
            include_str!("i18n/mobilisation.en.toml"),
            include_str!("i18n/activities.vi.toml"),
            include_str!("i18n/activities.en.toml"),
        ] {
            assert!(toml::from_str::<toml::Table>(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn both_languages_have_the_same_keys_and_no_empty_text() {
        assert_eq!(keys(Lang::Vi), keys(Lang::En));
        assert!(keys(Lang::Vi).len() > 20);
        for lang in [Lang::Vi, Lang::En] {
            for k in keys(lang) {
                assert!(!text(lang, k).trim().is_empty(), "{k} is empty in {lang:?}");
            }
        }
    }

    #[test]
    fn every_key_a_template_or_handler_uses_exists() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/web/pages");
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(p) = stack.pop() {
            for entry in std::fs::read_dir(&p).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Ok(src) = std::fs::read_to_string(&path) else {
                    continue;
                };
                for part in src.split("t(\"").skip(1) {
                    let Some(key) = part.split('"').next() else {
                        continue;
                    };
                    let looks_like_key = key.contains('.')
                        && key.bytes().all(|b| {
                            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_'
                        });
                    if looks_like_key && !keys(Lang::En).contains(&key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys without text: {missing:#?}");
    }
}
