//! Compiles the embedded official XSD files (IATI 2.03 activity schema, its common types and
//! the W3C `xml.xsd`) into the [`Schema`] the validator runs, once per process. It handles
//! the XSD constructs those files use — global and local elements, element references,
//! sequences and choices with occurrence bounds, wildcards, named and anonymous complex types,
//! simple and complex content extension, attribute references and groups, attribute
//! wildcards, simple-type restrictions by enumeration or length, and unions — and refuses any
//! other construct by name, so a future schema cannot be half-understood in silence.

use super::model::{
    ComplexType, Content, ElementDecl, Nfa, PKind, Particle, Schema, Term, TypeRef,
};
use super::reader::QName;
#[cfg(test)]
use super::reader::XML_NS;
use super::xsd_tree::{self, Node, XSD_NS};
use attrs::wildcard;

mod attrs;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The official files, as committed under `tests/data/iati/schema` (see its README).
const FILES: [(&str, &str); 3] = [
    (
        "iati-activities-schema.xsd",
        include_str!("../../../../tests/data/iati/schema/iati-activities-schema.xsd"),
    ),
    (
        "iati-common.xsd",
        include_str!("../../../../tests/data/iati/schema/iati-common.xsd"),
    ),
    (
        "xml.xsd",
        include_str!("../../../../tests/data/iati/schema/xml.xsd"),
    ),
];

static ACTIVITY: LazyLock<Schema> = LazyLock::new(|| {
    // The files are compiled into the binary and a unit test compiles them, so a failure
    // here is a defect of the build, not of any input.
    #[allow(clippy::expect_used)]
    compile(&FILES).expect("the embedded IATI 2.03 schema compiles")
});

/// The IATI 2.03 activity schema, compiled on first use.
pub(crate) fn activity_schema() -> &'static Schema {
    &ACTIVITY
}

type R<T> = Result<T, String>;

struct Global<'a> {
    node: &'a Node,
    tns: Option<String>,
}

#[derive(Default)]
struct Globals<'a> {
    elements: HashMap<QName, Global<'a>>,
    complex: HashMap<QName, Global<'a>>,
    simple: HashMap<QName, Global<'a>>,
    attributes: HashMap<QName, Global<'a>>,
    attribute_groups: HashMap<QName, Global<'a>>,
    groups: HashMap<QName, Global<'a>>,
}

struct Compiler<'a> {
    g: Globals<'a>,
    schema: Schema,
    complex_done: HashMap<QName, usize>,
    /// Each named complex type's own particle, kept for types that extend it.
    particles: HashMap<usize, Option<Particle>>,
}

pub(crate) fn compile(files: &[(&str, &str)]) -> R<Schema> {
    let docs = files
        .iter()
        .map(|(name, text)| xsd_tree::parse(name, text))
        .collect::<R<Vec<Node>>>()?;
    let known: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    let mut g = Globals::default();
    for doc in &docs {
        let tns = doc.attr("targetNamespace").map(str::to_string);
        for c in &doc.children {
            if c.kind == "include" || c.kind == "import" {
                let loc = c.attr("schemaLocation").unwrap_or("");
                if !known.contains(&loc) {
                    return Err(format!("the schema refers to {loc}, which is not embedded"));
                }
                continue;
            }
            let Some(name) = c.attr("name") else {
                return Err(format!("a top-level <xsd:{}> without a name", c.kind));
            };
            let key = QName::new(tns.as_deref(), name);
            let global = Global {
                node: c,
                tns: tns.clone(),
            };
            let map = match c.kind.as_str() {
                "element" => &mut g.elements,
                "complexType" => &mut g.complex,
                "simpleType" => &mut g.simple,
                "attribute" => &mut g.attributes,
                "attributeGroup" => &mut g.attribute_groups,
                "group" => &mut g.groups,
                other => return Err(format!("<xsd:{other}> is not supported at the top level")),
            };
            map.insert(key, global);
        }
    }
    let mut c = Compiler {
        g,
        schema: Schema {
            elements: HashMap::new(),
            attributes: HashMap::new(),
            decls: Vec::new(),
            types: Vec::new(),
            terms: Vec::new(),
        },
        complex_done: HashMap::new(),
        particles: HashMap::new(),
    };
    // Reserve every global element first so references (and recursion) resolve.
    let mut globals: Vec<(QName, &Node, Option<String>)> =
        c.g.elements
            .iter()
            .map(|(k, v)| (k.clone(), v.node, v.tns.clone()))
            .collect();
    globals.sort_by(|a, b| a.0.local.cmp(&b.0.local));
    for (name, _, _) in &globals {
        let id = c.schema.decls.len();
        c.schema.decls.push(ElementDecl {
            name: name.clone(),
            ty: TypeRef::Any,
        });
        c.schema.elements.insert(name.clone(), id);
    }
    for (name, node, tns) in &globals {
        let ty = c.element_type(node, tns.as_deref())?;
        let id = c.schema.elements[name];
        c.schema.decls[id].ty = ty;
    }
    let attrs: Vec<(QName, &Node)> =
        c.g.attributes
            .iter()
            .map(|(k, v)| (k.clone(), v.node))
            .collect();
    for (name, node) in attrs {
        let ty = c.attribute_type(node)?;
        c.schema.attributes.insert(name, ty);
    }
    Ok(c.schema)
}

