//! Identity keys: the normalised forms of MAC addresses, serial numbers, hardware UUIDs, hostnames and company
//! names that matching joins on, and the classification that says which of them are strong evidence.
//!
//! Every parser is total: bad input gives `None` or a typed error, never a panic. The junk, placeholder and
//! virtual-platform lists are bundled from `psa-rmm-core/data/` (sources in `data/README.md`) and compiled once,
//! on first use.

pub mod company;
pub mod hostname;
pub mod mac;
pub mod serial;
pub mod uuid;

/// Data rows of a bundled list: lines that are neither blank nor `#` comments, split on tabs.
fn data_rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| line.split('\t').collect())
}

/// The `index`-th column of a data row, or `""` when the row is shorter.
fn column(row: &[&'static str], index: usize) -> &'static str {
    row.get(index).copied().unwrap_or("").trim()
}

/// Compiles a bundled pattern case-insensitively; a pattern the `regex` crate rejects is left out (the list tests
/// assert that every listed pattern is either compiled or implemented natively, so none is lost silently).
fn compile_ci(pattern: &str) -> Option<regex::Regex> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_rows_skip_comments_and_blank_lines() {
        let rows: Vec<_> = data_rows("# head\n\na\tb\r\n  \nc\n").collect();
        assert_eq!(rows, vec![vec!["a", "b"], vec!["c"]]);
        assert_eq!(column(&rows[1], 1), "");
    }

    #[test]
    fn compile_ci_rejects_unsupported_syntax_without_panicking() {
        assert!(compile_ci(r"^(.)\1+$").is_none());
        assert!(compile_ci("^abc$").is_some_and(|re| re.is_match("ABC")));
    }
}
