//! MAC address parsing, list splitting and classification against the bundled lists.

use psa_rmm_core::normalize::mac::{MacAddress, MacClass, MacError, parse_mac_list};

fn mac(s: &str) -> MacAddress {
    s.parse().expect("test MAC parses")
}

#[test]
fn every_written_form_parses_to_the_same_address() {
    let expected = MacAddress::new([0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e]);
    for form in [
        "00:1A:2B:3C:4D:5E",
        "00-1a-2b-3c-4d-5e",
        "001a.2b3c.4d5e",
        "001A2B3C4D5E",
        "00 1a 2b 3c 4d 5e",
        "0x001a2b3c4d5e",
        "0:1a:2b:3c:4d:5e",
        "  00:1a:2B:3c:4D:5e\n",
    ] {
        assert_eq!(form.parse::<MacAddress>(), Ok(expected), "{form}");
    }
    assert_eq!(expected.to_string(), "00:1a:2b:3c:4d:5e");
    assert_eq!(expected.to_u64(), 0x001a_2b3c_4d5e);
    assert_eq!(expected.oui(), [0x00, 0x1a, 0x2b]);
}

#[test]
fn malformed_input_is_a_typed_error() {
    assert_eq!("".parse::<MacAddress>(), Err(MacError::Empty));
    assert_eq!("   ".parse::<MacAddress>(), Err(MacError::Empty));
    assert!(matches!(
        "001a2b3c4d".parse::<MacAddress>(),
        Err(MacError::WrongLength { digits: 10, .. })
    ));
    assert!(matches!(
        "00:1a:2b:3c:4d:5g".parse::<MacAddress>(),
        Err(MacError::InvalidCharacter { found: 'g', .. })
    ));
    for bad in [
        "00:1a:2b:3c:4d",
        "00:1a:2b:3c:4d:5e:6f",
        "000:1a:2b:3c:4d:5e",
        "00:1a-2b:3c:4d:5e",
        "001a.2b3c.4d5",
        "::::::",
    ] {
        assert!(
            matches!(bad.parse::<MacAddress>(), Err(MacError::BadGrouping { .. })),
            "{bad}"
        );
    }
}

#[test]
fn error_echo_is_truncated() {
    let long = "z".repeat(10_000);
    let err = long.parse::<MacAddress>().expect_err("not a MAC");
    assert!(err.to_string().len() < 200, "{err}");
}

#[test]
fn a_field_with_several_addresses_is_split() {
    let field =
        "00:1A:2B:3C:4D:5E, 00-1a-2b-3c-4d-5f;001a.2b3c.4d60\n001A2B3C4D61 | nonsense / 00:1a";
    let (macs, errors) = parse_mac_list(field);
    let shown: Vec<String> = macs.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "00:1a:2b:3c:4d:5e",
            "00:1a:2b:3c:4d:5f",
            "00:1a:2b:3c:4d:60",
            "00:1a:2b:3c:4d:61"
        ]
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(matches!(
        errors[0],
        MacError::InvalidCharacter { found: 'n', .. }
    ));
    assert!(matches!(errors[1], MacError::BadGrouping { .. }));
}

#[test]
fn list_splitting_handles_spaces_runs_and_duplicates() {
    let (macs, errors) = parse_mac_list("00 1a 2b 3c 4d 5e");
    assert_eq!((macs.len(), errors.len()), (1, 0));

    let (macs, errors) = parse_mac_list("001a2b3c4d5e 001a2b3c4d5f\t001A2B3C4D5E");
    assert_eq!(macs, [mac("00:1a:2b:3c:4d:5e"), mac("00:1a:2b:3c:4d:5f")]);
    assert!(errors.is_empty());

    let (macs, errors) = parse_mac_list("001a2b3c4d5e001a2b3c4d5f");
    assert_eq!(macs, [mac("00:1a:2b:3c:4d:5e"), mac("00:1a:2b:3c:4d:5f")]);
    assert!(errors.is_empty());

    assert_eq!(parse_mac_list(" ,; \n"), (vec![], vec![]));
}

#[test]
fn long_lists_are_deduplicated_in_order() {
    let distinct: Vec<String> = (0..40u8)
        .map(|i| format!("00:1a:2b:3c:4d:{i:02x}"))
        .collect();
    let field = format!("{}, {}", distinct.join(", "), distinct.join("; "));
    let (macs, errors) = parse_mac_list(&field);
    assert!(errors.is_empty());
    let shown: Vec<String> = macs.iter().map(ToString::to_string).collect();
    assert_eq!(shown, distinct);
}

