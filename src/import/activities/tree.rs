//! IATI XML as small element trees, one `<iati-activity>` at a time, so a file of any number of
//! activities is read in the memory of its largest activity. Namespaces are resolved (an
//! extension attribute is known by its namespace, whatever prefix the file gives it); entity
//! and character references are decoded; a DTD, any other entity, or markup the tokenizer
//! refuses stops the reading with the line it is on.

use std::borrow::Cow;
use xmlparser::{ElementEnd, Token, Tokenizer};

/// The namespace of `xml:lang`.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// An element: its namespace (none for IATI's own), name, attributes, text and children.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Node {
    pub ns: Option<String>,
    pub name: String,
    pub attrs: Vec<Attr>,
    pub text: String,
    pub children: Vec<Node>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub ns: Option<String>,
    pub name: String,
    pub value: String,
}

impl Node {
    /// An attribute in no namespace.
    #[must_use]
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.is_none() && a.name == name)
            .map(|a| a.value.as_str())
    }

    /// An attribute in namespace `ns`.
    #[must_use]
    pub fn attr_ns(&self, ns: &str, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.as_deref() == Some(ns) && a.name == name)
            .map(|a| a.value.as_str())
    }

    /// IATI's own children (no namespace) of this name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children
            .iter()
            .filter(move |c| c.ns.is_none() && c.name == name)
    }

    #[must_use]
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children
            .iter()
            .find(|c| c.ns.is_none() && c.name == name)
    }
}

/// Why a file could not be read as XML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ReadError {
    pub line: u32,
    pub message: String,
}

/// Decodes the five predefined entities and character references; anything else is refused,
/// since a file may not define entities of its own.
pub fn unescape(s: &str) -> Result<Cow<'_, str>, String> {
    if !s.contains('&') {
        return Ok(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after
            .find(';')
            .ok_or_else(|| "an '&' that does not start a reference (write &amp;)".to_string())?;
        let name = &after[..end];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(h) = name.strip_prefix("#x") {
                    u32::from_str_radix(h, 16).ok()
                } else if let Some(d) = name.strip_prefix('#') {
                    d.parse().ok()
                } else {
                    return Err(format!(
                        "the entity &{name}; is not allowed: only the five XML entities and character references are"
                    ));
                };
                code.and_then(char::from_u32)
                    .ok_or_else(|| format!("&{name}; is not a valid character reference"))?
            }
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// Line numbers from byte offsets, counted forward as the tokenizer advances.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    line: u32,
}

impl Lines<'_> {
    fn at(&mut self, offset: usize) -> u32 {
        if offset > self.pos {
            let n = self.text.as_bytes()[self.pos..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line += u32::try_from(n).unwrap_or(u32::MAX);
            self.pos = offset;
        }
        self.line
    }
}

/// Elements open above the current one, with the namespace prefixes each declares.
struct Open {
    node: Node,
    prefixes: Vec<(String, String)>,
    /// The name as written (prefix:local), to check the closing tag against.
    qname: String,
}

fn qualified(prefix: &str, local: &str) -> String {
    if prefix.is_empty() {
        local.to_string()
    } else {
        format!("{prefix}:{local}")
    }
}

/// Reads `xml`, calling `each` with every element at depth `depth` (1 = children of the root),
/// fully built, in document order; returns the root element without those children.
pub fn read_elements(
    xml: &str,
    depth: usize,
    max_depth: usize,
    mut each: impl FnMut(Node) -> Result<(), ReadError>,
) -> Result<Node, ReadError> {
    let mut lines = Lines {
        text: xml,
        pos: 0,
        line: 1,
    };
    let mut stack: Vec<Open> = Vec::new();
    let mut pending: Option<Open> = None;
    let mut root: Option<Node> = None;
    for token in Tokenizer::from(xml) {
        let token = token.map_err(|e| ReadError {
            line: e.pos().row,
            message: format!("not well-formed XML: {e}"),
        })?;
        let fail = |line: u32, message: String| ReadError { line, message };
        match token {
            Token::DtdStart { span, .. }
            | Token::EmptyDtd { span, .. }
            | Token::EntityDeclaration { span, .. } => {
                return Err(fail(
                    lines.at(span.start()),
                    "a DTD or entity declaration is not allowed in an IATI file".into(),
                ));
            }
            Token::ElementStart {
                prefix,
                local,
                span,
            } => {
                let line = lines.at(span.start());
                if stack.len() >= max_depth {
                    return Err(fail(line, format!("elements nest deeper than {max_depth}")));
                }
                pending = Some(Open {
                    node: Node {
                        // The prefix is resolved once the element's own declarations are read.
                        ns: Some(prefix.as_str().to_string()),
                        name: local.as_str().to_string(),
                        line,
                        ..Node::default()
                    },
                    prefixes: Vec::new(),
                    qname: qualified(prefix.as_str(), local.as_str()),
                });
            }
            Token::Attribute {
                prefix,
                local,
                value,
                span,
            } => {
                let line = lines.at(span.start());
                let value = unescape(value.as_str()).map_err(|m| fail(line, m))?;
                let Some(open) = pending.as_mut() else {
                    return Err(fail(line, "an attribute outside an element".into()));
                };
                match (prefix.as_str(), local.as_str()) {
                    ("xmlns", p) => open.prefixes.push((p.to_string(), value.into_owned())),
                    ("", "xmlns") => open.prefixes.push((String::new(), value.into_owned())),
                    (p, l) => open.node.attrs.push(Attr {
                        // Prefix for now, resolved below like the element's.
                        ns: Some(p.to_string()),
                        name: l.to_string(),
                        value: value.into_owned(),
                    }),
                }
            }
            Token::ElementEnd { end, span } => {
                let line = lines.at(span.start());
                match end {
                    ElementEnd::Open | ElementEnd::Empty => {
                        let Some(mut open) = pending.take() else {
                            return Err(fail(line, "an element end without a start".into()));
                        };
                        resolve(&mut open, &stack).map_err(|m| fail(open.node.line, m))?;
                        if matches!(end, ElementEnd::Open) {
                            stack.push(open);
                        } else {
                            finish(open.node, &mut stack, depth, &mut root, &mut each)?;
                        }
                    }
                    ElementEnd::Close(prefix, local) => {
                        let Some(open) = stack.pop() else {
                            return Err(fail(line, "a closing tag without an opening one".into()));
                        };
                        let closing = qualified(prefix.as_str(), local.as_str());
                        if closing != open.qname {
                            return Err(fail(
                                line,
                                format!(
                                    "</{closing}> closes <{}> opened on line {}",
                                    open.qname, open.node.line
                                ),
                            ));
                        }
                        finish(open.node, &mut stack, depth, &mut root, &mut each)?;
                    }
                }
            }
            Token::Text { text } => {
                if let Some(top) = stack.last_mut() {
                    let line = lines.at(text.start());
                    top.node
                        .text
                        .push_str(&unescape(text.as_str()).map_err(|m| fail(line, m))?);
                }
            }
            Token::Cdata { text, .. } => {
                if let Some(top) = stack.last_mut() {
                    top.node.text.push_str(text.as_str());
                }
            }
            _ => {}
        }
    }
    root.ok_or_else(|| ReadError {
        line: lines.line,
        message: "the file holds no XML element".into(),
    })
}

