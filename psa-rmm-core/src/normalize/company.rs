//! Company names: three comparison keys per name.
//!
//! * `exact`: Unicode NFKD, accents on Latin/Greek/Cyrillic letters dropped, full case fold (ß -> ss, ø -> o,
//!   æ -> ae, ...), `&`/`+` -> `and`, apostrophes dropped, dotted initialisms joined (`N.V.` -> `nv`), every other
//!   non-letter/digit a token break. Letters of other scripts are kept (NFC), so a Japanese or Cyrillic name
//!   never becomes empty.
//! * `base`: `exact` with token equivalences (`intl` -> `international`, ...), leading articles (`the`) and
//!   trailing legal-form suffixes (`ltd`, `gmbh co kg`, ...) stripped repeatedly, never down to nothing.
//! * `sorted_tokens`: the distinct tokens of `base` in sorted order (an OpenRefine-style fingerprint).

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::{column, data_rows};

const LEGAL_SUFFIXES: &str = include_str!("../../data/legal_suffixes_core.tsv");
const EQUIVALENCES: &str = include_str!("../../data/name_equivalences.tsv");

/// Suffixes that appear only after `&` has become `and`: cleanco's `& co` / `& company` terms, and the core
/// list's "GmbH & Co. KG" written the way the tokenizer sees it.
const EXTRA_SUFFIXES: &[&str] = &["and co", "and company", "gmbh and co kg"];

/// Combining marks after letters below this code point (Latin, Greek, Cyrillic) are accents and are dropped;
/// after letters of other scripts (kana voicing marks, Indic vowel signs) they are part of the letter and kept.
const ACCENTED_SCRIPTS_END: char = '\u{0530}';

/// A company name with its normalised keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CompanyName {
    exact: String,
    base: String,
    tokens: Vec<String>,
    sorted_tokens: String,
}

impl CompanyName {
    /// Normalises `raw` into its keys. Input without any letter or digit gives empty keys (see
    /// [`CompanyName::is_empty`]); two empty keys must never be treated as a match.
    pub fn new(raw: &str) -> CompanyName {
        let rules = &*RULES;
        let exact_tokens = tokenize(&fold(raw), &rules.symbols);
        let exact = exact_tokens.join(" ");
        let tokens = base_tokens(exact_tokens, rules);
        let base = tokens.join(" ");
        let mut sorted: Vec<&str> = tokens.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        sorted.dedup();
        let sorted_tokens = sorted.join(" ");
        CompanyName {
            exact,
            base,
            tokens,
            sorted_tokens,
        }
    }

    /// The full normalised name (nothing stripped).
    pub fn exact(&self) -> &str {
        &self.exact
    }

    /// The name without leading article and trailing legal-form suffixes; never empty unless `exact` is.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The distinct tokens of [`CompanyName::base`], sorted, joined by one space.
    pub fn sorted_tokens(&self) -> &str {
        &self.sorted_tokens
    }

    /// The tokens of [`CompanyName::base`] in name order.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// No letter or digit in the input: no usable key.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }

    /// The initials of the base tokens (`American Marketing Association` -> `ama`), skipping `and`, `of`,
    /// `for` and `the`; `None` when fewer than two initials remain. Compare it with another name's `base`
    /// to catch a client known by its acronym; it is weak evidence (short acronyms collide).
    pub fn acronym(&self) -> Option<String> {
        let initials: String = self
            .tokens
            .iter()
            .filter(|t| !matches!(t.as_str(), "and" | "of" | "for" | "the"))
            .filter_map(|t| t.chars().next())
            .collect();
        (initials.chars().count() >= 2).then_some(initials)
    }

    /// The base key of the name with a trailing location part removed, for RMM site names such as
    /// `Acme Corp - Main Office` or `Acme Corp (Site 2)` (-> `acme`). `None` when the name has no such part or
    /// nothing would be left. This is a separate, weaker key: `Smith - Jones Law` also loses its tail.
    pub fn without_location(raw: &str) -> Option<String> {
        let head = strip_location(raw)?;
        let name = CompanyName::new(head);
        (!name.is_empty()).then_some(name.base)
    }
}

