//! Inventory scans in the fewest reads.
//!
//! Datto has no "modified since" filter and 600 reads a minute for the whole account, so reads are the cost
//! that matters: a site or device list costs one read per 250 items, an audit one read per device. A scan
//! lists sites and account devices, re-lists only the sites whose device count the account list falls short
//! of (Datto's account list has been seen to miss devices), takes MACs from the per-site network-interface
//! pages when asked, and audits only devices whose `lastAuditDate` moved since the caller's previous
//! [`ScanState`].

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use futures::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::convert::{ConvertError, HardwareIdentity, device_with_identity};
use crate::error::{Error, Result};
use crate::ids::{DeviceUid, SiteUid};
use crate::model::{AuditKind, Device, DeviceClass, NetworkInterface, Site};

/// What the caller remembers between scans (serialise it with serde). Holds per device the
/// `lastAuditDate` seen and the identity its audit gave.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScanState {
    /// When the scan that produced this state finished.
    pub taken_at: Option<DateTime<Utc>>,
    /// Per device.
    pub devices: BTreeMap<DeviceUid, DeviceMemo>,
}

/// One device in a [`ScanState`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceMemo {
    /// `lastAuditDate` when the device was last audited.
    pub last_audit_date: Option<DateTime<Utc>>,
    /// What that audit said.
    pub identity: Option<HardwareIdentity>,
}

/// How to scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Audit requests in flight at once (the read budget paces them anyway). Default 8.
    pub concurrency: usize,
    /// Fetch hardware audits (serial, manufacturer, model, MACs). Default true.
    pub audits: bool,
    /// Read the per-site network-interface pages for MACs and IPs (one read per 250 devices of a site).
    /// Default false: audits carry the MACs too.
    pub network_interfaces: bool,
    /// Keep each fetched audit in [`InventoryDevice::audit`] (memory grows with the tenant). Default false.
    pub keep_audits: bool,
    /// The state of the previous scan: devices whose `lastAuditDate` did not move are not audited again.
    pub previous: Option<ScanState>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            concurrency: 8,
            audits: true,
            network_interfaces: false,
            keep_audits: false,
            previous: None,
        }
    }
}

impl ScanOptions {
    /// A scan that audits only what changed since `previous`.
    pub fn incremental(previous: ScanState) -> Self {
        Self {
            previous: Some(previous),
            ..Self::default()
        }
    }

    /// MACs without audits: devices plus the per-site network-interface pages.
    pub fn macs_only() -> Self {
        Self {
            audits: false,
            network_interfaces: true,
            ..Self::default()
        }
    }

    /// Sets the concurrency.
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }
}

/// A device with what the scan learned about it.
#[derive(Debug, Clone, PartialEq)]
pub struct InventoryDevice {
    /// The device as listed.
    pub device: Device,
    /// Identity from a fresh audit, or carried over from the previous state.
    pub identity: Option<HardwareIdentity>,
    /// NICs from the network-interface pages, when read.
    pub nics: Vec<NetworkInterface>,
    /// The audit itself, when fetched in this scan and [`ScanOptions::keep_audits`] is set.
    pub audit: Option<AuditKind>,
    /// True when this scan fetched the audit.
    pub audited: bool,
}

impl InventoryDevice {
    /// The core record.
    pub fn to_core(&self) -> Result<psa_rmm_core::Device, ConvertError> {
        device_with_identity(&self.device, self.identity.as_ref(), &self.nics)
    }
}

/// Counters of one scan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Read requests sent (retries included).
    pub reads: u64,
    /// Devices listed.
    pub devices: usize,
    /// Audits fetched.
    pub audits_fetched: usize,
    /// Audits skipped because `lastAuditDate` did not move.
    pub audits_skipped: usize,
    /// Sites re-listed because the account list missed some of their devices.
    pub sites_relisted: usize,
}

/// The result of a scan.
#[derive(Debug, Clone)]
pub struct Inventory {
    /// Every site, system sites included.
    pub sites: Vec<Site>,
    /// Every device.
    pub devices: Vec<InventoryDevice>,
    /// State to pass to the next scan.
    pub state: ScanState,
    /// Counters.
    pub stats: ScanStats,
}

fn auditable(device: &Device) -> bool {
    matches!(
        device.device_class,
        None | Some(DeviceClass::Device | DeviceClass::EsxiHost | DeviceClass::Printer)
    )
}

