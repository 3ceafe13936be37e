//! Serving one fake: a listener whose connections can be killed (for the dropped-connection fault) and the
//! middleware that applies scripted faults and logs every request around the fake's own router.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::connect_info::Connected;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::context::FakeContext;
use crate::fault::FaultKind;
use crate::log::{LoggedRequest, redact_query};

/// A TCP listener whose connections carry a kill switch.
pub(crate) struct KillableListener(pub(crate) TcpListener);

/// A TCP stream that fails every read and write once killed, so hyper drops it without a response.
pub(crate) struct KillableStream {
    inner: TcpStream,
    killed: Arc<AtomicBool>,
}

/// The kill switch of one connection, handed to the middleware as connect info.
#[derive(Clone, Debug)]
pub(crate) struct ConnHandle(Arc<AtomicBool>);

impl ConnHandle {
    fn kill(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Listener for KillableListener {
    type Io = KillableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, addr) = Listener::accept(&mut self.0).await;
        let _ = stream.set_nodelay(true);
        let stream = KillableStream {
            inner: stream,
            killed: Arc::new(AtomicBool::new(false)),
        };
        (stream, addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

impl Connected<IncomingStream<'_, KillableListener>> for ConnHandle {
    fn connect_info(stream: IncomingStream<'_, KillableListener>) -> Self {
        Self(stream.io().killed.clone())
    }
}

impl KillableStream {
    fn killed(&self) -> bool {
        self.killed.load(Ordering::SeqCst)
    }
}

fn dropped() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "sandbox fault: connection dropped",
    )
}

impl AsyncRead for KillableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.killed() {
            return Poll::Ready(Err(dropped()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.killed() {
            return Poll::Ready(Err(dropped()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.killed() {
            return Poll::Ready(Err(dropped()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Spawns the server of one fake; it stops when `shutdown` flips to true.
pub(crate) fn spawn(
    listener: TcpListener,
    router: Router,
    ctx: FakeContext,
    mut shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    let app = router
        .layer(from_fn_with_state(ctx, intercept))
        .into_make_service_with_connect_info::<ConnHandle>();
    tokio::spawn(async move {
        let stop = async move {
            let _ = shutdown.wait_for(|stop| *stop).await;
        };
        let served = axum::serve(KillableListener(listener), app)
            .with_graceful_shutdown(stop)
            .await;
        if let Err(error) = served {
            tracing::warn!(%error, "sandbox server stopped with an error");
        }
    })
}

/// Applies the first live fault for this request, runs the fake otherwise, and logs the outcome.
async fn intercept(State(ctx): State<FakeContext>, req: Request, next: Next) -> Response {
    let vendor = ctx.vendor();
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(redact_query);
    let at = ctx.clock().now();
    let conn = req
        .extensions()
        .get::<ConnectInfo<ConnHandle>>()
        .map(|c| c.0.clone());
    let fault = ctx.faults().take(vendor, &method, &path);

    let response = match &fault {
        None => next.run(req).await,
        Some(kind) => apply(kind, conn, req, next).await,
    };
    let status = match fault {
        Some(FaultKind::DropConnection | FaultKind::DropAfterHandling) => None,
        _ => Some(response.status().as_u16()),
    };
    ctx.log().push(LoggedRequest {
        vendor,
        method,
        path,
        query,
        status,
        fault,
        at,
    });
    response
}

async fn apply(kind: &FaultKind, conn: Option<ConnHandle>, req: Request, next: Next) -> Response {
    match kind {
        FaultKind::Status {
            status,
            retry_after,
            body,
        } => status_response(*status, retry_after.as_deref(), body.clone()),
        FaultKind::Delay(wait) => {
            tokio::time::sleep(*wait).await;
            next.run(req).await
        }
        FaultKind::DropConnection => {
            if let Some(conn) = conn {
                conn.kill();
            }
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        FaultKind::DropAfterHandling => {
            let answer = next.run(req).await;
            if let Some(conn) = conn {
                conn.kill();
            }
            drop(answer);
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        FaultKind::TruncatedBody => truncate(next.run(req).await, false).await,
        FaultKind::BrokenBody => truncate(next.run(req).await, true).await,
        FaultKind::HtmlBody(status) => {
            run_if_success(*status, req, next).await;
            html(*status)
        }
        FaultKind::EmptyBody(status) => {
            run_if_success(*status, req, next).await;
            (code(*status), Body::empty()).into_response()
        }
    }
}

/// A success status claims the request took effect: the fake runs (a write is stored) and only its answer
/// is replaced. Any other status answers in the fake's place.
async fn run_if_success(status: u16, req: Request, next: Next) {
    if (200..300).contains(&status) {
        drop(next.run(req).await);
    }
}

fn html(status: u16) -> Response {
    (
        code(status),
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!DOCTYPE html><html><head><title>Service Unavailable</title></head>\
             <body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your \
             request.</p></body></html>",
    )
        .into_response()
}

fn code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn status_response(status: u16, retry_after: Option<&str>, body: Option<String>) -> Response {
    let mut response = match body {
        Some(body) => {
            let json = body.trim_start().starts_with(['{', '[']);
            let content_type = if json {
                "application/json; charset=utf-8"
            } else {
                "text/plain; charset=utf-8"
            };
            (code(status), [(header::CONTENT_TYPE, content_type)], body).into_response()
        }
        None => (code(status), Body::empty()).into_response(),
    };
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(v).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Cuts the body in half. `broken` keeps the full Content-Length and aborts the stream after the half, so
/// the connection dies mid-body; otherwise the cut body is sent complete with a matching length.
async fn truncate(response: Response, broken: bool) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    parts.headers.remove(header::CONTENT_LENGTH);
    if !broken {
        return Response::from_parts(parts, Body::from(half));
    }
    if let Ok(full) = HeaderValue::from_str(&bytes.len().to_string()) {
        parts.headers.insert(header::CONTENT_LENGTH, full);
    }
    // The pause lets hyper flush the head and the first half before the stream fails and the connection
    // is torn down; without it both can be dropped together and the client sees no response at all.
    let cut = futures::stream::once(async {
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        Err::<Bytes, io::Error>(dropped())
    });
    let stream = futures::StreamExt::chain(futures::stream::iter([Ok(half)]), cut);
    Response::from_parts(parts, Body::from_stream(stream))
}
