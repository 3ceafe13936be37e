//! Streaming pagination: one page in memory at a time, whatever the vendor's cursor style.

use std::collections::VecDeque;
use std::future::Future;

use futures::stream::{self, Stream, TryStreamExt};
use reqwest::header::{HeaderMap, LINK};
use url::Url;

use super::HttpError;

/// How many recent cursors are remembered to catch a server that loops.
const CURSOR_MEMORY: usize = 16;

/// One page of a listing: its items and the cursor of the next page (`None` on the last page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T, C> {
    /// Items of this page.
    pub items: Vec<T>,
    /// Cursor of the next page: a page number, a `pageId`, a next URL...
    pub next: Option<C>,
}

impl<T, C> Page<T, C> {
    /// A page with these items and next cursor.
    pub fn new(items: Vec<T>, next: Option<C>) -> Self {
        Self { items, next }
    }
}

struct Walk<C, F> {
    next: Option<C>,
    seen: VecDeque<C>,
    fetch: F,
}

/// A stream of whole pages, starting at cursor `first`; see [`paginate`].
pub fn paginate_pages<C, T, E, F, Fut>(
    first: C,
    fetch: F,
) -> impl Stream<Item = Result<Vec<T>, E>> + Send + 'static
where
    C: PartialEq + Clone + Send + 'static,
    T: Send + 'static,
    E: From<HttpError> + Send + 'static,
    F: FnMut(C) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T, C>, E>> + Send + 'static,
{
    let walk = Walk {
        next: Some(first),
        seen: VecDeque::new(),
        fetch,
    };
    stream::try_unfold(walk, |mut walk| async move {
        let Some(cursor) = walk.next.take() else {
            return Ok(None);
        };
        if walk.seen.contains(&cursor) {
            return Err(E::from(HttpError::Pagination(
                "the server handed back a cursor it had already given".into(),
            )));
        }
        if walk.seen.len() == CURSOR_MEMORY {
            walk.seen.pop_front();
        }
        walk.seen.push_back(cursor.clone());
        let page = (walk.fetch)(cursor).await?;
        walk.next = page.next;
        Ok(Some((page.items, walk)))
    })
}

/// A stream of the items of a paginated listing, starting at cursor `first`, calling `fetch` for each page.
/// It holds one page in memory, owns everything it needs (`'static`, `Send`: it can be spawned), ends after
/// the first error, and fails with [`HttpError::Pagination`] when the server hands back a cursor it
/// already gave (a loop that would never end).
///
/// ```
/// use futures::TryStreamExt;
/// use psa_rmm_core::http::{paginate, HttpError, Page};
///
/// # async fn demo() -> Result<(), HttpError> {
/// // A client clone moves into the closure; here a fake listing of three pages numbered 1..=3.
/// let items: Vec<u32> = paginate(1u32, |page| async move {
///     let next = (page < 3).then_some(page + 1);
///     Ok::<_, HttpError>(Page::new(vec![page * 10, page * 10 + 1], next))
/// })
/// .try_collect()
/// .await?;
/// assert_eq!(items, [10, 11, 20, 21, 30, 31]);
/// # Ok(()) }
/// ```
pub fn paginate<C, T, E, F, Fut>(
    first: C,
    fetch: F,
) -> impl Stream<Item = Result<T, E>> + Send + 'static
where
    C: PartialEq + Clone + Send + 'static,
    T: Send + 'static,
    E: From<HttpError> + Send + 'static,
    F: FnMut(C) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T, C>, E>> + Send + 'static,
{
    paginate_pages(first, fetch)
        .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
        .try_flatten()
}

/// The `rel="next"` target of an RFC 8288 `Link` header (ConnectWise Manage's navigable pagination).
///
/// ```
/// use psa_rmm_core::http::link_next;
/// use reqwest::header::{HeaderMap, HeaderValue, LINK};
///
/// let mut headers = HeaderMap::new();
/// headers.insert(LINK, HeaderValue::from_static(
///     r#"<https://api/x?page=3>; rel="next", <https://api/x?page=9>; rel="last""#));
/// assert_eq!(link_next(&headers).map(|u| u.to_string()).as_deref(), Some("https://api/x?page=3"));
/// ```
pub fn link_next(headers: &HeaderMap) -> Option<Url> {
    next_target(headers).and_then(|target| Url::parse(target).ok())
}

