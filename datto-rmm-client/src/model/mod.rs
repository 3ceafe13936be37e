//! Wire models in Datto's own field names. Every field the vendor does not guarantee is an `Option`, collections
//! default to empty (also when sent as `null`), unknown fields are ignored, vendor enums keep unknown values.

mod account;
mod activity;
mod alert;
mod audit;
mod auth;
mod device;
mod job;
mod page;
mod site;
mod system;
mod udf;
mod user;
mod variable;

pub use account::{Account, AccountDescriptor, AccountDevicesStatus};
pub use activity::{ActivityEntity, ActivityLog, ActivityLogsPage, ActivitySite, ActivityUser};
pub use alert::{
    Alert, AlertContext, AlertMonitorInfo, AlertPriority, AlertSourceInfo, AlertsPage,
    ResponseAction, ResponseActionType,
};
pub use audit::{
    AttachedDevice, AuditKind, BaseBoard, Bios, DeviceAudit, Display, EsxiDataExtent,
    EsxiDatastore, EsxiGuest, EsxiHostAudit, EsxiNic, EsxiProcessor, EsxiSystemInfo, LogicalDisk,
    MobileInfo, NetworkInterface, PhysicalMemory, PrinterAudit, PrinterCounters,
    PrinterMarkerSupply, PrinterSystemInfo, Processor, SnmpInfo, Software, SoftwarePage,
    SystemInfo, VideoBoard,
};
pub use auth::{OAuthError, TokenResponse};
pub use device::{
    Antivirus, AntivirusStatus, Device, DeviceClass, DeviceNetworkInterfaces, DeviceType,
    DevicesNetworkInterfacePage, DevicesPage, PatchManagement, PatchStatus,
};
pub use job::{
    Component, ComponentStatus, ComponentVariable, ComponentsPage, CreateQuickJobRequest,
    CreateQuickJobResponse, Job, JobComponent, JobComponentRequest, JobComponentResult,
    JobComponentVariable, JobComponentsPage, JobDeploymentStatus, JobResults, JobStatus,
    JobStdData,
};
pub use page::{DattoPage, PageDetails};
pub use site::{
    CreateSiteRequest, GeneralSettings, MailRecipient, ProxySettings, ProxyType, Site,
    SiteDevicesStatus, SiteSettings, SitesPage, SystemSite, UpdateSiteRequest,
};
pub use system::{OperationRateStatus, PaginationConfiguration, RateStatus, SystemStatus};
pub use udf::{MAX_UDF_INDEX, MAX_UDF_LEN, UdfError, UdfUpdate, Udfs};
pub use user::{User, UsersPage};
pub use variable::{NewVariable, Variable, VariableUpdate, VariablesPage};
