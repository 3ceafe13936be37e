//! Scenario tests: every pitfall of section 8 of the matching reference, plus manual links, ignore rules,

#![allow(clippy::unwrap_used, clippy::panic)]
//! one-to-one assignment, moves and determinism.

use chrono::DateTime;
use psa_rmm_core::mapping::{IgnoreRule, IgnoreTarget, Link, MappingBook, Origin, Outcome};
use psa_rmm_core::matching::{
    AmbiguityReason, CompanyMatch, CompanyScope, Decision, DeviceMatch, DeviceOverlap, Evidence,
    IgnoreReason, MatchPolicy, match_companies, match_devices,
};
use psa_rmm_core::{Company, Device, DeviceKind, ExternalRef, Site, System};

fn rmm_ref(id: &str) -> ExternalRef {
    ExternalRef::new(System::DattoRmm, id)
}

fn psa_ref(id: &str) -> ExternalRef {
    ExternalRef::new(System::CwManage, id)
}

/// An RMM device in site `site`.
fn dev(id: &str, site: &str, host: &str, serial: Option<&str>, macs: &[&str]) -> Device {
    let mut d = Device::new(rmm_ref(id));
    d.site = Some(rmm_ref(site));
    d.hostname = Some(host.into());
    d.serial_number = serial.map(str::to_owned);
    d.mac_addresses = macs.iter().map(|m| (*m).to_owned()).collect();
    d
}

/// A PSA configuration of company `company`.
fn cfg(id: &str, company: &str, host: &str, serial: Option<&str>, macs: &[&str]) -> Device {
    let mut d = Device::new(psa_ref(id));
    d.company = Some(psa_ref(company));
    d.hostname = Some(host.into());
    d.serial_number = serial.map(str::to_owned);
    d.mac_addresses = macs.iter().map(|m| (*m).to_owned()).collect();
    d
}

/// Sites s1, s2, s3 mapped to companies c1, c2, c3.
fn scope() -> CompanyScope {
    let mut s = CompanyScope::new();
    for n in 1..=3 {
        s.insert(rmm_ref(&format!("s{n}")), psa_ref(&format!("c{n}")));
    }
    s
}

fn run(rmm: &[Device], psa: &[Device]) -> Vec<DeviceMatch> {
    match_devices(
        rmm,
        psa,
        &scope(),
        &MappingBook::new(),
        &MatchPolicy::default(),
    )
}

fn decision_of<'a>(matches: &'a [DeviceMatch], id: &str) -> &'a DeviceMatch {
    matches.iter().find(|m| m.device.id == id).unwrap()
}

fn linked_to(m: &DeviceMatch) -> Option<&str> {
    m.decision.linked().map(|t| t.id.as_str())
}

fn evidence_of(m: &DeviceMatch) -> Vec<Evidence> {
    match &m.decision {
        Decision::Linked { evidence, .. } => evidence.clone(),
        other => panic!("{} not linked: {other:?}", m.device),
    }
}

const VM_SERIAL: &str = "VMware-42 02 30 81 aa bb cc dd-ee ff 00 11 22 33 44 55";
const VM_UUID: &str = "4202308 1-AABB-CCDD-EEFF-001122334455";

#[test]
fn cloned_vms_sharing_serial_and_uuid_are_told_apart_by_hostname() {
    let vm = |id: &str, host: &str| {
        let mut d = dev(id, "s1", host, Some(VM_SERIAL), &[]);
        d.hardware_uuid = Some(VM_UUID.into());
        d.virtual_machine = Some(true);
        d
    };
    let conf = |id: &str, host: &str| {
        let mut c = cfg(id, "c1", host, Some(VM_SERIAL), &[]);
        c.hardware_uuid = Some(VM_UUID.into());
        c
    };
    let rmm = [vm("vm1", "APP01"), vm("vm2", "APP02"), vm("vm3", "APP03")];
    let psa = [conf("k1", "app01"), conf("k2", "APP02.corp.example")];
    let out = run(&rmm, &psa);
    assert_eq!(linked_to(decision_of(&out, "vm1")), Some("k1"));
    assert_eq!(linked_to(decision_of(&out, "vm2")), Some("k2"));
    assert_eq!(
        evidence_of(decision_of(&out, "vm1")),
        vec![Evidence::VirtualSerial, Evidence::Hostname]
    );
    // The third clone has no configuration: the shared serial alone must not link it to a sibling.
    let third = decision_of(&out, "vm3");
    assert!(third.decision.linked().is_none(), "{third:?}");
}

