//! MAC parsing: a single address and a list field; whatever parses re-parses to itself from its Display form.
#![no_main]
use psa_rmm_core::normalize::mac::{MacAddress, parse_mac_list};

libfuzzer_sys::fuzz_target!(|text: &str| {
    if let Ok(mac) = text.parse::<MacAddress>() {
        let _ = (mac.class(), mac.is_strong(), mac.oui(), mac.to_u64());
        assert_eq!(mac.to_string().parse::<MacAddress>().ok(), Some(mac));
    }
    let (macs, _errors) = parse_mac_list(text);
    for mac in macs {
        assert_eq!(mac.to_string().parse::<MacAddress>().ok(), Some(mac));
    }
});
