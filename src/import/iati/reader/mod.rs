//! The safe XML reader under the IATI checks: it turns bytes into start tags (names resolved
//! to namespaces), text and end tags, and refuses — before any schema work — what could make
//! reading dangerous or ambiguous: a DTD (so no entity can expand or reach outside the file),
//! any entity reference other than the five predefined ones and character references, files
//! over the size limit, nesting over the depth limit, more nodes than the node limit, and
//! anything that is not well-formed UTF-8 XML. It knows nothing of IATI or XSD.

use super::{Limits, XmlRefusal};
use text::{decode, unescape};
use xmlparser::{ElementEnd, Token, Tokenizer};

mod text;

pub(crate) use text::is_xml_space;

/// The namespace bound to the `xml` prefix by the XML specification.
pub(crate) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// An expanded name: namespace (none for unqualified names) and local part.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct QName {
    pub ns: Option<String>,
    pub local: String,
}

impl QName {
    pub(crate) fn new(ns: Option<&str>, local: &str) -> Self {
        QName {
            ns: ns.map(str::to_string),
            local: local.to_string(),
        }
    }
}

/// A place in the file, 1-based; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pos {
    pub line: u32,
    pub column: u32,
}

#[derive(Debug)]
pub(crate) struct Attr {
    pub name: QName,
    /// As written (`prefix:local`), for messages.
    pub raw_name: String,
    pub value: String,
    pub pos: Pos,
}

#[derive(Debug)]
pub(crate) struct StartTag<'s> {
    pub name: QName,
    pub raw_name: String,
    /// Attributes other than namespace declarations.
    pub attrs: Vec<Attr>,
    pub pos: Pos,
    /// Every namespace binding in scope, innermost last (`prefix`, `uri`; "" is the default).
    pub scope: &'s [(String, String)],
}

impl StartTag<'_> {
    /// Resolves a QName written in an attribute value (as XSD's `type="xsd:string"`).
    pub(crate) fn resolve_value(&self, value: &str) -> Option<QName> {
        let (prefix, local) = value.trim().split_once(':').unwrap_or(("", value.trim()));
        resolve(self.scope, prefix, true).map(|ns| QName::new(ns.as_deref(), local))
    }
}

/// What the reader hands on, in document order.
pub(crate) trait Sink {
    fn start(&mut self, tag: &StartTag<'_>);
    fn text(&mut self, text: &str, pos: Pos);
    fn end(&mut self, pos: Pos);
}

/// `Some(None)`: no namespace; `None`: the prefix is not declared.
fn resolve(scope: &[(String, String)], prefix: &str, is_element: bool) -> Option<Option<String>> {
    if prefix == "xml" {
        return Some(Some(XML_NS.to_string()));
    }
    if prefix.is_empty() && !is_element {
        return Some(None);
    }
    match scope.iter().rev().find(|(p, _)| p == prefix) {
        Some((_, uri)) if uri.is_empty() => Some(None),
        Some((_, uri)) => Some(Some(uri.clone())),
        None if prefix.is_empty() => Some(None),
        None => None,
    }
}

/// Tracks line and column as tokens advance through the text (always forwards).
struct Cursor<'a> {
    text: &'a str,
    offset: usize,
    pos: Pos,
}

impl Cursor<'_> {
    fn at(&mut self, offset: usize) -> Pos {
        if offset < self.offset {
            self.offset = 0;
            self.pos = Pos { line: 1, column: 1 };
        }
        for c in self.text[self.offset..offset].chars() {
            if c == '\n' {
                self.pos.line += 1;
                self.pos.column = 1;
            } else {
                self.pos.column += 1;
            }
        }
        self.offset = offset;
        self.pos
    }
}

struct Open {
    raw: String,
    bindings: usize,
}

struct PendingStart {
    raw: String,
    prefix: String,
    local: String,
    pos: Pos,
    attrs: Vec<(String, String, String, Pos)>,
}

fn malformed(pos: Pos, message: impl Into<String>) -> XmlRefusal {
    XmlRefusal::Malformed {
        line: pos.line,
        column: pos.column,
        message: message.into(),
    }
}