#[test]
fn placeholder_serial_on_many_machines_is_no_key() {
    let junk = "To Be Filled By O.E.M.";
    let rmm: Vec<Device> = (0..6)
        .map(|n| {
            dev(
                &format!("d{n}"),
                &format!("s{}", n % 3 + 1),
                &format!("PC{n}"),
                Some(junk),
                &[],
            )
        })
        .collect();
    let psa: Vec<Device> = (0..6)
        .map(|n| {
            cfg(
                &format!("k{n}"),
                &format!("c{}", n % 3 + 1),
                &format!("OTHER{n}"),
                Some(junk),
                &[],
            )
        })
        .collect();
    for m in run(&rmm, &psa) {
        assert_eq!(m.decision, Decision::Unmatched, "{m:?}");
        assert!(m.possible_move.is_empty() && m.possible_reactivation.is_empty());
    }
}

#[test]
fn serial_seen_on_many_devices_across_companies_is_demoted() {
    // Not on any placeholder list, but four machines in three companies carry it: an OEM default.
    let oem = "ZQ81SPECTRUM48";
    let rmm = [
        dev("d1", "s1", "ALPHA", Some(oem), &[]),
        dev("d2", "s2", "BRAVO", Some(oem), &[]),
        dev("d3", "s3", "CHARLIE", Some(oem), &[]),
        dev("d4", "s3", "DELTA", Some(oem), &[]),
    ];
    let psa = [cfg("k1", "c1", "ZULU", Some(oem), &[])];
    for m in run(&rmm, &psa) {
        assert_eq!(m.decision, Decision::Unmatched, "{m:?}");
        assert!(m.possible_move.is_empty(), "{m:?}");
    }
    // The same serial on one machine only is a good key.
    let out = run(&rmm[..1], &psa);
    assert_eq!(linked_to(&out[0]), Some("k1"));
}

#[test]
fn serial_that_repeats_the_model_is_no_key() {
    let with_model = |mut d: Device| {
        d.model = Some("OptiPlex 7050".into());
        d
    };
    let rmm = [with_model(dev(
        "d1",
        "s1",
        "PC1",
        Some("optiplex  7050"),
        &[],
    ))];
    let psa = [with_model(cfg(
        "k1",
        "c1",
        "PC9",
        Some("OPTIPLEX 7050"),
        &[],
    ))];
    assert_eq!(run(&rmm, &psa)[0].decision, Decision::Unmatched);
}

#[test]
fn docking_station_mac_moving_between_laptops_does_not_merge_them() {
    let dock = "3C-52-82-AA-BB-01";
    let rmm = [
        dev(
            "lap-a",
            "s1",
            "LAP-A",
            Some("5CD0001AAA"),
            &["3c:52:82:00:00:0a"],
        ),
        dev("lap-b", "s1", "LAP-B", Some("5CD0002BBB"), &[dock]),
        dev("lap-c", "s1", "LAP-C", Some("5CD0003CCC"), &[dock]),
    ];
    // Laptop A's configuration still lists the dock's MAC from last month.
    let psa = [
        cfg(
            "k-a",
            "c1",
            "LAP-A",
            Some("5CD0001AAA"),
            &["3c:52:82:00:00:0a", dock],
        ),
        cfg("k-b", "c1", "LAP-B", Some("5CD0002BBB"), &[]),
    ];
    let out = run(&rmm, &psa);
    assert_eq!(linked_to(decision_of(&out, "lap-a")), Some("k-a"));
    assert_eq!(linked_to(decision_of(&out, "lap-b")), Some("k-b"));
    // Laptop C has no configuration: the dock MAC is vetoed by the differing serials.
    assert_eq!(decision_of(&out, "lap-c").decision, Decision::Unmatched);
}

