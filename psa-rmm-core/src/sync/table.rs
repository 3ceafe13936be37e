//! Plain-text tables for printing plans and reports.

use std::fmt;

/// Longest cell text printed; longer text is cut with an ellipsis so one long message cannot wreck a table.
const MAX_CELL: usize = 48;

/// A table of text cells, printed with aligned columns.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new(headers: &[&'static str]) -> Self {
        Self {
            headers: headers.to_vec(),
            rows: Vec::new(),
        }
    }

    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.into_iter().map(|c| clip(&c)).collect());
    }
}

fn clip(text: &str) -> String {
    let one_line = text.replace(['\n', '\r', '\t'], " ");
    if one_line.chars().count() <= MAX_CELL {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(MAX_CELL - 1).collect();
    cut.push('…');
    cut
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(cell.chars().count());
                }
            }
        }
        let line = |f: &mut fmt::Formatter<'_>, cells: &mut dyn Iterator<Item = &str>| {
            let mut parts = Vec::new();
            for (cell, w) in cells.zip(&widths) {
                let pad = w.saturating_sub(cell.chars().count());
                parts.push(format!("{cell}{}", " ".repeat(pad)));
            }
            writeln!(f, "{}", parts.join("  ").trim_end())
        };
        line(f, &mut self.headers.iter().copied())?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        writeln!(f, "{}", rule.join("  "))?;
        for row in &self.rows {
            line(f, &mut row.iter().map(String::as_str))?;
        }
        Ok(())
    }
}

/// `Some(x)` as text, `None` as a dash.
pub(crate) fn opt(value: Option<&str>) -> String {
    value.unwrap_or("-").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_and_long_cells_are_clipped() {
        let mut t = Table::new(&["a", "bee"]);
        t.row(vec!["x".into(), "y".into()]);
        t.row(vec!["long value".into(), "z".repeat(100)]);
        let text = t.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "a           bee");
        assert!(lines[1].starts_with("----------  ---"));
        assert_eq!(lines[2], "x           y");
        assert!(lines[3].ends_with('…'));
        assert_eq!(lines[3].chars().count(), 12 + MAX_CELL);
    }
}