/// Separators after which RMM site names usually carry a location (" - HQ", " | Branch").
const LOCATION_SEPARATORS: &[&str] = &[" - ", " \u{2013} ", " \u{2014} ", " | ", ": "];

/// The text before a trailing `(...)`/`[...]` group or before the last location separator.
fn strip_location(raw: &str) -> Option<&str> {
    let trimmed = raw.trim_end();
    let bracketed = [('(', ')'), ('[', ']')]
        .into_iter()
        .find_map(|(open, close)| {
            trimmed
                .strip_suffix(close)
                .and_then(|inner| inner.rfind(open))
                .map(|at| &trimmed[..at])
        });
    let head = bracketed.or_else(|| {
        LOCATION_SEPARATORS
            .iter()
            .filter_map(|sep| trimmed.rfind(sep))
            .max()
            .map(|at| &trimmed[..at])
    })?;
    let head = head.trim_end();
    (!head.is_empty()).then_some(head)
}

impl fmt::Display for CompanyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.exact)
    }
}

/// NFKD, lower case, accents dropped on alphabetic scripts, extra folds, then NFC for the scripts kept intact.
fn fold(raw: &str) -> String {
    // Most names are ASCII, where NFKD and NFC change nothing.
    if raw.is_ascii() {
        return raw.to_ascii_lowercase();
    }
    fold_unicode(raw)
}

fn fold_unicode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut marks_belong_to_letter = false;
    for ch in raw.nfkd().flat_map(char::to_lowercase) {
        if is_combining_mark(ch) {
            if marks_belong_to_letter {
                out.push(ch);
            }
            continue;
        }
        marks_belong_to_letter = ch.is_alphanumeric() && ch >= ACCENTED_SCRIPTS_END;
        match extra_fold(ch) {
            Some(folded) => out.push_str(folded),
            None => out.push(ch),
        }
    }
    out.nfc().collect()
}

/// Letters that NFKD does not split and `to_lowercase` does not fold the way Unicode case folding or cleanco do.
fn extra_fold(ch: char) -> Option<&'static str> {
    Some(match ch {
        'ß' | 'ẞ' => "ss",
        'ø' => "o",
        'æ' => "ae",
        'œ' => "oe",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        'ŧ' => "t",
        'ς' => "σ",
        _ => return None,
    })
}

