//! Write-back: the PSA configuration id, and the warranty date when the PSA knows it, written to the RMM
//! device (a Datto UDF and warranty field, an Asio custom field), as ScalePad and the PSA integrations do.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::links::Links;
use super::table::{Table, opt};
use crate::connector::DeviceFieldValue;
use crate::model::{Device, ExternalRef};

/// What to write back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteBackPolicy {
    /// Write the PSA configuration id.
    pub configuration_id: bool,
    /// Write the PSA warranty date to devices whose RMM record has none. The RMM's own date is never
    /// overwritten: device sync copies it to the PSA, so both sides converge instead of flapping.
    pub warranty: bool,
}

impl Default for WriteBackPolicy {
    fn default() -> Self {
        Self {
            configuration_id: true,
            warranty: true,
        }
    }
}

/// What the write-back planner reads.
#[derive(Debug, Clone, Copy)]
pub struct WriteBackInputs<'a> {
    /// RMM devices; `linked_id` holds the PSA id written earlier, `warranty_expires` the RMM's date.
    pub devices: &'a [Device],
    /// PSA configurations (for their warranty dates).
    pub configurations: &'a [Device],
    /// Device links.
    pub links: &'a Links,
}

/// One value to write to one RMM device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteBack {
    /// The RMM device.
    pub device: ExternalRef,
    /// Host name, for tables.
    pub hostname: Option<String>,
    /// The value.
    pub value: DeviceFieldValue,
    /// What the RMM holds now.
    pub before: Option<String>,
}

/// The write-back plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteBackPlan {
    /// Values to write, by device.
    pub writes: Vec<WriteBack>,
    /// Linked devices that already hold every value.
    pub unchanged: usize,
}

impl WriteBackPlan {
    /// True when applying writes nothing.
    pub fn is_noop(&self) -> bool {
        self.writes.is_empty()
    }
}

impl fmt::Display for WriteBackPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = Table::new(&["device", "host", "write", "before"]);
        for w in &self.writes {
            t.row(vec![
                w.device.to_string(),
                opt(w.hostname.as_deref()),
                w.value.to_string(),
                opt(w.before.as_deref()),
            ]);
        }
        write!(f, "{t}")?;
        writeln!(f, "{} linked device(s) already up to date", self.unchanged)
    }
}

/// Plans the values to write back to linked RMM devices.
pub fn plan_write_back(inputs: WriteBackInputs<'_>, policy: WriteBackPolicy) -> WriteBackPlan {
    let configurations: BTreeMap<&ExternalRef, &Device> = inputs
        .configurations
        .iter()
        .map(|c| (&c.external, c))
        .collect();
    let mut plan = WriteBackPlan::default();
    for device in inputs.devices {
        let Some(config) = inputs.links.configuration(&device.external) else {
            continue;
        };
        let before_len = plan.writes.len();
        let write = |value, before: Option<String>| WriteBack {
            device: device.external.clone(),
            hostname: device.hostname.clone(),
            value,
            before,
        };
        if policy.configuration_id && device.linked_id.as_deref() != Some(config.id.as_str()) {
            plan.writes.push(write(
                DeviceFieldValue::PsaConfigurationId(config.id.clone()),
                device.linked_id.clone(),
            ));
        }
        let psa_warranty = configurations.get(config).and_then(|c| c.warranty_expires);
        if policy.warranty
            && device.warranty_expires.is_none()
            && let Some(date) = psa_warranty
        {
            plan.writes
                .push(write(DeviceFieldValue::WarrantyExpires(date), None));
        }
        if plan.writes.len() == before_len {
            plan.unchanged += 1;
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::System;
    use chrono::NaiveDate;

    fn setup() -> (Vec<Device>, Vec<Device>, Links) {
        let rmm = |id: &str| ExternalRef::new(System::DattoRmm, id);
        let psa = |id: &str| ExternalRef::new(System::CwManage, id);
        let mut linked = Device::new(rmm("d1"));
        linked.linked_id = Some("100".into());
        let fresh = Device::new(rmm("d2"));
        let mut has_warranty = Device::new(rmm("d3"));
        has_warranty.warranty_expires = NaiveDate::from_ymd_opt(2030, 1, 1);
        let unlinked = Device::new(rmm("d4"));
        let mut c1 = Device::new(psa("100"));
        c1.warranty_expires = NaiveDate::from_ymd_opt(2028, 5, 1);
        let c2 = Device::new(psa("200"));
        let mut c3 = Device::new(psa("300"));
        c3.warranty_expires = NaiveDate::from_ymd_opt(2029, 1, 1);
        let mut links = Links::new();
        links.devices.insert(rmm("d1"), psa("100"));
        links.devices.insert(rmm("d2"), psa("200"));
        links.devices.insert(rmm("d3"), psa("300"));
        (
            vec![linked, fresh, has_warranty, unlinked],
            vec![c1, c2, c3],
            links,
        )
    }

    #[test]
    fn writes_missing_ids_and_warranty_only_where_the_rmm_has_none() {
        let (devices, configs, links) = setup();
        let plan = plan_write_back(
            WriteBackInputs {
                devices: &devices,
                configurations: &configs,
                links: &links,
            },
            WriteBackPolicy::default(),
        );
        let got: Vec<(String, String)> = plan
            .writes
            .iter()
            .map(|w| (w.device.id.clone(), w.value.to_string()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("d1".into(), "warranty=2028-05-01".into()),
                ("d2".into(), "psa_id=200".into()),
                ("d3".into(), "psa_id=300".into()),
            ]
        );
        assert_eq!(plan.unchanged, 0);
        assert!(plan.to_string().contains("psa_id=200"));
    }

    #[test]
    fn devices_holding_every_value_are_unchanged() {
        let (mut devices, configs, links) = setup();
        devices[0].warranty_expires = NaiveDate::from_ymd_opt(2028, 5, 1);
        devices[1].linked_id = Some("200".into());
        devices[2].linked_id = Some("300".into());
        let plan = plan_write_back(
            WriteBackInputs {
                devices: &devices,
                configurations: &configs,
                links: &links,
            },
            WriteBackPolicy::default(),
        );
        assert!(plan.is_noop(), "{plan}");
        assert_eq!(plan.unchanged, 3);
    }
}
