//! Runs a compiled [`Schema`] over the reader's events as they stream: each open element
//! keeps its declared type and the state of its content model; each child, text and end tag
//! moves that state on or records a [`Violation`] naming the line, the element's path and the
//! rule. After a content error in an element, the rest of that element's children are only
//! checked against their own global declarations (as libxml2 does), so one mistake does not
//! cascade into a page of messages.

use super::model::{ComplexType, Content, Process, Schema, States, Term, TypeRef, Wildcard};
use super::reader::{Pos, QName, Sink, StartTag, is_xml_space};
use super::simple::SimpleType;
use super::{MAX_VIOLATIONS, Violation};
use std::collections::{HashMap, HashSet};

mod attrs;

const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

enum Mode<'s> {
    Complex {
        ty: &'s ComplexType,
        states: States,
        broken: bool,
    },
    Simple(&'s SimpleType),
    /// Not declared here: attributes and children are checked only where a global
    /// declaration exists (a lax wildcard, `anyType`, or after a content error).
    Lax,
    Skip,
}

struct Frame<'s> {
    name: String,
    path: String,
    mode: Mode<'s>,
    text: String,
    reported: bool,
    children: HashMap<String, u32>,
}

pub(crate) struct Validator<'s> {
    schema: &'s Schema,
    frames: Vec<Frame<'s>>,
    violations: Vec<Violation>,
    ids: HashSet<String>,
}

fn snippet(s: &str) -> String {
    let t = s.trim();
    let mut out: String = t.chars().take(40).collect();
    if t.chars().count() > 40 {
        out.push('…');
    }
    out
}

impl<'s> Validator<'s> {
    pub(crate) fn new(schema: &'s Schema) -> Self {
        Validator {
            schema,
            frames: Vec::new(),
            violations: Vec::new(),
            ids: HashSet::new(),
        }
    }

    pub(crate) fn finish(self) -> Vec<Violation> {
        self.violations
    }

    fn report(&mut self, pos: Pos, path: &str, message: String) {
        if self.violations.len() < MAX_VIOLATIONS {
            self.violations.push(Violation {
                line: pos.line,
                column: pos.column,
                path: path.to_string(),
                message,
            });
        }
    }

    fn mode_for(&self, decl: usize) -> Mode<'s> {
        match &self.schema.decls[decl].ty {
            TypeRef::Simple(st) => Mode::Simple(st),
            TypeRef::Complex(i) => {
                let ty = &self.schema.types[*i];
                let states = match &ty.content {
                    Content::Elements { nfa, .. } => nfa.initial(),
                    _ => Vec::new(),
                };
                Mode::Complex {
                    ty,
                    states,
                    broken: false,
                }
            }
            TypeRef::Any => Mode::Lax,
        }
    }

    fn global_or_lax(&self, name: &QName) -> Mode<'s> {
        match self.schema.elements.get(name) {
            Some(&d) => self.mode_for(d),
            None => Mode::Lax,
        }
    }

    fn term_matches(&self, t: usize, name: &QName) -> bool {
        match &self.schema.terms[t] {
            Term::Element(d) => self.schema.decls[*d].name == *name,
            Term::Any(w) => w.allows(name.ns.as_deref()),
        }
    }

    fn describe(&self, t: usize) -> String {
        match &self.schema.terms[t] {
            Term::Element(d) => format!("<{}>", self.schema.decls[*d].name.local),
            Term::Any(_) => "an element in another namespace".into(),
        }
    }

    fn wildcard_mode(&self, w: &Wildcard, tag: &StartTag<'_>) -> (Mode<'s>, Option<String>) {
        match (w.process, self.schema.elements.get(&tag.name)) {
            (Process::Skip, _) => (Mode::Skip, None),
            (_, Some(&d)) => (self.mode_for(d), None),
            (Process::Lax, None) => (Mode::Lax, None),
            (Process::Strict, None) => (
                Mode::Lax,
                Some(format!(
                    "no declaration is available for <{}>",
                    tag.raw_name
                )),
            ),
        }
    }

    /// The child's mode inside `parent` and the violation it causes, if any.
    fn child_mode(&mut self, tag: &StartTag<'_>) -> (Mode<'s>, Option<String>) {
        let Some(parent) = self.frames.last() else {
            return match self.schema.elements.get(&tag.name) {
                Some(&d) => (self.mode_for(d), None),
                None => (
                    Mode::Skip,
                    Some(format!(
                        "<{}> cannot be the root: the IATI activity schema declares no such element (expected <iati-activities>)",
                        tag.raw_name
                    )),
                ),
            };
        };
        let parent_name = parent.name.clone();
        match &parent.mode {
            Mode::Skip => (Mode::Skip, None),
            Mode::Lax => (self.global_or_lax(&tag.name), None),
            Mode::Simple(_) => (
                Mode::Skip,
                Some(format!(
                    "<{parent_name}> holds a single value and cannot contain elements (found <{}>)",
                    tag.raw_name
                )),
            ),
            Mode::Complex { ty, states, broken } => {
                let Content::Elements { nfa, .. } = &ty.content else {
                    return (
                        Mode::Skip,
                        Some(format!(
                            "<{parent_name}> cannot contain elements (found <{}>)",
                            tag.raw_name
                        )),
                    );
                };
                if *broken {
                    return (self.global_or_lax(&tag.name), None);
                }
                if let Some((t, next)) = nfa.step(states, |t| self.term_matches(t, &tag.name)) {
                    if let Some(Frame {
                        mode: Mode::Complex { states, .. },
                        ..
                    }) = self.frames.last_mut()
                    {
                        *states = next;
                    }
                    return match &self.schema.terms[t] {
                        Term::Element(d) => (self.mode_for(*d), None),
                        Term::Any(w) => self.wildcard_mode(&w.clone(), tag),
                    };
                }
                let message = self.content_message(&parent_name, nfa, states, tag);
                if let Some(Frame {
                    mode: Mode::Complex { broken, .. },
                    ..
                }) = self.frames.last_mut()
                {
                    *broken = true;
                }
                (self.global_or_lax(&tag.name), Some(message))
            }
        }
    }

    fn content_message(
        &self,
        parent: &str,
        nfa: &super::model::Nfa,
        states: &States,
        tag: &StartTag<'_>,
    ) -> String {
        let child = &tag.raw_name;
        let takes = |t: usize| self.term_matches(t, &tag.name);
        if let Some(Some(t)) = nfa.first_missing(states, |s| nfa.can_take(s, takes)) {
            return format!("<{parent}> expects {} before <{child}>", self.describe(t));
        }
        let in_model = (0..self.schema.terms.len()).any(|t| {
            takes(t)
                && nfa
                    .first_missing(&nfa.initial(), |s| nfa.can_take(s, |u| u == t))
                    .is_some()
        });
        if !in_model {
            let mut m = format!("<{parent}> does not allow <{child}>");
            if tag.name.ns.is_none()
                && nfa
                    .next_terms(states)
                    .iter()
                    .chain(nfa.next_terms(&nfa.initial()).iter())
                    .any(|&t| matches!(self.schema.terms[t], Term::Any(_)))
            {
                m.push_str("; elements added to IATI must be in a namespace of their own");
            }
            return m;
        }
        let mut next: Vec<String> = nfa
            .next_terms(states)
            .into_iter()
            .map(|t| self.describe(t))
            .collect();
        next.dedup();
        if nfa.accepts(states) {
            next.push(format!("the end of <{parent}>"));
        }
        let shown = if next.len() > 6 {
            format!("{}, …", next[..6].join(", "))
        } else {
            next.join(", ")
        };
        format!(
            "<{parent}> does not allow another <{child}> here (one too many, or out of order); expected {shown}"
        )
    }
}

