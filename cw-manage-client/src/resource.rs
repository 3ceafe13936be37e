//! Typed resource groups: `client.companies().list(query).stream()`, `.get(id)`, `.create(&record)`,
//! `.update(id, &patch)`, `.delete(id)`, `.count(&query)`, where the vendor allows each.

use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use reqwest::Method;
use reqwest::header::HeaderValue;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::{Call, Client, decode};
use crate::conditions::Query;
use crate::error::Error;
use crate::ids::*;
use crate::list::{IdOnly, ListRequest, Record};
use crate::model::*;
use crate::patch::{OpKind, Patch};

/// A Manage record type with an id newtype.
pub trait Model: DeserializeOwned + Serialize + Record + Send + 'static {
    /// Its id type.
    type Id: Copy + std::fmt::Display + Into<i64>;
}

/// Records the vendor lets you create (POST).
pub trait Creatable: Model {}
/// Records the vendor lets you change (PATCH).
pub trait Updatable: Model {}
/// Records the vendor lets you delete.
pub trait Deletable: Model {}

macro_rules! models {
    ($($t:ty => $id:ty $(: $($cap:ident),*)?;)+) => {$(
        impl Record for $t {
            fn record_id(&self) -> i64 {
                self.id.get()
            }
        }
        impl Model for $t {
            type Id = $id;
        }
        $($(impl $cap for $t {})*)?
    )+};
}

macro_rules! id_into_i64 {
    ($($id:ty),+) => {$(
        impl From<$id> for i64 {
            fn from(v: $id) -> i64 {
                v.get()
            }
        }
    )+};
}

id_into_i64!(
    CompanyId,
    CompanyStatusId,
    CompanyTypeId,
    ContactId,
    SiteId,
    ConfigurationId,
    ConfigurationTypeId,
    ConfigurationStatusId,
    QuestionId,
    TicketId,
    NoteId,
    BoardId,
    StatusId,
    ServiceTypeId,
    SubTypeId,
    ItemId,
    PriorityId,
    SourceId,
    MemberId,
    OpportunityId,
    CatalogItemId,
    CallbackId,
    LocationId,
    MarketId
);

models! {
    Company => CompanyId: Creatable, Updatable, Deletable;
    CompanyStatus => CompanyStatusId;
    CompanyType => CompanyTypeId;
    CompanySite => SiteId: Creatable, Updatable, Deletable;
    Contact => ContactId: Creatable, Updatable, Deletable;
    Configuration => ConfigurationId: Creatable, Updatable, Deletable;
    ConfigurationType => ConfigurationTypeId;
    ConfigurationStatus => ConfigurationStatusId;
    ConfigurationTypeQuestion => QuestionId;
    Ticket => TicketId: Creatable, Updatable, Deletable;
    TicketNote => NoteId: Creatable, Updatable, Deletable;
    Board => BoardId;
    BoardStatus => StatusId;
    BoardType => ServiceTypeId;
    BoardSubType => SubTypeId;
    BoardItem => ItemId;
    Priority => PriorityId;
    Source => SourceId;
    Member => MemberId;
    Opportunity => OpportunityId: Updatable;
    CatalogItem => CatalogItemId;
    CallbackEntry => CallbackId: Creatable, Deletable;
    Territory => LocationId;
    Market => MarketId;
}

/// One collection of the API (`/company/configurations`, `/service/boards/5/statuses`, ...).
pub struct Resource<T> {
    client: Client,
    path: String,
    template: &'static str,
    item_template: &'static str,
    search: bool,
    accept: Option<HeaderValue>,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for Resource<T> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            path: self.path.clone(),
            template: self.template,
            item_template: self.item_template,
            search: self.search,
            accept: self.accept.clone(),
            _t: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Resource<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resource")
            .field("path", &self.path)
            .field("template", &self.template)
            .field("item_template", &self.item_template)
            .field("search", &self.search)
            .finish_non_exhaustive()
    }
}

impl<T: Model> Resource<T> {
    pub(crate) fn new(
        client: Client,
        path: String,
        template: &'static str,
        item_template: &'static str,
        search: bool,
    ) -> Self {
        Self {
            client,
            path,
            template,
            item_template,
            search,
            accept: None,
            _t: PhantomData,
        }
    }

