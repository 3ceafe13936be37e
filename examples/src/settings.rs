//! The demo's settings: type mappings, ignore rules, device policy and the ticket rule, in the shape an
//! MSP sets them up in the seed integrations (MSPortal's device type mappings and ignored categories,
//! ConnectSecure's integration rule).

use chrono::Utc;
use psa_rmm_core::connector::NoteVisibility;
use psa_rmm_core::mapping::{
    IgnoreRule, IgnoreTarget, MappingBook, Origin, TypeMapping, TypeSource,
};
use psa_rmm_core::model::{AlertSeverity, DeviceKind};
use psa_rmm_core::sync::{Grouping, SyncSettings, TicketPolicy, TicketRule};

/// Who the demo's manual setup is attributed to in the mapping book.
const SETUP_BY: &str = "psa-rmm demo setup";

/// A mapping book holding the setup a person makes once: RMM device kinds -> Manage configuration types,
/// and printers ignored (the "ignore categories you don't need" of MSPortal).
pub fn setup_book() -> MappingBook {
    let at = Utc::now();
    let mut book = MappingBook::new();
    let types = [
        (DeviceKind::Workstation, "Managed Workstation"),
        (DeviceKind::Laptop, "Managed Laptop"),
        (DeviceKind::Server, "Managed Server"),
        (DeviceKind::Hypervisor, "Managed Server"),
        (DeviceKind::NetworkDevice, "Network Device"),
    ];
    for (kind, psa_type) in types {
        book.map_type(TypeMapping {
            source: TypeSource::Kind(kind),
            psa_type: psa_type.to_owned(),
            origin: Origin::manual(SETUP_BY, at, None),
        });
    }
    book.ignore(IgnoreRule {
        target: IgnoreTarget::DeviceKind(DeviceKind::Printer),
        origin: Origin::manual(SETUP_BY, at, Some("printers are tracked elsewhere".into())),
    });
    book
}

/// The ticket rule: one ticket per alert on `board`, type "Alert", priority by severity, internal notes,
/// status "New" on open and "Closed" when the alert resolves.
pub fn ticket_rule(board: &str) -> TicketRule {
    let mut rule = TicketRule::new("RMM alerts", "Closed");
    rule.grouping = Grouping::PerAlert;
    rule.board = Some(board.to_owned());
    rule.service_type = Some("Alert".to_owned());
    rule.subtype = Some("Alert - General".to_owned());
    rule.status_on_open = Some("New".to_owned());
    rule.source = Some("RMM".to_owned());
    rule.note_visibility = NoteVisibility::Internal;
    rule.priority_by_severity = [
        (AlertSeverity::Critical, "Priority 1 - Emergency Response"),
        (AlertSeverity::High, "Priority 2 - Quick Response"),
        (AlertSeverity::Moderate, "Priority 3 - Normal Response"),
    ]
    .into_iter()
    .map(|(s, p)| (s, p.to_owned()))
    .collect();
    rule.default_priority = Some("Priority 4 - Low".to_owned());
    rule
}

/// Settings of every flow for the demo.
pub fn sync_settings(board: &str) -> SyncSettings {
    SyncSettings {
        tickets: TicketPolicy::with_rule(ticket_rule(board)),
        read_concurrency: 4,
        ..SyncSettings::default()
    }
}
