//! Property tests: no parser panics on any input, MAC display round-trips, keys are idempotent.

use proptest::prelude::*;
use psa_rmm_core::normalize::company::CompanyName;
use psa_rmm_core::normalize::hostname::Hostname;
use psa_rmm_core::normalize::mac::{MacAddress, parse_mac_list};
use psa_rmm_core::normalize::serial::SerialNumber;
use psa_rmm_core::normalize::uuid::HardwareUuid;

/// Strings biased towards the characters the parsers care about, plus arbitrary Unicode.
fn tricky() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9a-fA-FxX:.\\- ,;|/\n\t]{0,60}",
        "[a-zA-Z0-9 .&+'\\-,\\\\]{0,40}",
        "[\\p{Han}\\p{Cyrillic}\\p{Greek}\\p{Devanagari}\\p{Hiragana}\\p{Katakana}\\p{Mn} .&]{0,20}",
    ]
}

proptest! {
    #[test]
    fn no_parser_panics(input in tricky()) {
        let _ = input.parse::<MacAddress>();
        let (macs, _errors) = parse_mac_list(&input);
        for mac in macs {
            let _ = mac.class();
        }
        let _ = SerialNumber::parse(&input).map(|s| s.class());
        let _ = HardwareUuid::parse(&input).map(|u| u.is_junk());
        let _ = Hostname::parse(&input).map(|h| (h.is_placeholder(), h.is_maybe_generated()));
        let _ = CompanyName::new(&input).acronym();
        let _ = CompanyName::without_location(&input);
    }

    #[test]
    fn mac_display_round_trips(octets in any::<[u8; 6]>()) {
        let mac = MacAddress::new(octets);
        prop_assert_eq!(mac.to_string().parse::<MacAddress>(), Ok(mac));
        let (list, errors) = parse_mac_list(&format!("{mac}, {mac}"));
        prop_assert_eq!(list, vec![mac]);
        prop_assert!(errors.is_empty());
    }

    #[test]
    fn uuid_display_round_trips(value in any::<u128>()) {
        let text = format!("{value:032x}");
        let uuid = HardwareUuid::parse(&text).expect("32 hex digits");
        prop_assert_eq!(HardwareUuid::parse(&uuid.to_string()), Ok(uuid));
        prop_assert_eq!(uuid.as_u128(), value);
    }

    #[test]
    fn serial_key_is_idempotent(input in tricky()) {
        if let Some(serial) = SerialNumber::parse(&input) {
            let again = SerialNumber::parse(serial.key()).expect("key is non-empty");
            prop_assert_eq!(again.key(), serial.key());
            prop_assert_eq!(again.class(), serial.class());
        }
    }

    #[test]
    fn hostname_key_is_idempotent(input in tricky()) {
        if let Some(host) = Hostname::parse(&input) {
            let again = Hostname::parse(host.key()).expect("key is non-empty");
            prop_assert_eq!(again.key(), host.key());
            prop_assert!(host.key().chars().count() <= 15 || host.is_ip_literal());
        }
    }

    #[test]
    fn company_keys_are_idempotent(input in tricky()) {
        let name = CompanyName::new(&input);
        let from_exact = CompanyName::new(name.exact());
        prop_assert_eq!(from_exact.exact(), name.exact());
        let from_base = CompanyName::new(name.base());
        prop_assert_eq!(from_base.base(), name.base());
        prop_assert_eq!(name.base().is_empty(), name.exact().is_empty());
        let mut resorted: Vec<&str> = name.sorted_tokens().split(' ').filter(|t| !t.is_empty()).collect();
        resorted.sort_unstable();
        resorted.dedup();
        prop_assert_eq!(resorted.join(" "), name.sorted_tokens());
    }
}