    /// Pins another model version for this resource's calls (some endpoints reject the client-wide pin).
    pub fn api_version(mut self, version: &str) -> Result<Self, Error> {
        let v = version.trim();
        if v.is_empty() || !v.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(Error::Config(format!(
                "api_version {v:?} is not a version such as 2020.4"
            )));
        }
        self.accept = Some(
            HeaderValue::from_str(&format!(
                "application/vnd.connectwise.com+json; version={v}"
            ))
            .map_err(|_| Error::Config("api_version is not a valid header value".into()))?,
        );
        Ok(self)
    }

    fn headers(&self) -> Vec<(reqwest::header::HeaderName, HeaderValue)> {
        self.accept
            .iter()
            .map(|v| (reqwest::header::ACCEPT, v.clone()))
            .collect()
    }

    /// The collection path under `apis/3.0`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// A listing of the records `query` selects (default page size 1000).
    pub fn list(&self, query: Query) -> ListRequest<T> {
        ListRequest::new(
            self.client.clone(),
            self.path.clone(),
            self.template,
            query,
            self.search,
        )
        .with_headers(self.headers())
    }

    /// Every record.
    pub fn all(&self) -> ListRequest<T> {
        self.list(Query::new())
    }

    /// Records changed at or after `since` (`lastUpdated >= [since]`), forward-only: incremental sync.
    pub fn changed_since(&self, since: DateTime<Utc>) -> ListRequest<T> {
        self.list(Query::new().changed_since(since))
    }

    /// Only the ids of the records `query` selects (`fields=id`): compare with what you hold to find
    /// deletions, which polling cannot otherwise see.
    pub fn ids(&self, query: Query) -> ListRequest<IdOnly> {
        ListRequest::new(
            self.client.clone(),
            self.path.clone(),
            self.template,
            query.fields(["id"]),
            self.search,
        )
        .with_headers(self.headers())
    }

    /// How many records `query` selects (`GET .../count`).
    pub async fn count(&self, query: &Query) -> Result<u64, Error> {
        let mut call = Call::new(
            Method::GET,
            format!("{}/count", self.template),
            format!("{}/count", self.path),
        );
        call.headers = self.headers();
        call.query = query
            .params()?
            .into_iter()
            .filter(|(k, _)| {
                matches!(
                    *k,
                    "conditions" | "childConditions" | "customFieldConditions"
                )
            })
            .collect();
        let c: Count = self.client.execute_json(call).await?;
        Ok(c.count.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
    }

    fn item_call(&self, method: Method, id: T::Id) -> Call {
        let mut call = Call::new(method, self.item_template, format!("{}/{id}", self.path));
        call.item = true;
        call.headers = self.headers();
        call
    }

    /// One record by id.
    pub async fn get(&self, id: T::Id) -> Result<T, Error> {
        self.client
            .execute_json(self.item_call(Method::GET, id))
            .await
    }
}

impl<T: Creatable> Resource<T> {
    /// Creates a record (POST): `None` fields, `_info` and an unset id are left out. Returns the stored
    /// record. Not retried once it may have reached the server (a retry could create a duplicate).
    pub async fn create(&self, record: &T) -> Result<T, Error> {
        let body = serde_json::to_value(record)
            .map(compact_body)
            .and_then(|v| serde_json::to_vec(&v))
            .map_err(|e| Error::Config(format!("record does not serialize: {e}")))?;
        let mut call = Call::new(Method::POST, self.template, self.path.clone());
        call.headers = self.headers();
        call.body = Some(body);
        self.client.execute_json(call).await
    }
}

impl<T: Updatable> Resource<T> {
    /// Applies `patch` (PATCH) and checks the returned record holds every value sent: Manage can answer
    /// 200 without applying, which is reported as [`Error::NotApplied`].
    pub async fn update(&self, id: T::Id, patch: &Patch) -> Result<T, Error> {
        patch.validate()?;
        let mut call = self.item_call(Method::PATCH, id);
        call.body = Some(
            serde_json::to_vec(patch)
                .map_err(|e| Error::Config(format!("patch does not serialize: {e}")))?,
        );
        let resp = self.client.execute(call).await?;
        let raw: Value = decode(&resp)?;
        check_applied(&format!("{}/{id}", self.path), patch, &raw)?;
        decode(&resp)
    }

    /// [`update`](Self::update), then reads the record back and checks again, for changes that must
    /// not silently fail (closing tickets, write-backs).
    pub async fn update_verified(&self, id: T::Id, patch: &Patch) -> Result<T, Error> {
        self.update(id, patch).await?;
        let resp = self.client.execute(self.item_call(Method::GET, id)).await?;
        let raw: Value = decode(&resp)?;
        check_applied(&format!("{}/{id}", self.path), patch, &raw)?;
        decode(&resp)
    }
}

