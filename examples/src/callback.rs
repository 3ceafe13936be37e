//! An axum endpoint for ConnectWise Manage callbacks: verifies `x-content-signature` against the raw body,
//! drops repeated deliveries (by `MessageId`), and hands each new delivery to a sink.

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use cw_manage_client::callback::{CallbackDelivery, SignatureVerifier};

/// Message ids remembered for de-duplication.
const REMEMBERED: usize = 10_000;

/// Receives each verified, new delivery.
pub type Sink = Arc<dyn Fn(&CallbackDelivery) + Send + Sync>;

struct Listener {
    verifier: SignatureVerifier,
    sink: Sink,
    seen: Mutex<(HashSet<String>, VecDeque<String>)>,
}

impl Listener {
    /// True the first time a message id is seen (deliveries without one always count as new).
    fn first_time(&self, id: Option<&str>) -> bool {
        let Some(id) = id else {
            return true;
        };
        let mut guard = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let (set, order) = &mut *guard;
        if !set.insert(id.to_owned()) {
            return false;
        }
        order.push_back(id.to_owned());
        if order.len() > REMEMBERED
            && let Some(old) = order.pop_front()
        {
            set.remove(&old);
        }
        true
    }
}

/// The router: `POST /callback` (and `POST /`) take deliveries.
pub fn router(verifier: SignatureVerifier, sink: Sink) -> Router {
    let state = Arc::new(Listener {
        verifier,
        sink,
        seen: Mutex::new((HashSet::new(), VecDeque::new())),
    });
    Router::new()
        .route("/callback", post(receive))
        .route("/", post(receive))
        .with_state(state)
}

async fn receive(
    State(listener): State<Arc<Listener>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let signature = headers
        .get("x-content-signature")
        .and_then(|v| v.to_str().ok());
    match listener.verifier.verify_and_parse(&body, signature) {
        Ok(delivery) => {
            if listener.first_time(delivery.message_id.as_deref()) {
                (listener.sink)(&delivery);
                (StatusCode::OK, "ok".to_owned())
            } else {
                (StatusCode::OK, "duplicate".to_owned())
            }
        }
        Err(e) => (StatusCode::UNAUTHORIZED, e.to_string()),
    }
}

/// One line describing a delivery.
pub fn describe(d: &CallbackDelivery) -> String {
    format!(
        "{} {} {} (message {}, company {})",
        d.action.as_ref().map_or("?", |a| a.as_str()),
        d.record_type.as_deref().unwrap_or("record"),
        d.id.map_or_else(|| "?".to_owned(), |i| i.to_string()),
        d.message_id.as_deref().unwrap_or("-"),
        d.company_id.as_deref().unwrap_or("-"),
    )
}
