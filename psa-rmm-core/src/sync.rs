//! Sync flows as sans-IO planners plus one executor.
//!
//! Each flow reads records already fetched (see [`source`]) and returns a plan: plain data that serialises
//! with serde and prints as a table. Nothing is written until an [`Executor`] applies the plan through the
//! [`connector`](crate::connector) traits, and the executor is dry-run unless told otherwise.
//!
//! - [`companies`]: RMM companies/sites -> PSA companies through the matcher (links, suggestions).
//! - [`devices`]: device staging and sync: creates, updates with diffs, moves, vanished configurations.
//! - [`tickets`]: alerts -> PSA tickets, deduplicated, noted on repeat, closed on resolve.
//! - [`writeback`]: the PSA configuration id and warranty date written back to RMM devices.
//!
//! [`SyncJob`] wires the four flows over connectors for a service that just wants the job done.

pub mod companies;
pub mod devices;
pub mod executor;
pub mod job;
pub mod links;
pub mod source;
mod table;
pub mod tickets;
pub mod writeback;

#[cfg(test)]
mod fakes;

pub use companies::{CompanyAction, CompanyPlan, CompanyRow, plan_companies};
pub use devices::{
    DeviceAction, DeviceInputs, DevicePlan, DeviceRow, DeviceSkip, DeviceSyncPolicy,
    VanishedAction, VanishedRow, plan_devices,
};
pub use executor::{Entry, Executor, Flow, Progress, ProgressFn, Report, StepOutcome};
pub use job::{
    CustomerLevel, DeviceSnapshot, PsaSide, RmmSide, SyncJob, SyncRun, SyncSettings, TicketSnapshot,
};
pub use links::Links;
pub use tickets::{
    Grouping, OpenTicket, TicketAction, TicketInputs, TicketPlan, TicketPolicy, TicketRule,
    TicketSkip, plan_tickets,
};
pub use writeback::{WriteBack, WriteBackInputs, WriteBackPlan, WriteBackPolicy, plan_write_back};