impl<T: Deletable> Resource<T> {
    /// Deletes a record.
    pub async fn delete(&self, id: T::Id) -> Result<(), Error> {
        self.client
            .execute(self.item_call(Method::DELETE, id))
            .await
            .map(drop)
    }
}

fn scalar_eq(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::String(e), Value::String(a)) => {
            let (e, a) = (e.trim(), a.trim());
            if e.eq_ignore_ascii_case(a) {
                return true;
            }
            match (crate::parse_datetime(e), crate::parse_datetime(a)) {
                (Some(x), Some(y)) => x == y,
                _ => false,
            }
        }
        (Value::Number(e), Value::Number(a)) => match (e.as_f64(), a.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() < 1e-9,
            _ => e == a,
        },
        (Value::Number(e), Value::String(a)) | (Value::String(a), Value::Number(e)) => {
            a.trim() == e.to_string()
        }
        (e, a) => e == a,
    }
}

fn applied(expected: &Value, actual: Option<&Value>) -> bool {
    match (expected, actual) {
        (Value::Null, None | Some(Value::Null)) => true,
        (Value::String(s), None | Some(Value::Null)) => s.is_empty(),
        // A reference sent by one key matches when the stored reference has that key's value.
        (Value::Object(e), Some(Value::Object(a))) => e.iter().all(|(k, v)| applied(v, a.get(k))),
        // Arrays (custom fields, questions) are merged server-side; not compared.
        (Value::Array(_), _) => true,
        (e, Some(a)) => scalar_eq(e, a),
        (_, None) => false,
    }
}

/// Checks that `record` holds what `patch` set (top-level replace/add operations).
pub(crate) fn check_applied(resource: &str, patch: &Patch, record: &Value) -> Result<(), Error> {
    for op in patch.ops() {
        if op.op == OpKind::Remove {
            continue;
        }
        let Some(expected) = &op.value else { continue };
        let path = op.path.trim_start_matches('/');
        let actual = record.get(path).or_else(|| {
            record.as_object().and_then(|m| {
                m.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(path))
                    .map(|(_, v)| v)
            })
        });
        if !applied(expected, actual) {
            return Err(Error::NotApplied {
                resource: resource.to_owned(),
                path: path.to_owned(),
                expected: expected.to_string(),
                actual: actual.map_or_else(|| "nothing".to_owned(), Value::to_string),
            });
        }
    }
    Ok(())
}

/// Resource groups.
impl Client {
    fn res<T: Model>(
        &self,
        path: String,
        template: &'static str,
        item_template: &'static str,
    ) -> Resource<T> {
        Resource::new(self.clone(), path, template, item_template, false)
    }