fn is_apostrophe(ch: char) -> bool {
    matches!(
        ch,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02bc}' | '`' | '\u{00b4}'
    )
}

/// Splits folded text into tokens; `symbols` are characters that become words of their own (`&` -> `and`).
fn tokenize(folded: &str, symbols: &[(char, &'static str)]) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    // Letters since the last dot or break: a dot after a single letter joins an initialism (N.V. -> nv).
    let mut segment = 0usize;
    let flush = |current: &mut String, tokens: &mut Vec<String>| {
        if !current.is_empty() {
            tokens.push(std::mem::take(current));
        }
    };
    for ch in folded.chars() {
        if ch.is_alphanumeric() || is_combining_mark(ch) {
            current.push(ch);
            segment += 1;
        } else if is_apostrophe(ch) {
            continue;
        } else if ch == '.' && segment == 1 {
            segment = 0;
        } else {
            flush(&mut current, &mut tokens);
            segment = 0;
            if let Some((_, word)) = symbols.iter().find(|(symbol, _)| *symbol == ch) {
                tokens.push((*word).to_owned());
            }
        }
    }
    flush(&mut current, &mut tokens);
    tokens
}

fn base_tokens(mut tokens: Vec<String>, rules: &Rules) -> Vec<String> {
    while tokens.len() > 1 && rules.articles.contains(&tokens[0]) {
        tokens.remove(0);
    }
    for (i, token) in tokens.iter_mut().enumerate() {
        let replacement = rules.rewrites.get(token.as_str()).or_else(|| {
            (i == 0)
                .then(|| rules.start_rewrites.get(token.as_str()))
                .flatten()
        });
        if let Some(replacement) = replacement {
            token.clone_from(replacement);
        }
    }
    while let Some(cut) = rules.suffixes.iter().find_map(|suffix| {
        (tokens.len() > suffix.len() && tokens.ends_with(suffix)).then_some(suffix.len())
    }) {
        tokens.truncate(tokens.len() - cut);
    }
    tokens
}

struct Rules {
    symbols: Vec<(char, &'static str)>,
    rewrites: HashMap<String, String>,
    start_rewrites: HashMap<String, String>,
    articles: Vec<String>,
    /// Longest first, so `pvt ltd` goes before `ltd` would leave `pvt`.
    suffixes: Vec<Vec<String>>,
}

/// Tokens of a list entry, normalised like a name (no symbol rewrites: list entries are words).
fn entry_tokens(entry: &str) -> Vec<String> {
    tokenize(&fold(entry), &[])
}

fn is_start_only(note: &str) -> bool {
    note.contains("at the START")
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    let mut rules = Rules {
        symbols: Vec::new(),
        rewrites: HashMap::new(),
        start_rewrites: HashMap::new(),
        articles: Vec::new(),
        suffixes: Vec::new(),
    };
    for row in data_rows(EQUIVALENCES) {
        let (from, to, note) = (column(&row, 0), column(&row, 1), column(&row, 2));
        let mut symbol = from.chars();
        match (symbol.next(), symbol.next()) {
            (Some(ch), None) if !ch.is_alphanumeric() => rules.symbols.push((ch, to)),
            _ => {
                let table = if is_start_only(note) {
                    &mut rules.start_rewrites
                } else {
                    &mut rules.rewrites
                };
                table.insert(entry_tokens(from).join(" "), entry_tokens(to).join(" "));
            }
        }
    }
    for row in data_rows(LEGAL_SUFFIXES) {
        let tokens = entry_tokens(column(&row, 0));
        if is_start_only(column(&row, 2)) {
            rules.articles.extend(tokens);
        } else if !tokens.is_empty() {
            rules.suffixes.push(tokens);
        }
    }
    rules
        .suffixes
        .extend(EXTRA_SUFFIXES.iter().map(|s| entry_tokens(s)));
    rules.suffixes.sort_by_key(|s| std::cmp::Reverse(s.len()));
    rules
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_equivalence_row_is_loaded() {
        let rows = data_rows(EQUIVALENCES).count();
        assert_eq!(rows, 22);
        let loaded = RULES.symbols.len() + RULES.rewrites.len() + RULES.start_rewrites.len();
        // "int'l" and "intl" normalise to the same token.
        assert_eq!(loaded, rows - 1);
        assert_eq!(RULES.symbols, vec![('&', "and"), ('+', "and")]);
        assert_eq!(RULES.start_rewrites.len(), 2);
    }

    #[test]
    fn every_suffix_row_is_loaded() {
        let rows = data_rows(LEGAL_SUFFIXES).count();
        assert_eq!(rows, 38);
        assert_eq!(RULES.articles, vec!["the".to_owned()]);
        assert_eq!(RULES.suffixes.len(), rows - 1 + EXTRA_SUFFIXES.len());
        assert_eq!(RULES.suffixes[0], ["gmbh", "and", "co", "kg"]);
    }

    proptest::proptest! {
        #[test]
        fn ascii_fast_path_agrees_with_unicode_path(raw in "[ -~]{0,40}") {
            proptest::prop_assert_eq!(fold(&raw), fold_unicode(&raw));
        }
    }

    #[test]
    fn tokenizer_joins_initialisms_only() {
        assert_eq!(tokenize("n.v.", &[]), ["nv"]);
        assert_eq!(tokenize("co.,ltd", &[]), ["co", "ltd"]);
        assert_eq!(tokenize("acme.com", &[]), ["acme", "com"]);
        assert_eq!(
            tokenize("o'brien & co", &[('&', "and")]),
            ["obrien", "and", "co"]
        );
    }
}
