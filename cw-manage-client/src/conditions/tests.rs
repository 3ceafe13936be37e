use super::*;
use chrono::TimeZone;
use proptest::prelude::*;

/// A deliberately small reader of the grammar this module writes, so tests can check that what was
/// rendered means exactly what was built.
mod reader {
    use super::super::{Field, Node, Op, Value};
    use chrono::{DateTime, NaiveDateTime};

    #[derive(Debug, Clone, PartialEq)]
    enum Tok {
        Word(String),
        Sym(&'static str),
        Str(String),
        Num(String),
        Date(String),
    }

    fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
        let cs: Vec<char> = s.chars().collect();
        let mut i = 0;
        let mut out = Vec::new();
        while i < cs.len() {
            let c = cs[i];
            if c == ' ' {
                i += 1;
            } else if c == '"' {
                i += 1;
                let mut lit = String::new();
                loop {
                    match cs.get(i) {
                        None => return Err("unterminated string".into()),
                        Some('"') => break,
                        Some('\\') => match cs.get(i + 1) {
                            Some('\\') => {
                                lit.push('\\');
                                i += 1;
                            }
                            Some('"') => {
                                lit.push('"');
                                i += 1;
                            }
                            _ => return Err("bad escape".into()),
                        },
                        Some(&ch) => lit.push(ch),
                    }
                    i += 1;
                }
                i += 1;
                out.push(Tok::Str(lit));
            } else if c == '[' {
                let end = cs[i..].iter().position(|&c| c == ']').ok_or("open date")?;
                out.push(Tok::Date(cs[i + 1..i + end].iter().collect()));
                i += end + 1;
            } else if "()".contains(c) || c == ',' {
                out.push(Tok::Sym(match c {
                    '(' => "(",
                    ')' => ")",
                    _ => ",",
                }));
                i += 1;
            } else if "!<>=".contains(c) {
                let two: String = cs[i..(i + 2).min(cs.len())].iter().collect();
                let sym = ["!=", "<=", ">="]
                    .into_iter()
                    .find(|s| *s == two)
                    .or(match c {
                        '=' => Some("="),
                        '<' => Some("<"),
                        '>' => Some(">"),
                        _ => None,
                    })
                    .ok_or("bad operator")?;
                i += sym.len();
                out.push(Tok::Sym(sym));
            } else if c == '-' || c.is_ascii_digit() {
                let start = i;
                i += 1;
                while i < cs.len() && (cs[i].is_ascii_digit() || cs[i] == '.') {
                    i += 1;
                }
                out.push(Tok::Num(cs[start..i].iter().collect()));
            } else if c.is_ascii_alphabetic() || c == '_' {
                let start = i;
                while i < cs.len()
                    && (cs[i].is_ascii_alphanumeric() || cs[i] == '_' || cs[i] == '/')
                {
                    i += 1;
                }
                out.push(Tok::Word(cs[start..i].iter().collect()));
            } else {
                return Err(format!("unexpected {c:?}"));
            }
        }
        Ok(out)
    }

    struct P {
        toks: Vec<Tok>,
        pos: usize,
    }

    impl P {
        fn next(&mut self) -> Option<Tok> {
            let t = self.toks.get(self.pos).cloned();
            self.pos += 1;
            t
        }
        fn peek(&self) -> Option<&Tok> {
            self.toks.get(self.pos)
        }
        fn word(&self) -> Option<&str> {
            match self.peek() {
                Some(Tok::Word(w)) => Some(w),
                _ => None,
            }
        }

        fn group(&mut self) -> Result<Node, String> {
            let mut items = vec![self.item()?];
            let mut joiner: Option<String> = None;
            while let Some(w) = self.word().map(str::to_owned) {
                if w != "and" && w != "or" {
                    break;
                }
                if joiner.as_ref().is_some_and(|j| *j != w) {
                    return Err("mixed and/or without parentheses".into());
                }
                joiner = Some(w);
                self.pos += 1;
                items.push(self.item()?);
            }
            Ok(match joiner.as_deref() {
                None => items.remove(0),
                Some("and") => Node::And(items),
                _ => Node::Or(items),
            })
        }

