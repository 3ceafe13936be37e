//! Company names: every form; the base name is never empty when the exact form is not.
#![no_main]
use psa_rmm_core::normalize::company::CompanyName;

libfuzzer_sys::fuzz_target!(|text: &str| {
    let c = CompanyName::new(text);
    let _ = (c.sorted_tokens(), c.tokens(), c.is_empty(), c.to_string());
    if !c.exact().is_empty() {
        assert!(!c.base().is_empty(), "empty base for {text:?}");
    }
});