fn occurs(node: &Node) -> R<(u32, Option<u32>)> {
    let min = match node.attr("minOccurs") {
        None => 1,
        Some(v) => v.trim().parse().map_err(|_| format!("minOccurs=\"{v}\""))?,
    };
    let max = match node.attr("maxOccurs") {
        None => Some(1),
        Some("unbounded") => None,
        Some(v) => Some(v.trim().parse().map_err(|_| format!("maxOccurs=\"{v}\""))?),
    };
    if max.is_some_and(|m| m > 256 || m < min) {
        return Err(format!(
            "maxOccurs=\"{}\" is not supported",
            node.attr("maxOccurs").unwrap_or("")
        ));
    }
    Ok((min, max))
}

impl<'a> Compiler<'a> {
    fn qname(node: &Node, attr: &str) -> R<Option<QName>> {
        node.qname_attr(attr)
    }

    fn element_type(&mut self, node: &'a Node, tns: Option<&str>) -> R<TypeRef> {
        if let Some(t) = Self::qname(node, "type")? {
            return self.type_ref(&t);
        }
        if let Some(ct) = node.children_of("complexType").next() {
            return Ok(TypeRef::Complex(self.complex(ct, tns, None)?));
        }
        if let Some(st) = node.children_of("simpleType").next() {
            return Ok(TypeRef::Simple(self.simple(st)?));
        }
        Ok(TypeRef::Any)
    }

    fn type_ref(&mut self, t: &QName) -> R<TypeRef> {
        if t.ns.as_deref() == Some(XSD_NS) {
            if t.local == "anyType" {
                return Ok(TypeRef::Any);
            }
            return Ok(TypeRef::Simple(self.simple_ref(t)?));
        }
        if let Some(&id) = self.complex_done.get(t) {
            return Ok(TypeRef::Complex(id));
        }
        if let Some(g) = self.g.complex.get(t) {
            let (node, tns) = (g.node, g.tns.clone());
            return Ok(TypeRef::Complex(self.complex(
                node,
                tns.as_deref(),
                Some(t.clone()),
            )?));
        }
        Ok(TypeRef::Simple(self.simple_ref(t)?))
    }

    fn particle(&mut self, node: &'a Node, tns: Option<&str>) -> R<Particle> {
        let (min, max) = occurs(node)?;
        let kind = match node.kind.as_str() {
            "element" => {
                let decl = if let Some(r) = Self::qname(node, "ref")? {
                    *self
                        .schema
                        .elements
                        .get(&r)
                        .ok_or_else(|| format!("the element {} is not declared", r.local))?
                } else {
                    let local = node.attr("name").ok_or("an element without a name")?;
                    let ns = (node.attr("form") == Some("qualified"))
                        .then_some(tns)
                        .flatten();
                    let id = self.schema.decls.len();
                    self.schema.decls.push(ElementDecl {
                        name: QName::new(ns, local),
                        ty: TypeRef::Any,
                    });
                    self.schema.decls[id].ty = self.element_type(node, tns)?;
                    id
                };
                self.schema.terms.push(Term::Element(decl));
                PKind::Term(self.schema.terms.len() - 1)
            }
            "any" => {
                self.schema.terms.push(Term::Any(wildcard(node, tns)?));
                PKind::Term(self.schema.terms.len() - 1)
            }
            "sequence" | "choice" => {
                let items = node
                    .children
                    .iter()
                    .map(|c| self.particle(c, tns))
                    .collect::<R<Vec<_>>>()?;
                if node.kind == "sequence" {
                    PKind::Seq(items)
                } else {
                    PKind::Choice(items)
                }
            }
            "group" => {
                let r = Self::qname(node, "ref")?.ok_or("a group without ref")?;
                let g = self
                    .g
                    .groups
                    .get(&r)
                    .ok_or_else(|| format!("the group {} is not declared", r.local))?;
                let (gnode, gtns) = (g.node, g.tns.clone());
                let inner = gnode.children.first().ok_or("an empty group")?;
                return Ok(Particle {
                    min,
                    max,
                    kind: PKind::Seq(vec![self.particle(inner, gtns.as_deref())?]),
                });
            }
            other => return Err(format!("<xsd:{other}> in a content model is not supported")),
        };
        Ok(Particle { kind, min, max })
    }

