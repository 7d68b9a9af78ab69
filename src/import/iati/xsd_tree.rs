//! The embedded XSD files as small element trees (read with the same safe reader as the
//! documents they check), for the schema compiler. Annotations are dropped here: they say
//! nothing a validator needs.

use super::Limits;
use super::reader::{self, Pos, QName, Sink, StartTag};

/// The XML Schema namespace.
pub(crate) const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

#[derive(Debug)]
pub(crate) struct Node {
    /// Local name within the XSD namespace (other elements are not kept).
    pub kind: String,
    attrs: Vec<(String, String)>,
    scope: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Node {
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The QName an attribute value names (as `type="xsd:date"`), resolved where it is written.
    pub(crate) fn qname_attr(&self, name: &str) -> Result<Option<QName>, String> {
        match self.attr(name) {
            Some(v) => self.resolve(v).map(Some),
            None => Ok(None),
        }
    }

    /// Resolves a QName written in this element (`xsd:string`) with the bindings in scope.
    pub(crate) fn resolve(&self, v: &str) -> Result<QName, String> {
        let tag = StartTag {
            name: QName::new(None, ""),
            raw_name: String::new(),
            attrs: Vec::new(),
            pos: Pos { line: 0, column: 0 },
            scope: &self.scope,
        };
        tag.resolve_value(v)
            .ok_or_else(|| format!("the prefix of \"{v}\" is not declared"))
    }

    pub(crate) fn children_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Node> {
        self.children.iter().filter(move |c| c.kind == kind)
    }
}

#[derive(Default)]
struct Builder {
    stack: Vec<Node>,
    /// Depth inside an annotation or a foreign element, which are skipped whole.
    skipping: usize,
    root: Option<Node>,
    error: Option<String>,
}

impl Sink for Builder {
    fn start(&mut self, tag: &StartTag<'_>) {
        let is_xsd = tag.name.ns.as_deref() == Some(XSD_NS);
        if self.skipping > 0 || !is_xsd || tag.name.local == "annotation" {
            self.skipping += 1;
            if !is_xsd && self.error.is_none() && self.stack.is_empty() {
                self.error = Some(format!("<{}> is not an XSD element", tag.raw_name));
            }
            return;
        }
        self.stack.push(Node {
            kind: tag.name.local.clone(),
            attrs: tag
                .attrs
                .iter()
                .filter(|a| a.name.ns.is_none())
                .map(|a| (a.name.local.clone(), a.value.clone()))
                .collect(),
            scope: tag.scope.to_vec(),
            children: Vec::new(),
        });
    }

    fn text(&mut self, _text: &str, _pos: Pos) {}

    fn end(&mut self, _pos: Pos) {
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        if let Some(node) = self.stack.pop() {
            match self.stack.last_mut() {
                Some(parent) => parent.children.push(node),
                None => self.root = Some(node),
            }
        }
    }
}

/// Parses one XSD document into its `<xsd:schema>` node.
pub(crate) fn parse(name: &str, text: &str) -> Result<Node, String> {
    let mut b = Builder::default();
    reader::read(text.as_bytes(), &Limits::default(), &mut b)
        .map_err(|e| format!("{name}: {e}"))?;
    if let Some(e) = b.error {
        return Err(format!("{name}: {e}"));
    }
    match b.root {
        Some(root) if root.kind == "schema" => Ok(root),
        _ => Err(format!("{name}: the root is not <xsd:schema>")),
    }
}
