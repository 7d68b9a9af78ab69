//! The compiled schema: element declarations, complex types with their attribute uses, and
//! each element-only content model as a small automaton (an NFA over element terms, with the
//! occurrence bounds unrolled), run one child at a time so a file is checked as it streams.

use super::reader::QName;
use super::simple::SimpleType;
use std::collections::{HashMap, VecDeque};

pub(crate) struct Schema {
    /// Global element declarations (the possible roots, and what lax wildcards look up).
    pub elements: HashMap<QName, usize>,
    /// Global attribute declarations (what lax attribute wildcards look up).
    pub attributes: HashMap<QName, SimpleType>,
    pub decls: Vec<ElementDecl>,
    pub types: Vec<ComplexType>,
    /// What each automaton edge matches: an element declaration or a wildcard.
    pub terms: Vec<Term>,
}

pub(crate) struct ElementDecl {
    pub name: QName,
    pub ty: TypeRef,
}

#[derive(Clone)]
pub(crate) enum TypeRef {
    Simple(SimpleType),
    Complex(usize),
    /// `xsd:anyType`: any attributes, any content, checked laxly.
    Any,
}

pub(crate) struct ComplexType {
    pub attrs: Vec<AttrUse>,
    pub any_attr: Option<Wildcard>,
    pub content: Content,
}

pub(crate) enum Content {
    Empty,
    Simple(SimpleType),
    Elements { nfa: Nfa, mixed: bool },
}

#[derive(Clone)]
pub(crate) struct AttrUse {
    pub name: QName,
    pub ty: SimpleType,
    pub required: bool,
    pub prohibited: bool,
    pub fixed: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Process {
    Strict,
    Lax,
    Skip,
}

#[derive(Clone, Debug)]
pub(crate) enum NsConstraint {
    Any,
    /// `##other`: any namespace but this one, and not unqualified names (XSD 1.0 §3.10.1).
    Not(Option<String>),
    /// An explicit list; `None` stands for `##local`.
    List(Vec<Option<String>>),
}

#[derive(Clone, Debug)]
pub(crate) struct Wildcard {
    pub ns: NsConstraint,
    pub process: Process,
}

impl Wildcard {
    pub(crate) fn allows(&self, ns: Option<&str>) -> bool {
        match &self.ns {
            NsConstraint::Any => true,
            NsConstraint::Not(tns) => ns.is_some() && ns != tns.as_deref(),
            NsConstraint::List(l) => l.iter().any(|n| n.as_deref() == ns),
        }
    }
}

pub(crate) enum Term {
    Element(usize),
    Any(Wildcard),
}

/// A particle before it becomes automaton states.
#[derive(Clone)]
pub(crate) struct Particle {
    pub kind: PKind,
    pub min: u32,
    /// `None`: unbounded.
    pub max: Option<u32>,
}

#[derive(Clone)]
pub(crate) enum PKind {
    Term(usize),
    Seq(Vec<Particle>),
    Choice(Vec<Particle>),
}

#[derive(Default)]
pub(crate) struct Nfa {
    eps: Vec<Vec<usize>>,
    edges: Vec<Vec<(usize, usize)>>,
    start: usize,
    accept: usize,
}

/// The states an element's content can be in after the children seen so far.
pub(crate) type States = Vec<usize>;

impl Nfa {
    pub(crate) fn build(root: &Particle) -> Nfa {
        let mut nfa = Nfa::default();
        nfa.start = nfa.state();
        nfa.accept = nfa.particle(root, nfa.start);
        nfa
    }

    fn state(&mut self) -> usize {
        self.eps.push(Vec::new());
        self.edges.push(Vec::new());
        self.eps.len() - 1
    }

    fn once(&mut self, kind: &PKind, from: usize) -> usize {
        match kind {
            PKind::Term(t) => {
                let to = self.state();
                self.edges[from].push((*t, to));
                to
            }
            PKind::Seq(items) => items.iter().fold(from, |at, p| self.particle(p, at)),
            PKind::Choice(alts) => {
                let end = self.state();
                for alt in alts {
                    let entry = self.state();
                    self.eps[from].push(entry);
                    let out = self.particle(alt, entry);
                    self.eps[out].push(end);
                }
                end
            }
        }
    }

