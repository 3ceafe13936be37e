//! Conversions between Asio wire models and the vendor-neutral records of `psa_rmm_core`.
//!
//! Field choices follow the reference: serial from `system`, then `bios`, then `baseboard`; manufacturer from
//! `bios`, then `baseboard` (the `system` section has none); MACs are the union of the top-level list and
//! every adapter's address.

use crate::model::{
    Company, CompanyId, DESCRIPTION_MAX, Endpoint, EndpointCategory, EndpointDetail, EndpointType,
    EntityRef, IdName, LookupId, LookupItem, NewTicket, PatchOperation, SUMMARY_MAX, ServiceBoard,
    Site, SiteId, StatusCategory, Ticket, TicketAsset, TicketStatus, VirtualType, find_by_name,
};
use psa_rmm_core::model::{self as core, DeviceKind, ExternalRef, System};
use serde_json::json;

/// A record that cannot become a core record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConvertError {
    /// A field the core record needs is absent or empty.
    #[error("required field `{0}` is missing")]
    MissingField(&'static str),
    /// A lookup table has no active entry of that name.
    #[error("no active {table} named {name:?}")]
    UnknownName {
        /// Which table (board, source, status, priority).
        table: &'static str,
        /// The name searched for.
        name: String,
    },
}

fn asio(id: &str) -> ExternalRef {
    ExternalRef::new(System::CwAsio, id)
}

