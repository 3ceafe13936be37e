//! Ids that go into URL paths.
//!
//! `url` percent-encodes a pushed segment, but it drops `.` and `..` segments and the URL parser strips
//! tab, CR and LF, so an id like `..` or `"a\rb"` would address another resource. Every id a client puts
//! in a path goes through [`path_segment`] first.

use super::HttpError;

/// `id` when it is safe as exactly one path segment; a typed error for an empty id, `.`, `..`, or an id
/// holding a control character.
pub fn path_segment(id: &str) -> Result<&str, HttpError> {
    let bad = id.is_empty() || id == "." || id == ".." || id.chars().any(char::is_control);
    if bad {
        return Err(HttpError::InvalidRequest(format!(
            "{id:?} cannot be used as an id in a URL path"
        )));
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_ids_that_would_change_the_path() {
        for id in ["", ".", "..", "a\rb", "a\nb", "\t", "x\u{7f}"] {
            assert!(path_segment(id).is_err(), "{id:?} accepted");
        }
    }

    #[test]
    fn keeps_ordinary_ids_verbatim() {
        for id in [
            "42",
            "a1b2-c3",
            "../x",
            "a/b",
            "name with space",
            "ünïcode",
            ".hidden",
        ] {
            assert_eq!(path_segment(id).unwrap(), id);
        }
    }
}
