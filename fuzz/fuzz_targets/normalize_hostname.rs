//! Hostnames: parse and every accessor; the key never exceeds the NetBIOS length.
#![no_main]
use psa_rmm_core::normalize::hostname::Hostname;

libfuzzer_sys::fuzz_target!(|text: &str| {
    if let Some(h) = Hostname::parse(text) {
        let _ = (h.fqdn(), h.short(), h.domain(), h.is_ip_literal());
        let _ = (h.is_placeholder(), h.is_maybe_generated(), h.to_string());
        assert!(
            h.key().chars().count() <= 15,
            "key {:?} longer than 15",
            h.key()
        );
    }
});
