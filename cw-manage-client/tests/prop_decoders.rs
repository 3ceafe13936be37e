//! Decoders never panic: arbitrary JSON trees (keyed with the vendor's own field names) and mutated fixtures
//! decode into every top-level wire model, or fail with an error, and whatever decodes converts to core.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns are test code too

#[path = "../../test-support/json_props.rs"]
mod json_props;

use cw_manage_client::callback::CallbackDelivery;
use cw_manage_client::{convert, model as m};
use json_props::records;
use serde_json::Value;

/// Every top-level model, then the conversions on whatever decodes; returns how many records decoded.
fn decode_everything(v: &Value) -> usize {
    json_props::decode_all!(v;
        m::Board, m::BoardStatus, m::BoardType, m::BoardSubType, m::BoardItem, m::Priority, m::Source,
        m::CustomFieldDefinition, m::Count, m::CompanyStatus, m::CompanyType, m::Territory, m::Market,
        m::ConfigurationType, m::Contact, m::CommunicationItem, m::ErrorBody, m::Member,
        m::CatalogItem, m::Opportunity, m::SystemInfo, m::CompanyInfo, m::CallbackEntry,
        m::TicketNote,
    );
    let companies = records::<m::Company>(v);
    companies.iter().for_each(|c| drop(convert::company(c)));
    let sites = records::<m::CompanySite>(v);
    sites.iter().for_each(|s| drop(convert::site(s, None)));
    let statuses = records::<m::ConfigurationStatus>(v);
    let configs = records::<m::Configuration>(v);
    for c in &configs {
        let _ = convert::device(c);
        let _ = convert::device_with_statuses(c, &statuses);
    }
    let tickets = records::<m::Ticket>(v);
    tickets.iter().for_each(|t| drop(convert::ticket(t)));
    let bytes = serde_json::to_vec(v).unwrap();
    if let Ok(d) = CallbackDelivery::from_slice(&bytes) {
        let _ = d.entity_as::<m::Contact>();
        let _ = d.entity_as::<m::Ticket>();
    }
    companies.len() + sites.len() + configs.len() + tickets.len()
}

json_props::decoder_properties!(decode_everything);
