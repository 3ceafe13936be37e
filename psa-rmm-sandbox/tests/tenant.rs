//! The tenant generator: determinism, sizes, the truth map and the noise a realistic tenant has.

use std::collections::HashSet;

use psa_rmm_core::System;
use psa_rmm_sandbox::tenant::{Noise, Tenant, TenantSpec};

#[test]
fn same_seed_same_tenant_and_another_seed_differs() {
    let a = Tenant::generate(&TenantSpec::small());
    let b = Tenant::generate(&TenantSpec::small());
    assert_eq!(a, b);
    let c = Tenant::generate(&TenantSpec::small().seed(99));
    assert_ne!(a.rmm_devices, c.rmm_devices);
}

#[test]
fn small_preset_has_the_demo_size() {
    let t = Tenant::generate(&TenantSpec::small());
    assert_eq!(t.psa_companies.len(), 20);
    let n = t.rmm_devices.len();
    assert!((950..=1_150).contains(&n), "{n} devices");
    assert!(t.psa_configurations.len() > 800);
    assert!(t.rmm_devices_of(&System::DattoRmm).count() > 0);
    assert!(t.rmm_devices_of(&System::CwAsio).count() > 0);
}

#[test]
fn every_noise_kind_is_present_in_a_medium_tenant() {
    let t = Tenant::generate(&TenantSpec::new(7, 120, 6_000));
    let counts = t.truth.noise_counts();
    let expected = [
        Noise::CompanySuffixVariant,
        Noise::CompanyCaseVariant,
        Noise::CompanyAmpersandVariant,
        Noise::CompanySpellingVariant,
        Noise::LocationCodedSite,
        Noise::MultiSiteCompany,
        Noise::UnmatchedRmmSite,
        Noise::PsaOnlyCompany,
        Noise::DattoCustomer,
        Noise::AsioCustomer,
        Noise::MultiNic,
        Noise::VpnMac,
        Noise::HyperVMacOnPhysical,
        Noise::VirtualMachine,
        Noise::PlaceholderSerial,
        Noise::ConcatenatedMacField,
        Noise::FormatVariant,
        Noise::Renamed,
        Noise::Reimaged,
        Noise::ClonedVm,
        Noise::InactiveConfiguration,
        Noise::NewDevice,
        Noise::StaleConfiguration,
        Noise::MovedDevice,
        Noise::StickyLink,
        Noise::OpenAlert,
        Noise::ResolvedAlert,
    ];
    for kind in expected {
        assert!(
            counts.get(&kind).copied().unwrap_or(0) > 0,
            "no {kind:?}: {counts:?}"
        );
    }
    // Rates are roughly what the spec asks (default 6% new devices, 4% placeholder serials on PCs).
    let devices = t.rmm_devices.len() as f64;
    let new = t.truth.noise_count(Noise::NewDevice) as f64 / devices;
    assert!((0.03..0.10).contains(&new), "new share {new}");
}

#[test]
fn truth_is_consistent_with_the_records() {
    let t = Tenant::generate(&TenantSpec::new(11, 60, 3_000));
    let devices: HashSet<_> = t.rmm_devices.iter().map(|d| &d.external).collect();
    let configs: HashSet<_> = t.psa_configurations.iter().map(|d| &d.external).collect();
    let companies: HashSet<_> = t.psa_companies.iter().map(|c| &c.external).collect();
    let ids: HashSet<_> = t.rmm_devices.iter().map(|d| &d.external.id).collect();
    assert_eq!(ids.len(), t.rmm_devices.len(), "RMM ids are unique");
    let config_ids: HashSet<_> = t
        .psa_configurations
        .iter()
        .map(|d| &d.external.id)
        .collect();
    assert_eq!(config_ids.len(), t.psa_configurations.len());

    // One-to-one: no configuration is the truth of two devices.
    let targets: HashSet<_> = t.truth.configuration_of.values().collect();
    assert_eq!(targets.len(), t.truth.configuration_of.len());
    for (device, config) in &t.truth.configuration_of {
        assert!(devices.contains(device));
        assert!(configs.contains(config));
    }
    for (site, company) in &t.truth.company_of {
        assert!(companies.contains(company));
        let known = t.rmm_sites.iter().any(|s| &s.external == site)
            || t.rmm_companies.iter().any(|c| &c.external == site);
        assert!(known, "{site} is not an RMM site or company");
    }
    // New devices have no configuration; stale configurations have no device.
    for new in t.truth.with_noise(Noise::NewDevice) {
        assert!(!t.truth.configuration_of.contains_key(new));
    }
    for stale in t.truth.with_noise(Noise::StaleConfiguration) {
        assert!(!targets.contains(stale));
    }
    // Cloned VMs share serial and BIOS UUID with another device.
    for clone in t.truth.with_noise(Noise::ClonedVm) {
        let c = t.rmm_devices.iter().find(|d| &d.external == clone).unwrap();
        let twins = t
            .rmm_devices
            .iter()
            .filter(|d| d.hardware_uuid == c.hardware_uuid && d.serial_number == c.serial_number)
            .count();
        assert!(twins >= 2);
    }
    // Renamed devices: RMM name differs from the configuration's.
    for renamed in t.truth.with_noise(Noise::Renamed) {
        let d = t
            .rmm_devices
            .iter()
            .find(|d| &d.external == renamed)
            .unwrap();
        let c_ref = &t.truth.configuration_of[renamed];
        let c = t
            .psa_configurations
            .iter()
            .find(|c| &c.external == c_ref)
            .unwrap();
        assert_ne!(d.hostname, c.hostname);
        let key = |s: &Option<String>| s.as_deref().map(|s| s.trim().to_uppercase());
        assert_eq!(key(&d.serial_number), key(&c.serial_number));
    }
}

#[test]
fn psa_and_rmm_names_differ_for_variant_customers() {
    let t = Tenant::generate(&TenantSpec::medium());
    let mut differing = 0;
    for (rmm, psa) in &t.truth.company_of {
        let psa_name = &t
            .psa_companies
            .iter()
            .find(|c| &c.external == psa)
            .unwrap()
            .name;
        let rmm_name = t
            .rmm_companies
            .iter()
            .find(|c| &c.external == rmm)
            .map(|c| c.name.clone())
            .or_else(|| {
                t.rmm_sites
                    .iter()
                    .find(|s| &s.external == rmm)
                    .map(|s| s.name.clone())
            })
            .unwrap();
        if psa_name != &rmm_name {
            differing += 1;
        }
    }
    assert!(differing * 2 > t.truth.company_of.len(), "{differing}");
}
