//! Hardware serial numbers: the comparison key and the junk / virtual-machine classification.
//!
//! The key is the trimmed, upper-cased value with inner whitespace collapsed (serials compare case-insensitively).
//! Classification checks the exact junk list first (one hash lookup), then the junk patterns as one
//! [`regex::RegexSet`], then the virtual-platform formats. A serial that recurs across companies is demoted to
//! junk at match time, not here.

use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

use regex::RegexSet;

use super::{column, data_rows};

const JUNK_EXACT: &str = include_str!("../../data/junk_serials.tsv");
const JUNK_PATTERNS: &str = include_str!("../../data/junk_serial_patterns.tsv");
const VIRTUAL_FORMATS: &str = include_str!("../../data/virtual_serial_formats.tsv");

/// Serials longer than this are junk (a description or a concatenation pasted into the field).
const MAX_SERIAL_CHARS: usize = 64;

/// A normalised hardware serial number with its classification.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SerialNumber {
    key: String,
    class: SerialClass,
}

/// How far a serial number can be trusted as an identity key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SerialClass {
    /// A real-looking hardware serial: strong evidence.
    Valid,
    /// A BIOS/OEM placeholder or junk value shared by many machines: never a key.
    Placeholder,
    /// A virtual machine's serial (the platform): unique per VM but shared by clones, so weak.
    Virtual(&'static str),
}

impl SerialNumber {
    /// Normalises and classifies `raw`; `None` when nothing is left after trimming.
    pub fn parse(raw: &str) -> Option<SerialNumber> {
        let key = normalize_key(raw);
        if key.is_empty() {
            return None;
        }
        let class = classify(&key);
        Some(SerialNumber { key, class })
    }

    /// The comparison key: trimmed, upper-cased, inner whitespace collapsed to one space.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The classification.
    pub fn class(&self) -> SerialClass {
        self.class
    }

    /// True for [`SerialClass::Valid`] only.
    pub fn is_strong(&self) -> bool {
        self.class == SerialClass::Valid
    }

    /// True for [`SerialClass::Placeholder`].
    pub fn is_placeholder(&self) -> bool {
        self.class == SerialClass::Placeholder
    }

    /// True when the serial merely repeats the model or manufacturer string (a common OEM fill-in), compared
    /// on the same normalised form. Such a serial should be treated as a placeholder.
    pub fn repeats(&self, model_or_manufacturer: &str) -> bool {
        let other = normalize_key(model_or_manufacturer);
        !other.is_empty() && other == self.key
    }
}

impl fmt::Display for SerialNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key)
    }
}

fn normalize_key(raw: &str) -> String {
    let mut key = String::with_capacity(raw.len());
    for word in raw.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        if word.is_ascii() {
            key.push_str(word);
        } else {
            key.extend(word.chars().flat_map(char::to_uppercase));
        }
    }
    key.make_ascii_uppercase();
    key
}

fn classify(key: &str) -> SerialClass {
    let lists = &*LISTS;
    let is_junk = lists.junk_exact.contains(key)
        || key.chars().count() > MAX_SERIAL_CHARS
        || NATIVE_RULES.iter().any(|(_, rule)| rule(key))
        || lists.junk_patterns.is_match(key);
    if is_junk {
        return SerialClass::Placeholder;
    }
    if lists.virtual_formats.is_match(key) {
        let platform = lists
            .virtual_formats
            .matches(key)
            .iter()
            .next()
            .and_then(|i| lists.virtual_platforms.get(i).copied())
            .unwrap_or("virtual machine");
        return SerialClass::Virtual(platform);
    }
    SerialClass::Valid
}

/// A junk check written in Rust.
type NativeRule = fn(&str) -> bool;

/// Listed junk patterns that the `regex` crate cannot express or that the list itself says to replace, with
/// the native rule used instead.
const NATIVE_RULES: &[(&str, NativeRule)] = &[
    // Back-references are not supported by `regex`.
    (r"^(.)\1+$", one_char_repeated),
    // Unanchored in GLPI, which would reject real serials containing "1.2"; the list says to anchor it.
    (r"\d\.\d(\.\d)?", looks_like_version),
];

