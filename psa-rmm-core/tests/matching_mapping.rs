//! Mapping book: JSON round trip, deterministic order, manual decisions never overwritten by automatic ones.

#![allow(clippy::unwrap_used, clippy::panic)]

use chrono::{DateTime, Utc};
use psa_rmm_core::mapping::{
    IgnoreRule, IgnoreTarget, Link, MappingBook, Origin, Outcome, TypeMapping, TypeSource,
};
use psa_rmm_core::matching::Evidence;
use psa_rmm_core::{Device, DeviceKind, ExternalRef, System};

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_760_000_000 + secs, 0).unwrap()
}

fn site(id: &str) -> ExternalRef {
    ExternalRef::new(System::DattoRmm, id)
}

fn psa(id: &str) -> ExternalRef {
    ExternalRef::new(System::CwManage, id)
}

fn manual() -> Origin {
    Origin::manual(
        "alice@msp.example",
        at(0),
        Some("confirmed by phone".into()),
    )
}

fn auto(confidence: f64) -> Origin {
    Origin::automatic(confidence, vec![Evidence::ExactName], at(60))
}

fn full_book() -> MappingBook {
    let mut book = MappingBook::new();
    book.link_company(Link::new(site("s2"), psa("20"), auto(0.97)));
    book.link_company(Link::new(site("s1"), psa("10"), manual()));
    book.link_company(Link::new(site("s3"), psa("10"), auto(0.92)));
    book.link_device(Link::new(site("d1"), psa("c1"), manual()));
    book.link_device(Link::new(
        site("d0"),
        psa("c0"),
        Origin::automatic(0.99, vec![Evidence::Serial, Evidence::Hostname], at(5)),
    ));
    book.map_type(TypeMapping {
        source: TypeSource::Kind(DeviceKind::Laptop),
        psa_type: "Managed Laptop".into(),
        origin: manual(),
    });
    book.map_type(TypeMapping {
        source: TypeSource::category("  Network Switch "),
        psa_type: "Switch".into(),
        origin: auto(0.8),
    });
    book.ignore(IgnoreRule {
        target: IgnoreTarget::Company(site("lab")),
        origin: manual(),
    });
    book.ignore(IgnoreRule {
        target: IgnoreTarget::DeviceKind(DeviceKind::Mobile),
        origin: manual(),
    });
    book
}

#[test]
fn json_round_trip_keeps_everything() {
    let book = full_book();
    let json = serde_json::to_string_pretty(&book).unwrap();
    let back: MappingBook = serde_json::from_str(&json).unwrap();
    assert_eq!(back, book);
    assert_eq!(back.company_links_to(&psa("10")).count(), 2);
    assert_eq!(back.device_link_to(&psa("c1")).unwrap().rmm, site("d1"));
}

#[test]
fn serialisation_order_does_not_depend_on_insertion_order() {
    let a = full_book();
    let mut b = MappingBook::new();
    let mut links: Vec<Link> = a.company_links().cloned().collect();
    links.reverse();
    for l in links {
        b.link_company(l);
    }
    let mut devices: Vec<Link> = a.device_links().cloned().collect();
    devices.reverse();
    for l in devices {
        b.link_device(l);
    }
    for m in a
        .type_mappings()
        .cloned()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        b.map_type(m);
    }
    for r in a
        .ignore_rules()
        .cloned()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        b.ignore(r);
    }
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    let json = serde_json::to_string(&a).unwrap();
    let s1 = json.find("\"s1\"").unwrap();
    let s2 = json.find("\"s2\"").unwrap();
    assert!(s1 < s2, "company links sorted by RMM reference");
}

#[test]
fn automatic_never_overwrites_a_manual_company_link() {
    let mut book = full_book();
    let outcome = book.link_company(Link::new(site("s1"), psa("99"), auto(0.99)));
    assert!(matches!(outcome, Outcome::KeptManual { ref existing } if existing.psa == psa("10")));
    assert!(!outcome.applied());
    assert_eq!(book.company_link(&site("s1")).unwrap().psa, psa("10"));
    // A person may change their mind.
    let outcome = book.link_company(Link::new(site("s1"), psa("99"), manual()));
    assert!(matches!(outcome, Outcome::Replaced { ref previous } if previous[0].psa == psa("10")));
    assert_eq!(book.company_links_to(&psa("99")).count(), 1);
    assert_eq!(book.company_links_to(&psa("10")).count(), 1);
}

#[test]
fn automatic_replaces_automatic_and_repeats_are_unchanged() {
    let mut book = full_book();
    let again = book.link_company(Link::new(site("s2"), psa("20"), auto(0.98)));
    assert_eq!(again, Outcome::Unchanged);
    let moved = book.link_company(Link::new(site("s2"), psa("21"), auto(0.95)));
    assert!(matches!(moved, Outcome::Replaced { .. }));
    assert_eq!(book.company_links_to(&psa("20")).count(), 0);
}