/// (address, expected class) for the structural rules and one representative row of each list.
#[test]
fn classification_table() {
    use MacClass::*;
    let cases: &[(&str, MacClass)] = &[
        // structural rules
        ("00:1a:2b:3c:4d:5e", Physical),
        ("00:00:00:00:00:00", ZeroOrBroadcast),
        ("ff:ff:ff:ff:ff:ff", ZeroOrBroadcast),
        ("01:80:c2:00:00:0e", Multicast),
        ("03:00:00:00:00:01", Multicast),
        ("da:a1:19:12:34:56", LocallyAdministered),
        ("02:11:22:33:44:55", LocallyAdministered),
        // ignore_macs_exact.tsv
        (
            "20:41:53:59:4e:ff",
            Shared("Windows RAS Async Adapter (ASCII \" ASYN\")"),
        ),
        (
            "00:05:9a:3c:7a:00",
            Shared("Cisco AnyConnect / Secure Client Virtual Miniport Adapter (same on every PC)"),
        ),
        (
            "00:09:0f:fe:00:01",
            Shared("Fortinet FortiClient virtual adapter"),
        ),
        (
            "02:50:41:00:00:01",
            Shared(
                "Palo Alto GlobalProtect PANGP Virtual Ethernet Adapter (cites Palo Alto KB kA10g000000CmAOCA0)",
            ),
        ),
        ("fe:ff:ff:ff:ff:ff", Shared("invalid / placeholder")),
        (
            "00:15:5d:ba:6b:b6",
            Shared("(a specific Hyper-V MAC listed by Axonius)"),
        ),
        // ignore_mac_patterns.tsv families
        (
            "88:e2:20:52:41:53",
            Shared(
                "Windows WAN Miniport adapters (last 4 bytes ASCII \" RAS\"; first two bytes vary, e.g. 24:b6, 88:e2)",
            ),
        ),
        (
            "00:09:0f:aa:00:01",
            Shared("Fortinet FortiClient virtual adapter family"),
        ),
        (
            "02:50:41:00:12:34",
            Shared("Palo Alto GlobalProtect PANGP family (also caught by LAA bit)"),
        ),
        (
            "00:50:56:c0:00:05",
            Shared("VMware Workstation host-side VMnetN adapters (identical on every host)"),
        ),
        (
            "00:ff:12:34:56:78",
            Shared("TAP-style virtual adapters (OpenVPN TAP-Windows etc.)"),
        ),
        ("00:00:5e:00:01:07", Shared("VRRP IPv4 virtual router MAC")),
        ("00:00:0c:07:ac:01", Shared("Cisco HSRP v1 virtual MAC")),
        ("00:00:0c:9f:f0:01", Shared("Cisco HSRP v2 virtual MAC")),
        ("00:07:b4:00:01:02", Shared("Cisco GLBP virtual MAC")),
        (
            "01:00:5e:00:00:fb",
            Shared("IPv4 multicast (also caught by I/G bit)"),
        ),
        (
            "33:33:00:00:00:01",
            Shared("IPv6 multicast (also caught by I/G bit)"),
        ),
        // virtual_mac_ouis.tsv
        ("00:50:56:01:02:03", Virtual("VMware")),
        ("00:0c:29:ab:cd:ef", Virtual("VMware")),
        ("00:05:69:ab:cd:ef", Virtual("VMware")),
        ("00:1c:14:ab:cd:ef", Virtual("VMware")),
        ("00:15:5d:01:0a:00", Virtual("Microsoft Hyper-V")),
        (
            "00:03:ff:ab:cd:ef",
            Virtual("Microsoft Virtual PC / Virtual Server / old Hyper-V"),
        ),
        ("08:00:27:ab:cd:ef", Virtual("Oracle VirtualBox")),
        ("00:1c:42:ab:cd:ef", Virtual("Parallels Desktop")),
        ("00:16:3e:ab:cd:ef", Virtual("Xen / Oracle VM / AWS")),
        ("00:0f:4b:ab:cd:ef", Virtual("Virtual Iron 4")),
        ("52:54:00:12:34:56", Virtual("QEMU/KVM")),
        ("02:42:ac:11:00:02", Virtual("Docker bridge/containers")),
    ];
    for (text, expected) in cases {
        assert_eq!(mac(text).class(), *expected, "{text}");
        assert_eq!(mac(text).is_strong(), *expected == Physical, "{text}");
    }
}

#[test]
fn bit_predicates() {
    let laa = mac("02:00:00:00:00:01");
    assert!(laa.is_locally_administered() && !laa.is_multicast());
    let group = mac("01:00:00:00:00:01");
    assert!(group.is_multicast() && !group.is_locally_administered());
    assert!(mac("ff:ff:ff:ff:ff:ff").is_zero_or_broadcast());
}

#[test]
fn serde_uses_the_display_form() {
    let value = mac("00-1A-2B-3C-4D-5E");
    let json = serde_json::to_string(&value).expect("serialize");
    assert_eq!(json, "\"00:1a:2b:3c:4d:5e\"");
    assert_eq!(
        serde_json::from_str::<MacAddress>(&json).expect("deserialize"),
        value
    );
    assert!(serde_json::from_str::<MacAddress>("\"nope\"").is_err());
}
