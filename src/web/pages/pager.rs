//! The numbered pager under the paged lists (aid items, exchange rates): the first and last
//! pages, two either side of the current one, and a gap between, so that a list of two
//! thousand pages (the item list at national scale) has a pager of at most nine entries.

/// One entry of the pager: a page to go to, the current page, or a gap of skipped pages.
pub struct PageLink {
    pub n: usize,
    pub href: String,
    pub current: bool,
    /// Stands for the pages skipped here (`n` and `href` are unused).
    pub gap: bool,
}

/// How many pages either side of the current one are linked.
const AROUND: usize = 2;

/// A list's pager: the numbered entries of [`window`] and the previous and next pages'
/// addresses, if there are such pages.
pub struct Pager {
    pub pages: Vec<PageLink>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// The pager of page `page` (clamped to the list) of `pages`, each page's address made
    /// by `link`.
    pub fn new(page: usize, pages: usize, link: impl Fn(usize) -> String) -> Pager {
        let page = page.clamp(1, pages.max(1));
        Pager {
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
            pages: window(page, pages, link),
        }
    }
}

/// The pager of page `page` of `pages`, each page's address made by `link`. Empty when
/// there is only one page.
pub fn window(page: usize, pages: usize, link: impl Fn(usize) -> String) -> Vec<PageLink> {
    if pages <= 1 {
        return Vec::new();
    }
    let page = page.clamp(1, pages);
    let shown = |n: usize| n == 1 || n == pages || n.abs_diff(page) <= AROUND;
    let mut out = Vec::new();
    for n in 1..=pages {
        if shown(n) {
            out.push(PageLink {
                n,
                href: link(n),
                current: n == page,
                gap: false,
            });
        } else if out.last().is_some_and(|l| !l.gap) {
            out.push(PageLink {
                n,
                href: String::new(),
                current: false,
                gap: true,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pager as text: page numbers, `[n]` for the current one, `…` for a gap.
    fn drawn(page: usize, pages: usize) -> String {
        window(page, pages, |n| format!("?page={n}"))
            .iter()
            .map(|l| match (l.gap, l.current) {
                (true, _) => "…".to_string(),
                (false, true) => format!("[{}]", l.n),
                (false, false) => l.n.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn first_last_and_two_either_side_with_gaps_between() {
        assert_eq!(drawn(1, 1), "");
        assert_eq!(drawn(1, 2), "[1] 2");
        assert_eq!(drawn(3, 7), "1 2 [3] 4 5 … 7");
        assert_eq!(drawn(1, 2000), "[1] 2 3 … 2000");
        assert_eq!(drawn(1000, 2000), "1 … 998 999 [1000] 1001 1002 … 2000");
        assert_eq!(drawn(2000, 2000), "1 … 1998 1999 [2000]");
        // A gap of one page is still a gap: the page beside it is one click away.
        assert_eq!(drawn(5, 9), "1 … 3 4 [5] 6 7 … 9");
        // A page past the end is shown as the last.
        assert_eq!(drawn(9, 4), "1 2 3 [4]");
    }

    #[test]
    fn links_go_to_their_page() {
        let w = window(10, 20, |n| format!("/items?page={n}"));
        assert!(
            w.iter()
                .filter(|l| !l.gap)
                .all(|l| l.href == format!("/items?page={}", l.n))
        );
        assert!(w.len() <= 9);
        let p = Pager::new(10, 20, |n| format!("/items?page={n}"));
        assert_eq!(p.prev.as_deref(), Some("/items?page=9"));
        assert_eq!(p.next.as_deref(), Some("/items?page=11"));
        let last = Pager::new(20, 20, |n| format!("/items?page={n}"));
        assert_eq!(
            (last.prev.as_deref(), last.next),
            (Some("/items?page=19"), None)
        );
        assert!(Pager::new(1, 1, |n| n.to_string()).prev.is_none());
    }
}
