//! Serial numbers: parse, key, class; the key is a fixed point of parsing.
#![no_main]
use psa_rmm_core::normalize::serial::SerialNumber;

libfuzzer_sys::fuzz_target!(|text: &str| {
    if let Some(s) = SerialNumber::parse(text) {
        let _ = (
            s.class(),
            s.is_strong(),
            s.is_placeholder(),
            s.repeats(text),
        );
        let again = SerialNumber::parse(s.key()).map(|k| k.key().to_owned());
        assert_eq!(again.as_deref(), Some(s.key()));
    }
});
