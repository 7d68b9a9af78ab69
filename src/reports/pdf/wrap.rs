//! Word wrapping for the PDF: greedy lines at spaces only, balanced lines for centred titles,
//! and, as the last resort for a word longer than its column, a break after the word's own `-`
//! or `/` or else with an added hyphen, so no word is ever split invisibly. Widths are measured
//! with [`Fonts`], exactly as the glyphs will be drawn.

use unicode_normalization::char::is_combining_mark;

#[cfg(test)]
use super::text::clean;
use super::text::{Fonts, Style, cleaned};

/// One wrapped line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub text: String,
    pub width: f32,
    /// Last line of a paragraph or before a hard break: never justified.
    pub last: bool,
}

/// Wraps `text` (normalised here) into lines no wider than `max_width`: greedy, at spaces only,
/// with `\n` as a hard break. A word wider than the line is broken as a last resort, after a
/// `-` or `/` of its own or with an added hyphen (see [`break_word`]). Empty text gives no lines.
pub(crate) fn wrap(fonts: &Fonts, style: Style, text: &str, max_width: f32) -> Vec<Line> {
    wrap_indented(fonts, style, text, max_width, max_width)
}

/// [`wrap`] with a different width for the first line (a first-line indent).
pub(crate) fn wrap_indented(
    fonts: &Fonts,
    style: Style,
    text: &str,
    first_width: f32,
    max_width: f32,
) -> Vec<Line> {
    let text = cleaned(text);
    let first_width = first_width.max(style.size);
    let max_width = max_width.max(style.size);
    let width_for = |lines: &Vec<Line>| {
        if lines.is_empty() {
            first_width
        } else {
            max_width
        }
    };
    let space = fonts.char_width(style, ' ');
    let mut lines = Vec::new();
    if text.trim().is_empty() {
        return lines;
    }
    for segment in text.split('\n') {
        let mut cur = String::new();
        let mut cur_w = 0.0_f32;
        for word in segment.split(' ').filter(|w| !w.is_empty()) {
            let word_w = fonts.width(style, word);
            let max_width = width_for(&lines);
            if !cur.is_empty() && cur_w + space + word_w <= max_width + 0.01 {
                cur.push(' ');
                cur.push_str(word);
                cur_w += space + word_w;
                continue;
            }
            if !cur.is_empty() {
                lines.push(Line {
                    text: std::mem::take(&mut cur),
                    width: cur_w,
                    last: false,
                });
            }
            let max_width = width_for(&lines);
            if word_w <= max_width + 0.01 {
                cur = word.to_owned();
                cur_w = word_w;
            } else {
                let mut pieces = break_word(fonts, style, word, max_width);
                let tail = pieces.pop().unwrap_or_default();
                for piece in pieces {
                    let width = fonts.width(style, &piece);
                    lines.push(Line {
                        text: piece,
                        width,
                        last: false,
                    });
                }
                cur_w = fonts.width(style, &tail);
                cur = tail;
            }
        }
        lines.push(Line {
            text: cur,
            width: cur_w,
            last: true,
        });
    }
    // A trailing empty line from a final "\n" carries no text.
    while lines.last().is_some_and(|l| l.text.is_empty()) {
        lines.pop();
    }
    if let Some(l) = lines.last_mut() {
        l.last = true;
    }
    lines
}

/// [`wrap`] into the same number of lines as the greedy wrap, but with lines of even length
/// (for centred titles: no long first line over a lone last word).
pub(crate) fn wrap_balanced(fonts: &Fonts, style: Style, text: &str, max_width: f32) -> Vec<Line> {
    let lines = wrap(fonts, style, text, max_width);
    let count = lines.len();
    if count < 2 {
        return lines;
    }
    // Narrowest width that still gives `count` lines.
    let (mut narrow, mut wide) = (0.0_f32, max_width);
    for _ in 0..18 {
        let mid = (narrow + wide) / 2.0;
        if wrap(fonts, style, text, mid).len() <= count {
            wide = mid;
        } else {
            narrow = mid;
        }
    }
    wrap(fonts, style, text, wide)
}

/// Splits a word wider than `max_width` into pieces that fit: the last resort for a word longer
/// than its column. A piece ends after a `-` or `/` of the word when there is one; otherwise it
/// ends with a hyphen, so no word is ever split invisibly. Never before a combining mark.
fn break_word(fonts: &Fonts, style: Style, word: &str, max_width: f32) -> Vec<String> {
    let hyphen = fonts.char_width(style, '-');
    let mut pieces = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0.0_f32;
    // Byte index in `cur` just after the last `-` or `/`.
    let mut soft_break: Option<usize> = None;
    for c in word.chars() {
        let w = fonts.char_width(style, c);
        if !cur.is_empty() && cur_w + w + hyphen > max_width + 0.01 && !is_combining_mark(c) {
            match soft_break.filter(|&i| i > 0 && i <= cur.len()) {
                Some(cut) => {
                    let rest = cur.split_off(cut);
                    pieces.push(std::mem::replace(&mut cur, rest));
                }
                None if cur.chars().count() > 1 => {
                    let mut piece = std::mem::take(&mut cur);
                    piece.push('-');
                    pieces.push(piece);
                }
                // One glyph wider than the column: it goes alone on its line.
                None => pieces.push(std::mem::take(&mut cur)),
            }
            cur_w = fonts.width(style, &cur);
            soft_break = None;
        }
        cur.push(c);
        cur_w += w;
        if matches!(c, '-' | '/') {
            soft_break = Some(cur.len());
        }
    }
    pieces.push(cur);
    pieces
}

