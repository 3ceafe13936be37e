//! Hostnames: the short comparison key (first DNS label, case-folded, cut to the 15 characters of a NetBIOS
//! name) and the placeholder check for auto-generated or generic names that collide across clients.
//!
//! Hostnames are unique only inside one company; matching uses them as weak evidence within a company.

use std::fmt;
use std::net::IpAddr;
use std::sync::LazyLock;

use regex::RegexSet;

use super::{column, data_rows};

const PLACEHOLDER_PATTERNS: &str = include_str!("../../data/placeholder_hostname_patterns.tsv");

/// Windows NetBIOS computer names hold at most 15 characters; longer DNS names are cut to this for the key.
pub const NETBIOS_MAX_CHARS: usize = 15;

/// Listed patterns that match many real names too (`^[a-z0-9]{1,7}-[a-z0-9]+$` also matches `ny-fs01`); the
/// list says to use them only to lower confidence, so they feed [`Hostname::is_maybe_generated`] and not
/// [`Hostname::is_placeholder`].
const BROAD_PATTERNS: &[&str] = &["^[a-z0-9]{1,7}-[a-z0-9]+$"];

/// A normalised hostname.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Hostname {
    fqdn: String,
    key: String,
    ip_literal: bool,
}

impl Hostname {
    /// Normalises `raw`: trims, drops a `DOMAIN\` prefix and surrounding dots, lower-cases. `None` when nothing
    /// is left. An IP literal is kept whole as its own key and counts as a placeholder.
    pub fn parse(raw: &str) -> Option<Hostname> {
        let trimmed = raw.trim();
        let without_domain = trimmed.rsplit('\\').next().unwrap_or(trimmed);
        let fqdn = lower(without_domain.trim_matches(|c: char| c == '.' || c.is_whitespace()));
        if fqdn.is_empty() {
            return None;
        }
        let ip_literal = fqdn.parse::<IpAddr>().is_ok();
        let key = if ip_literal {
            fqdn.clone()
        } else {
            short_key(&fqdn)
        };
        if key.is_empty() {
            return None;
        }
        Some(Hostname {
            fqdn,
            key,
            ip_literal,
        })
    }

    /// The comparison key: the first DNS label, case-folded, cut to 15 characters, so `ACCOUNTING-LAPTOP.corp`
    /// and `accounting-lapt` share a key (Windows derives the NetBIOS name that way).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The full name as given, lower-cased, without a `DOMAIN\` prefix or surrounding dots.
    pub fn fqdn(&self) -> &str {
        &self.fqdn
    }

    /// The first DNS label, not truncated.
    pub fn short(&self) -> &str {
        if self.is_ip_literal() {
            return &self.fqdn;
        }
        self.fqdn.split('.').next().unwrap_or(&self.fqdn).trim()
    }

    /// The DNS domain after the first label, if any.
    pub fn domain(&self) -> Option<&str> {
        if self.is_ip_literal() {
            return None;
        }
        self.fqdn
            .split_once('.')
            .map(|(_, domain)| domain)
            .filter(|d| !d.is_empty())
    }

    /// The name is an IP address, not a hostname.
    pub fn is_ip_literal(&self) -> bool {
        self.ip_literal
    }

    /// An auto-generated or generic name (`DESKTOP-XXXXXXX`, `WIN-...`, `localhost`, `OWNER-PC`, an IP
    /// literal, ...) that must never be the only agreeing key.
    pub fn is_placeholder(&self) -> bool {
        self.is_ip_literal() || PATTERNS.placeholder.is_match(self.short())
    }

    /// Shaped like a Windows random name (`<up to 7 chars>-<random>`); many real names share the shape, so this
    /// only lowers confidence.
    pub fn is_maybe_generated(&self) -> bool {
        self.is_placeholder() || PATTERNS.broad.is_match(self.short())
    }
}

impl fmt::Display for Hostname {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.fqdn)
    }
}

fn lower(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    }
}

fn short_key(fqdn: &str) -> String {
    let label = fqdn.split('.').next().unwrap_or(fqdn).trim();
    let cut: String = label.chars().take(NETBIOS_MAX_CHARS).collect();
    cut.trim_end().to_owned()
}

struct Patterns {
    placeholder: RegexSet,
    broad: RegexSet,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let compiling: Vec<&'static str> = data_rows(PLACEHOLDER_PATTERNS)
        .map(|row| column(&row, 0))
        .filter(|pattern| super::compile_ci(pattern).is_some())
        .collect();
    let (broad, placeholder): (Vec<&str>, Vec<&str>) = compiling
        .into_iter()
        .partition(|p| BROAD_PATTERNS.contains(p));
    Patterns {
        placeholder: regex_set(&placeholder),
        broad: regex_set(&broad),
    }
});

fn regex_set(patterns: &[&str]) -> RegexSet {
    regex::RegexSetBuilder::new(patterns)
        .case_insensitive(true)
        .build()
        // Unreachable: every pattern was compiled individually first.
        .unwrap_or_else(|_| RegexSet::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_pattern_compiles() {
        let listed = data_rows(PLACEHOLDER_PATTERNS).count();
        assert_eq!(listed, 8);
        assert_eq!(PATTERNS.placeholder.len() + PATTERNS.broad.len(), listed);
        assert_eq!(PATTERNS.broad.len(), BROAD_PATTERNS.len());
    }
}
