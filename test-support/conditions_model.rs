//! An independent model of Manage's condition grammar, shared by `cw-manage-client/tests/prop_injection.rs`
//! (trees from proptest) and the fuzz crate's `manage_conditions` target (trees from `Arbitrary`), which
//! both include this file with `#[path]`.
//!
//! A tree of conditions, the token sequence it must render to, and a tokenizer for the rendered text: if any
//! value or field could change the structure of the query, the two sequences differ.

use cw_manage_client::conditions::{Condition, Value, field};
// The fuzz crate builds this file without cfg(test) and derives `Arbitrary`; the proptest suite builds
// with cfg(test), where libfuzzer-sys is not a dependency.
#[cfg(not(test))]
use libfuzzer_sys::arbitrary::{self, Arbitrary};

/// A literal.
#[derive(Debug, Clone)]
#[cfg_attr(not(test), derive(Arbitrary))]
pub enum Lit {
    /// String value.
    Str(String),
    /// Integer.
    Int(i64),
    /// Float (may be non-finite, which must fail to render).
    Float(f64),
    /// Boolean.
    Bool(bool),
    /// null.
    Null,
}

/// Comparison operators of the builder.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(test), derive(Arbitrary))]
pub enum Cmp {
    /// =
    Eq,
    /// !=
    Ne,
    /// <
    Lt,
    /// <=
    Le,
    /// >
    Gt,
    /// >=
    Ge,
    /// contains
    Contains,
    /// not contains
    NotContains,
    /// like
    Like,
    /// not like
    NotLike,
}

/// A condition tree.
#[derive(Debug, Clone)]
#[cfg_attr(not(test), derive(Arbitrary))]
pub enum Tree {
    /// `field op value`; pattern operators take the value's text.
    Leaf(String, Cmp, Lit),
    /// `field [not] in (values)`.
    In(String, bool, Vec<Lit>),
    /// Conjunction.
    All(Vec<Tree>),
    /// Disjunction.
    Any(Vec<Tree>),
}

/// A token of the rendered text.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A word: field path, keyword, number.
    Word(String),
    /// A comparison symbol.
    Sym(&'static str),
    /// A double-quoted string, unescaped.
    Str(String),
    /// `(`.
    Open,
    /// `)`.
    Close,
    /// `,`.
    Comma,
}

/// The grammar's keywords: never a field path segment.
pub const KEYWORDS: [&str; 9] = [
    "and", "or", "not", "in", "like", "contains", "null", "true", "false",
];

/// A field path the builder must accept: `/`-separated identifiers, none of them a keyword.
pub fn valid_path(p: &str) -> bool {
    !p.is_empty()
        && p.split('/').all(|seg| {
            let mut cs = seg.chars();
            cs.next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(seg))
        })
}

/// A word token.
pub fn word(s: &str) -> Tok {
    Tok::Word(s.to_owned())
}

fn is_pattern(op: Cmp) -> bool {
    matches!(
        op,
        Cmp::Contains | Cmp::NotContains | Cmp::Like | Cmp::NotLike
    )
}

fn lit_text(l: &Lit) -> String {
    match l {
        Lit::Str(s) => s.clone(),
        Lit::Int(i) => i.to_string(),
        Lit::Float(f) => f.to_string(),
        Lit::Bool(b) => b.to_string(),
        Lit::Null => "null".into(),
    }
}

fn expect_lit(l: &Lit, out: &mut Vec<Tok>) -> Option<()> {
    out.push(match l {
        Lit::Str(s) => Tok::Str(s.clone()),
        Lit::Float(f) if !f.is_finite() => return None,
        Lit::Null => word("null"),
        other => Tok::Word(lit_text(other)),
    });
    Some(())
}

fn op_tokens(op: Cmp) -> Vec<Tok> {
    match op {
        Cmp::Eq => vec![Tok::Sym("=")],
        Cmp::Ne => vec![Tok::Sym("!=")],
        Cmp::Lt => vec![Tok::Sym("<")],
        Cmp::Le => vec![Tok::Sym("<=")],
        Cmp::Gt => vec![Tok::Sym(">")],
        Cmp::Ge => vec![Tok::Sym(">=")],
        Cmp::Contains => vec![word("contains")],
        Cmp::NotContains => vec![word("not"), word("contains")],
        Cmp::Like => vec![word("like")],
        Cmp::NotLike => vec![word("not"), word("like")],
    }
}

/// The tokens `tree` must render to, or `None` when rendering must fail.
fn expected(tree: &Tree, out: &mut Vec<Tok>) -> Option<()> {
    match tree {
        Tree::Leaf(f, op, v) => {
            valid_path(f).then_some(())?;
            out.push(word(f));
            out.extend(op_tokens(*op));
            if is_pattern(*op) {
                out.push(Tok::Str(lit_text(v)));
                Some(())
            } else {
                expect_lit(v, out)
            }
        }
        Tree::In(f, negated, values) => {
            (valid_path(f) && !values.is_empty()).then_some(())?;
            out.push(word(f));
            if *negated {
                out.push(word("not"));
            }
            out.extend([word("in"), Tok::Open]);
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push(Tok::Comma);
                }
                expect_lit(v, out)?;
            }
            out.push(Tok::Close);
            Some(())
        }
        Tree::All(children) | Tree::Any(children) => {
            let joiner = if matches!(tree, Tree::All(_)) {
                "and"
            } else {
                "or"
            };
            (!children.is_empty()).then_some(())?;
            for (i, c) in children.iter().enumerate() {
                if i > 0 {
                    out.push(word(joiner));
                }
                let grouped = matches!(c, Tree::All(_) | Tree::Any(_));
                if grouped {
                    out.push(Tok::Open);
                }
                expected(c, out)?;
                if grouped {
                    out.push(Tok::Close);
                }
            }
            Some(())
        }
    }
}

