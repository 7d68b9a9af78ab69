//! Attribute checks of the validator: declared attributes and their values, required and
//! prohibited ones, attribute wildcards (foreign-namespace extensions), `xsi:` attributes and
//! ID uniqueness.

use super::{Mode, Validator, XSI_NS, snippet};
use crate::import::iati::model::Process;
use crate::import::iati::reader::{Attr, StartTag, XML_NS};
use crate::import::iati::simple::SimpleType;

impl<'s> Validator<'s> {
    pub(super) fn check_attrs(&mut self, mode: &Mode<'s>, tag: &StartTag<'_>, path: &str) {
        let el = &tag.raw_name;
        for a in &tag.attrs {
            if a.name.ns.as_deref() == Some(XSI_NS) {
                match a.name.local.as_str() {
                    "schemaLocation" | "noNamespaceSchemaLocation" => {}
                    "nil" => self.report(
                        a.pos,
                        path,
                        format!("<{el}> is not nillable: xsi:nil is not allowed"),
                    ),
                    other => self.report(
                        a.pos,
                        path,
                        format!("xsi:{other} is not supported on <{el}>"),
                    ),
                }
                continue;
            }
            match mode {
                Mode::Skip => {}
                Mode::Lax => self.check_global_attr(a, path, el, false),
                Mode::Simple(_) => self.report(
                    a.pos,
                    path,
                    format!("<{el}> has no attributes; {} is not allowed", a.raw_name),
                ),
                Mode::Complex { ty, .. } => {
                    if let Some(u) = ty.attrs.iter().find(|u| u.name == a.name) {
                        if u.prohibited {
                            self.report(
                                a.pos,
                                path,
                                format!("<{el}> may not have the attribute {}", a.raw_name),
                            );
                        } else {
                            self.check_value(&u.ty, a, path, el);
                            if u.fixed.as_ref().is_some_and(|f| *f != a.value) {
                                self.report(
                                    a.pos,
                                    path,
                                    format!(
                                        "{} of <{el}> must be \"{}\"",
                                        a.raw_name,
                                        u.fixed.clone().unwrap_or_default()
                                    ),
                                );
                            }
                        }
                    } else if let Some(w) = ty
                        .any_attr
                        .as_ref()
                        .filter(|w| w.allows(a.name.ns.as_deref()))
                    {
                        if w.process != Process::Skip {
                            self.check_global_attr(a, path, el, w.process == Process::Strict);
                        }
                    } else {
                        let mut m = format!("<{el}> does not allow the attribute {}", a.raw_name);
                        if a.name.ns.is_none() && ty.any_attr.is_some() {
                            m.push_str(
                                "; attributes added to IATI must be in a namespace of their own",
                            );
                        }
                        self.report(a.pos, path, m);
                    }
                }
            }
        }
        if let Mode::Complex { ty, .. } = mode {
            for u in ty.attrs.iter().filter(|u| u.required) {
                if !tag.attrs.iter().any(|a| a.name == u.name) {
                    let name = match u.name.ns.as_deref() {
                        Some(XML_NS) => format!("xml:{}", u.name.local),
                        _ => u.name.local.clone(),
                    };
                    self.report(
                        tag.pos,
                        path,
                        format!("<{el}> is missing the required attribute {name}"),
                    );
                }
            }
        }
    }

    fn check_global_attr(&mut self, a: &Attr, path: &str, el: &str, strict: bool) {
        match self.schema.attributes.get(&a.name) {
            Some(st) => self.check_value(st, a, path, el),
            None if strict => self.report(
                a.pos,
                path,
                format!(
                    "no declaration is available for the attribute {}",
                    a.raw_name
                ),
            ),
            None => {}
        }
    }

    fn check_value(&mut self, st: &SimpleType, a: &Attr, path: &str, el: &str) {
        if let Err(why) = st.check(&a.value) {
            self.report(
                a.pos,
                path,
                format!(
                    "{} of <{el}> is \"{}\", which is not valid: it {why}",
                    a.raw_name,
                    snippet(&a.value)
                ),
            );
        } else if st.is_id() && !self.ids.insert(a.value.trim().to_string()) {
            self.report(
                a.pos,
                path,
                format!("the ID \"{}\" is used more than once", a.value.trim()),
            );
        }
    }
}
