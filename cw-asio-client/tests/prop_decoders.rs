//! Decoders never panic: arbitrary JSON trees (keyed with the vendor's own field names) and mutated fixtures
//! decode into every top-level wire model, or fail with an error, and whatever decodes converts to core.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns are test code too

#[path = "../../test-support/json_props.rs"]
mod json_props;

use cw_asio_client::convert::{self, TicketLookups};
use cw_asio_client::model as m;
use json_props::records;
use serde_json::Value;

/// Every top-level model, then the conversions on whatever decodes; returns how many records converted.
fn decode_everything(v: &Value) -> usize {
    json_props::decode_all!(v;
        m::CustomFieldDefinition, m::CustomFieldValue, m::EndpointListV1, m::DeviceGroup,
        m::ErrorBody, m::RateLimits, m::HeartbeatResponse, m::SystemStateInfo, m::UninstallResponse,
        m::MappingLookupResponse, m::ScheduledTask, m::TaskResults, m::TicketNote, m::TokenResponse,
    );
    let mut converted = 0;
    for c in records::<m::Company>(v) {
        converted += usize::from(convert::company(&c).is_ok());
    }
    for s in records::<m::Site>(v) {
        converted += usize::from(convert::site(&s, None).is_ok());
    }
    for e in records::<m::Endpoint>(v) {
        converted +=
            usize::from(convert::device(&e, &m::EndpointCategory::All, None, None).is_ok());
    }
    if let Ok(list) = serde_json::from_value::<m::EndpointList>(v.clone()) {
        for (category, group, e) in list.iter() {
            converted +=
                usize::from(convert::device(e, &category, group.company_id.as_ref(), None).is_ok());
        }
    }
    for d in records::<m::EndpointDetail>(v) {
        converted += usize::from(convert::device_detail(&d).is_ok());
    }
    let lookups = TicketLookups {
        boards: records::<m::ServiceBoard>(v),
        sources: records::<m::LookupItem>(v),
        statuses: records::<m::TicketStatus>(v),
        priorities: records::<m::LookupItem>(v),
    };
    let mut tickets = records::<m::Ticket>(v);
    if let Ok(page) = serde_json::from_value::<m::TicketPage>(v.clone()) {
        tickets.extend(page.tickets);
    }
    for t in &tickets {
        if let Ok(core) = convert::ticket(t, &lookups) {
            converted += 1;
            let _ = convert::new_ticket(&core, &lookups, "Default", "RMM");
            let _ = convert::ticket_patch(&core, &core, &lookups);
        }
    }
    converted
}

json_props::decoder_properties!(decode_everything);
