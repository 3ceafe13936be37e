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
    /// True when the identity was carried over from the previous state (`lastAuditDate` did not move).
    pub carried_over: bool,
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
    ///
    /// Device pages stream into the audits and are read one page ahead (see [`read_ahead`]), and the site
    /// list is read alongside, so the read budget is busy from the first read to the last audit.
    pub async fn scan_inventory(&self, options: ScanOptions) -> Result<Inventory> {
        let reads_before = self.stats().reads;
        let previous = options.previous.clone().unwrap_or_default();
        let listed = read_ahead(self.account().devices().stream(), self.page_size());
        let (sites, listed) = futures::try_join!(
            self.account().sites().all(),
            self.examine(listed, &previous, &options).try_collect()
        )?;
        let mut devices = in_listing_order(listed);
        let missed = self.missing_devices(&sites, &devices).await?;
        let sites_relisted = missed.0;
        let extra = self
            .examine(
                futures::stream::iter(missed.1.into_iter().map(Ok)),
                &previous,
                &options,
            )
            .try_collect()
            .await?;
        devices.extend(in_listing_order(extra));
        if options.network_interfaces {
            let mut nics = self.site_nics(&sites).await?;
            for d in &mut devices {
                if let Some(n) = d.device.uid.as_ref().and_then(|u| nics.remove(u)) {
                    d.nics = n;
                }
            }
        }
        let state = ScanState {
            taken_at: Some(Utc::now()),
            devices: devices
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
        let stats = ScanStats {
            reads: self.stats().reads.saturating_sub(reads_before),
            devices: devices.len(),
            audits_fetched: devices.iter().filter(|d| d.audited).count(),
            audits_skipped: devices.iter().filter(|d| d.carried_over).count(),
            sites_relisted,
        };
        Ok(Inventory {
            sites,
            devices,
            state,
            stats,
        })
    }

    /// Turns listed devices into inventory entries, auditing (up to `concurrency` at once) those whose
    /// audit moved since `previous`. A device gone meanwhile (404) or of another class than listed (400)
    /// keeps no identity instead of failing the scan.
    fn examine<'a>(
        &'a self,
        devices: impl futures::Stream<Item = Result<Device>> + 'a,
        previous: &'a ScanState,
        options: &'a ScanOptions,
    ) -> impl futures::Stream<Item = Result<(usize, InventoryDevice)>> + 'a {
        devices
            .enumerate()
            .map(|(i, d)| d.map(|d| (i, d)))
            .map_ok(move |(index, device)| async move {
                let memo = device.uid.as_ref().and_then(|u| previous.devices.get(u));
                let carried_over = memo.is_some_and(|m| {
                    m.identity.is_some() && m.last_audit_date == device.last_audit_date
                });
                let mut entry = InventoryDevice {
                    identity: memo.and_then(|m| m.identity.clone()),
                    device,
                    nics: Vec::new(),
                    audit: None,
                    audited: false,
                    carried_over,
                };
                if options.audits && auditable(&entry.device) && !carried_over {
                    let audit = match self.audits().for_device(&entry.device).await {
                        Ok(a) => a,
                        Err(e) if skippable(&e) => None,
                        Err(e) => return Err(e),
                    };
                    entry.audited = true;
                    entry.identity = audit.as_ref().map(HardwareIdentity::from_audit);
                    if options.keep_audits {
                        entry.audit = audit;
                    }
                }
                Ok((index, entry))
            })
            .try_buffer_unordered(options.concurrency.max(1))
    }

    /// The sites whose `devicesStatus.numberOfDevices` exceeds what the account list returned for them are
    /// listed again; returns how many, and the devices the account list missed.
    async fn missing_devices(
        &self,
        sites: &[Site],
        listed: &[InventoryDevice],
    ) -> Result<(usize, Vec<Device>)> {
        let mut per_site: HashMap<&SiteUid, i64> = HashMap::new();
        for d in listed {
            if let Some(s) = &d.device.site_uid {
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
        let mut known: HashSet<DeviceUid> =
            listed.iter().filter_map(|d| d.device.uid.clone()).collect();
        let mut missed = Vec::new();
        for site in &short {
            for d in self.site(site.clone()).devices().all().await? {
                if d.uid.as_ref().is_none_or(|u| known.insert(u.clone())) {
                    missed.push(d);
                }
            }
        }
        Ok((short.len(), missed))
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
}

/// `stream` driven by its own task, up to `ahead` items in front of the consumer. A device page holds the
/// next 250 audits: without this the next page is only requested once the audits of the previous one have
/// drained, and the read budget idles for a page's round trip every 250 audits.
fn read_ahead<T: Send + 'static>(
    stream: impl futures::Stream<Item = Result<T>> + Send + 'static,
    ahead: u32,
) -> impl futures::Stream<Item = Result<T>> {
    let capacity = usize::try_from(ahead).unwrap_or(1).max(1);
    let (tx, rx) = tokio::sync::mpsc::channel(capacity);
    let producer = tokio::spawn(async move {
        let mut stream = std::pin::pin!(stream);
        while let Some(item) = stream.next().await {
            let failed = item.is_err();
            if tx.send(item).await.is_err() || failed {
                break;
            }
        }
    });
    futures::stream::unfold((rx, AbortOnDrop(producer)), |(mut rx, guard)| async move {
        let item = rx.recv().await?;
        Some((item, (rx, guard)))
    })
}

/// Stops a read-ahead task when the scan that consumes it is dropped or fails.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Audits finish in any order; the inventory keeps the order Datto listed the devices in.
fn in_listing_order(mut indexed: Vec<(usize, InventoryDevice)>) -> Vec<InventoryDevice> {
    indexed.sort_by_key(|(i, _)| *i);
    indexed.into_iter().map(|(_, d)| d).collect()
}

fn skippable(e: &Error) -> bool {
    matches!(e.status().map(|s| s.as_u16()), Some(400 | 404))
}
