//! Property tests: matching never panics on arbitrary field contents, and its output does not depend on input order.

use proptest::prelude::*;
use psa_rmm_core::mapping::MappingBook;
use psa_rmm_core::matching::{CompanyScope, MatchPolicy, match_companies, match_devices};
use psa_rmm_core::{Company, Device, ExternalRef, Site, System};

fn device(system: System, id: usize, owner: usize, fields: &(String, String, String)) -> Device {
    let mut d = Device::new(ExternalRef::new(system.clone(), id.to_string()));
    let owner = ExternalRef::new(system, format!("o{owner}"));
    d.site = Some(owner.clone());
    d.company = Some(owner);
    d.hostname = Some(fields.0.clone());
    d.serial_number = Some(fields.1.clone());
    d.mac_addresses = vec![fields.2.clone()];
    d.manufacturer = Some(fields.0.clone());
    d
}

fn scope() -> CompanyScope {
    let mut s = CompanyScope::new();
    for o in 0..3 {
        s.insert(
            ExternalRef::new(System::DattoRmm, format!("o{o}")),
            ExternalRef::new(System::CwManage, format!("o{o}")),
        );
    }
    s
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,24}",
        "[0-9A-Fa-f:.-]{0,20}",
        Just("00:05:9A:3C:7A:00".to_owned()),
        Just("SER12345".to_owned()),
        Just("PC-01".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn device_matching_is_total_and_order_free(
        rows in prop::collection::vec(((field(), field(), field()), 0usize..3, any::<bool>()), 0..24)
    ) {
        let rmm: Vec<Device> = rows.iter().enumerate()
            .map(|(i, (f, o, _))| device(System::DattoRmm, i, *o, f)).collect();
        let psa: Vec<Device> = rows.iter().enumerate().filter(|(_, (_, _, keep))| *keep)
            .map(|(i, (f, o, _))| device(System::CwManage, i, *o, f)).collect();
        let policy = MatchPolicy::default();
        let book = MappingBook::new();
        let out = match_devices(&rmm, &psa, &scope(), &book, &policy);
        prop_assert_eq!(out.len(), rmm.len());
        let (mut r, mut p) = (rmm.clone(), psa.clone());
        r.reverse();
        p.reverse();
        prop_assert_eq!(match_devices(&r, &p, &scope(), &book, &policy), out);
    }

    #[test]
    fn company_matching_is_total_and_order_free(
        names in prop::collection::vec(("\\PC{0,30}", any::<bool>()), 0..20)
    ) {
        let sites: Vec<Site> = names.iter().enumerate()
            .map(|(i, (n, _))| Site::new(ExternalRef::new(System::DattoRmm, i.to_string()), n.clone())).collect();
        let psa: Vec<Company> = names.iter().enumerate()
            .map(|(i, (n, active))| {
                let mut c = Company::new(ExternalRef::new(System::CwManage, i.to_string()), n.to_uppercase());
                c.active = *active;
                c
            }).collect();
        let policy = MatchPolicy::default();
        let book = MappingBook::new();
        let out = match_companies(&sites, &psa, &book, None, &policy);
        prop_assert_eq!(out.len(), sites.len());
        for m in &out {
            prop_assert!(m.decision.candidates().iter().all(|c| (0.0..=1.0).contains(&c.confidence)));
        }
        let (mut s, mut p) = (sites.clone(), psa.clone());
        s.reverse();
        p.reverse();
        prop_assert_eq!(match_companies(&s, &p, &book, None, &policy), out);
    }
}