fn value(l: &Lit) -> Value {
    match l {
        Lit::Str(s) => Value::String(s.clone()),
        Lit::Int(i) => Value::Int(*i),
        Lit::Float(f) => Value::Float(*f),
        Lit::Bool(b) => Value::Bool(*b),
        Lit::Null => Value::Null,
    }
}

/// The builder's condition for `tree`.
fn build(tree: &Tree) -> Condition {
    match tree {
        Tree::Leaf(f, op, v) => {
            let f = field(f.clone());
            match op {
                Cmp::Eq => f.eq(value(v)),
                Cmp::Ne => f.ne(value(v)),
                Cmp::Lt => f.lt(value(v)),
                Cmp::Le => f.le(value(v)),
                Cmp::Gt => f.gt(value(v)),
                Cmp::Ge => f.ge(value(v)),
                Cmp::Contains => f.contains(lit_text(v)),
                Cmp::NotContains => f.not_contains(lit_text(v)),
                Cmp::Like => f.like(lit_text(v)),
                Cmp::NotLike => f.not_like(lit_text(v)),
            }
        }
        Tree::In(f, false, vs) => field(f.clone()).is_in(vs.iter().map(value)),
        Tree::In(f, true, vs) => field(f.clone()).not_in(vs.iter().map(value)),
        Tree::All(cs) => Condition::all(cs.iter().map(build)),
        Tree::Any(cs) => Condition::any(cs.iter().map(build)),
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '/' | '.' | '-')
}

/// Tokenises condition text the way Manage's grammar reads it; `None` when it is not well-formed.
pub fn tokenize(text: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let tok = match c {
            ' ' => continue,
            '(' => Tok::Open,
            ')' => Tok::Close,
            ',' => Tok::Comma,
            '"' => {
                let mut s = String::new();
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => s.push(chars.next()?),
                        c => s.push(c),
                    }
                }
                Tok::Str(s)
            }
            '=' => Tok::Sym("="),
            '!' if chars.next_if_eq(&'=').is_some() => Tok::Sym("!="),
            '<' if chars.next_if_eq(&'=').is_some() => Tok::Sym("<="),
            '<' => Tok::Sym("<"),
            '>' if chars.next_if_eq(&'=').is_some() => Tok::Sym(">="),
            '>' => Tok::Sym(">"),
            c if is_word_char(c) => {
                let mut w = String::from(c);
                while let Some(c) = chars.next_if(|c| is_word_char(*c)) {
                    w.push(c);
                }
                Tok::Word(w)
            }
            _ => return None,
        };
        out.push(tok);
    }
    Some(out)
}

/// Pattern operands carry the SQL LIKE escape `[[]` for a literal `[`; undo it to compare with the input.
fn unescape_patterns(tokens: &mut [Tok]) {
    for i in 1..tokens.len() {
        let after_pattern_op =
            matches!(&tokens[i - 1], Tok::Word(w) if w == "contains" || w == "like");
        if let (true, Tok::Str(s)) = (after_pattern_op, &tokens[i]) {
            tokens[i] = Tok::Str(s.replace("[[]", "["));
        }
    }
}

/// How many string literals `tree` must render: one per string value and one per pattern operand.
fn count_strings(tree: &Tree) -> usize {
    match tree {
        Tree::Leaf(_, op, l) => usize::from(is_pattern(*op) || matches!(l, Lit::Str(_))),
        Tree::In(_, _, vs) => vs.iter().filter(|l| matches!(l, Lit::Str(_))).count(),
        Tree::All(cs) | Tree::Any(cs) => cs.iter().map(count_strings).sum(),
    }
}

/// Renders `tree` with the builder: the rendered text must be exactly the tree's token sequence, with one
/// string literal per string value, and it must render exactly when the tree is well-formed.
pub fn check(tree: &Tree) -> Result<(), String> {
    let mut want = Vec::new();
    let well_formed = expected(tree, &mut want).is_some();
    match build(tree).render() {
        Ok(text) if !well_formed => Err(format!("rendered a malformed tree {tree:?} as {text:?}")),
        Ok(text) => {
            let mut got = tokenize(&text).ok_or_else(|| format!("untokenisable {text:?}"))?;
            unescape_patterns(&mut got);
            let literals = got.iter().filter(|t| matches!(t, Tok::Str(_))).count();
            if literals != count_strings(tree) {
                return Err(format!("{literals} literals in {text:?} for {tree:?}"));
            }
            if got != want {
                return Err(format!("structure changed: {text:?}, want {want:?}"));
            }
            Ok(())
        }
        Err(e) if well_formed => Err(format!("refused a well-formed tree {tree:?}: {e}")),
        Err(_) => Ok(()),
    }
}