/// Like [`link_next`], resolving a relative target against `base` (the URL of the page just fetched).
pub fn link_next_in(headers: &HeaderMap, base: &Url) -> Option<Url> {
    next_target(headers).and_then(|target| base.join(target).ok())
}

fn next_target(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(split_links)
        .find_map(|(target, params)| {
            let is_next = params.split(';').any(|param| {
                let Some((key, value)) = param.split_once('=') else {
                    return false;
                };
                key.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            is_next.then(|| target.trim())
        })
}

/// Split a Link header into `(target, params)` pairs; commas inside `<...>` or quotes do not split.
fn split_links(value: &str) -> Vec<(&str, &str)> {
    let mut links = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>').map(|c| open + c) else {
            break;
        };
        let target = &rest[open + 1..close];
        let after = &rest[close + 1..];
        let mut in_quotes = false;
        let end = after
            .char_indices()
            .find(|&(_, ch)| {
                if ch == '"' {
                    in_quotes = !in_quotes;
                }
                ch == ',' && !in_quotes
            })
            .map_or(after.len(), |(i, _)| i);
        links.push((target, &after[..end]));
        rest = &after[end..];
    }
    links
}

#[cfg(test)]
mod tests {
    use futures::{StreamExt, TryStreamExt};
    use reqwest::header::HeaderValue;

    use super::*;

    fn link(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(LINK, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn link_next_variants() {
        let next = |v| link_next(&link(v)).map(|u| u.to_string());
        assert_eq!(
            next(r#"<https://a/x?p=2>; rel="next""#).as_deref(),
            Some("https://a/x?p=2")
        );
        assert_eq!(
            next(r#"<https://a/x?p=1>; rel=first, <https://a/x?p=2>; rel=next"#).as_deref(),
            Some("https://a/x?p=2")
        );
        assert_eq!(
            next(r#"<https://a/x?a=1,2>; title="a, b"; rel="prev next""#).as_deref(),
            Some("https://a/x?a=1,2")
        );
        assert_eq!(next(r#"<https://a/x?p=9>; rel="last""#), None);
        assert_eq!(next(r#"<relative/only>; rel="next""#), None);
        let base = Url::parse("https://a/api/x?p=1").unwrap();
        let relative = link(r#"</api/x?p=2>; rel="next""#);
        assert_eq!(
            link_next_in(&relative, &base).map(String::from).as_deref(),
            Some("https://a/api/x?p=2")
        );
        assert_eq!(next("garbage <unclosed"), None);
        assert_eq!(link_next(&HeaderMap::new()), None);
    }

    #[tokio::test]
    async fn cursor_loop_fails_after_the_pages_before_it() {
        let pages = [(1, Some(2)), (2, Some(3)), (3, Some(2))];
        let stream = paginate(1, move |cursor: i32| async move {
            let (_, next) = pages[usize::try_from(cursor - 1).unwrap()];
            Ok::<_, HttpError>(Page::new(vec![cursor], next))
        });
        let results: Vec<Result<i32, HttpError>> = stream.collect().await;
        assert_eq!(results.len(), 4);
        assert!(matches!(results[3], Err(HttpError::Pagination(_))));
        let ok: Vec<i32> = results.into_iter().take(3).map(Result::unwrap).collect();
        assert_eq!(ok, [1, 2, 3]);
    }

    #[tokio::test]
    async fn stops_at_first_error_and_is_spawnable() {
        let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = calls.clone();
        let stream = paginate(0u32, move |cursor| {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async move {
                if cursor == 1 {
                    return Err(HttpError::InvalidRequest("boom".into()));
                }
                Ok(Page::new(vec![cursor; 2], Some(cursor + 1)))
            }
        });
        let collected: Vec<_> = tokio::spawn(stream.collect::<Vec<_>>()).await.unwrap();
        assert_eq!(
            collected.len(),
            3,
            "two items, then the error, then nothing"
        );
        assert!(collected[2].is_err());
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2);
        let empty: Vec<u8> = paginate(0u8, |_| async {
            Ok::<_, HttpError>(Page::<u8, u8>::new(Vec::new(), None))
        })
        .try_collect()
        .await
        .unwrap();
        assert!(empty.is_empty());
    }

    proptest::proptest! {
        #[test]
        fn link_parsing_never_panics(text in "[<>;,=\"a-z:/. ]{0,80}") {
            if let Ok(value) = HeaderValue::from_str(&text) {
                let mut headers = HeaderMap::new();
                headers.insert(LINK, value);
                let _ = link_next(&headers);
            }
        }
    }
}
