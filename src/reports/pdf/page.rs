//! Pages before they become PDF: page geometry (A4 portrait for the report body, A4 landscape
//! for the appendices, margins after Decree 30/2020/NĐ-CP: top and bottom 20 mm, left (binding)
//! 30 mm, right 15 mm; landscape pages the same but 25 mm at the top), a small list of
//! positioned drawing items per page, and the [`Flow`] that fills pages from top to bottom and
//! starts a new page when the next piece does not fit. Coordinates are PDF points with the
//! origin at the bottom-left of the page.

use super::text::{Fonts, Line, Style};
use crate::reports::labels::Labels;
use crate::reports::model::Align;

const MM: f32 = 72.0 / 25.4;
const A4_SHORT: f32 = 210.0 * MM;
const A4_LONG: f32 = 297.0 * MM;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Orientation {
    Portrait,
    Landscape,
}

/// Page size and the content box inside the margins.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Geometry {
    pub width: f32,
    pub height: f32,
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
}

impl Geometry {
    pub(crate) fn of(orientation: Orientation) -> Self {
        match orientation {
            Orientation::Portrait => Self {
                width: A4_SHORT,
                height: A4_LONG,
                left: 30.0 * MM,
                right: 15.0 * MM,
                top: 20.0 * MM,
                bottom: 20.0 * MM,
            },
            // Landscape appendix pages keep every margin of the decree: the 30 mm binding
            // margin on the left as on the body pages, and the top at 25 mm (the edge that
            // meets the spine when the sheet is bound with the text turned towards it).
            Orientation::Landscape => Self {
                width: A4_LONG,
                height: A4_SHORT,
                left: 30.0 * MM,
                right: 15.0 * MM,
                top: 25.0 * MM,
                bottom: 20.0 * MM,
            },
        }
    }

    pub(crate) fn x0(&self) -> f32 {
        self.left
    }
    pub(crate) fn x1(&self) -> f32 {
        self.width - self.right
    }
    pub(crate) fn content_width(&self) -> f32 {
        self.x1() - self.x0()
    }
    pub(crate) fn y_top(&self) -> f32 {
        self.height - self.top
    }
    pub(crate) fn y_bottom(&self) -> f32 {
        self.bottom
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgb {
    pub r: f32,
    pub g: f32,
    pub b: f32,
}

pub(crate) const BLACK: Rgb = Rgb {
    r: 0.0,
    g: 0.0,
    b: 0.0,
};
pub(crate) const GREY: Rgb = Rgb {
    r: 0.45,
    g: 0.45,
    b: 0.45,
};
pub(crate) const LIGHT_GREY: Rgb = Rgb {
    r: 0.82,
    g: 0.82,
    b: 0.82,
};
pub(crate) const HEADER_FILL: Rgb = Rgb {
    r: 0.93,
    g: 0.93,
    b: 0.93,
};
pub(crate) const BAR_FILL: Rgb = Rgb {
    r: 0.16,
    g: 0.38,
    b: 0.66,
};

/// One thing drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// A line of text starting at `x` on `baseline`. `extra_space` widens every space (in pt)
    /// to justify the line.
    Text {
        x: f32,
        baseline: f32,
        style: Style,
        text: String,
        color: Rgb,
        extra_space: f32,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        color: Rgb,
    },
    /// A filled rectangle, `(x, y)` its bottom-left corner.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Page {
    pub orientation: Orientation,
    pub items: Vec<Item>,
}

/// Fills pages top to bottom. `y` is the top of the free space on the current page.
pub(crate) struct Flow<'a> {
    pub fonts: &'a Fonts,
    pub labels: &'a Labels,
    pub geom: Geometry,
    pub y: f32,
    /// Figures are numbered across the document.
    pub figures: usize,
    /// Justified paragraphs are allowed (Vietnamese); otherwise text is set ragged right.
    pub justify: bool,
    /// Takes each page as soon as the flow moves past it, so no finished page is held here.
    sink: &'a mut dyn FnMut(Page),
    emitted: usize,
    page: Page,
}

