//! Running text on the page: [`Flow::paragraph`] wraps a block and places it line by line,
//! breaking pages between lines (or moving a kept-together block whole), justifying Vietnamese
//! lines unless that would open holes between the words, and setting English ragged right.

use super::page::{BLACK, Flow};
use super::text::{self, Style};
use crate::reports::model::Align;

impl Flow<'_> {
    /// Wraps `text` and places it line by line, breaking pages between lines. Each `\n` starts
    /// a new paragraph. `first_indent` applies to a paragraph's first line; `hang` to every line.
    pub(crate) fn paragraph(&mut self, text: &str, spec: ParagraphSpec) {
        for segment in text.split('\n').filter(|s| !s.trim().is_empty()) {
            self.paragraph_segment(segment, spec);
        }
    }

    fn paragraph_segment(&mut self, text: &str, spec: ParagraphSpec) {
        let width = self.geom.content_width() - spec.hang;
        let lines = if spec.balance && spec.first_indent <= 0.0 {
            text::wrap_balanced(self.fonts, spec.style, text, width)
        } else {
            text::wrap_indented(
                self.fonts,
                spec.style,
                text,
                width - spec.first_indent,
                width,
            )
        };
        let total = lines.len() as f32 * spec.line_height;
        if spec.keep_together && total <= self.full_height() {
            self.ensure(total);
        }
        let space_w = self.fonts.char_width(spec.style, ' ');
        for (i, line) in lines.iter().enumerate() {
            self.ensure(spec.line_height);
            let indent = if i == 0 { spec.first_indent } else { 0.0 };
            let x = self.geom.x0() + spec.hang + indent;
            let avail = width - indent;
            let baseline = self.fonts.baseline(spec.style, self.y, spec.line_height);
            let gaps = line.text.matches(' ').count();
            let extra = if spec.justify && self.justify && !line.last && gaps > 0 {
                ((avail - line.width) / gaps as f32).max(0.0)
            } else {
                0.0
            };
            // A line with few words would be stretched into holes: leave it ragged instead.
            let extra = if extra > space_w * 1.2 { 0.0 } else { extra };
            let x = match spec.align {
                Align::Left => x,
                Align::Center => x + (avail - line.width) / 2.0,
                Align::Right => x + avail - line.width,
            };
            self.text_with(x, baseline, spec.style, line.text.clone(), BLACK, extra);
            self.skip(spec.line_height);
        }
    }
}

/// How [`Flow::paragraph`] sets a block of text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ParagraphSpec {
    pub style: Style,
    pub line_height: f32,
    pub first_indent: f32,
    pub hang: f32,
    pub justify: bool,
    pub align: Align,
    /// Even out line lengths (for centred titles).
    pub balance: bool,
    /// Move the whole block to the next page rather than split it (list items), when it fits
    /// on a page.
    pub keep_together: bool,
}

impl ParagraphSpec {
    pub(crate) fn body(style: Style, line_height: f32) -> Self {
        Self {
            style,
            line_height,
            first_indent: 0.0,
            hang: 0.0,
            justify: false,
            align: Align::Left,
            balance: false,
            keep_together: false,
        }
    }

    /// Centred, balanced lines: titles and captions.
    pub(crate) fn centred(style: Style, line_height: f32) -> Self {
        Self {
            align: Align::Center,
            balance: true,
            ..Self::body(style, line_height)
        }
    }
}
