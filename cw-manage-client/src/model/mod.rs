//! Wire models in Manage's own field names.
//!
//! Every field the vendor does not guarantee is an `Option`, collections tolerate `null`, booleans and ids
//! tolerate string spellings, and keys this version does not know are kept in each record's `extra`.

mod board;
mod common;
mod company;
mod configuration;
mod contact;
mod error_body;
mod member;
mod procurement;
mod sales;
mod system;
mod ticket;

pub use board::{Board, BoardItem, BoardStatus, BoardSubType, BoardType, Priority, Source};
pub(crate) use common::compact_body;
pub use common::{
    Count, CustomField, CustomFieldDefinition, CustomFieldOption, CustomFieldType, EntryMethod,
    Info, Reference, custom_field,
};
pub use company::{Company, CompanySite, CompanyStatus, CompanyType, Market, Territory};
pub use configuration::{
    Configuration, ConfigurationQuestion, ConfigurationStatus, ConfigurationType,
    ConfigurationTypeQuestion,
};
pub use contact::{CommunicationItem, CommunicationType, Contact};
pub use error_body::{ErrorBody, ValidationError};
pub use member::Member;
pub use procurement::CatalogItem;
pub use sales::Opportunity;
pub use system::{CallbackEntry, CompanyInfo, LicenseBit, SystemInfo};
pub use ticket::{Level, RecordType, Ticket, TicketNote};