    /// `/company/companies`.
    pub fn companies(&self) -> Resource<Company> {
        self.res(
            "/company/companies".into(),
            "/company/companies",
            "/company/companies/{id}",
        )
    }
    /// `/company/companies/statuses`.
    pub fn company_statuses(&self) -> Resource<CompanyStatus> {
        self.res(
            "/company/companies/statuses".into(),
            "/company/companies/statuses",
            "/company/companies/statuses/{id}",
        )
    }
    /// `/company/companies/types`.
    pub fn company_types(&self) -> Resource<CompanyType> {
        self.res(
            "/company/companies/types".into(),
            "/company/companies/types",
            "/company/companies/types/{id}",
        )
    }
    /// `/company/companies/{company}/sites`.
    pub fn company_sites(&self, company: CompanyId) -> Resource<CompanySite> {
        self.res(
            format!("/company/companies/{company}/sites"),
            "/company/companies/{parentId}/sites",
            "/company/companies/{parentId}/sites/{id}",
        )
    }
    /// `/system/locations` (what company territories point at).
    pub fn territories(&self) -> Resource<Territory> {
        self.res(
            "/system/locations".into(),
            "/system/locations",
            "/system/locations/{id}",
        )
    }
    /// `/company/marketDescriptions`.
    pub fn markets(&self) -> Resource<Market> {
        self.res(
            "/company/marketDescriptions".into(),
            "/company/marketDescriptions",
            "/company/marketDescriptions/{id}",
        )
    }
    /// `/company/contacts`.
    pub fn contacts(&self) -> Resource<Contact> {
        self.res(
            "/company/contacts".into(),
            "/company/contacts",
            "/company/contacts/{id}",
        )
    }
    /// `/company/configurations`.
    pub fn configurations(&self) -> Resource<Configuration> {
        self.res(
            "/company/configurations".into(),
            "/company/configurations",
            "/company/configurations/{id}",
        )
    }
    /// `/company/configurations/types`.
    pub fn configuration_types(&self) -> Resource<ConfigurationType> {
        self.res(
            "/company/configurations/types".into(),
            "/company/configurations/types",
            "/company/configurations/types/{id}",
        )
    }
    /// `/company/configurations/statuses`.
    pub fn configuration_statuses(&self) -> Resource<ConfigurationStatus> {
        self.res(
            "/company/configurations/statuses".into(),
            "/company/configurations/statuses",
            "/company/configurations/statuses/{id}",
        )
    }
    /// `/company/configurations/types/{type}/questions`.
    pub fn configuration_type_questions(
        &self,
        config_type: ConfigurationTypeId,
    ) -> Resource<ConfigurationTypeQuestion> {
        self.res(
            format!("/company/configurations/types/{config_type}/questions"),
            "/company/configurations/types/{parentId}/questions",
            "/company/configurations/types/{parentId}/questions/{id}",
        )
    }
    /// `/service/tickets` (long queries go to `POST /service/tickets/search`).
    pub fn tickets(&self) -> Resource<Ticket> {
        Resource::new(
            self.clone(),
            "/service/tickets".into(),
            "/service/tickets",
            "/service/tickets/{id}",
            true,
        )
    }
    /// `/service/tickets/{ticket}/notes`.
    pub fn ticket_notes(&self, ticket: TicketId) -> Resource<TicketNote> {
        self.res(
            format!("/service/tickets/{ticket}/notes"),
            "/service/tickets/{parentId}/notes",
            "/service/tickets/{parentId}/notes/{id}",
        )
    }
    /// `/service/boards`.
    pub fn boards(&self) -> Resource<Board> {
        self.res(
            "/service/boards".into(),
            "/service/boards",
            "/service/boards/{id}",
        )
    }
    /// `/service/boards/{board}/statuses`.
    pub fn board_statuses(&self, board: BoardId) -> Resource<BoardStatus> {
        self.res(
            format!("/service/boards/{board}/statuses"),
            "/service/boards/{parentId}/statuses",
            "/service/boards/{parentId}/statuses/{id}",
        )
    }
    /// `/service/boards/{board}/types`.
    pub fn board_types(&self, board: BoardId) -> Resource<BoardType> {
        self.res(
            format!("/service/boards/{board}/types"),
            "/service/boards/{parentId}/types",
            "/service/boards/{parentId}/types/{id}",
        )
    }
    /// `/service/boards/{board}/subtypes`.
    pub fn board_subtypes(&self, board: BoardId) -> Resource<BoardSubType> {
        self.res(
            format!("/service/boards/{board}/subtypes"),
            "/service/boards/{parentId}/subtypes",
            "/service/boards/{parentId}/subtypes/{id}",
        )
    }
    /// `/service/boards/{board}/items`.
    pub fn board_items(&self, board: BoardId) -> Resource<BoardItem> {
        self.res(
            format!("/service/boards/{board}/items"),
            "/service/boards/{parentId}/items",
            "/service/boards/{parentId}/items/{id}",
        )
    }
    /// `/service/priorities`.
    pub fn priorities(&self) -> Resource<Priority> {
        self.res(
            "/service/priorities".into(),
            "/service/priorities",
            "/service/priorities/{id}",
        )
    }
    /// `/service/sources`.
    pub fn sources(&self) -> Resource<Source> {
        self.res(
            "/service/sources".into(),
            "/service/sources",
            "/service/sources/{id}",
        )
    }
    /// `/system/members`.
    pub fn members(&self) -> Resource<Member> {
        self.res(
            "/system/members".into(),
            "/system/members",
            "/system/members/{id}",
        )
    }
    /// `/sales/opportunities`.
    pub fn opportunities(&self) -> Resource<Opportunity> {
        self.res(
            "/sales/opportunities".into(),
            "/sales/opportunities",
            "/sales/opportunities/{id}",
        )
    }
    /// `/procurement/catalog`.
    pub fn catalog(&self) -> Resource<CatalogItem> {
        self.res(
            "/procurement/catalog".into(),
            "/procurement/catalog",
            "/procurement/catalog/{id}",
        )
    }
    /// `/system/callbacks`.
    pub fn callbacks(&self) -> Resource<CallbackEntry> {
        self.res(
            "/system/callbacks".into(),
            "/system/callbacks",
            "/system/callbacks/{id}",
        )
    }
}
