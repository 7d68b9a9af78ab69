//! The simple-type and attribute half of the schema compiler: named and anonymous simple
//! types (restrictions by enumeration or length, unions), attribute declarations, references
//! and groups, and wildcards.

use super::{Compiler, R};
use crate::import::iati::model::{AttrUse, ComplexType, NsConstraint, Process, Wildcard};
use crate::import::iati::reader::QName;
use crate::import::iati::simple::{Builtin, Facet, SimpleType};
use crate::import::iati::xsd_tree::{Node, XSD_NS};

pub(super) fn wildcard(node: &Node, tns: Option<&str>) -> R<Wildcard> {
    let ns = match node.attr("namespace").map(str::trim) {
        None | Some("##any") => NsConstraint::Any,
        Some("##other") => NsConstraint::Not(tns.map(str::to_string)),
        Some(list) => NsConstraint::List(
            list.split_ascii_whitespace()
                .map(|t| match t {
                    "##local" => None,
                    "##targetNamespace" => tns.map(str::to_string),
                    uri => Some(uri.to_string()),
                })
                .collect(),
        ),
    };
    let process = match node.attr("processContents") {
        None | Some("strict") => Process::Strict,
        Some("lax") => Process::Lax,
        Some("skip") => Process::Skip,
        Some(other) => return Err(format!("processContents=\"{other}\"")),
    };
    Ok(Wildcard { ns, process })
}

impl<'a> Compiler<'a> {
    pub(super) fn simple_ref(&mut self, t: &QName) -> R<SimpleType> {
        if t.ns.as_deref() == Some(XSD_NS) {
            return Builtin::by_name(&t.local)
                .map(SimpleType::Builtin)
                .ok_or_else(|| format!("the built-in type xsd:{} is not supported", t.local));
        }
        let g = self
            .g
            .simple
            .get(t)
            .ok_or_else(|| format!("the type {} is not declared", t.local))?;
        let node = g.node;
        self.simple(node)
    }

    pub(super) fn simple(&mut self, node: &'a Node) -> R<SimpleType> {
        let Some(c) = node.children.first() else {
            return Err("an empty simple type".into());
        };
        match c.kind.as_str() {
            "restriction" => {
                let base = match Self::qname(c, "base")? {
                    Some(b) => self.simple_ref(&b)?,
                    None => match c.children_of("simpleType").next() {
                        Some(st) => self.simple(st)?,
                        None => return Err("a restriction without a base".into()),
                    },
                };
                let mut facets = Vec::new();
                let mut values = Vec::new();
                for f in &c.children {
                    let v = f.attr("value").unwrap_or("");
                    let n = || {
                        v.trim()
                            .parse::<usize>()
                            .map_err(|_| format!("{}=\"{v}\"", f.kind))
                    };
                    match f.kind.as_str() {
                        "enumeration" => values.push(v.to_string()),
                        "length" => facets.push(Facet::Length(n()?)),
                        "minLength" => facets.push(Facet::MinLength(n()?)),
                        "maxLength" => facets.push(Facet::MaxLength(n()?)),
                        "simpleType" => {}
                        other => return Err(format!("the facet xsd:{other} is not supported")),
                    }
                }
                if !values.is_empty() {
                    facets.push(Facet::Enumeration(values));
                }
                Ok(SimpleType::Restriction {
                    base: Box::new(base),
                    facets,
                })
            }
            "union" => {
                let mut members = Vec::new();
                for m in c.attr("memberTypes").unwrap_or("").split_ascii_whitespace() {
                    let q = c.resolve(m)?;
                    members.push(self.simple_ref(&q)?);
                }
                for st in c.children_of("simpleType") {
                    members.push(self.simple(st)?);
                }
                Ok(SimpleType::Union(members))
            }
            other => Err(format!("<xsd:{other}> in a simple type is not supported")),
        }
    }

    pub(super) fn attribute_type(&mut self, node: &'a Node) -> R<SimpleType> {
        if let Some(t) = Self::qname(node, "type")? {
            return self.simple_ref(&t);
        }
        if let Some(st) = node.children_of("simpleType").next() {
            return self.simple(st);
        }
        Ok(SimpleType::Builtin(Builtin::AnySimple))
    }

    pub(super) fn attribute_use(&mut self, node: &'a Node, tns: Option<&str>) -> R<AttrUse> {
        let (name, ty) = if let Some(r) = Self::qname(node, "ref")? {
            let g = self
                .g
                .attributes
                .get(&r)
                .ok_or_else(|| format!("the attribute {} is not declared", r.local))?;
            let gnode = g.node;
            (r, self.attribute_type(gnode)?)
        } else {
            let local = node.attr("name").ok_or("an attribute without a name")?;
            let ns = (node.attr("form") == Some("qualified"))
                .then_some(tns)
                .flatten();
            (QName::new(ns, local), self.attribute_type(node)?)
        };
        Ok(AttrUse {
            name,
            ty,
            required: node.attr("use") == Some("required"),
            prohibited: node.attr("use") == Some("prohibited"),
            fixed: node.attr("fixed").map(str::to_string),
        })
    }

    /// Adds the attribute declarations among `children` (and in groups they name).
    pub(super) fn attributes(
        &mut self,
        children: &'a [Node],
        tns: Option<&str>,
        ct: &mut ComplexType,
    ) -> R<()> {
        for c in children {
            match c.kind.as_str() {
                "attribute" => {
                    let u = self.attribute_use(c, tns)?;
                    ct.attrs.retain(|a| a.name != u.name);
                    ct.attrs.push(u);
                }
                "attributeGroup" => {
                    let r = Self::qname(c, "ref")?.ok_or("an attribute group without ref")?;
                    let g = self.g.attribute_groups.get(&r).ok_or_else(|| {
                        format!("the attribute group {} is not declared", r.local)
                    })?;
                    let (gnode, gtns) = (g.node, g.tns.clone());
                    self.attributes(&gnode.children, gtns.as_deref(), ct)?;
                }
                "anyAttribute" => ct.any_attr = Some(wildcard(c, tns)?),
                _ => {}
            }
        }
        Ok(())
    }
}