fn one_char_repeated(key: &str) -> bool {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) => {
            let mut rest = chars.peekable();
            rest.peek().is_some() && rest.all(|c| c == first)
        }
        None => false,
    }
}

/// `^\d+(\.\d+)+$`: a version number such as a BIOS version copied into the serial field.
fn looks_like_version(key: &str) -> bool {
    let mut parts = key.split('.');
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    key.contains('.') && parts.all(all_digits)
}

struct Lists {
    junk_exact: HashSet<String>,
    junk_patterns: RegexSet,
    virtual_formats: RegexSet,
    virtual_platforms: Vec<&'static str>,
}

static LISTS: LazyLock<Lists> = LazyLock::new(|| {
    let virtual_rows: Vec<(&str, &'static str)> = compilable(VIRTUAL_FORMATS)
        .map(|row| (column(&row, 0), platform_name(column(&row, 1))))
        .collect();
    Lists {
        junk_exact: data_rows(JUNK_EXACT)
            .map(|row| normalize_key(column(&row, 0)))
            .collect(),
        junk_patterns: regex_set(compilable(JUNK_PATTERNS).map(|row| column(&row, 0))),
        virtual_formats: regex_set(virtual_rows.iter().map(|(pattern, _)| *pattern)),
        virtual_platforms: virtual_rows.iter().map(|(_, platform)| *platform).collect(),
    }
});

/// Rows whose pattern compiles and is not replaced by a native rule.
fn compilable(list: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    data_rows(list).filter(|row| {
        let pattern = column(row, 0);
        !NATIVE_RULES.iter().any(|(p, _)| *p == pattern) && super::compile_ci(pattern).is_some()
    })
}

fn regex_set<'a>(patterns: impl Iterator<Item = &'a str>) -> RegexSet {
    regex::RegexSetBuilder::new(patterns)
        .case_insensitive(true)
        .build()
        // Unreachable: every pattern was compiled individually first.
        .unwrap_or_else(|_| RegexSet::empty())
}

/// "VMware (serial = ...)" -> "VMware"; "AWS EC2 (Xen) - serial ..." -> "AWS EC2".
fn platform_name(text: &'static str) -> &'static str {
    let head = text.split(" (").next().unwrap_or(text);
    head.split(" - ").next().unwrap_or(head).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_junk_pattern_is_compiled_or_native() {
        let listed = data_rows(JUNK_PATTERNS).count();
        assert_eq!(listed, 12);
        let native = data_rows(JUNK_PATTERNS)
            .filter(|row| NATIVE_RULES.iter().any(|(p, _)| *p == column(row, 0)))
            .count();
        assert_eq!(native, NATIVE_RULES.len());
        assert_eq!(LISTS.junk_patterns.len() + native, listed);
    }

    #[test]
    fn every_virtual_format_compiles() {
        let listed = data_rows(VIRTUAL_FORMATS).count();
        assert_eq!(listed, 6);
        assert_eq!(LISTS.virtual_formats.len(), listed);
        assert_eq!(LISTS.virtual_platforms.len(), listed);
    }

    #[test]
    fn every_exact_junk_value_is_loaded() {
        assert_eq!(LISTS.junk_exact.len(), data_rows(JUNK_EXACT).count());
        assert!(LISTS.junk_exact.contains("TO BE FILLED BY O.E.M."));
    }

    #[test]
    fn native_rules() {
        assert!(one_char_repeated("AAAA"));
        assert!(!one_char_repeated("A"));
        assert!(!one_char_repeated("AAB"));
        assert!(looks_like_version("1.2.3"));
        assert!(looks_like_version("10.04"));
        assert!(!looks_like_version("5CG1.2X"));
        assert!(!looks_like_version("1..2"));
        assert!(!looks_like_version("123"));
    }

    #[test]
    fn platform_names_are_short() {
        assert_eq!(platform_name("VMware (serial = \"VMware-\")"), "VMware");
        assert_eq!(
            platform_name("AWS EC2 (Xen) - serial is derived"),
            "AWS EC2"
        );
        assert_eq!(platform_name("Parallels Desktop"), "Parallels Desktop");
    }
}