#[test]
fn ignore_rule_blocks_automatic_links_and_manual_link_lifts_it() {
    let mut book = full_book();
    let blocked = book.link_company(Link::new(site("lab"), psa("10"), auto(0.97)));
    assert!(matches!(blocked, Outcome::BlockedByIgnore { .. }));
    assert!(book.company_link(&site("lab")).is_none());
    let outcome = book.link_company(Link::new(site("lab"), psa("10"), manual()));
    assert_eq!(outcome, Outcome::Added);
    assert!(book.company_ignore(&site("lab")).is_none());
}

#[test]
fn automatic_ignore_never_replaces_a_manual_ignore() {
    let mut book = full_book();
    let outcome = book.ignore(IgnoreRule {
        target: IgnoreTarget::Company(site("lab")),
        origin: auto(0.7),
    });
    assert!(matches!(outcome, Outcome::KeptManual { .. }));
    assert!(
        book.company_ignore(&site("lab"))
            .unwrap()
            .origin
            .is_manual()
    );
    assert!(book.unignore(&IgnoreTarget::Company(site("lab"))).is_some());
    assert!(book.company_ignore(&site("lab")).is_none());
}

#[test]
fn device_links_are_one_to_one() {
    let mut book = full_book();
    // An automatic link cannot take a configuration held by a manual link.
    let refused = book.link_device(Link::new(site("d9"), psa("c1"), auto(0.99)));
    assert!(matches!(refused, Outcome::KeptManual { ref existing } if existing.rmm == site("d1")));
    // It can take one held by an automatic link, which is displaced.
    let taken = book.link_device(Link::new(site("d9"), psa("c0"), auto(0.99)));
    assert!(matches!(taken, Outcome::Replaced { ref previous } if previous[0].rmm == site("d0")));
    assert!(book.device_link(&site("d0")).is_none());
    assert_eq!(book.device_link_to(&psa("c0")).unwrap().rmm, site("d9"));
    assert_eq!(book.unlink_device(&site("d9")).unwrap().psa, psa("c0"));
    assert!(book.device_link_to(&psa("c0")).is_none());
}

#[test]
fn type_mapping_prefers_category_then_kind_and_respects_manual() {
    let mut book = full_book();
    assert_eq!(
        book.psa_type_for(&DeviceKind::Laptop, Some("network switch"))
            .unwrap()
            .psa_type,
        "Switch"
    );
    assert_eq!(
        book.psa_type_for(&DeviceKind::Laptop, Some("Printer"))
            .unwrap()
            .psa_type,
        "Managed Laptop"
    );
    assert!(book.psa_type_for(&DeviceKind::Server, None).is_none());
    let refused = book.map_type(TypeMapping {
        source: TypeSource::Kind(DeviceKind::Laptop),
        psa_type: "Laptop".into(),
        origin: auto(0.9),
    });
    assert!(matches!(refused, Outcome::KeptManual { .. }));
    assert!(
        book.unmap_type(&TypeSource::Kind(DeviceKind::Laptop))
            .is_some()
    );
    assert!(book.psa_type_for(&DeviceKind::Laptop, None).is_none());
}

#[test]
fn device_ignore_matches_reference_kind_and_category() {
    let mut book = full_book();
    book.ignore(IgnoreRule {
        target: IgnoreTarget::category("Virtual Host"),
        origin: manual(),
    });
    let mut phone = Device::new(site("p1"));
    phone.kind = DeviceKind::Mobile;
    assert!(book.device_ignore(&phone).is_some());
    let mut host = Device::new(site("h1"));
    host.type_name = Some("VIRTUAL HOST".into());
    assert!(book.device_ignore(&host).is_some());
    let plain = Device::new(site("x1"));
    assert!(book.device_ignore(&plain).is_none());
}

#[test]
fn unlink_company_updates_both_lookups() {
    let mut book = full_book();
    assert_eq!(book.unlink_company(&site("s3")).unwrap().psa, psa("10"));
    assert_eq!(book.company_links_to(&psa("10")).count(), 1);
    assert!(book.unlink_company(&site("s3")).is_none());
}

#[test]
fn loading_refuses_duplicates_and_newer_versions() {
    let book = full_book();
    let mut json: serde_json::Value = serde_json::to_value(&book).unwrap();
    let first = json["company_links"][0].clone();
    json["company_links"].as_array_mut().unwrap().push(first);
    let err = serde_json::from_value::<MappingBook>(json).unwrap_err();
    assert!(err.to_string().contains("linked twice"), "{err}");

    let newer = serde_json::json!({ "version": 99 });
    assert!(serde_json::from_value::<MappingBook>(newer).is_err());
    let empty: MappingBook = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, MappingBook::new());
}
