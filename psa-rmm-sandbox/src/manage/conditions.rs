//! The Manage `conditions` language: a parser and an evaluator over JSON records.
//!
//! Grammar (keywords case-insensitive):
//! `expr := and ("or" and)*`, `and := atom ("and" atom)*`, `atom := "(" expr ")" | path op value |
//! path ["not"] "in" "(" value ("," value)* ")"`, `op := = != < <= > >= [not] contains | [not] like`,
//! `value := "str" | 'str' | number | [datetime] | true | false | null`, `path := name ("/" name)*`.
//! Strings escape `"`/`'` and `\` with a backslash. String comparisons are case-insensitive (SQL Server's
//! default collation); `like` takes `%` or `*` for any run, `_` for one character and `[..]` sets (so `[[]`
//! is a literal `[`). Anything else is an error, which the fake answers as a 400.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

/// Why a condition was refused; the message goes into the vendor's error body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConditionError(pub(crate) String);

const VALUE_HELP: &str = "String values should be enclosed with double or single quotes; DateTime values \
should be enclosed in square brackets; numbers should consist of only digits, and optionally a decimal point \
and a negation sign; boolean values should be indicated with the keywords true or false; null values should \
be indicated by the keyword null.";

fn err<T>(msg: impl Into<String>) -> Result<T, ConditionError> {
    Err(ConditionError(msg.into()))
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
    NotContains,
    Like,
    NotLike,
}

/// A literal on the right of an operator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    Str(String),
    Num(f64),
    Date(DateTime<Utc>),
    Bool(bool),
    Null,
}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cmp {
        path: Vec<String>,
        op: Op,
        value: Lit,
    },
    In {
        path: Vec<String>,
        negated: bool,
        values: Vec<Lit>,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Comma,
    Sym(&'static str),
    Word(String),
    Str(String),
    Num(f64),
    Date(DateTime<Utc>),
}

fn tokenize(input: &str) -> Result<Vec<Tok>, ConditionError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1;
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            '=' => {
                out.push(Tok::Sym("="));
                i += 1;
            }
            '!' | '<' | '>' => {
                let next = chars.get(i + 1).copied();
                let (sym, len) = match (c, next) {
                    ('!', Some('=')) => ("!=", 2),
                    ('<', Some('=')) => ("<=", 2),
                    ('>', Some('=')) => (">=", 2),
                    ('<', Some('>')) => ("!=", 2),
                    ('<', _) => ("<", 1),
                    ('>', _) => (">", 1),
                    _ => return err(format!("Unexpected character '!' at position {i}.")),
                };
                out.push(Tok::Sym(sym));
                i += len;
            }
            '"' | '\'' => {
                let (text, end) = quoted(&chars, i)?;
                out.push(Tok::Str(text));
                i = end;
            }
            '[' => {
                let close = chars[i..]
                    .iter()
                    .position(|c| *c == ']')
                    .map(|p| p + i)
                    .ok_or_else(|| {
                        ConditionError(format!("Unclosed '[' in conditions. {VALUE_HELP}"))
                    })?;
                let text: String = chars[i + 1..close].iter().collect();
                out.push(Tok::Date(parse_date(text.trim())?));
                i = close + 1;
            }
            c if c.is_ascii_digit() || c == '-' || c == '.' => {
                let start = i;
                i += 1;
                while chars
                    .get(i)
                    .is_some_and(|c| c.is_ascii_digit() || *c == '.')
                {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let num = text
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .ok_or_else(|| {
                        ConditionError(format!("'{text}' is not a valid number. {VALUE_HELP}"))
                    })?;
                out.push(Tok::Num(num));
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while chars
                    .get(i)
                    .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '/' || *c == '.')
                {
                    i += 1;
                }
                out.push(Tok::Word(chars[start..i].iter().collect()));
            }
            other => return err(format!("Unexpected character '{other}' at position {i}.")),
        }
    }
    Ok(out)
}

fn quoted(chars: &[char], start: usize) -> Result<(String, usize), ConditionError> {
    let quote = chars[start];
    let mut text = String::new();
    let mut i = start + 1;
    loop {
        match chars.get(i) {
            None => return err(format!("Unterminated string in conditions. {VALUE_HELP}")),
            Some('\\') => {
                match chars.get(i + 1) {
                    Some(c) => text.push(*c),
                    None => return err(format!("Unterminated string in conditions. {VALUE_HELP}")),
                }
                i += 2;
            }
            Some(c) if *c == quote => return Ok((text, i + 1)),
            Some(c) => {
                text.push(*c);
                i += 1;
            }
        }
    }
}