    fn particle(&mut self, p: &Particle, from: usize) -> usize {
        let mut at = from;
        for _ in 0..p.min {
            at = self.once(&p.kind, at);
        }
        match p.max {
            None => {
                let hub = self.state();
                self.eps[at].push(hub);
                let out = self.once(&p.kind, hub);
                self.eps[out].push(hub);
                hub
            }
            Some(max) => {
                for _ in p.min..max {
                    let end = self.state();
                    self.eps[at].push(end);
                    let out = self.once(&p.kind, at);
                    self.eps[out].push(end);
                    at = end;
                }
                at
            }
        }
    }

    fn close(&self, mut set: Vec<usize>) -> States {
        let mut seen = vec![false; self.eps.len()];
        for &s in &set {
            seen[s] = true;
        }
        let mut todo = set.clone();
        while let Some(s) = todo.pop() {
            for &n in &self.eps[s] {
                if !seen[n] {
                    seen[n] = true;
                    set.push(n);
                    todo.push(n);
                }
            }
        }
        set.sort_unstable();
        set
    }

    pub(crate) fn initial(&self) -> States {
        self.close(vec![self.start])
    }

    pub(crate) fn accepts(&self, set: &States) -> bool {
        set.contains(&self.accept)
    }

    /// The term a child matches from `set` and the states after it. The schema's Unique
    /// Particle Attribution rule means at most one term can match, so the first is the one.
    pub(crate) fn step(
        &self,
        set: &States,
        matches: impl Fn(usize) -> bool,
    ) -> Option<(usize, States)> {
        let mut term = None;
        let mut next = Vec::new();
        for &s in set {
            for &(t, to) in &self.edges[s] {
                if term.is_none_or(|m| m == t) && matches(t) {
                    term = Some(t);
                    if !next.contains(&to) {
                        next.push(to);
                    }
                }
            }
        }
        term.map(|t| (t, self.close(next)))
    }

    /// Terms that may come next from `set`, in schema order.
    pub(crate) fn next_terms(&self, set: &States) -> Vec<usize> {
        let mut t: Vec<usize> = set
            .iter()
            .flat_map(|&s| self.edges[s].iter().map(|&(t, _)| t))
            .collect();
        t.sort_unstable();
        t.dedup();
        t
    }

    /// The first term on a shortest way (fewest children) from `set` to a state where `goal`
    /// holds: what is missing. `Some(None)` when a goal state is already reached.
    pub(crate) fn first_missing(
        &self,
        set: &States,
        goal: impl Fn(usize) -> bool,
    ) -> Option<Option<usize>> {
        let mut best: Vec<Option<u32>> = vec![None; self.eps.len()];
        let mut first: Vec<Option<usize>> = vec![None; self.eps.len()];
        let mut queue = VecDeque::new();
        for &s in set {
            best[s] = Some(0);
            queue.push_back(s);
        }
        while let Some(s) = queue.pop_front() {
            let d = best[s].unwrap_or(0);
            if goal(s) {
                return Some(first[s]);
            }
            for &n in &self.eps[s] {
                if best[n].is_none_or(|b| b > d) {
                    best[n] = Some(d);
                    first[n] = first[s];
                    queue.push_front(n);
                }
            }
            for &(t, n) in &self.edges[s] {
                if best[n].is_none_or(|b| b > d + 1) {
                    best[n] = Some(d + 1);
                    first[n] = first[s].or(Some(t));
                    queue.push_back(n);
                }
            }
        }
        None
    }

    /// Whether a term satisfying `matches` can be taken from `state`.
    pub(crate) fn can_take(&self, state: usize, matches: impl Fn(usize) -> bool) -> bool {
        self.edges[state].iter().any(|&(t, _)| matches(t))
    }

    pub(crate) fn accept_state(&self) -> usize {
        self.accept
    }
}
