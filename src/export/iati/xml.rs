//! The small XML writer the IATI export needs: elements with escaped attributes and text,
//! indented two spaces, written straight to any `io::Write` so an export of any size streams.
//! Text and attribute values pass through [`escape`], which also drops the characters XML 1.0
//! cannot carry at all (the ledger's text rule already refuses them; this is the last guard).

use std::io::{self, Write};

/// Escapes `s` for use in XML text or a double-quoted attribute value.
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // A line break inside an attribute would be normalised to a space by a reader.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if allowed_in_xml(c) => out.push(c),
            _ => {}
        }
    }
    out
}

fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// A streaming writer of indented XML.
pub struct XmlWriter<W: Write> {
    out: W,
    stack: Vec<&'static str>,
}

impl<W: Write> XmlWriter<W> {
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
        Ok(XmlWriter {
            out,
            stack: Vec::new(),
        })
    }

    fn indent(&mut self) -> io::Result<()> {
        for _ in 0..self.stack.len() {
            self.out.write_all(b"  ")?;
        }
        Ok(())
    }

    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.indent()?;
        write!(self.out, "<{name}")?;
        for (k, v) in attrs {
            write!(self.out, " {k}=\"{}\"", escape(v))?;
        }
        Ok(())
    }

    /// Opens an element whose children follow.
    pub fn open(&mut self, name: &'static str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.start_tag(name, attrs)?;
        self.out.write_all(b">\n")?;
        self.stack.push(name);
        Ok(())
    }

    /// Closes the element opened last.
    pub fn close(&mut self) -> io::Result<()> {
        let name = self
            .stack
            .pop()
            .ok_or_else(|| io::Error::other("XML writer: close without open"))?;
        self.indent()?;
        writeln!(self.out, "</{name}>")
    }

    /// An element with attributes and no content.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.start_tag(name, attrs)?;
        self.out.write_all(b"/>\n")
    }

    /// An element holding text.
    pub fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
        self.start_tag(name, attrs)?;
        writeln!(self.out, ">{}</{name}>", escape(text))
    }

    /// Ends the document; fails if an element is still open.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some(open) = self.stack.last() {
            return Err(io::Error::other(format!("XML writer: <{open}> left open")));
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_controls_cannot_escape_their_element() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("x\u{0}y\u{1b}z\u{FFFE}"), "xyz");
        assert_eq!(escape("Hà Nội\n"), "Hà Nội&#10;");
    }

    #[test]
    fn nested_elements_are_indented_and_closed() -> io::Result<()> {
        let mut w = XmlWriter::new(Vec::new())?;
        w.open("a", &[("k", "v&")])?;
        w.text("b", &[], "t<")?;
        w.empty("c", &[("x", "1")])?;
        w.close()?;
        let out = String::from_utf8_lossy(&w.finish()?).into_owned();
        assert_eq!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a k=\"v&amp;\">\n  <b>t&lt;</b>\n  <c x=\"1\"/>\n</a>\n"
        );
        Ok(())
    }

    #[test]
    fn an_unclosed_element_is_an_error() -> io::Result<()> {
        let mut w = XmlWriter::new(Vec::new())?;
        w.open("a", &[])?;
        assert!(w.finish().is_err());
        Ok(())
    }
}
