//! The callback listener over real HTTP: signed deliveries pass once, forged or unsigned ones are refused.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use cw_manage_client::callback::SignatureVerifier;
use psa_rmm_core::http::SecretString;
use psa_rmm_examples::callback::router;

#[tokio::test]
async fn verifies_signatures_and_drops_repeats() {
    let verifier = SignatureVerifier::new(SecretString::from("signing-key".to_owned()));
    let got = Arc::new(Mutex::new(Vec::new()));
    let sink = got.clone();
    let app = router(
        verifier.clone(),
        Arc::new(move |d| sink.lock().unwrap().push(d.id)),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let url = format!("http://{addr}/callback");
    let body = br#"{"Action":"updated","Type":"ticket","ID":42,"MessageId":"m-1","CompanyId":"sandbox","Entity":"{\"id\":42}"}"#;
    let http = reqwest::Client::new();
    let send = |sig: Option<String>| {
        let mut req = http.post(&url).body(body.to_vec());
        if let Some(s) = sig {
            req = req.header("x-content-signature", s);
        }
        req.send()
    };
    let ok = send(Some(verifier.sign(body))).await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "ok");
    let again = send(Some(verifier.sign(body))).await.unwrap();
    assert_eq!(again.text().await.unwrap(), "duplicate");
    let forged = SignatureVerifier::new(SecretString::from("other".to_owned())).sign(body);
    assert_eq!(send(Some(forged)).await.unwrap().status(), 401);
    assert_eq!(send(None).await.unwrap().status(), 401);
    assert_eq!(*got.lock().unwrap(), vec![Some(42)]);
}