#[test]
fn identical_vpn_and_wan_miniport_macs_are_ignored() {
    let shared = [
        "00:05:9A:3C:7A:00",
        "20-41-53-59-4E-FF",
        "02:50:41:00:00:01",
    ];
    let rmm: Vec<Device> = (0..8)
        .map(|n| dev(&format!("d{n}"), "s1", &format!("PC-{n:02}"), None, &shared))
        .collect();
    let psa: Vec<Device> = (0..8)
        .map(|n| cfg(&format!("k{n}"), "c1", &format!("WS-{n:02}"), None, &shared))
        .collect();
    for m in run(&rmm, &psa) {
        assert_eq!(m.decision, Decision::Unmatched, "{m:?}");
    }
}

#[test]
fn unknown_mac_shared_across_companies_is_demoted_by_frequency() {
    let vpn = "00:1b:21:99:99:99";
    let rmm: Vec<Device> = (0..6)
        .map(|n| {
            dev(
                &format!("d{n}"),
                &format!("s{}", n % 3 + 1),
                &format!("PC-{n}"),
                None,
                &[vpn],
            )
        })
        .collect();
    let psa = [cfg("k1", "c1", "SRV", None, &[vpn])];
    for m in run(&rmm, &psa) {
        assert_eq!(m.decision, Decision::Unmatched, "{m:?}");
        assert!(m.possible_move.is_empty());
    }
}

#[test]
fn renamed_machine_keeps_its_configuration() {
    let rmm = [dev("d1", "s1", "FIN-LAPTOP-07", Some("PF1ABCDE"), &[])];
    let psa = [cfg("k1", "c1", "JSMITH-LAPTOP", Some("pf1abcde"), &[])];
    let out = run(&rmm, &psa);
    assert_eq!(linked_to(&out[0]), Some("k1"));
    assert_eq!(evidence_of(&out[0]), vec![Evidence::Serial]);
}

#[test]
fn reimaged_machine_links_by_hardware_despite_new_id_and_placeholder_name() {
    let mut old_config = cfg(
        "k1",
        "c1",
        "RECEPTION-PC",
        Some("MXL1234XYZ"),
        &["3c:52:82:12:34:56"],
    );
    old_config.linked_id = Some("old-agent-id".into());
    let fresh = dev(
        "new-agent-id",
        "s1",
        "DESKTOP-7QK2M1Z",
        Some("MXL1234XYZ"),
        &["3C52.8212.3456"],
    );
    let out = run(
        std::slice::from_ref(&fresh),
        std::slice::from_ref(&old_config),
    );
    assert_eq!(linked_to(&out[0]), Some("k1"));
    assert_eq!(evidence_of(&out[0]), vec![Evidence::Serial, Evidence::Mac]);

    // While the old agent record is still live, the configuration belongs to it: report, do not steal.
    let old = dev(
        "old-agent-id",
        "s1",
        "RECEPTION-PC",
        Some("MXL1234XYZ"),
        &[],
    );
    let out = run(&[fresh, old], &[old_config]);
    assert_eq!(linked_to(decision_of(&out, "old-agent-id")), Some("k1"));
    assert!(matches!(
        &decision_of(&out, "new-agent-id").decision,
        Decision::Ambiguous { reason: AmbiguityReason::HeldByOtherDevice { holder }, .. } if holder.id == "old-agent-id"
    ));
}