    /// Compiles a complex type (named when `name` is given, so it is compiled once).
    fn complex(&mut self, node: &'a Node, tns: Option<&str>, name: Option<QName>) -> R<usize> {
        let id = self.schema.types.len();
        self.schema.types.push(ComplexType {
            attrs: Vec::new(),
            any_attr: None,
            content: Content::Empty,
        });
        if let Some(n) = name {
            self.complex_done.insert(n, id);
        }
        let mut ct = ComplexType {
            attrs: Vec::new(),
            any_attr: None,
            content: Content::Empty,
        };
        let mut mixed = node.attr("mixed") == Some("true");
        let mut particle = None;
        for c in &node.children {
            match c.kind.as_str() {
                "sequence" | "choice" | "group" => particle = Some(self.particle(c, tns)?),
                "all" => return Err("<xsd:all> is not supported".into()),
                "simpleContent" => {
                    let ext = c.children.first().ok_or("an empty simpleContent")?;
                    if ext.kind != "extension" {
                        return Err(format!("simpleContent/{} is not supported", ext.kind));
                    }
                    let base = Self::qname(ext, "base")?.ok_or("an extension without base")?;
                    match self.type_ref(&base)? {
                        TypeRef::Simple(st) => ct.content = Content::Simple(st),
                        TypeRef::Complex(b) => {
                            let Content::Simple(st) = &self.schema.types[b].content else {
                                return Err(format!("{} has no simple content", base.local));
                            };
                            ct.content = Content::Simple(st.clone());
                            ct.attrs = self.schema.types[b].attrs.clone();
                            ct.any_attr = self.schema.types[b].any_attr.clone();
                        }
                        TypeRef::Any => return Err("simple content from anyType".into()),
                    }
                    self.attributes(&ext.children, tns, &mut ct)?;
                }
                "complexContent" => {
                    let ext = c.children.first().ok_or("an empty complexContent")?;
                    if ext.kind != "extension" {
                        return Err(format!("complexContent/{} is not supported", ext.kind));
                    }
                    mixed |= c.attr("mixed") == Some("true");
                    let base = Self::qname(ext, "base")?.ok_or("an extension without base")?;
                    let TypeRef::Complex(b) = self.type_ref(&base)? else {
                        return Err(format!("{} is not a complex type", base.local));
                    };
                    ct.attrs = self.schema.types[b].attrs.clone();
                    ct.any_attr = self.schema.types[b].any_attr.clone();
                    let base_particle = self.particles.get(&b).cloned().flatten();
                    let own = ext
                        .children
                        .iter()
                        .find(|n| matches!(n.kind.as_str(), "sequence" | "choice" | "group"))
                        .map(|n| self.particle(n, tns))
                        .transpose()?;
                    particle = match (base_particle, own) {
                        (Some(a), Some(b)) => Some(Particle {
                            kind: PKind::Seq(vec![a, b]),
                            min: 1,
                            max: Some(1),
                        }),
                        (a, b) => a.or(b),
                    };
                    self.attributes(&ext.children, tns, &mut ct)?;
                }
                _ => {}
            }
        }
        self.attributes(&node.children, tns, &mut ct)?;
        if let Some(p) = &particle {
            ct.content = Content::Elements {
                nfa: Nfa::build(p),
                mixed,
            };
        } else if mixed {
            ct.content = Content::Elements {
                nfa: Nfa::build(&Particle {
                    kind: PKind::Seq(Vec::new()),
                    min: 1,
                    max: Some(1),
                }),
                mixed,
            };
        }
        self.particles.insert(id, particle);
        self.schema.types[id] = ct;
        Ok(id)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_schema_compiles_with_its_global_elements() {
        let s = compile(&FILES).unwrap();
        for root in [
            "iati-activities",
            "iati-activity",
            "transaction",
            "narrative",
        ] {
            assert!(s.elements.contains_key(&QName::new(None, root)), "{root}");
        }
        assert!(s.attributes.contains_key(&QName::new(Some(XML_NS), "lang")));
    }
}
