//! Hardware UUIDs: parse, classify, and re-parse the Display form to the same value.
#![no_main]
use psa_rmm_core::normalize::uuid::HardwareUuid;

libfuzzer_sys::fuzz_target!(|text: &str| {
    if let Ok(u) = HardwareUuid::parse(text) {
        let _ = (u.is_junk(), u.is_strong());
        assert_eq!(HardwareUuid::parse(&u.to_string()).ok(), Some(u));
    }
});