fn non_empty(s: Option<&String>) -> Option<&str> {
    s.map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// Company -> core Company. Inactive when deleted, given an inactive date, or flagged inactive.
pub fn company(c: &Company) -> Result<core::Company, ConvertError> {
    let id = c.id.as_ref().ok_or(ConvertError::MissingField("id"))?;
    let name = non_empty(c.name.as_ref())
        .or_else(|| non_empty(c.friendly_name.as_ref()))
        .ok_or(ConvertError::MissingField("name"))?;
    let status = c.activity_status.as_ref();
    let mut out = core::Company::new(asio(id.as_str()), name);
    out.status = status.and_then(|s| s.name.clone());
    out.active = c.deleted_date.is_none()
        && c.inactive_date.is_none()
        && status.and_then(|s| s.active_flag) != Some(false);
    out.identifier = non_empty(c.friendly_name.as_ref())
        .filter(|f| !f.eq_ignore_ascii_case(name))
        .map(str::to_owned);
    out.updated_at = c.updated_date;
    Ok(out)
}

/// Site -> core Site. The company comes from the site's embedded company, else from `company_hint` (the
/// company whose site list returned it).
pub fn site(s: &Site, company_hint: Option<&CompanyId>) -> Result<core::Site, ConvertError> {
    let id = s.id.as_ref().ok_or(ConvertError::MissingField("id"))?;
    let name = non_empty(s.name.as_ref())
        .or_else(|| non_empty(s.friendly_name.as_ref()))
        .ok_or(ConvertError::MissingField("name"))?;
    let mut out = core::Site::new(asio(id.as_str()), name);
    out.company = s
        .company
        .as_ref()
        .and_then(|c| c.id.as_ref())
        .or(company_hint)
        .map(|c| asio(c.as_str()));
    Ok(out)
}

/// Endpoint (with whatever hardware sections were fetched) -> core Device. `company` and `site` are the ids
/// of the v2 list group or detail, used when the endpoint itself does not carry them.
pub fn device(
    e: &Endpoint,
    category: &EndpointCategory,
    company: Option<&CompanyId>,
    site: Option<&SiteId>,
) -> Result<core::Device, ConvertError> {
    let id = e
        .endpoint_id
        .as_ref()
        .ok_or(ConvertError::MissingField("endpointID"))?;
    let mut d = core::Device::new(asio(id.as_str()));
    d.company = e.company_id.as_ref().or(company).map(|c| asio(c.as_str()));
    d.site = e.site_id.as_ref().or(site).map(|s| asio(s.as_str()));
    let system = e.system.as_ref();
    let bios = e.bios.as_ref();
    let board = e.baseboard.as_ref();
    d.hostname = non_empty(e.device_name.as_ref())
        .or_else(|| system.and_then(|s| non_empty(s.system_name.as_ref())))
        .or_else(|| non_empty(e.friendly_name.as_ref()))
        .map(str::to_owned);
    d.kind = kind(e, category);
    d.type_name = e
        .endpoint_type
        .as_ref()
        .map(|t| t.as_str().to_owned())
        .or_else(|| e.kind.clone());
    d.serial_number = system
        .and_then(|s| non_empty(s.serial_number.as_ref()))
        .or_else(|| bios.and_then(|b| non_empty(b.serial_number.as_ref())))
        .or_else(|| board.and_then(|b| non_empty(b.serial_number.as_ref())))
        .map(str::to_owned);
    d.hardware_uuid = board
        .and_then(|b| non_empty(b.hardware_uuid.as_ref()))
        .map(str::to_owned);
    d.mac_addresses = macs(e);
    d.ip_address = e
        .ip_address
        .iter()
        .chain(e.networks.iter().filter_map(|n| n.ipv4.as_ref()))
        .find_map(|ip| non_empty(Some(ip)))
        .map(str::to_owned);
    d.manufacturer = bios
        .and_then(|b| non_empty(b.manufacturer.as_ref()))
        .or_else(|| board.and_then(|b| non_empty(b.manufacturer.as_ref())))
        .map(str::to_owned);
    d.model = system
        .and_then(|s| non_empty(s.model.as_ref()))
        .or_else(|| board.and_then(|b| non_empty(b.model.as_ref())))
        .map(str::to_owned);
    d.os = e.os.as_ref().and_then(|os| {
        let product = non_empty(os.product.as_ref())?;
        Some(
            match non_empty(os.display_version.as_ref()).or_else(|| non_empty(os.version.as_ref()))
            {
                Some(v) => format!("{product} {v}"),
                None => product.to_owned(),
            },
        )
    });
    d.last_user =
        e.os.as_ref()
            .and_then(|os| non_empty(os.user_name.as_ref()))
            .map(str::to_owned);
    d.virtual_machine = match &e.virtual_type {
        Some(VirtualType::Guest) => Some(true),
        Some(VirtualType::Physical | VirtualType::Host) => Some(false),
        _ => system
            .and_then(|s| non_empty(s.hypervisor_name.as_ref()))
            .map(|_| true),
    };
    d.updated_at = e.modified_at.or(e.created_at);
    Ok(d)
}

/// A v2 device detail -> core Device.
pub fn device_detail(detail: &EndpointDetail) -> Result<core::Device, ConvertError> {
    let (category, endpoint) = detail
        .endpoint()
        .ok_or(ConvertError::MissingField("platform|network|cloud"))?;
    let mut e = endpoint.clone();
    if e.endpoint_id.is_none() {
        e.endpoint_id = detail.endpoint_id().cloned();
    }
    if e.endpoint_type.is_none() {
        e.endpoint_type = detail.endpoint_type.clone();
    }
    device(&e, &category, detail.company_id(), detail.site_id())
}

// SMBIOS chassis types of portables: portable, laptop, notebook, sub notebook, tablet, convertible,
// detachable.
const PORTABLE_CHASSIS: [i64; 7] = [8, 9, 10, 14, 30, 31, 32];

fn kind(e: &Endpoint, category: &EndpointCategory) -> DeviceKind {
    if *category == EndpointCategory::Network {
        return DeviceKind::NetworkDevice;
    }
    if e.virtual_type == Some(VirtualType::Host) {
        return DeviceKind::Hypervisor;
    }
    let portable = e
        .system
        .as_ref()
        .is_some_and(|s| s.chassis_types.iter().any(|c| PORTABLE_CHASSIS.contains(c)));
    let family = e
        .endpoint_type
        .clone()
        .or_else(|| e.kind.as_deref().map(EndpointType::from));
    match family {
        Some(EndpointType::Server) => DeviceKind::Server,
        Some(EndpointType::Laptop) => DeviceKind::Laptop,
        Some(EndpointType::Desktop) if portable => DeviceKind::Laptop,
        Some(EndpointType::Desktop) => DeviceKind::Workstation,
        Some(EndpointType::Firewall | EndpointType::NetworkDevice) => DeviceKind::NetworkDevice,
        Some(EndpointType::Mobile) => DeviceKind::Mobile,
        Some(EndpointType::Other(o)) => DeviceKind::Other(o),
        None => DeviceKind::default(),
    }
}

fn macs(e: &Endpoint) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let candidates = e
        .mac_address
        .iter()
        .chain(e.networks.iter().filter_map(|n| n.mac_address.as_ref()));
    for mac in candidates {
        let mac = mac.trim();
        if !mac.is_empty() && !out.iter().any(|m| m.eq_ignore_ascii_case(mac)) {
            out.push(mac.to_owned());
        }
    }
    out
}

/// The ticketing lookup tables a ticket conversion resolves names against.
#[derive(Debug, Clone, Default)]
pub struct TicketLookups {
    /// Service boards.
    pub boards: Vec<ServiceBoard>,
    /// Sources.
    pub sources: Vec<LookupItem>,
    /// Statuses.
    pub statuses: Vec<TicketStatus>,
    /// Priorities.
    pub priorities: Vec<LookupItem>,
}

impl TicketLookups {
    fn status_named(&self, name: &str) -> Result<LookupId, ConvertError> {
        find_by_name(&self.statuses, name)
            .cloned()
            .ok_or_else(|| unknown("status", name))
    }

    fn priority_named(&self, name: &str) -> Result<LookupId, ConvertError> {
        find_by_name(&self.priorities, name)
            .cloned()
            .ok_or_else(|| unknown("priority", name))
    }

