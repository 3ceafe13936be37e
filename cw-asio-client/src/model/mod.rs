//! Wire models in the vendor's own field names. Every field the API does not guarantee is optional, lists
//! default to empty (also on `null`), unknown fields are ignored, and key spellings that drift between
//! endpoints decode through aliases.

mod auth;
mod company;
mod custom_field;
mod device;
mod error_body;
mod group;
mod ids;
mod misc;
mod ticket;

pub use auth::{TokenRequest, TokenResponse};
pub use company::{
    ActivityStatus, Address, Company, CompanyRef, Contact, CorpContainer, Email, ExternalId,
    NamedRef, Phone, Site,
};
pub use custom_field::{
    AttributeType, CustomFieldDefinition, CustomFieldValue, CustomFieldValueUpdate, EntityType,
    Validation, ValidationOptions,
};
pub use device::{
    AntiVirus, Baseboard, Bios, Drive, Endpoint, EndpointCategory, EndpointDetail, EndpointGroup,
    EndpointList, EndpointListV1, EndpointMapping, EndpointType, EndpointsRequest,
    InstalledSoftware, LocalUser, MemoryModule, NetworkAdapter, Os, Processor, ResourceType,
    SystemInfo, VirtualType,
};
pub use error_body::ErrorBody;
pub use group::DeviceGroup;
pub use ids::{
    AttributeId, CompanyId, DeviceGroupId, EndpointId, LookupId, NoteId, SiteId, TicketId,
};
pub use misc::{
    DeviceTokenRequest, Heartbeat, HeartbeatFailure, HeartbeatGroup, HeartbeatResponse,
    LoggedOnUser, MappingLookupRequest, MappingLookupResponse, MappingSchemaRef, RateLimitBucket,
    RateLimits, ScheduledTask, StartupStatus, SystemStateInfo, TaskResult, TaskResults,
    UninstallEndpoint, UninstallRequest, UninstallResponse,
};
pub use ticket::{
    DESCRIPTION_MAX, EntityRef, ExtendedAttribute, IdName, IdRef, LookupItem, NOTE_DETAIL_MAX,
    Named, NewTicket, NewTicketNote, NoteVisibility, PatchOp, PatchOperation, SUMMARY_MAX,
    ServiceBoard, SlaStatus, StatusCategory, Ticket, TicketAsset, TicketNote, TicketPage,
    TicketStatus, find_by_name,
};
