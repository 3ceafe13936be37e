//! A minimal CSV writer (RFC 4180): the workspace has no CSV dependency and the reports only write.

use std::borrow::Cow;

/// One field, quoted when it holds a comma, a quote, a line break or edge spaces (quotes doubled). A text
/// that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`: RMM host
/// names come from endpoints, and a review file must not execute them.
pub fn field(value: &str) -> Cow<'_, str> {
    let formula =
        value.starts_with(['=', '+', '-', '@', '\t', '\r']) && value.parse::<f64>().is_err();
    let value: Cow<'_, str> = if formula {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    };
    let quote =
        value.contains([',', '"', '\n', '\r']) || value.starts_with(' ') || value.ends_with(' ');
    if quote {
        Cow::Owned(format!("\"{}\"", value.replace('"', "\"\"")))
    } else {
        value
    }
}

/// Appends one record (fields joined by commas, CRLF at the end).
pub fn write_row<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&field(f));
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_fields_stay_as_they_are() {
        assert_eq!(field("PC-01"), "PC-01");
        assert_eq!(field(""), "");
        assert_eq!(field("0.950"), "0.950");
        assert_eq!(field("-1.5"), "-1.5");
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted() {
        assert_eq!(field("Smith, Jones & Co"), "\"Smith, Jones & Co\"");
        assert_eq!(field("the \"big\" one"), "\"the \"\"big\"\" one\"");
        assert_eq!(field("line 1\nline 2"), "\"line 1\nline 2\"");
        assert_eq!(field("a\r\nb"), "\"a\r\nb\"");
        assert_eq!(field(" padded "), "\" padded \"");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("-cmd"), "'-cmd");
    }

    #[test]
    fn rows_join_with_commas_and_end_in_crlf() {
        let mut out = String::new();
        write_row(&mut out, ["a", "b,c", ""]);
        write_row(&mut out, ["x"]);
        assert_eq!(out, "a,\"b,c\",\r\nx\r\n");
    }
}
