//! Arbitrary bytes into every datto wire model, then the conversions to core records: never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| psa_rmm_fuzz::datto(data));