    fn closed(&self, status: &IdName) -> bool {
        let by_id = status.id.as_ref().and_then(|id| {
            self.statuses
                .iter()
                .find(|s| s.id.as_ref() == Some(id))
                .and_then(|s| s.category.as_ref())
        });
        match by_id {
            Some(cat) => *cat == StatusCategory::Closed,
            None => status
                .name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case("closed")),
        }
    }
}

fn unknown(table: &'static str, name: &str) -> ConvertError {
    ConvertError::UnknownName {
        table,
        name: name.to_owned(),
    }
}

/// Ticket -> core Ticket. `closed` comes from the status category in `lookups` (or a status named "Closed").
pub fn ticket(t: &Ticket, lookups: &TicketLookups) -> Result<core::Ticket, ConvertError> {
    let id = t.id.as_ref().ok_or(ConvertError::MissingField("id"))?;
    let name = |r: &Option<IdName>| r.as_ref().and_then(|r| r.name.clone());
    let primary = t
        .assets
        .iter()
        .find(|a| a.is_primary == Some(true))
        .or_else(|| t.assets.first())
        .and_then(|a| a.id.as_ref());
    Ok(core::Ticket {
        external: asio(id.as_str()),
        company: t
            .company
            .as_ref()
            .and_then(|c| c.id.as_ref())
            .map(|c| asio(c.as_str())),
        summary: t.summary.clone().unwrap_or_default(),
        description: t.description.clone(),
        board: name(&t.service_board),
        status: name(&t.status),
        priority: name(&t.priority),
        closed: t.status.as_ref().is_some_and(|s| lookups.closed(s)),
        dedupe_key: None,
        device: primary.map(|e| asio(e.as_str())),
        created_at: t.created_at,
        updated_at: t.updated_at,
    })
}

fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => s[..i].to_owned(),
        None => s.to_owned(),
    }
}

/// core Ticket -> create body. The board is the ticket's own board name or `default_board`; `source` names the
/// ticket source. Summary and description are clipped to the API's limits; an absent description repeats
/// the summary, because the API requires one. Company and device are linked only when they are Asio records.
pub fn new_ticket(
    t: &core::Ticket,
    lookups: &TicketLookups,
    default_board: &str,
    source: &str,
) -> Result<NewTicket, ConvertError> {
    let summary = t.summary.trim();
    if summary.is_empty() {
        return Err(ConvertError::MissingField("summary"));
    }
    let board_name = t.board.as_deref().unwrap_or(default_board);
    let board = find_by_name(&lookups.boards, board_name)
        .cloned()
        .ok_or_else(|| unknown("board", board_name))?;
    let source_id = find_by_name(&lookups.sources, source)
        .cloned()
        .ok_or_else(|| unknown("source", source))?;
    let description = t
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .unwrap_or(summary);
    let mut out = NewTicket::new(
        clip(summary, SUMMARY_MAX),
        clip(description, DESCRIPTION_MAX),
        board,
        source_id,
    );
    if let Some(c) = t.company.as_ref().filter(|c| c.system == System::CwAsio) {
        out.company = Some(EntityRef {
            id: Some(CompanyId::new(c.id.clone())),
        });
    }
    if let Some(dev) = t.device.as_ref().filter(|d| d.system == System::CwAsio) {
        out.assets.push(TicketAsset {
            id: Some(dev.id.as_str().into()),
            is_primary: Some(true),
        });
    }
    if let Some(p) = t.priority.as_deref() {
        out.priority = Some(crate::model::IdRef::new(lookups.priority_named(p)?));
    }
    if let Some(s) = t.status.as_deref() {
        out.status = Some(crate::model::IdRef::new(lookups.status_named(s)?));
    }
    Ok(out)
}

/// The replace-only JSON Patch that turns `before` into `after` (summary, description, status, priority).
/// Empty when nothing changed.
pub fn ticket_patch(
    before: &core::Ticket,
    after: &core::Ticket,
    lookups: &TicketLookups,
) -> Result<Vec<PatchOperation>, ConvertError> {
    let mut ops = Vec::new();
    if before.summary != after.summary && !after.summary.trim().is_empty() {
        ops.push(PatchOperation::replace(
            "/summary",
            json!(clip(after.summary.trim(), SUMMARY_MAX)),
        ));
    }
    if let Some(d) = after
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        && before.description.as_deref() != Some(d)
    {
        ops.push(PatchOperation::replace(
            "/description",
            json!(clip(d, DESCRIPTION_MAX)),
        ));
    }
    if let Some(s) = after
        .status
        .as_deref()
        .filter(|s| before.status.as_deref() != Some(*s))
    {
        ops.push(PatchOperation::replace(
            "/status",
            json!({ "id": lookups.status_named(s)? }),
        ));
    }
    if let Some(p) = after
        .priority
        .as_deref()
        .filter(|p| before.priority.as_deref() != Some(*p))
    {
        ops.push(PatchOperation::replace(
            "/priority",
            json!({ "id": lookups.priority_named(p)? }),
        ));
    }
    Ok(ops)
}