impl<'a> Flow<'a> {
    pub(crate) fn new(
        fonts: &'a Fonts,
        labels: &'a Labels,
        orientation: Orientation,
        sink: &'a mut dyn FnMut(Page),
    ) -> Self {
        let geom = Geometry::of(orientation);
        Self {
            fonts,
            labels,
            geom,
            y: geom.y_top(),
            figures: 0,
            justify: true,
            sink,
            emitted: 0,
            page: Page {
                orientation,
                items: Vec::new(),
            },
        }
    }

    pub(crate) fn orientation(&self) -> Orientation {
        self.page.orientation
    }

    /// Nothing has been drawn on the current page yet.
    pub(crate) fn is_fresh(&self) -> bool {
        self.page.items.is_empty()
    }

    /// Starts a new page (an untouched current page is reused, with the new orientation).
    pub(crate) fn new_page(&mut self, orientation: Orientation) {
        if self.is_fresh() {
            self.page.orientation = orientation;
        } else {
            let done = std::mem::replace(
                &mut self.page,
                Page {
                    orientation,
                    items: Vec::new(),
                },
            );
            (self.sink)(done);
            self.emitted += 1;
        }
        self.geom = Geometry::of(orientation);
        self.y = self.geom.y_top();
    }

    pub(crate) fn remaining(&self) -> f32 {
        self.y - self.geom.y_bottom()
    }

    /// Height available on an empty page of the current orientation.
    pub(crate) fn full_height(&self) -> f32 {
        self.geom.y_top() - self.geom.y_bottom()
    }

    /// Makes room for `height`: a new page when it does not fit here and this page is in use.
    /// Returns whether a new page was started.
    pub(crate) fn ensure(&mut self, height: f32) -> bool {
        if height > self.remaining() + 0.01 && !self.is_fresh() {
            self.new_page(self.orientation());
            true
        } else {
            false
        }
    }

    /// Moves down by `height` (never below the bottom margin).
    pub(crate) fn skip(&mut self, height: f32) {
        self.y = (self.y - height).max(self.geom.y_bottom());
    }

    /// Vertical space that is dropped at the top of a page.
    pub(crate) fn space(&mut self, height: f32) {
        if !self.is_fresh() {
            self.skip(height);
        }
    }

    pub(crate) fn push(&mut self, item: Item) {
        self.page.items.push(item);
    }

    pub(crate) fn text(&mut self, x: f32, baseline: f32, style: Style, text: String) {
        self.text_with(x, baseline, style, text, BLACK, 0.0);
    }

    pub(crate) fn text_with(
        &mut self,
        x: f32,
        baseline: f32,
        style: Style,
        text: String,
        color: Rgb,
        extra_space: f32,
    ) {
        if text.is_empty() {
            return;
        }
        self.push(Item::Text {
            x,
            baseline,
            style,
            text,
            color,
            extra_space,
        });
    }

    /// Places `line` inside `[x0, x0 + width]` with `align`.
    pub(crate) fn aligned(
        &mut self,
        line: &Line,
        x0: f32,
        width: f32,
        align: Align,
        baseline: f32,
        style: Style,
    ) {
        let x = match align {
            Align::Left => x0,
            Align::Right => x0 + width - line.width,
            Align::Center => x0 + (width - line.width) / 2.0,
        };
        self.text(x, baseline, style, line.text.clone());
    }

    pub(crate) fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32) {
        self.push(Item::Line {
            from,
            to,
            width,
            color: BLACK,
        });
    }

    pub(crate) fn line_colored(
        &mut self,
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        color: Rgb,
    ) {
        self.push(Item::Line {
            from,
            to,
            width,
            color,
        });
    }

    pub(crate) fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        self.push(Item::Rect { x, y, w, h, color });
    }

    /// Hands over the last page (an empty document still has one).
    pub(crate) fn finish(self) {
        if !self.is_fresh() || self.emitted == 0 {
            (self.sink)(self.page);
        }
    }
}

pub(crate) const fn mm(v: f32) -> f32 {
    v * MM
}