/// Reads `xml` to the end, handing events to `sink`; the first refusal stops it.
pub(crate) fn read(xml: &[u8], limits: &Limits, sink: &mut impl Sink) -> Result<(), XmlRefusal> {
    if xml.len() > limits.max_bytes {
        return Err(XmlRefusal::TooLarge {
            bytes: xml.len(),
            max: limits.max_bytes,
        });
    }
    let text = decode(xml)?;
    let mut cursor = Cursor {
        text,
        offset: 0,
        pos: Pos { line: 1, column: 1 },
    };
    let mut scope: Vec<(String, String)> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut pending: Option<PendingStart> = None;
    let mut seen_root = false;
    let mut nodes: usize = 0;
    let mut count = |pos: Pos| {
        nodes += 1;
        if nodes > limits.max_nodes {
            Err(XmlRefusal::TooManyNodes {
                line: pos.line,
                max: limits.max_nodes,
            })
        } else {
            Ok(())
        }
    };
    for token in Tokenizer::from(text) {
        let token = token.map_err(|e| {
            let p = e.pos();
            XmlRefusal::Malformed {
                line: p.row,
                column: p.col,
                message: e.to_string(),
            }
        })?;
        let pos = cursor.at(token.span().start());
        match token {
            Token::Declaration { encoding, .. } => {
                if let Some(enc) = encoding {
                    let e = enc.as_str().to_ascii_lowercase();
                    if e != "utf-8" && e != "utf8" && e != "us-ascii" {
                        return Err(malformed(
                            pos,
                            format!(
                                "the file declares the encoding {enc}; only UTF-8 is read (save the file as UTF-8)"
                            ),
                        ));
                    }
                }
            }
            Token::DtdStart { .. }
            | Token::EmptyDtd { .. }
            | Token::EntityDeclaration { .. }
            | Token::DtdEnd { .. } => {
                return Err(XmlRefusal::Dtd {
                    line: pos.line,
                    column: pos.column,
                });
            }
            Token::ProcessingInstruction { .. } | Token::Comment { .. } => {}
            Token::ElementStart { prefix, local, .. } => {
                count(pos)?;
                if open.is_empty() && seen_root {
                    return Err(malformed(pos, "the file has more than one root element"));
                }
                seen_root = true;
                if open.len() >= limits.max_depth {
                    return Err(XmlRefusal::TooDeep {
                        line: pos.line,
                        column: pos.column,
                        max: limits.max_depth,
                    });
                }
                pending = Some(PendingStart {
                    raw: raw_name(prefix.as_str(), local.as_str()),
                    prefix: prefix.to_string(),
                    local: local.to_string(),
                    pos,
                    attrs: Vec::new(),
                });
            }
            Token::Attribute {
                prefix,
                local,
                value,
                ..
            } => {
                count(pos)?;
                let value_pos = cursor.at(value.start());
                let v = unescape(value.as_str(), value_pos, true)?;
                if let Some(p) = pending.as_mut() {
                    p.attrs
                        .push((prefix.to_string(), local.to_string(), v, pos));
                }
            }
            Token::ElementEnd { end, .. } => match end {
                ElementEnd::Open | ElementEnd::Empty => {
                    let Some(p) = pending.take() else {
                        return Err(malformed(pos, "a tag ends that never started"));
                    };
                    let raw = p.raw.clone();
                    let bindings = start_element(p, &mut scope, sink)?;
                    if end == ElementEnd::Open {
                        open.push(Open { raw, bindings });
                    } else {
                        scope.truncate(scope.len() - bindings);
                        sink.end(pos);
                    }
                }
                ElementEnd::Close(prefix, local) => {
                    let raw = raw_name(prefix.as_str(), local.as_str());
                    let Some(top) = open.pop() else {
                        return Err(malformed(pos, format!("</{raw}> closes nothing")));
                    };
                    if top.raw != raw {
                        return Err(malformed(
                            pos,
                            format!("</{raw}> closes <{}>; the tags are not nested", top.raw),
                        ));
                    }
                    scope.truncate(scope.len() - top.bindings);
                    sink.end(pos);
                }
            },
            Token::Text { text } => {
                let t = unescape(text.as_str(), pos, false)?;
                if open.is_empty() {
                    if !t.chars().all(is_xml_space) {
                        return Err(malformed(pos, "text outside the root element"));
                    }
                } else {
                    count(pos)?;
                    sink.text(&t, pos);
                }
            }
            Token::Cdata { text, .. } => {
                if open.is_empty() {
                    return Err(malformed(pos, "CDATA outside the root element"));
                }
                count(pos)?;
                sink.text(text.as_str(), pos);
            }
        }
    }
    let end = cursor.at(text.len());
    if let Some(top) = open.last() {
        return Err(malformed(
            end,
            format!("the file ends inside <{}>", top.raw),
        ));
    }
    if !seen_root {
        return Err(malformed(end, "the file has no root element"));
    }
    Ok(())
}

fn raw_name(prefix: &str, local: &str) -> String {
    if prefix.is_empty() {
        local.to_string()
    } else {
        format!("{prefix}:{local}")
    }
}

/// Declares the tag's namespaces, resolves its names and hands it on; returns how many
/// bindings it pushed onto `scope`.
fn start_element(
    p: PendingStart,
    scope: &mut Vec<(String, String)>,
    sink: &mut impl Sink,
) -> Result<usize, XmlRefusal> {
    let mut bindings = 0;
    for (prefix, local, value, pos) in &p.attrs {
        let declared = match (prefix.as_str(), local.as_str()) {
            ("", "xmlns") => Some(String::new()),
            ("xmlns", name) => Some(name.to_string()),
            _ => None,
        };
        if let Some(name) = declared {
            if name == "xmlns" || (name == "xml") != (value == XML_NS) || value == XMLNS_NS {
                return Err(malformed(
                    *pos,
                    format!("the namespace declaration of '{name}' is not allowed"),
                ));
            }
            if !name.is_empty() && value.is_empty() {
                return Err(malformed(
                    *pos,
                    format!("the prefix '{name}' cannot be bound to an empty namespace"),
                ));
            }
            scope.push((name, value.clone()));
            bindings += 1;
        }
    }
    let Some(ns) = resolve(scope, &p.prefix, true) else {
        return Err(malformed(
            p.pos,
            format!("the prefix '{}' of <{}> is not declared", p.prefix, p.raw),
        ));
    };
    let name = QName { ns, local: p.local };
    let mut attrs: Vec<Attr> = Vec::with_capacity(p.attrs.len());
    for (prefix, local, value, pos) in p.attrs {
        if (prefix.is_empty() && local == "xmlns") || prefix == "xmlns" {
            continue;
        }
        let raw = raw_name(&prefix, &local);
        let Some(ns) = resolve(scope, &prefix, false) else {
            return Err(malformed(
                pos,
                format!("the prefix '{prefix}' of the attribute {raw} is not declared"),
            ));
        };
        let aname = QName { ns, local };
        if attrs.iter().any(|a| a.name == aname) {
            return Err(malformed(
                pos,
                format!("<{}> has the attribute {raw} twice", p.raw),
            ));
        }
        attrs.push(Attr {
            name: aname,
            raw_name: raw,
            value,
            pos,
        });
    }
    sink.start(&StartTag {
        name,
        raw_name: p.raw,
        attrs,
        pos: p.pos,
        scope,
    });
    Ok(bindings)
}
