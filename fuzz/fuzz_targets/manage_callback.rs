//! Callback deliveries: signature check on arbitrary key, body and header, parsing, entity decoding.
//! The signature made for a body always verifies, never for other bytes, and a header passes only when it
//! decodes to exactly that tag.
#![no_main]
use base64::Engine as _;
use cw_manage_client::callback::{CallbackDelivery, SignatureVerifier};
use cw_manage_client::model::{Company, Configuration, Contact, Ticket};
use libfuzzer_sys::arbitrary::{self, Arbitrary};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    key: &'a str,
    header: &'a str,
    body: &'a [u8],
}

libfuzzer_sys::fuzz_target!(|input: Input<'_>| {
    let b64 = base64::engine::general_purpose::STANDARD;
    let verifier = SignatureVerifier::new(input.key.to_owned().into());
    let _ = verifier.verify_and_parse(input.body, Some(input.header));
    let good = verifier.sign(input.body);
    assert!(verifier.verify(input.body, Some(&good)).is_ok());
    if verifier.verify(input.body, Some(input.header)).is_ok() {
        assert_eq!(b64.decode(input.header.trim()).ok(), b64.decode(&good).ok());
    }
    let mut altered = input.body.to_vec();
    altered.push(b' ');
    assert!(verifier.verify(&altered, Some(&good)).is_err());
    if let Ok(d) = CallbackDelivery::from_slice(input.body) {
        let _ = d.is_delete();
        let _ = d.entity_as::<Contact>();
        let _ = d.entity_as::<Ticket>();
        let _ = d.entity_as::<Company>();
        let _ = d.entity_as::<Configuration>();
    }
});