#[test]
fn placeholder_hostname_never_matches_and_hostname_alone_only_suggests() {
    let rmm = [
        dev("d1", "s1", "DESKTOP-AB12CD3", None, &[]),
        dev("d2", "s1", "ACCOUNTING-LAPTOP", None, &[]),
    ];
    let psa = [
        cfg("k1", "c1", "desktop-ab12cd3", None, &[]),
        cfg("k2", "c1", "ACCOUNTING-LAPT", None, &[]),
    ];
    let out = run(&rmm, &psa);
    assert_eq!(decision_of(&out, "d1").decision, Decision::Unmatched);
    match &decision_of(&out, "d2").decision {
        Decision::Suggested { candidates } => {
            assert_eq!(candidates.len(), 1);
            assert_eq!(candidates[0].target.id, "k2");
            assert_eq!(candidates[0].evidence, vec![Evidence::Hostname]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn several_macs_in_one_field_are_all_keys() {
    let rmm = [dev("d1", "s1", "SRV1", None, &["3c:52:82:01:02:03"])];
    let psa = [cfg(
        "k1",
        "c1",
        "OLDNAME",
        None,
        &["00:14:22:aa:bb:cc, 3C-52-82-01-02-03;00:0C:29:01:02:03"],
    )];
    let out = run(&rmm, &psa);
    assert_eq!(linked_to(&out[0]), Some("k1"));
    assert_eq!(evidence_of(&out[0]), vec![Evidence::Mac]);
}

#[test]
fn a_key_hitting_two_configurations_is_ambiguous() {
    let rmm = [dev("d1", "s1", "PC1", Some("CZC1111111"), &[])];
    let psa = [
        cfg("k1", "c1", "PC-OLD", Some("CZC1111111"), &[]),
        cfg("k2", "c1", "PC-DUP", Some("CZC1111111"), &[]),
    ];
    let out = run(&rmm, &psa);
    match &out[0].decision {
        Decision::Ambiguous { candidates, reason } => {
            assert_eq!(*reason, AmbiguityReason::KeyHitsSeveral);
            let ids: Vec<&str> = candidates.iter().map(|c| c.target.id.as_str()).collect();
            assert_eq!(ids, ["k1", "k2"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn two_devices_wanting_one_configuration_are_both_ambiguous() {
    let rmm = [
        dev("d1", "s1", "PC1", None, &["3c:52:82:00:00:01"]),
        dev("d2", "s1", "PC2", None, &["3c:52:82:00:00:01"]),
    ];
    let psa = [cfg("k1", "c1", "PC9", None, &["3c:52:82:00:00:01"])];
    let out = run(&rmm, &psa);
    for (id, other) in [("d1", "d2"), ("d2", "d1")] {
        match &decision_of(&out, id).decision {
            Decision::Ambiguous {
                reason: AmbiguityReason::Contended { with },
                candidates,
            } => {
                assert_eq!(with, &vec![rmm_ref(other)]);
                assert_eq!(candidates[0].target.id, "k1");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn strong_key_in_another_company_or_inactive_configuration_is_reported() {
    let rmm = [
        dev("moved", "s1", "PC1", Some("CND7777777"), &[]),
        dev("back", "s1", "PC2", Some("CND8888888"), &[]),
    ];
    let mut inactive = cfg("k2", "c1", "PC2", Some("CND8888888"), &[]);
    inactive.active = false;
    let psa = [cfg("k1", "c2", "PC1", Some("CND7777777"), &[]), inactive];
    let out = run(&rmm, &psa);
    let moved = decision_of(&out, "moved");
    assert_eq!(moved.decision, Decision::Unmatched);
    assert_eq!(moved.possible_move[0].target.id, "k1");
    assert_eq!(moved.possible_move[0].evidence, vec![Evidence::Serial]);
    let back = decision_of(&out, "back");
    assert_eq!(back.decision, Decision::Unmatched);
    assert_eq!(back.possible_reactivation[0].target.id, "k2");
    assert!(back.possible_move.is_empty());
}

#[test]
fn sticky_link_on_configuration_wins_over_everything() {
    let rmm = [dev("d1", "s1", "NEWNAME", Some("AAA1234567"), &[])];
    let mut linked = cfg("k1", "c1", "OLDNAME", None, &[]);
    linked.linked_id = Some("d1".into());
    let psa = [linked, cfg("k2", "c1", "NEWNAME", Some("AAA1234567"), &[])];
    let out = run(&rmm, &psa);
    assert_eq!(linked_to(&out[0]), Some("k1"));
    assert_eq!(evidence_of(&out[0]), vec![Evidence::StickyLink]);
}

#[test]
fn manual_device_link_and_ignore_rules_are_respected() {
    let manual = Origin::manual("bob", DateTime::from_timestamp(0, 0).unwrap(), None);
    let mut book = MappingBook::new();
    book.link_device(Link::new(rmm_ref("d1"), psa_ref("k9"), manual.clone()));
    for target in [
        IgnoreTarget::Device(rmm_ref("d2")),
        IgnoreTarget::DeviceKind(DeviceKind::Printer),
        IgnoreTarget::category("Lab Machine"),
        IgnoreTarget::Device(psa_ref("k5")),
    ] {
        book.ignore(IgnoreRule {
            target,
            origin: manual.clone(),
        });
    }
    let mut printer = dev("d3", "s1", "PRN1", Some("PRN0000001"), &[]);
    printer.kind = DeviceKind::Printer;
    let mut lab = dev("d4", "s1", "LAB1", Some("LAB0000001"), &[]);
    lab.type_name = Some("lab machine".into());
    let rmm = [
        dev("d1", "s1", "PC1", Some("SER0000001"), &[]),
        dev("d2", "s1", "PC2", Some("SER0000002"), &[]),
        printer,
        lab,
        dev("d5", "s1", "PC5", Some("SER0000005"), &[]),
    ];
    let psa = [
        cfg("k1", "c1", "PC1", Some("SER0000001"), &[]),
        cfg("k2", "c1", "PC2", Some("SER0000002"), &[]),
        cfg("k3", "c1", "PRN1", Some("PRN0000001"), &[]),
        cfg("k4", "c1", "LAB1", Some("LAB0000001"), &[]),
        cfg("k5", "c1", "PC5", Some("SER0000005"), &[]),
    ];
    let out = match_devices(&rmm, &psa, &scope(), &book, &MatchPolicy::default());
    let d1 = decision_of(&out, "d1");
    assert_eq!(linked_to(d1), Some("k9"));
    assert_eq!(evidence_of(d1), vec![Evidence::Manual]);
    for (id, target) in [
        ("d2", IgnoreTarget::Device(rmm_ref("d2"))),
        ("d3", IgnoreTarget::DeviceKind(DeviceKind::Printer)),
        ("d4", IgnoreTarget::category("lab machine")),
        ("d5", IgnoreTarget::Device(psa_ref("k5"))),
    ] {
        assert_eq!(
            decision_of(&out, id).decision,
            Decision::Ignored {
                reason: IgnoreReason::Rule { target }
            },
            "{id}"
        );
    }
}

#[test]
fn devices_of_unmapped_sites_are_not_matched() {
    let rmm = [dev("d1", "s-unknown", "PC1", Some("SER0000001"), &[])];
    let psa = [cfg("k1", "c1", "PC1", Some("SER0000001"), &[])];
    let out = run(&rmm, &psa);
    assert_eq!(
        out[0].decision,
        Decision::Ignored {
            reason: IgnoreReason::CompanyNotMapped
        }
    );
}

// ---------------------------------------------------------------------------------------------------------
// Companies

fn company(id: &str, name: &str) -> Company {
    Company::new(psa_ref(id), name)
}

fn site(id: &str, name: &str) -> Site {
    Site::new(rmm_ref(id), name)
}

fn companies(sites: &[Site], psa: &[Company]) -> Vec<CompanyMatch> {
    match_companies(
        sites,
        psa,
        &MappingBook::new(),
        None,
        &MatchPolicy::default(),
    )
}

fn company_decision<'a>(out: &'a [CompanyMatch], id: &str) -> &'a Decision<ExternalRef> {
    &out.iter().find(|m| m.rmm.id == id).unwrap().decision
}

#[test]
fn numbered_stores_are_not_confused() {
    let psa = [
        company("c342", "Store 342"),
        company("c170", "Store 170 Ltd"),
    ];
    let sites = [site("a", "Store 170"), site("b", "STORE 171")];
    let out = companies(&sites, &psa);
    assert_eq!(company_decision(&out, "a").linked().unwrap().id, "c170");
    assert_eq!(*company_decision(&out, "b"), Decision::Unmatched);
}

#[test]
fn short_name_inside_a_longer_one_is_not_a_match() {
    let psa = [company("c1", "DSM IP Assets B.V.")];
    let out = companies(&[site("a", "DSM N.V.")], &psa);
    assert_eq!(*company_decision(&out, "a"), Decision::Unmatched);
}

#[test]
fn legal_suffix_article_and_ampersand_are_folded() {
    let psa = [
        company("c1", "The Smith & Sons Ltd."),
        company("c2", "Smithson Bakery"),
    ];
    let out = companies(&[site("a", "Smith and Sons")], &psa);
    match company_decision(&out, "a") {
        Decision::Linked {
            target, evidence, ..
        } => {
            assert_eq!(target.id, "c1");
            assert!(evidence.contains(&Evidence::BaseName), "{evidence:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn fuzzy_name_alone_only_suggests() {
    let psa = [
        company("c1", "Johnson Plumbing Services"),
        company("c2", "Acme Widgets"),
    ];
    let out = companies(&[site("a", "Jonson Plumbing Services")], &psa);
    match company_decision(&out, "a") {
        Decision::Suggested { candidates } => {
            assert_eq!(candidates[0].target.id, "c1");
            assert!(candidates[0].confidence <= MatchPolicy::default().fuzzy_cap);
            assert!(matches!(
                candidates[0].evidence[0],
                Evidence::FuzzyName { .. }
            ));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn device_overlap_lifts_a_fuzzy_candidate_to_a_link() {
    let psa = [
        company("c1", "Johnson Plumbing Services"),
        company("c2", "Acme Widgets"),
    ];
    let sites = [site("s1", "Jonson Plumbing Svcs")];
    let rmm_devices: Vec<Device> = (0..4)
        .map(|n| {
            dev(
                &format!("d{n}"),
                "s1",
                &format!("PC{n}"),
                Some(&format!("JPS000{n}XYZ")),
                &[],
            )
        })
        .collect();
    let configs: Vec<Device> = (0..4)
        .map(|n| {
            cfg(
                &format!("k{n}"),
                "c1",
                &format!("PC{n}"),
                Some(&format!("JPS000{n}XYZ")),
                &[],
            )
        })
        .collect();
    let policy = MatchPolicy::default();
    let overlap = DeviceOverlap::compute(&rmm_devices, &configs, &policy);
    assert_eq!(overlap.counts(&rmm_ref("s1")).unwrap()[&psa_ref("c1")], 4);
    let out = match_companies(&sites, &psa, &MappingBook::new(), Some(&overlap), &policy);
    match &out[0].decision {
        Decision::Linked {
            target, evidence, ..
        } => {
            assert_eq!(target.id, "c1");
            assert!(evidence.contains(&Evidence::DeviceOverlap {
                matched: 4,
                total: 4
            }));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn device_overlap_split_is_flagged() {
    let psa = [company("c1", "North"), company("c2", "South")];
    let rmm_devices: Vec<Device> = (0..4)
        .map(|n| {
            dev(
                &format!("d{n}"),
                "s1",
                &format!("PC{n}"),
                Some(&format!("SPLIT00{n}X")),
                &[],
            )
        })
        .collect();
    let configs: Vec<Device> = (0..4)
        .map(|n| {
            cfg(
                &format!("k{n}"),
                if n < 2 { "c1" } else { "c2" },
                "X",
                Some(&format!("SPLIT00{n}X")),
                &[],
            )
        })
        .collect();
    let policy = MatchPolicy::default();
    let overlap = DeviceOverlap::compute(&rmm_devices, &configs, &policy);
    let out = match_companies(
        &[site("s1", "North")],
        &psa,
        &MappingBook::new(),
        Some(&overlap),
        &policy,
    );
    assert!(out[0].overlap_split);
}

#[test]
fn inactive_company_is_only_suggested_and_many_sites_may_share_one_company() {
    let mut gone = company("c1", "Old Client");
    gone.active = false;
    let psa = [gone, company("c2", "Big Client")];
    let sites = [
        site("a", "Old Client"),
        site("b", "Big Client"),
        site("c", "Big Client Inc."),
    ];
    let out = companies(&sites, &psa);
    assert!(matches!(
        company_decision(&out, "a"),
        Decision::Suggested { .. }
    ));
    assert_eq!(company_decision(&out, "b").linked().unwrap().id, "c2");
    assert_eq!(company_decision(&out, "c").linked().unwrap().id, "c2");
}

#[test]
fn two_psa_companies_with_one_name_are_ambiguous() {
    let psa = [company("c1", "Acme"), company("c2", "ACME")];
    let out = companies(&[site("a", "acme")], &psa);
    assert!(matches!(
        company_decision(&out, "a"),
        Decision::Ambiguous {
            reason: AmbiguityReason::KeyHitsSeveral,
            ..
        }
    ));
}

#[test]
fn manual_company_link_survives_an_automatic_run() {
    let at = DateTime::from_timestamp(0, 0).unwrap();
    let mut book = MappingBook::new();
    book.link_company(Link::new(
        rmm_ref("a"),
        psa_ref("c2"),
        Origin::manual("carol", at, None),
    ));
    book.ignore(IgnoreRule {
        target: IgnoreTarget::Company(rmm_ref("lab")),
        origin: Origin::manual("carol", at, None),
    });
    let psa = [company("c1", "Contoso"), company("c2", "Contoso Holdings")];
    let mut system = site("sys", "Deleted Devices");
    system.system_site = true;
    let sites = [site("a", "Contoso"), site("lab", "Contoso"), system];
    let policy = MatchPolicy::default();
    let out = match_companies(&sites, &psa, &book, None, &policy);
    assert_eq!(
        *company_decision(&out, "a"),
        Decision::Linked {
            target: psa_ref("c2"),
            confidence: 1.0,
            evidence: vec![Evidence::Manual]
        }
    );
    assert!(matches!(
        company_decision(&out, "lab"),
        Decision::Ignored {
            reason: IgnoreReason::Rule { .. }
        }
    ));
    assert_eq!(
        *company_decision(&out, "sys"),
        Decision::Ignored {
            reason: IgnoreReason::SystemSite
        }
    );
    // Recording the automatic run's opinion does not overwrite the person's link.
    let outcome = book.link_company(Link::new(
        rmm_ref("a"),
        psa_ref("c1"),
        Origin::automatic(0.97, vec![Evidence::ExactName], at),
    ));
    assert!(matches!(outcome, Outcome::KeptManual { .. }));
    let again = match_companies(&sites, &psa, &book, None, &policy);
    assert_eq!(again, out);
}

#[test]
fn domain_and_identifier_are_exact_keys() {
    let mut contoso = company("c1", "Contoso Pharmaceuticals Europe");
    contoso.domain = Some("contoso.com".into());
    let mut shared = company("c3", "Fabrikam East");
    shared.domain = Some("fabrikam.com".into());
    let mut shared2 = company("c4", "Fabrikam West");
    shared2.domain = Some("fabrikam.com".into());
    let mut acme = company("c2", "Acme Holdings International");
    acme.identifier = Some("ACME01".into());
    let psa = [contoso, acme, shared, shared2];

    let mut by_domain = Company::new(rmm_ref("r1"), "CPE");
    by_domain.domain = Some("https://www.Contoso.com/".into());
    let mut ambiguous_domain = Company::new(rmm_ref("r3"), "FBK");
    ambiguous_domain.domain = Some("fabrikam.com".into());
    let by_identifier = Company::new(rmm_ref("r2"), "acme01");
    let rmm = [by_domain, by_identifier, ambiguous_domain];
    let out = match_companies(
        &rmm,
        &psa,
        &MappingBook::new(),
        None,
        &MatchPolicy::default(),
    );
    let linked = |id: &str| match company_decision(&out, id) {
        Decision::Linked {
            target, evidence, ..
        } => (target.id.clone(), evidence.clone()),
        other => panic!("{id}: {other:?}"),
    };
    assert_eq!(linked("r1"), ("c1".to_owned(), vec![Evidence::Domain]));
    assert_eq!(linked("r2"), ("c2".to_owned(), vec![Evidence::Identifier]));
    // A domain two PSA companies share is no evidence.
    assert_eq!(*company_decision(&out, "r3"), Decision::Unmatched);
}

#[test]
fn non_latin_names_match_themselves_only() {
    let psa = [company("c1", "東京電力株式会社"), company("c2", "大阪ガス")];
    let out = companies(&[site("a", "東京電力株式会社"), site("b", "!!!")], &psa);
    assert_eq!(company_decision(&out, "a").linked().unwrap().id, "c1");
    assert_eq!(*company_decision(&out, "b"), Decision::Unmatched);
}

// ---------------------------------------------------------------------------------------------------------
// Determinism

/// SplitMix64: a tiny deterministic generator for shuffling.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

fn noisy_fleet() -> (Vec<Device>, Vec<Device>) {
    let mut rmm = Vec::new();
    let mut psa = Vec::new();
    for n in 0..120u32 {
        let site = format!("s{}", n % 3 + 1);
        let company = format!("c{}", n % 3 + 1);
        let serial = match n % 7 {
            0 => Some("To Be Filled By O.E.M.".to_owned()),
            1 => Some(VM_SERIAL.to_owned()),
            _ => Some(format!("SN{n:06}")),
        };
        let mac = format!("3c:52:82:00:{:02x}:{:02x}", n / 256, n % 256);
        let host = if n % 11 == 0 {
            format!("DESKTOP-{n:07}")
        } else {
            format!("PC-{}", n % 40)
        };
        rmm.push(dev(
            &format!("d{n:03}"),
            &site,
            &host,
            serial.as_deref(),
            &[&mac, "00:05:9A:3C:7A:00"],
        ));
        if n % 5 != 0 {
            let chost = if n % 4 == 0 {
                format!("OLD-{n}")
            } else {
                host.clone()
            };
            psa.push(cfg(
                &format!("k{n:03}"),
                &company,
                &chost,
                serial.as_deref(),
                &[&mac],
            ));
        }
        if n % 13 == 0 {
            psa.push(cfg(
                &format!("x{n:03}"),
                &company,
                &host,
                serial.as_deref(),
                &[],
            ));
        }
    }
    (rmm, psa)
}

#[test]
fn same_input_in_any_order_gives_the_same_output() {
    let (rmm, psa) = noisy_fleet();
    let policy = MatchPolicy::default();
    let book = MappingBook::new();
    let first = match_devices(&rmm, &psa, &scope(), &book, &policy);
    assert_eq!(first.len(), rmm.len());
    assert!(
        first.windows(2).all(|w| w[0].device < w[1].device),
        "sorted by RMM id"
    );
    let kinds = |d: &Decision<ExternalRef>| match d {
        Decision::Linked { .. } => 0,
        Decision::Suggested { .. } => 1,
        Decision::Ambiguous { .. } => 2,
        Decision::Unmatched => 3,
        Decision::Ignored { .. } => 4,
    };
    let mut seen = [0; 5];
    for m in &first {
        seen[kinds(&m.decision)] += 1;
    }
    assert!(
        seen[0] > 0 && seen[1] + seen[2] > 0 && seen[3] > 0,
        "{seen:?}"
    );
    let mut rng = Rng(42);
    for _ in 0..5 {
        let (mut r, mut p) = (rmm.clone(), psa.clone());
        rng.shuffle(&mut r);
        rng.shuffle(&mut p);
        assert_eq!(match_devices(&r, &p, &scope(), &book, &policy), first);
    }

    let names = [
        "Acme",
        "Acme Corp",
        "Acme Widgets",
        "Store 1",
        "Store 2",
        "Smith & Sons",
        "Smith and Sons Ltd",
    ];
    let psa_companies: Vec<Company> = names
        .iter()
        .enumerate()
        .map(|(i, n)| company(&format!("c{i}"), n))
        .collect();
    let sites: Vec<Site> = names
        .iter()
        .enumerate()
        .map(|(i, n)| site(&format!("s{i}"), &n.to_uppercase()))
        .collect();
    let first = companies(&sites, &psa_companies);
    for _ in 0..5 {
        let (mut s, mut p) = (sites.clone(), psa_companies.clone());
        rng.shuffle(&mut s);
        rng.shuffle(&mut p);
        assert_eq!(companies(&s, &p), first);
    }
}