/// `text` shortened with "…" so that it fits in `max_width` (normalised here).
pub(crate) fn truncate(fonts: &Fonts, style: Style, text: &str, max_width: f32) -> String {
    let text = cleaned(text).replace('\n', " ");
    if fonts.width(style, &text) <= max_width + 0.01 {
        return text;
    }
    let ellipsis = fonts.char_width(style, '…');
    let mut out = String::new();
    let mut w = 0.0_f32;
    for c in text.chars() {
        let cw = fonts.char_width(style, c);
        if w + cw + ellipsis > max_width && !is_combining_mark(c) {
            break;
        }
        out.push(c);
        w += cw;
    }
    let trimmed = out.trim_end().to_owned();
    trimmed + "…"
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn nfd_and_nfc_measure_the_same() {
        let fonts = Fonts::load().expect("fonts");
        let nfc = clean("Tiếng Việt: ế ộ ữ Ư ơ ₫");
        let nfd: String = "Tiếng Việt: ế ộ ữ Ư ơ ₫".nfd().collect();
        assert_ne!(nfd, nfc);
        assert_eq!(clean(&nfd), nfc);
        let style = Style::regular(11.0);
        let a = wrap(&fonts, style, &nfd, 60.0);
        let b = wrap(&fonts, style, &nfc, 60.0);
        assert_eq!(a, b);
    }

    #[test]
    fn wrapped_lines_fit_and_keep_every_word() {
        let fonts = Fonts::load().expect("fonts");
        let style = Style::regular(10.0);
        let text = "Tổ chức Tầm nhìn Thế giới (World Vision) tài trợ dự án nước sạch \
                    cho 12 xã vùng cao huyện A Lưới";
        let lines = wrap(&fonts, style, text, 120.0);
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(l.width <= 120.01, "{l:?}");
        }
        let joined = lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(joined, clean(text));
        assert!(lines.last().is_some_and(|l| l.last));
    }

    #[test]
    fn over_long_words_are_broken_preferably_after_a_slash() {
        let fonts = Fonts::load().expect("fonts");
        let style = Style::regular(10.0);
        let lines = wrap(&fonts, style, "1234/QĐ-UBND-2025-viện-trợ", 40.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width <= 40.01));
        assert_eq!(lines.concat_text(), "1234/QĐ-UBND-2025-viện-trợ");
        // A break right after the word's own hyphen adds none.
        let narrow = fonts.width(style, "1000/QĐ-") + 1.0;
        let lines = wrap(&fonts, style, "1000/QĐ-UBND,", narrow);
        assert_eq!(lines.concat_text(), "1000/QĐ-UBND,", "{lines:?}");
        let lines = wrap(&fonts, style, "Morgenthau", 25.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width <= 25.01));
        assert!(
            lines.iter().rev().skip(1).all(|l| l.text.ends_with('-')),
            "{lines:?}"
        );
        assert_eq!(lines.concat_text().replace('-', ""), "Morgenthau");
    }

    #[test]
    fn balanced_wrapping_keeps_the_line_count_and_evens_the_lines() {
        let fonts = Fonts::load().expect("fonts");
        let style = Style::bold(11.5);
        let text = "Kết quả công tác vận động, quản lý viện trợ PCPNN 6 tháng đầu năm 2025";
        let greedy = wrap(&fonts, style, text, 330.0);
        let balanced = wrap_balanced(&fonts, style, text, 330.0);
        assert_eq!(greedy.len(), balanced.len());
        let spread = |ls: &[Line]| {
            let w: Vec<f32> = ls.iter().map(|l| l.width).collect();
            w.iter().fold(0.0_f32, |a, b| a.max(*b)) - w.iter().fold(f32::MAX, |a, b| a.min(*b))
        };
        assert!(spread(&balanced) < spread(&greedy));
    }

    #[test]
    fn truncation_adds_an_ellipsis_and_fits() {
        let fonts = Fonts::load().expect("fonts");
        let style = Style::regular(8.0);
        let t = truncate(&fonts, style, "Giải quyết các vấn đề xã hội", 50.0);
        assert!(t.ends_with('…'));
        assert!(fonts.width(style, &t) <= 50.01);
    }

    trait ConcatText {
        fn concat_text(&self) -> String;
    }
    impl ConcatText for Vec<Line> {
        fn concat_text(&self) -> String {
            self.iter().map(|l| l.text.as_str()).collect()
        }
    }
}