/// Turns the prefixes of an element and its attributes into namespaces.
fn resolve(open: &mut Open, stack: &[Open]) -> Result<(), String> {
    let lookup = |prefix: &str| -> Option<Option<String>> {
        if prefix == "xml" {
            return Some(Some(XML_NS.to_string()));
        }
        for scope in std::iter::once(&open.prefixes).chain(stack.iter().rev().map(|o| &o.prefixes))
        {
            if let Some((_, uri)) = scope.iter().find(|(p, _)| p == prefix) {
                return Some(if uri.is_empty() {
                    None
                } else {
                    Some(uri.clone())
                });
            }
        }
        // No declaration: the empty prefix is no namespace; any other is an error.
        prefix.is_empty().then_some(None)
    };
    let p = open.node.ns.take().unwrap_or_default();
    open.node.ns = lookup(&p).ok_or_else(|| format!("the prefix '{p}' is not declared"))?;
    for i in 0..open.node.attrs.len() {
        let p = open.node.attrs[i].ns.take().unwrap_or_default();
        // An attribute without a prefix is in no namespace, whatever the default.
        open.node.attrs[i].ns = if p.is_empty() {
            None
        } else {
            lookup(&p).ok_or_else(|| format!("the prefix '{p}' is not declared"))?
        };
    }
    Ok(())
}

/// Attaches a finished element to its parent, or hands it to `each` at the reading depth.
fn finish(
    node: Node,
    stack: &mut [Open],
    depth: usize,
    root: &mut Option<Node>,
    each: &mut impl FnMut(Node) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    if stack.is_empty() {
        *root = Some(node);
        return Ok(());
    }
    if stack.len() == depth {
        return each(node);
    }
    if let Some(parent) = stack.last_mut() {
        parent.node.children.push(node);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn references_decode_and_unknown_entities_are_refused() {
        assert_eq!(unescape("a &amp; b &#x1EA1; &#65;").unwrap(), "a & b ạ A");
        assert!(unescape("&lol;").is_err());
        assert!(unescape("R&D").is_err());
        assert!(unescape("&#xD800;").is_err());
    }

    #[test]
    fn children_of_the_root_arrive_one_by_one_with_namespaces_resolved() {
        let xml = "<r xmlns:x=\"urn:x\"><a x:k=\"1\" k=\"2\"><b>t&lt;</b></a>\n<y:c xmlns:y=\"urn:y\"/></r>";
        let mut got = Vec::new();
        let root = read_elements(xml, 1, 16, |n| {
            got.push(n);
            Ok(())
        })
        .unwrap();
        assert_eq!(root.name, "r");
        assert!(root.children.is_empty());
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].attr("k"), Some("2"));
        assert_eq!(got[0].attr_ns("urn:x", "k"), Some("1"));
        assert_eq!(got[0].child("b").unwrap().text, "t<");
        assert_eq!(got[1].ns.as_deref(), Some("urn:y"));
        assert_eq!(got[1].line, 2);
    }

    #[test]
    fn a_dtd_an_undeclared_prefix_and_deep_nesting_are_refused() {
        let dtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY a \"b\">]><r/>";
        assert!(read_elements(dtd, 1, 16, |_| Ok(())).is_err());
        assert!(read_elements("<r><p:a/></r>", 1, 16, |_| Ok(())).is_err());
        assert!(read_elements("<r><a></b></r>", 1, 16, |_| Ok(())).is_err());
        let deep = "<a>".repeat(20) + &"</a>".repeat(20);
        let e = read_elements(&deep, 1, 16, |_| Ok(())).unwrap_err();
        assert!(e.message.contains("deeper"), "{e}");
    }
}