fn parse_date(text: &str) -> Result<DateTime<Utc>, ConditionError> {
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Ok(d.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        && let Some(dt) = d.and_hms_opt(0, 0, 0)
    {
        return Ok(dt.and_utc());
    }
    err(format!("'{text}' is not a valid DateTime. {VALUE_HELP}"))
}

/// Parses a whole conditions string.
pub(crate) fn parse(input: &str) -> Result<Expr, ConditionError> {
    let tokens = tokenize(input)?;
    let mut parser = Parser { tokens, pos: 0 };
    let expr = parser.or()?;
    match parser.peek() {
        None => Ok(expr),
        Some(tok) => err(format!("Unexpected {} in conditions.", describe(tok))),
    }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::Comma => "','".into(),
        Tok::Sym(s) => format!("'{s}'"),
        Tok::Word(w) => format!("'{w}'"),
        Tok::Str(s) => format!("string \"{s}\""),
        Tok::Num(n) => format!("number {n}"),
        Tok::Date(_) => "date".into(),
    }
}

struct Parser {
    tokens: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let tok = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        tok
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn or(&mut self) -> Result<Expr, ConditionError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.pos += 1;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ConditionError> {
        let mut left = self.atom()?;
        while self.keyword("and") {
            self.pos += 1;
            let right = self.atom()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn atom(&mut self) -> Result<Expr, ConditionError> {
        match self.next() {
            Some(Tok::LParen) => {
                let inner = self.or()?;
                match self.next() {
                    Some(Tok::RParen) => Ok(inner),
                    _ => err("Missing ')' in conditions."),
                }
            }
            Some(Tok::Word(w)) if !is_keyword(&w) => self.comparison(w),
            Some(tok) => err(format!("Expected a field name, found {}.", describe(&tok))),
            None => err("Unexpected end of conditions."),
        }
    }

    fn comparison(&mut self, field: String) -> Result<Expr, ConditionError> {
        let path = split_path(&field)?;
        let negated = self.keyword("not");
        if negated {
            self.pos += 1;
        }
        let op = match self.next() {
            Some(Tok::Sym(s)) if !negated => match s {
                "=" => Op::Eq,
                "!=" => Op::Ne,
                "<" => Op::Lt,
                "<=" => Op::Le,
                ">" => Op::Gt,
                _ => Op::Ge,
            },
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("contains") => {
                if negated {
                    Op::NotContains
                } else {
                    Op::Contains
                }
            }
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("like") => {
                if negated {
                    Op::NotLike
                } else {
                    Op::Like
                }
            }
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("in") => {
                let values = self.list()?;
                return Ok(Expr::In {
                    path,
                    negated,
                    values,
                });
            }
            Some(tok) => {
                return err(format!(
                    "Expected an operator after {field}, found {}.",
                    describe(&tok)
                ));
            }
            None => return err(format!("Expected an operator after {field}.")),
        };
        let value = self.value()?;
        if matches!(op, Op::Contains | Op::NotContains | Op::Like | Op::NotLike)
            && !matches!(value, Lit::Str(_))
        {
            return err(format!(
                "Expected a string value after {field}. {VALUE_HELP}"
            ));
        }
        Ok(Expr::Cmp { path, op, value })
    }

    fn list(&mut self) -> Result<Vec<Lit>, ConditionError> {
        if self.next() != Some(Tok::LParen) {
            return err("Expected '(' after in.");
        }
        let mut values = vec![self.value()?];
        loop {
            match self.next() {
                Some(Tok::Comma) => values.push(self.value()?),
                Some(Tok::RParen) => return Ok(values),
                _ => return err("Expected ',' or ')' in the in list."),
            }
        }
    }

    fn value(&mut self) -> Result<Lit, ConditionError> {
        match self.next() {
            Some(Tok::Str(s)) => Ok(Lit::Str(s)),
            Some(Tok::Num(n)) => Ok(Lit::Num(n)),
            Some(Tok::Date(d)) => Ok(Lit::Date(d)),
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("true") => Ok(Lit::Bool(true)),
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("false") => Ok(Lit::Bool(false)),
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("null") => Ok(Lit::Null),
            Some(tok) => err(format!(
                "Unexpected {} where a value was expected. {VALUE_HELP}",
                describe(&tok)
            )),
            None => err(format!(
                "Missing value at the end of conditions. {VALUE_HELP}"
            )),
        }
    }
}

fn is_keyword(w: &str) -> bool {
    [
        "and", "or", "not", "in", "like", "contains", "true", "false", "null",
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(w))
}

fn split_path(field: &str) -> Result<Vec<String>, ConditionError> {
    let parts: Vec<String> = field.split('/').map(str::to_owned).collect();
    if parts.iter().any(String::is_empty) {
        return err(format!("{field} is not a recognized name."));
    }
    Ok(parts)
}

impl Expr {
    /// Every field path the condition reads (for the "not a recognized name" check).
    pub(crate) fn paths(&self) -> Vec<&[String]> {
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => {
                let mut out = a.paths();
                out.extend(b.paths());
                out
            }
            Expr::Cmp { path, .. } | Expr::In { path, .. } => vec![path.as_slice()],
        }
    }

    /// Text, lower-cased, that the JSON of every record satisfying the condition holds: the plain ASCII
    /// string of each `=` or `contains` joined by `and` at the top. A list skips rows without it unparsed,
    /// which keeps a lookup by `deviceIdentifier` on 50,000 configurations from parsing all of them.
    pub(crate) fn required_text(&self) -> Vec<String> {
        match self {
            Expr::And(a, b) => {
                let mut out = a.required_text();
                out.extend(b.required_text());
                out
            }
            Expr::Cmp {
                op: Op::Eq | Op::Contains,
                value: Lit::Str(s),
                ..
            } if is_plain(s) => vec![s.to_ascii_lowercase()],
            _ => Vec::new(),
        }
    }

    /// True when `record` satisfies the condition; a type mismatch is an error, as on the vendor.
    pub(crate) fn eval(&self, record: &Value) -> Result<bool, ConditionError> {
        match self {
            Expr::And(a, b) => Ok(a.eval(record)? && b.eval(record)?),
            Expr::Or(a, b) => Ok(a.eval(record)? || b.eval(record)?),
            Expr::Cmp { path, op, value } => {
                let found = resolve(record, path);
                if found.is_empty() {
                    return compare(&Value::Null, *op, value);
                }
                for v in found {
                    if compare(v, *op, value)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Expr::In {
                path,
                negated,
                values,
            } => {
                let found = resolve(record, path);
                let null = Value::Null;
                let candidates = if found.is_empty() { vec![&null] } else { found };
                let mut hit = false;
                'outer: for v in candidates {
                    for lit in values {
                        if compare(v, Op::Eq, lit)? {
                            hit = true;
                            break 'outer;
                        }
                    }
                }
                Ok(hit != *negated)
            }
        }
    }
}

/// Text that JSON writes as it is (no escapes), so it appears verbatim in a row's raw text.
fn is_plain(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| (b.is_ascii_graphic() || b == b' ') && b != b'"' && b != b'\\')
}

/// True when `haystack` holds `needle` (already lower-case ASCII), ignoring ASCII case. A SIMD search
/// for both cases of the first byte finds the few places worth comparing.
pub(crate) fn holds_text(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return true;
    };
    let Some(last_start) = h.len().checked_sub(n.len()) else {
        return false;
    };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), &h[..=last_start])
        .any(|i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// The values at `path`, descending into arrays (child conditions) and falling back to `_info` for the
/// audit fields that live there (`lastUpdated`, `dateEntered`, ...). Keys match case-insensitively.
pub(crate) fn resolve<'a>(record: &'a Value, path: &[String]) -> Vec<&'a Value> {
    let mut current = vec![record];
    for (depth, segment) in path.iter().enumerate() {
        let mut next = Vec::new();
        for value in current {
            match value {
                Value::Object(map) => {
                    let direct = get_ci(map, segment);
                    let info = if direct.is_none() && depth == 0 {
                        map.get("_info")
                            .and_then(Value::as_object)
                            .and_then(|info| get_ci(info, segment))
                    } else {
                        None
                    };
                    if let Some(v) = direct.or(info) {
                        next.push(v);
                    }
                }
                Value::Array(items) => {
                    for item in items {
                        if let Value::Object(map) = item
                            && let Some(v) = get_ci(map, segment)
                        {
                            next.push(v);
                        }
                    }
                }
                _ => {}
            }
        }
        current = next;
    }
    current
        .into_iter()
        .flat_map(|v| match v {
            Value::Array(items) => items.iter().collect::<Vec<_>>(),
            other => vec![other],
        })
        .collect()
}