        fn item(&mut self) -> Result<Node, String> {
            if self.peek() == Some(&Tok::Sym("(")) {
                self.pos += 1;
                let g = self.group()?;
                if self.next() != Some(Tok::Sym(")")) {
                    return Err("missing )".into());
                }
                return Ok(g);
            }
            let Some(Tok::Word(f)) = self.next() else {
                return Err("expected field".into());
            };
            let field = Field(f);
            let negated = self.word() == Some("not");
            if negated {
                self.pos += 1;
            }
            match self.next() {
                Some(Tok::Word(w)) if w == "in" => {
                    if self.next() != Some(Tok::Sym("(")) {
                        return Err("in needs (".into());
                    }
                    let mut values = vec![self.value()?];
                    loop {
                        match self.next() {
                            Some(Tok::Sym(",")) => values.push(self.value()?),
                            Some(Tok::Sym(")")) => break,
                            _ => return Err("bad in list".into()),
                        }
                    }
                    Ok(Node::In {
                        field,
                        values,
                        negated,
                    })
                }
                Some(Tok::Word(w)) if w == "contains" || w == "like" => {
                    let op = match (w.as_str(), negated) {
                        ("contains", false) => Op::Contains,
                        ("contains", true) => Op::NotContains,
                        (_, false) => Op::Like,
                        (_, true) => Op::NotLike,
                    };
                    let Some(Tok::Str(s)) = self.next() else {
                        return Err("pattern needs a string".into());
                    };
                    Ok(Node::Cmp {
                        field,
                        op,
                        value: Value::String(unescape_pattern(&s)?),
                    })
                }
                Some(Tok::Sym(sym)) if !negated => {
                    let op = match sym {
                        "=" => Op::Eq,
                        "!=" => Op::Ne,
                        "<" => Op::Lt,
                        "<=" => Op::Le,
                        ">" => Op::Gt,
                        ">=" => Op::Ge,
                        _ => return Err("bad operator".into()),
                    };
                    Ok(Node::Cmp {
                        field,
                        op,
                        value: self.value()?,
                    })
                }
                _ => Err("expected operator".into()),
            }
        }

        fn value(&mut self) -> Result<Value, String> {
            match self.next() {
                Some(Tok::Str(s)) => Ok(Value::String(s)),
                Some(Tok::Num(n)) if n.contains('.') => {
                    n.parse().map(Value::Float).map_err(|e| e.to_string())
                }
                Some(Tok::Num(n)) => n.parse().map(Value::Int).map_err(|e| e.to_string()),
                Some(Tok::Word(w)) if w == "true" => Ok(Value::Bool(true)),
                Some(Tok::Word(w)) if w == "false" => Ok(Value::Bool(false)),
                Some(Tok::Word(w)) if w == "null" => Ok(Value::Null),
                Some(Tok::Date(d)) => NaiveDateTime::parse_from_str(&d, "%Y-%m-%dT%H:%M:%SZ")
                    .map(|n| Value::DateTime(DateTime::from_naive_utc_and_offset(n, chrono::Utc)))
                    .map_err(|e| e.to_string()),
                other => Err(format!("expected value, got {other:?}")),
            }
        }
    }

