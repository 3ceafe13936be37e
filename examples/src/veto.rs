//! Why an unlinked device was not linked to a configuration it shares a key with: the serial veto (one
//! machine has one serial, so a host name or MAC in common with a different serial is another machine,
//! or the same name reused). The matcher applies the veto silently; the review shows it.

use psa_rmm_core::model::Device;
use psa_rmm_core::normalize::hostname::Hostname;
use psa_rmm_core::normalize::mac::parse_mac_list;
use psa_rmm_core::normalize::serial::{SerialClass, SerialNumber};

fn short_name(d: &Device) -> Option<String> {
    let h = Hostname::parse(d.hostname.as_deref()?)?;
    (!h.is_placeholder()).then(|| h.short().to_owned())
}

fn strong_macs(d: &Device) -> Vec<u64> {
    d.mac_addresses
        .iter()
        .flat_map(|m| parse_mac_list(m).0)
        .filter(|m| m.is_strong())
        .map(|m| m.to_u64())
        .collect()
}

fn serial(d: &Device) -> Option<SerialNumber> {
    SerialNumber::parse(d.serial_number.as_deref()?)
        .filter(|s| !matches!(s.class(), SerialClass::Placeholder))
}

/// The maker's first word, lower-cased ("Dell Inc." and "DELL" agree).
fn maker(d: &Device) -> Option<String> {
    let first = d.manufacturer.as_deref()?.split_whitespace().next()?;
    let word: String = first.chars().filter(char::is_ascii_alphanumeric).collect();
    (!word.is_empty()).then(|| word.to_ascii_lowercase())
}

/// One line per configuration that shares a host name or a MAC with `device` but holds another serial of
/// the same class from the same maker.
pub fn serial_vetoes<'a>(
    device: &Device,
    configurations: impl IntoIterator<Item = &'a Device>,
) -> Vec<String> {
    let Some(own) = serial(device) else {
        return Vec::new();
    };
    let name = short_name(device);
    let macs = strong_macs(device);
    let mut out = Vec::new();
    for config in configurations {
        let Some(theirs) = serial(config) else {
            continue;
        };
        let makers_agree = match (maker(device), maker(config)) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        if theirs.class() != own.class() || theirs.key() == own.key() || !makers_agree {
            continue;
        }
        let mut shared = Vec::new();
        if name.is_some() && short_name(config) == name {
            shared.push("hostname");
        }
        if strong_macs(config).iter().any(|m| macs.contains(m)) {
            shared.push("mac");
        }
        if !shared.is_empty() {
            out.push(format!(
                "{} match configuration {} but serial {} differs from {}",
                shared.join(" and "),
                config.external.id,
                theirs.key(),
                own.key()
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use psa_rmm_core::model::{ExternalRef, System};

    fn device(system: System, id: &str, host: &str, serial: &str, mac: &str) -> Device {
        let mut d = Device::new(ExternalRef::new(system, id));
        d.hostname = Some(host.into());
        d.serial_number = Some(serial.into());
        d.mac_addresses = vec![mac.into()];
        d.manufacturer = Some("Dell Inc.".into());
        d
    }

    #[test]
    fn a_shared_name_with_another_serial_is_a_veto_and_the_same_serial_is_not() {
        let rmm = device(
            System::DattoRmm,
            "d1",
            "ACME-PC01",
            "5CD1234XYZ",
            "00:1A:2B:3C:4D:5E",
        );
        let reused = device(
            System::CwManage,
            "100",
            "acme-pc01.acme.local",
            "7QW9876ABC",
            "00:1A:2B:3C:4D:60",
        );
        let same = device(
            System::CwManage,
            "101",
            "ACME-PC01",
            "5cd1234xyz",
            "00:1A:2B:3C:4D:5E",
        );
        let other = device(
            System::CwManage,
            "102",
            "ACME-PC02",
            "8RT5555DEF",
            "00:1A:2B:3C:4D:61",
        );
        let vetoes = serial_vetoes(&rmm, [&reused, &same, &other]);
        assert_eq!(
            vetoes,
            ["hostname match configuration 100 but serial 7QW9876ABC differs from 5CD1234XYZ"]
        );
    }

    #[test]
    fn another_maker_or_a_missing_serial_is_no_veto() {
        let rmm = device(
            System::DattoRmm,
            "d1",
            "ACME-PC01",
            "5CD1234XYZ",
            "00:1A:2B:3C:4D:5E",
        );
        let mut lenovo = device(
            System::CwManage,
            "100",
            "ACME-PC01",
            "PF1ABCDE",
            "00:1A:2B:3C:4D:5E",
        );
        lenovo.manufacturer = Some("LENOVO".into());
        let mut blank = device(
            System::CwManage,
            "101",
            "ACME-PC01",
            "",
            "00:1A:2B:3C:4D:5E",
        );
        blank.serial_number = None;
        assert!(serial_vetoes(&rmm, [&lenovo, &blank]).is_empty());
    }
}