fn get_ci<'a>(map: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

fn kind(lit: &Lit) -> &'static str {
    match lit {
        Lit::Str(_) => "string",
        Lit::Num(_) => "numeric",
        Lit::Date(_) => "datetime",
        Lit::Bool(_) => "boolean",
        Lit::Null => "null",
    }
}

fn mismatch<T>(expected: &str, lit: &Lit) -> Result<T, ConditionError> {
    err(format!(
        "Expected a {expected} value, not a {}. {VALUE_HELP}",
        kind(lit)
    ))
}

fn ordered(op: Op, ord: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    match op {
        Op::Eq => ord == Equal,
        Op::Ne => ord != Equal,
        Op::Lt => ord == Less,
        Op::Le => ord != Greater,
        Op::Gt => ord == Greater,
        Op::Ge => ord != Less,
        _ => false,
    }
}

fn compare(field: &Value, op: Op, lit: &Lit) -> Result<bool, ConditionError> {
    match (field, lit) {
        (_, Lit::Null) => Ok(match op {
            Op::Eq => field.is_null(),
            Op::Ne => !field.is_null(),
            _ => false,
        }),
        (Value::Null, _) => Ok(matches!(op, Op::Ne | Op::NotContains | Op::NotLike)),
        (Value::Bool(b), Lit::Bool(l)) => Ok(match op {
            Op::Eq => b == l,
            Op::Ne => b != l,
            _ => false,
        }),
        (Value::Bool(_), other) => mismatch("boolean", other),
        (Value::Number(n), Lit::Num(l)) => {
            let n = n.as_f64().unwrap_or(f64::NAN);
            Ok(n.partial_cmp(l).is_some_and(|ord| ordered(op, ord)))
        }
        (Value::Number(_), other) => mismatch("numeric", other),
        (Value::String(s), Lit::Str(l)) => Ok(compare_text(s, op, l)),
        (Value::String(s), Lit::Date(l)) => {
            Ok(parse_date(s).ok().is_some_and(|d| ordered(op, d.cmp(l))))
        }
        (Value::String(_), other) => mismatch("string", other),
        (Value::Object(_) | Value::Array(_), _) => Ok(false),
    }
}