impl Client {
    /// Scans sites and devices (and audits, MACs) in the fewest reads; see the module docs.
    pub async fn scan_inventory(&self, options: ScanOptions) -> Result<Inventory> {
        let reads_before = self.stats().reads;
        let mut stats = ScanStats::default();
        let sites = self.account().sites().all().await?;
        let mut devices = self.account().devices().all().await?;
        stats.sites_relisted = self.fill_missing_devices(&sites, &mut devices).await?;
        stats.devices = devices.len();
        let mut nics = if options.network_interfaces {
            self.site_nics(&sites).await?
        } else {
            HashMap::new()
        };
        let previous = options.previous.unwrap_or_default();
        let mut out = Vec::with_capacity(devices.len());
        let mut to_audit = Vec::new();
        for device in devices {
            let memo = device.uid.as_ref().and_then(|u| previous.devices.get(u));
            let unchanged = memo.is_some_and(|m| {
                m.identity.is_some() && m.last_audit_date == device.last_audit_date
            });
            let entry = InventoryDevice {
                nics: device
                    .uid
                    .as_ref()
                    .and_then(|u| nics.remove(u))
                    .unwrap_or_default(),
                identity: memo.and_then(|m| m.identity.clone()),
                device,
                audit: None,
                audited: false,
            };
            if options.audits && auditable(&entry.device) && !unchanged {
                to_audit.push(out.len());
            } else if unchanged {
                stats.audits_skipped += 1;
            }
            out.push(entry);
        }
        let audits = self.audit_all(&out, &to_audit, options.concurrency).await?;
        for (index, audit) in audits {
            let entry = &mut out[index];
            entry.audited = true;
            stats.audits_fetched += 1;
            entry.identity = audit.as_ref().map(HardwareIdentity::from_audit);
            if options.keep_audits {
                entry.audit = audit;
            }
        }
        let state = ScanState {
            taken_at: Some(Utc::now()),
            devices: out
                .iter()
                .filter_map(|d| {
                    let uid = d.device.uid.clone()?;
                    let memo = DeviceMemo {
                        last_audit_date: d.device.last_audit_date,
                        identity: d.identity.clone(),
                    };
                    Some((uid, memo))
                })
                .collect(),
        };
        stats.reads = self.stats().reads.saturating_sub(reads_before);
        Ok(Inventory {
            sites,
            devices: out,
            state,
            stats,
        })
    }

    /// Re-lists the sites whose `devicesStatus.numberOfDevices` exceeds what the account list returned for
    /// them, adding devices the account list missed. Returns how many sites were re-listed.
    async fn fill_missing_devices(
        &self,
        sites: &[Site],
        devices: &mut Vec<Device>,
    ) -> Result<usize> {
        let mut per_site: HashMap<&SiteUid, i64> = HashMap::new();
        for d in devices.iter() {
            if let Some(s) = &d.site_uid {
                *per_site.entry(s).or_default() += 1;
            }
        }
        let short: Vec<SiteUid> = sites
            .iter()
            .filter_map(|s| {
                let uid = s.uid.as_ref()?;
                let expected = s.devices_status.as_ref()?.number_of_devices?;
                (expected > per_site.get(uid).copied().unwrap_or(0)).then(|| uid.clone())
            })
            .collect();
        if short.is_empty() {
            return Ok(0);
        }
        let mut known: HashSet<DeviceUid> = devices.iter().filter_map(|d| d.uid.clone()).collect();
        for site in &short {
            let listed = self.site(site.clone()).devices().all().await?;
            for d in listed {
                if d.uid.as_ref().is_none_or(|u| known.insert(u.clone())) {
                    devices.push(d);
                }
            }
        }
        Ok(short.len())
    }

    async fn site_nics(&self, sites: &[Site]) -> Result<HashMap<DeviceUid, Vec<NetworkInterface>>> {
        let mut out = HashMap::new();
        for site in sites {
            let Some(uid) = &site.uid else { continue };
            let empty = site
                .devices_status
                .as_ref()
                .and_then(|d| d.number_of_devices)
                == Some(0);
            if empty {
                continue;
            }
            let rows = self.site(uid.clone()).network_interfaces().all().await?;
            for row in rows {
                if let Some(uid) = row.uid {
                    out.insert(uid, row.nics);
                }
            }
        }
        Ok(out)
    }

    /// Fetches the audits of `indices` concurrently. A device gone meanwhile (404) or of another class
    /// than listed (400) yields `None` instead of failing the scan.
    async fn audit_all(
        &self,
        devices: &[InventoryDevice],
        indices: &[usize],
        concurrency: usize,
    ) -> Result<Vec<(usize, Option<AuditKind>)>> {
        let audits = self.audits();
        futures::stream::iter(indices.iter().copied())
            .map(|i| {
                let audits = audits.clone();
                let device = &devices[i].device;
                async move {
                    match audits.for_device(device).await {
                        Ok(a) => Ok((i, a)),
                        Err(e) if skippable(&e) => Ok((i, None)),
                        Err(e) => Err(e),
                    }
                }
            })
            .buffer_unordered(concurrency.max(1))
            .try_collect()
            .await
    }
}

fn skippable(e: &Error) -> bool {
    matches!(e.status().map(|s| s.as_u16()), Some(400 | 404))
}
