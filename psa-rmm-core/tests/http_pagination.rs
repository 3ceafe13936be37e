//! Paginating over httpmock: Link-header pages, a looping cursor, and a stream that ends at the first error.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns are test code too

use futures::{StreamExt, TryStreamExt};
use httpmock::prelude::*;
use psa_rmm_core::http::{HttpCore, HttpError, Page, Request, RetryPolicy, link_next, paginate};
use url::Url;

fn core(server: &MockServer) -> HttpCore {
    HttpCore::builder(Url::parse(&server.base_url()).unwrap())
        .allow_insecure_http(true)
        .retry_policy(RetryPolicy::no_retry())
        .build()
        .unwrap()
}

/// The listing as a vendor client would write it: a client clone moves into the stream.
fn items(
    core: &HttpCore,
    first: Url,
) -> impl futures::Stream<Item = Result<u32, HttpError>> + Send + 'static {
    let core = core.clone();
    paginate(first, move |url| {
        let core = core.clone();
        async move {
            let resp = core.send(Request::get("/items", url)).await?;
            let items: Vec<u32> = resp.json()?;
            Ok(Page::new(items, link_next(resp.headers())))
        }
    })
}

async fn page<'a>(
    server: &'a MockServer,
    n: &'static str,
    body: serde_json::Value,
    next: Option<&str>,
) -> httpmock::Mock<'a> {
    let link = next.map(|p| {
        format!(
            r#"<{}>; rel="next""#,
            server.url(format!("/items?page={p}"))
        )
    });
    server
        .mock_async(|when, then| {
            when.method(GET).path("/items").query_param("page", n);
            let then = then.status(200).json_body(body);
            if let Some(link) = &link {
                then.header("Link", link.as_str());
            }
        })
        .await
}

#[tokio::test]
async fn three_pages_stream_in_order_each_fetched_once() {
    let server = MockServer::start_async().await;
    let p1 = page(&server, "1", serde_json::json!([1, 2]), Some("2")).await;
    let p2 = page(&server, "2", serde_json::json!([3, 4]), Some("3")).await;
    let p3 = page(&server, "3", serde_json::json!([5]), None).await;
    let core = core(&server);
    let first = Url::parse(&server.url("/items?page=1")).unwrap();
    let stream = items(&core, first);
    // 'static + Send: it can run on another task.
    let all: Vec<u32> = tokio::spawn(stream.try_collect::<Vec<u32>>())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(all, [1, 2, 3, 4, 5]);
    for mock in [p1, p2, p3] {
        assert_eq!(mock.calls_async().await, 1);
    }
}

#[tokio::test]
async fn a_repeated_cursor_is_a_pagination_error() {
    let server = MockServer::start_async().await;
    page(&server, "1", serde_json::json!([1]), Some("2")).await;
    let p2 = page(&server, "2", serde_json::json!([2]), Some("2")).await;
    let core = core(&server);
    let results: Vec<Result<u32, HttpError>> =
        items(&core, Url::parse(&server.url("/items?page=1")).unwrap())
            .collect()
            .await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(*results[0].as_ref().unwrap(), 1);
    assert_eq!(*results[1].as_ref().unwrap(), 2);
    assert!(matches!(results[2], Err(HttpError::Pagination(_))));
    assert_eq!(p2.calls_async().await, 1);
}

#[tokio::test]
async fn the_stream_ends_at_the_first_error() {
    let server = MockServer::start_async().await;
    page(&server, "1", serde_json::json!([1, 2]), Some("2")).await;
    server
        .mock_async(|when, then| {
            when.path("/items").query_param("page", "2");
            then.status(500).header(
                "Link",
                format!(r#"<{}>; rel="next""#, server.url("/items?page=3")).as_str(),
            );
        })
        .await;
    let p3 = page(&server, "3", serde_json::json!([3]), None).await;
    let core = core(&server);
    let mut stream = Box::pin(items(
        &core,
        Url::parse(&server.url("/items?page=1")).unwrap(),
    ));
    assert_eq!(stream.next().await.unwrap().unwrap(), 1);
    assert_eq!(stream.next().await.unwrap().unwrap(), 2);
    let err = stream.next().await.unwrap().unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert!(stream.next().await.is_none());
    assert_eq!(p3.calls_async().await, 0);
}

#[tokio::test]
async fn a_page_that_does_not_decode_ends_the_stream_with_a_decode_error() {
    let server = MockServer::start_async().await;
    page(&server, "1", serde_json::json!([1, "two"]), Some("2")).await;
    let core = core(&server);
    let results: Vec<_> = items(&core, Url::parse(&server.url("/items?page=1")).unwrap())
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    let Err(HttpError::Decode(decode)) = &results[0] else {
        panic!("{results:?}")
    };
    assert_eq!(decode.json_path, "[1]");
}