impl Sink for Validator<'_> {
    fn start(&mut self, tag: &StartTag<'_>) {
        let path = match self.frames.last_mut() {
            None => format!("/{}", tag.raw_name),
            Some(parent) => {
                let n = parent.children.entry(tag.raw_name.clone()).or_insert(0);
                *n += 1;
                if *n > 1 {
                    format!("{}/{}[{n}]", parent.path, tag.raw_name)
                } else {
                    format!("{}/{}", parent.path, tag.raw_name)
                }
            }
        };
        let (mode, problem) = self.child_mode(tag);
        if let Some(m) = problem {
            self.report(tag.pos, &path, m);
        }
        self.check_attrs(&mode, tag, &path);
        self.frames.push(Frame {
            name: tag.raw_name.clone(),
            path,
            mode,
            text: String::new(),
            reported: false,
            children: HashMap::new(),
        });
    }

    fn text(&mut self, text: &str, pos: Pos) {
        let Some(f) = self.frames.last_mut() else {
            return;
        };
        let blank = text.chars().all(is_xml_space);
        let complaint = match &f.mode {
            Mode::Simple(_)
            | Mode::Complex {
                ty:
                    ComplexType {
                        content: Content::Simple(_),
                        ..
                    },
                ..
            } => {
                f.text.push_str(text);
                None
            }
            Mode::Complex {
                ty:
                    ComplexType {
                        content: Content::Elements { mixed: false, .. },
                        ..
                    },
                ..
            } if !blank && !f.reported => Some(format!(
                "<{}> holds elements only and cannot contain text (found \"{}\")",
                f.name,
                snippet(text)
            )),
            Mode::Complex {
                ty:
                    ComplexType {
                        content: Content::Empty,
                        ..
                    },
                ..
            } if !blank && !f.reported => Some(format!(
                "<{}> must be empty: it cannot contain text (found \"{}\")",
                f.name,
                snippet(text)
            )),
            _ => None,
        };
        if let Some(m) = complaint {
            f.reported = true;
            let path = f.path.clone();
            self.report(pos, &path, m);
        }
    }

    fn end(&mut self, pos: Pos) {
        let Some(f) = self.frames.pop() else {
            return;
        };
        let simple = match &f.mode {
            Mode::Simple(st) => Some(*st),
            Mode::Complex {
                ty:
                    ComplexType {
                        content: Content::Simple(st),
                        ..
                    },
                ..
            } => Some(st),
            _ => None,
        };
        if let Some(st) = simple
            && let Err(why) = st.check(&f.text)
        {
            {
                self.report(
                    pos,
                    &f.path,
                    format!(
                        "<{}> holds \"{}\", which is not valid: it {why}",
                        f.name,
                        snippet(&f.text)
                    ),
                );
            }
        }
        if let Mode::Complex {
            ty:
                ComplexType {
                    content: Content::Elements { nfa, .. },
                    ..
                },
            states,
            broken: false,
        } = &f.mode
            && !nfa.accepts(states)
        {
            {
                let what = match nfa.first_missing(states, |s| s == nfa.accept_state()) {
                    Some(Some(t)) => self.describe(t),
                    _ => "more elements".into(),
                };
                self.report(pos, &f.path, format!("<{}> is missing {what}", f.name));
            }
        }
    }
}