    fn unescape_pattern(s: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            if c == '[' {
                rest = rest.strip_prefix("[[]").ok_or("unescaped [ in pattern")?;
                out.push('[');
            } else {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        Ok(out)
    }

    pub(super) fn parse(s: &str) -> Result<Node, String> {
        let mut p = P {
            toks: tokenize(s)?,
            pos: 0,
        };
        let n = p.group()?;
        if p.pos != p.toks.len() {
            return Err("trailing tokens".into());
        }
        Ok(n)
    }
}

fn normalize(n: Node) -> Node {
    match n {
        Node::And(v) | Node::Or(v) if v.len() == 1 => normalize(v.into_iter().next().unwrap()),
        Node::And(v) => Node::And(v.into_iter().map(normalize).collect()),
        Node::Or(v) => Node::Or(v.into_iter().map(normalize).collect()),
        other => other,
    }
}

fn round_trip(c: &Condition) -> Node {
    let text = c.render().unwrap();
    reader::parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn renders_every_operator() {
    let t = Utc.with_ymd_and_hms(2016, 8, 20, 18, 4, 26).unwrap();
    let c = field("board/name")
        .eq("Integration")
        .and(field("closedFlag").eq(false))
        .and(field("lastUpdated").gt(t))
        .and(field("board/id").is_in([3, 2, 4]))
        .and(field("contact/name").like("Fred%"))
        .and(field("summary").not_contains("Low Priority"))
        .and(field("parentTicketId").is_null())
        .and(field("budgetHours").ge(1.5))
        .or(field("summary").contains("test"));
    assert_eq!(
        c.render().unwrap(),
        "(board/name = \"Integration\" and closedFlag = false and lastUpdated > [2016-08-20T18:04:26Z] \
         and board/id in (3, 2, 4) and contact/name like \"Fred%\" and summary not contains \"Low Priority\" \
         and parentTicketId = null and budgetHours >= 1.5) or summary contains \"test\""
    );
}

#[test]
fn quotes_and_backslashes_are_escaped() {
    let c = field("name").eq(r#"a" or id > 0 or name = "b\"#);
    assert_eq!(
        c.render().unwrap(),
        r#"name = "a\" or id > 0 or name = \"b\\""#
    );
    assert_eq!(
        reader::parse(&c.render().unwrap()).unwrap(),
        field("name").eq(r#"a" or id > 0 or name = "b\"#).0
    );
}

#[test]
fn brackets_in_patterns_use_the_vendor_escape() {
    let c = field("name").contains("[string]");
    assert_eq!(c.render().unwrap(), "name contains \"[[]string]\"");
    // In an equality a bracket is inside the literal and needs no escape.
    assert_eq!(field("name").eq("[x]").render().unwrap(), "name = \"[x]\"");
}

#[test]
fn bad_inputs_are_typed_errors() {
    assert_eq!(
        field("name = 1 or id").eq(1).render(),
        Err(ConditionError::InvalidField("name = 1 or id".into()))
    );
    assert!(matches!(
        field("a//b").eq(1).render(),
        Err(ConditionError::InvalidField(_))
    ));
    assert!(matches!(
        field("and").eq(1).render(),
        Err(ConditionError::InvalidField(_))
    ));
    assert_eq!(
        field("id").is_in(Vec::<i64>::new()).render(),
        Err(ConditionError::EmptyList)
    );
    assert_eq!(Condition::all([]).render(), Err(ConditionError::EmptyGroup));
    assert_eq!(
        field("x").eq(f64::NAN).render(),
        Err(ConditionError::NonFiniteNumber)
    );
    assert!(
        Query::new()
            .order_by("name; drop", Order::Asc)
            .params()
            .is_err()
    );
    assert!(Query::new().fields(["id,name"]).params().is_err());
}

#[test]
fn query_params_default_page_size_and_order() {
    let q = Query::new();
    assert_eq!(q.params().unwrap(), vec![("pageSize", "1000".to_string())]);
    let q = Query::new()
        .filter(field("company/id").eq(250))
        .filter(field("activeFlag").eq(true))
        .child_filter(
            field("communicationItems/value")
                .like("john@x.com")
                .and(field("communicationItems/communicationType").eq("Email")),
        )
        .custom_field_filter(Condition::custom_field("TomNumber", 5))
        .order_by("name", Order::Asc)
        .order_by("id", Order::Desc)
        .fields(["id", "name", "status/id"])
        .page_size(5000);
    assert!(q.is_ordered());
    assert_eq!(
        q.params().unwrap(),
        vec![
            ("conditions", "company/id = 250 and activeFlag = true".to_string()),
            (
                "childConditions",
                "communicationItems/value like \"john@x.com\" and communicationItems/communicationType = \"Email\""
                    .to_string()
            ),
            ("customFieldConditions", "caption = \"TomNumber\" and value = 5".to_string()),
            ("orderBy", "name asc,id desc".to_string()),
            ("fields", "id,name,status/id".to_string()),
            ("pageSize", "1000".to_string()),
        ]
    );
    let body = q.search_body().unwrap();
    assert_eq!(body["conditions"], "company/id = 250 and activeFlag = true");
    assert!(body.get("childconditions").is_some());
    assert!(body.get("customfieldconditions").is_some());
    assert_eq!(Query::new().page_size(0).get_page_size(), 1);
}

#[test]
fn changed_since_is_an_inclusive_bracketed_date() {
    let t = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
    let p = Query::new().changed_since(t).params().unwrap();
    assert_eq!(p[0].1, "lastUpdated >= [2024-01-02T03:04:05Z]");
}

fn arb_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<String>().prop_map(Value::String),
        any::<i64>().prop_map(Value::Int),
        (-1_000_000i64..1_000_000).prop_map(|n| Value::Float(n as f64 + 0.25)),
        any::<bool>().prop_map(Value::Bool),
        (0i64..4_000_000_000).prop_map(|s| Value::DateTime(Utc.timestamp_opt(s, 0).unwrap())),
        Just(Value::Null),
    ]
}

fn arb_path() -> impl Strategy<Value = String> {
    "[a-z_][a-zA-Z0-9_]{0,6}(/[a-z_][a-zA-Z0-9_]{0,6}){0,2}"
        .prop_filter("not a keyword", |p| is_valid_path(p))
}

fn arb_leaf() -> impl Strategy<Value = Condition> {
    prop_oneof![
        (arb_path(), 0usize..6, arb_value()).prop_map(|(p, op, v)| {
            let f = field(p);
            match op {
                0 => f.eq(v),
                1 => f.ne(v),
                2 => f.lt(v),
                3 => f.le(v),
                4 => f.gt(v),
                _ => f.ge(v),
            }
        }),
        (arb_path(), 0usize..4, any::<String>()).prop_map(|(p, op, s)| {
            let f = field(p);
            match op {
                0 => f.contains(s),
                1 => f.not_contains(s),
                2 => f.like(s),
                _ => f.not_like(s),
            }
        }),
        (
            arb_path(),
            any::<bool>(),
            prop::collection::vec(arb_value(), 1..4)
        )
            .prop_map(|(p, neg, vs)| {
                if neg {
                    field(p).not_in(vs)
                } else {
                    field(p).is_in(vs)
                }
            }),
    ]
}

fn arb_condition() -> impl Strategy<Value = Condition> {
    arb_leaf().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(Condition::all),
            prop::collection::vec(inner, 1..4).prop_map(Condition::any),
        ]
    })
}

proptest! {
    /// Whatever the values, the rendered text reads back as exactly the tree that was built: no string can
    /// close its literal, add a clause or regroup the and/or structure.
    #[test]
    fn rendered_conditions_read_back_unchanged(c in arb_condition()) {
        prop_assert_eq!(round_trip(&c), normalize(c.0.clone()));
    }

    /// Any string as a value stays inside one literal: the text is `field = "<literal>"` and nothing more.
    #[test]
    fn a_string_value_is_always_one_literal(s in any::<String>()) {
        let node = round_trip(&field("summary").eq(s.clone()).and(field("id").eq(1)));
        prop_assert_eq!(node, field("summary").eq(s).and(field("id").eq(1)).0);
    }

    /// Any string as a field path is either refused or kept as one identifier.
    #[test]
    fn a_field_path_cannot_smuggle_syntax(p in any::<String>()) {
        match field(p.clone()).eq(1).render() {
            Ok(text) => {
                prop_assert!(is_valid_path(&p));
                prop_assert_eq!(text, format!("{p} = 1"));
            }
            Err(e) => prop_assert_eq!(e, ConditionError::InvalidField(p)),
        }
    }
}
