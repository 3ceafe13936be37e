//! Listens for ConnectWise Manage callbacks, verifies their signature and prints each delivery.
//!
//! `CW_CALLBACK_SIGNING_KEY` is the signing key (the `signing_key` Manage's key URL answers);
//! `CW_CALLBACK_LISTEN` the address (default `127.0.0.1:8080`). Register `http(s)://<host>/callback` as the
//! callback URL in Manage.

use std::process::ExitCode;
use std::sync::Arc;

use cw_manage_client::callback::SignatureVerifier;
use psa_rmm_core::http::SecretString;
use psa_rmm_examples::callback::{describe, router};

#[tokio::main]
async fn main() -> ExitCode {
    let Some(key) = std::env::var("CW_CALLBACK_SIGNING_KEY")
        .ok()
        .filter(|k| !k.trim().is_empty())
    else {
        eprintln!("set CW_CALLBACK_SIGNING_KEY to the callback signing key (see README)");
        return ExitCode::from(2);
    };
    let addr = std::env::var("CW_CALLBACK_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let verifier = SignatureVerifier::new(SecretString::from(key.trim().to_owned()));
    let app = router(verifier, Arc::new(|d| println!("{}", describe(d))));
    eprintln!("listening on http://{addr}/callback");
    match axum::serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server stopped: {e}");
            ExitCode::FAILURE
        }
    }
}
