//! Serial number keys, junk/placeholder and virtual-machine classification, and hardware UUIDs.

use psa_rmm_core::normalize::serial::{SerialClass, SerialNumber};
use psa_rmm_core::normalize::uuid::{HardwareUuid, UuidError};

fn class(raw: &str) -> SerialClass {
    SerialNumber::parse(raw).expect("non-empty serial").class()
}

#[test]
fn key_is_trimmed_upper_cased_and_collapsed() {
    let serial = SerialNumber::parse("  5cg1234  xyz\t9 ").expect("non-empty");
    assert_eq!(serial.key(), "5CG1234 XYZ 9");
    assert_eq!(serial.to_string(), "5CG1234 XYZ 9");
    assert_eq!(serial.class(), SerialClass::Valid);
    assert!(serial.is_strong());
    assert_eq!(SerialNumber::parse("   \t\n"), None);
    assert_eq!(SerialNumber::parse(""), None);
}

/// One representative of each row kind of junk_serials.tsv, in the spellings seen in the field.
#[test]
fn exact_junk_list_is_case_and_space_insensitive() {
    for raw in [
        "To be filled by O.E.M.",
        "TO BE FILLED BY O.E.M.",
        "to  be filled  by o.e.m.",
        "Default string",
        "0123456789",
        "System Serial Number",
        "N/A",
        "none",
        "INVALID",
        "SYS-1234567890",
        "1234567890",
        "123456790",
        "Chassis Serial Number",
        "Base Board Serial Number",
        "Not Specified",
        "OEM_Serial",
        "<BAD INDEX>",
        "Type1ProductConfigId",
        "All Series",
        "SN-123456fvgv3i0b8o5n6n7k",
    ] {
        assert_eq!(class(raw), SerialClass::Placeholder, "{raw}");
        assert!(!SerialNumber::parse(raw).expect("non-empty").is_strong());
    }
}

/// One input per row of junk_serial_patterns.tsv.
#[test]
fn junk_patterns() {
    for (raw, rule) in [
        ("0000000000000", "all zeros"),
        ("111111111111", "all ones"),
        ("0101100111", "only 0s and 1s"),
        ("1.0.3", "version number"),
        ("XXXXXXXXXXXX", "all X"),
        ("AAAAAAAA", "one character repeated"),
        ("00-00-FF-FF", "zeros/F with separators"),
        ("To Be Filled By OEM.", "spacing of O.E.M."),
        ("To be set by O.E.M.", "'to be set' prefix"),
        ("O.E.M.", "OEM alone"),
        ("ab", "shorter than 3"),
        (&"A1".repeat(40), "longer than 64"),
    ] {
        assert_eq!(class(raw), SerialClass::Placeholder, "{rule}: {raw}");
    }
}

#[test]
fn real_serials_survive_the_patterns() {
    // Contains "1.2" but is not a version number (GLPI's unanchored rule would have rejected it).
    for raw in [
        "5CG1.2X7",
        "C02XK0ABJG5H",
        "PF2ABCDE",
        "CZC1234567",
        "1S20XYZ",
        "abc",
    ] {
        assert_eq!(class(raw), SerialClass::Valid, "{raw}");
    }
}

/// One input per row of virtual_serial_formats.tsv.
#[test]
fn virtual_machine_serials() {
    let cases = [
        (
            "VMware-42 02 30 81 8b 7c 4a 3e-9f 1d 2c 3b 4a 59 68 77",
            "VMware",
        ),
        (
            "vmware-42 02 30 81 8B 7C 4A 3E-9F 1D 2C 3B 4A 59 68 77",
            "VMware",
        ),
        ("VMW-ABCDEF123456", "VMware"),
        (
            "1234-5678-9012-3456-7890-1234-56",
            "Microsoft Hyper-V / Azure",
        ),
        ("Parallels-AB CD EF 01", "Parallels Desktop"),
        ("ec2abcde-1234-5678", "AWS EC2"),
        ("GoogleCloud-ABCDEF0123", "Google Compute Engine"),
    ];
    for (raw, platform) in cases {
        let serial = SerialNumber::parse(raw).expect("non-empty");
        assert_eq!(serial.class(), SerialClass::Virtual(platform), "{raw}");
        assert!(!serial.is_strong());
    }
    // VirtualBox guests report "0", which is junk rather than a VM key.
    assert_eq!(class("0"), SerialClass::Placeholder);
}

#[test]
fn serial_repeating_the_model_is_detected() {
    let serial = SerialNumber::parse("OptiPlex 7090").expect("non-empty");
    assert!(serial.repeats("optiplex  7090"));
    assert!(!serial.repeats("Dell Inc."));
    assert!(!serial.repeats(""));
}

#[test]
fn uuid_forms_and_display() {
    let expected = HardwareUuid::parse("4c4c4544-0042-3510-8051-b4c04f563532").expect("valid");
    for form in [
        "4C4C4544-0042-3510-8051-B4C04F563532",
        "{4C4C4544-0042-3510-8051-B4C04F563532}",
        "urn:uuid:4c4c4544-0042-3510-8051-b4c04f563532",
        "4C4C454400423510 8051B4C04F563532"
            .replace(' ', "")
            .as_str(),
        " 4c4c4544-0042-3510-8051-b4c04f563532 ",
    ] {
        assert_eq!(HardwareUuid::parse(form), Ok(expected), "{form}");
    }
    assert_eq!(expected.to_string(), "4c4c4544-0042-3510-8051-b4c04f563532");
    assert_eq!(expected.as_u128(), 0x4c4c4544_0042_3510_8051_b4c04f563532);
    assert!(expected.is_strong());
    assert_eq!(HardwareUuid::parse(""), Err(UuidError::Empty));
    for bad in [
        "2",
        "4c4c4544-0042-3510-8051",
        "4c4c4544004-23510-8051-b4c04f563532",
        "zzzzzzzz-0042-3510-8051-b4c04f563532",
    ] {
        assert_eq!(HardwareUuid::parse(bad), Err(UuidError::Malformed), "{bad}");
    }
}

/// Every UUID row of junk_uuids.txt, plus the all-zero/all-F rule.
#[test]
fn junk_uuids() {
    for raw in [
        "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
        "00000000-0000-0000-0000-000000000000",
        "03000200-0400-0500-0006-000700080009",
        "{6ab5b300-538d-1014-9fb5-b0684d007b53}",
        "01010101-0101-0101-0101-010101010101",
    ] {
        let uuid = HardwareUuid::parse(raw).expect("valid form");
        assert!(uuid.is_junk() && !uuid.is_strong(), "{raw}");
    }
}
