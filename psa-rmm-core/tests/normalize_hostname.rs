//! Hostname keys, the NetBIOS 15-character equivalence, and placeholder names.

use psa_rmm_core::normalize::hostname::Hostname;

fn host(raw: &str) -> Hostname {
    Hostname::parse(raw).expect("non-empty hostname")
}

#[test]
fn key_is_the_case_folded_short_name() {
    let h = host("  FS01.Corp.Example.COM. ");
    assert_eq!(h.key(), "fs01");
    assert_eq!(h.short(), "fs01");
    assert_eq!(h.fqdn(), "fs01.corp.example.com");
    assert_eq!(h.domain(), Some("corp.example.com"));
    assert_eq!(host("CONTOSO\\Reception-PC").key(), "reception-pc");
    assert_eq!(host("fs01").domain(), None);
    assert_eq!(Hostname::parse("  "), None);
    assert_eq!(Hostname::parse("..."), None);
    assert_eq!(Hostname::parse("DOMAIN\\"), None);
}

#[test]
fn netbios_truncation_makes_long_dns_names_equal() {
    let dns = host("ACCOUNTING-LAPTOP.corp.local");
    let netbios = host("ACCOUNTING-LAPT");
    assert_eq!(dns.short(), "accounting-laptop");
    assert_eq!(dns.key(), "accounting-lapt");
    assert_eq!(dns.key(), netbios.key());
    assert_ne!(host("ACCOUNTING-LAP").key(), dns.key());
}

#[test]
fn ip_literals_are_kept_whole_and_are_placeholders() {
    for ip in ["10.0.0.5", "fe80::1", "2001:db8:85a3::8a2e:370:7334"] {
        let h = host(ip);
        assert_eq!(h.key(), ip);
        assert!(h.is_ip_literal() && h.is_placeholder(), "{ip}");
        assert_eq!(h.domain(), None);
    }
    assert_ne!(host("10.0.0.5").key(), host("10.0.0.6").key());
}

/// One name per row of placeholder_hostname_patterns.tsv (except the broad one, below).
#[test]
fn placeholder_names() {
    for name in [
        "DESKTOP-AB12CD3",
        "desktop-ab12cd3.contoso.local",
        "LAPTOP-1A2B3C4D",
        "OWNER-PC",
        "JOHNSMITH-PC",
        "WIN-ABCDEFGHIJK",
        "MININT-1234ABC",
        "localhost",
        "LOCALHOST.localdomain",
        "raspberrypi",
        "MacBook-Pro",
        "iPhone-von-Anna",
        "android-1234abcd",
    ] {
        let h = host(name);
        assert!(h.is_placeholder(), "{name}");
        assert!(h.is_maybe_generated(), "{name}");
    }
}

#[test]
fn real_names_are_not_placeholders() {
    for name in [
        "FS01",
        "ACCOUNTING-LAPTOP",
        "ny-fs01",
        "DESKTOP-AB12",
        "reception",
        "win-dc01",
    ] {
        assert!(!host(name).is_placeholder(), "{name}");
    }
    // The broad "<up to 7>-<random>" shape only lowers confidence.
    assert!(host("ny-fs01").is_maybe_generated());
    assert!(host("JOHN-5KQ2M7X").is_maybe_generated());
    assert!(!host("reception").is_maybe_generated());
}