fn compare_text(field: &str, op: Op, lit: &str) -> bool {
    let f = field.to_lowercase();
    let l = lit.to_lowercase();
    match op {
        Op::Contains => f.contains(&l),
        Op::NotContains => !f.contains(&l),
        Op::Like => like(&f, &l),
        Op::NotLike => !like(&f, &l),
        _ => ordered(op, f.cmp(&l)),
    }
}

#[derive(Debug)]
enum Pat {
    Any,
    One,
    Set(Vec<char>),
    Lit(char),
}

fn like_pattern(pattern: &str) -> Vec<Pat> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '%' | '*' => out.push(Pat::Any),
            '_' => out.push(Pat::One),
            '[' => {
                // `[]` sets: the first character after `[` is always a member, so `[[]` and `[]]` work.
                let end = chars
                    .iter()
                    .skip(i + 2)
                    .position(|c| *c == ']')
                    .map(|p| p + i + 2);
                match end {
                    Some(end) => {
                        out.push(Pat::Set(chars[i + 1..end].to_vec()));
                        i = end;
                    }
                    None => out.push(Pat::Lit('[')),
                }
            }
            other => out.push(Pat::Lit(other)),
        }
        i += 1;
    }
    out
}

/// SQL-style LIKE with backtracking over `%` only (linear in practice).
pub(crate) fn like(text: &str, pattern: &str) -> bool {
    let pat = like_pattern(pattern);
    let text: Vec<char> = text.chars().collect();
    let (mut t, mut p) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        let step = match pat.get(p) {
            Some(Pat::Any) => {
                star = Some((p, t));
                p += 1;
                continue;
            }
            Some(Pat::One) => true,
            Some(Pat::Lit(c)) => *c == text[t],
            Some(Pat::Set(set)) => set.contains(&text[t]),
            None => false,
        };
        if step {
            t += 1;
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pat[p.min(pat.len())..]
        .iter()
        .all(|x| matches!(x, Pat::Any))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(cond: &str, record: &Value) -> Result<bool, ConditionError> {
        parse(cond)?.eval(record)
    }

    #[test]
    fn required_text_is_held_by_every_record_that_matches() {
        let required = |c: &str| parse(c).unwrap().required_text();
        assert_eq!(
            required(r#"deviceIdentifier = "Datto:ABC-1" and company/id = 4"#),
            ["datto:abc-1"]
        );
        assert_eq!(
            required(r#"name contains "Srv" and (a = "x" or b = "y")"#),
            ["srv"]
        );
        // Text JSON escapes, `or`, `like` and negations promise nothing.
        for c in [
            r#"name = "a\"b""#,
            r#"a = "x" or b = "y""#,
            r#"name like "x%""#,
            r#"name != "x""#,
        ] {
            assert!(required(c).is_empty(), "{c}");
        }
        let records = [
            json!({"deviceIdentifier": "datto:abc-1", "serial": "z"}),
            json!({"deviceIdentifier": "DATTO:ABC-1"}),
            json!({"tags": [{"deviceIdentifier": "Datto:Abc-1"}]}),
            json!({"deviceIdentifier": "datto:abc-2"}),
        ];
        let cond = parse(r#"deviceIdentifier = "Datto:ABC-1""#).unwrap();
        let text = cond.required_text();
        for r in &records {
            let raw = r.to_string();
            if cond.eval(r).unwrap() {
                assert!(text.iter().all(|t| holds_text(&raw, t)), "{raw}");
            }
        }
        assert!(!holds_text(&records[3].to_string(), &text[0]));
        assert!(holds_text("abc", "") && !holds_text("ab", "abc"));
        assert!(holds_text("xyABC", "abc") && !holds_text("xyAB", "abc"));
    }

    proptest::proptest! {
        /// The prefilter never drops a row the condition matches, whatever the case, quotes or backslashes.
        #[test]
        fn a_matching_row_always_holds_the_required_text(
            value in "[aAbB:\\\\\"é -]{0,8}",
            other in "[aAbB:\\\\\"é -]{0,8}",
            lit in "[aAbB:\\\\\"é -]{1,4}",
            contains in proptest::bool::ANY,
        ) {
            // Keys without the letters of the values, so a short text is not found in a key by chance.
            let record = json!({"deviceIdentifier": value, "list": [{"kind": other}]});
            let op = if contains { "contains" } else { "=" };
            let quoted = serde_json::to_string(&lit).unwrap();
            let cond = parse(&format!(
                "deviceIdentifier {op} {quoted} and list/kind != \"zz\""
            ))
            .unwrap();
            if cond.eval(&record).unwrap() {
                let raw = record.to_string();
                for text in cond.required_text() {
                    proptest::prop_assert!(holds_text(&raw, &text), "{raw} lacks {text}");
                }
            }
        }
    }

    #[test]
    fn like_handles_wildcards_and_escaped_brackets() {
        assert!(like("fred smith", "fred%"));
        assert!(like("fred", "f_ed"));
        assert!(like("a[b", "a[[]b"));
        assert!(!like("ab", "a[[]b"));
        assert!(like("abc", "%"));
        assert!(like("50%", "50[%]"));
        assert!(!like("500", "50[%]"));
        assert!(like("x", "*"));
    }

    #[test]
    fn evaluates_the_operators() {
        let r = json!({"id": 7, "name": "Acme \"Best\" Corp", "closedFlag": false, "company": {"id": 250},
            "_info": {"lastUpdated": "2026-01-02T03:04:05Z"}, "tags": [{"value": "a"}, {"value": "b"}]});
        assert!(eval("id = 7 and company/id = 250", &r).unwrap());
        assert!(eval("name = \"acme \\\"best\\\" corp\"", &r).unwrap());
        assert!(eval("lastUpdated > [2026-01-01T00:00:00Z]", &r).unwrap());
        assert!(eval("closedFlag = false and missing = null", &r).unwrap());
        assert!(eval("id in (1, 7)", &r).unwrap());
        assert!(eval("id not in (1, 2)", &r).unwrap());
        assert!(eval("tags/value = 'b'", &r).unwrap());
        assert!(eval("(id < 5 or id >= 7) and name not contains \"zzz\"", &r).unwrap());
        assert!(!eval("id != 7", &r).unwrap());
        assert!(eval("closedFlag = 1", &r).is_err());
        assert!(eval("id = \"7\"", &r).is_err());
    }

    #[test]
    fn rejects_malformed_input() {
        for bad in [
            "id =",
            "id == 5",
            "(id = 1",
            "id = 1)",
            "name = \"open",
            "id = abc",
            "= 5",
            "id in ()",
            "lastUpdated > [yesterday]",
            "id = 1 and",
            "name like 5",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
