//! Devices: the v2 list (POST with a body of at most 4 companies, 10 sites or 500 endpoints, split and
//! merged here), v2 detail, and the legacy v1 list and detail.

use super::{DEFAULT_MAX_PAGES, next_link, page_budget};
use crate::client::{Client, Part, decode_or_default};
use crate::convert::{self, ConvertError};
use crate::error::{Error, Result};
use crate::model::{
    CompanyId, DeviceTokenRequest, Endpoint, EndpointCategory, EndpointDetail, EndpointId,
    EndpointList, EndpointListV1, EndpointsRequest, HeartbeatResponse, ResourceType, SiteId,
    SystemStateInfo,
};
use futures::stream::{self, BoxStream, StreamExt};
use psa_rmm_core::http::{Page, Request, paginate};
use psa_rmm_core::model::Device;
use reqwest::{Method, StatusCode};
use std::collections::HashSet;
use url::Url;

/// Most fields one `field=` projection may name.
pub const MAX_FIELDS: usize = 15;
/// Largest v2 page.
pub const MAX_PAGE: u32 = 500;
/// Companies per heartbeat call (the cap integrators use; the spec states none for this call).
pub const HEARTBEAT_BATCH: usize = 4;
const LIST_TEMPLATE: &str = "/api/platform/v2/device/categories/{category}/endpoints";

/// One endpoint of a v2 list, with the category and the company and site of its group (needed for the
/// detail call).
#[derive(Debug, Clone, PartialEq)]
pub struct ListedEndpoint {
    /// Category the endpoint was listed under.
    pub category: EndpointCategory,
    /// Company of its group.
    pub company_id: Option<CompanyId>,
    /// Site of its group.
    pub site_id: Option<SiteId>,
    /// The endpoint's fields (those projected).
    pub endpoint: Endpoint,
}

impl ListedEndpoint {
    /// The core device.
    pub fn to_device(&self) -> Result<Device, ConvertError> {
        convert::device(
            &self.endpoint,
            &self.category,
            self.company_id.as_ref(),
            self.site_id.as_ref(),
        )
    }
}

fn into_listed(list: EndpointList) -> Vec<ListedEndpoint> {
    let mut out = Vec::with_capacity(list.len());
    for (category, groups) in [
        (EndpointCategory::Platform, list.platform),
        (EndpointCategory::Network, list.network),
        (EndpointCategory::Cloud, list.cloud),
    ] {
        for group in groups {
            for endpoint in group.endpoints {
                out.push(ListedEndpoint {
                    category: category.clone(),
                    company_id: group.company_id.clone(),
                    site_id: group.site_id.clone(),
                    endpoint,
                });
            }
        }
    }
    out
}

/// Which legacy v1 list to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum V1Scope {
    /// Every endpoint of the partner.
    Partner,
    /// One company's endpoints.
    Company(CompanyId),
    /// One site's endpoints.
    Site(CompanyId, SiteId),
}

/// `/api/platform/v2/device/...` and the legacy `/api/platform/v1/device/...`.
#[derive(Debug, Clone)]
pub struct Devices {
    client: Client,
}

impl Devices {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// The v2 list of `category` for these companies, sites or endpoints. Any number of ids: the client
    /// splits them into bodies the API accepts and merges the answers without duplicates.
    pub fn list<I, S>(
        &self,
        category: EndpointCategory,
        resource_type: ResourceType,
        ids: I,
    ) -> DeviceList
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        DeviceList {
            client: self.client.clone(),
            category,
            resource_type,
            ids: ids.into_iter().map(Into::into).collect(),
            fields: Vec::new(),
            filter: None,
            sort_by: None,
            limit: MAX_PAGE,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }

    /// Every device (all categories) of these companies.
    pub fn of_companies<'a, I>(&self, companies: I) -> DeviceList
    where
        I: IntoIterator<Item = &'a CompanyId>,
    {
        self.list(
            EndpointCategory::All,
            ResourceType::Company,
            companies.into_iter().map(|c| c.as_str().to_owned()),
        )
    }

    /// v2 detail. Without `fields` the API returns metadata, `os` and `system`; ask for `bios`, `baseboard`,
    /// `networks`, ... explicitly.
    pub async fn detail(
        &self,
        company: &CompanyId,
        site: &SiteId,
        endpoint: &EndpointId,
        fields: &[&str],
    ) -> Result<EndpointDetail> {
        check_fields(fields.len())?;
        let mut url = self.client.url_segments(
            "/api/platform/v2/device/companies",
            &[
                Part::Id(company.as_str()),
                Part::Fixed("sites"),
                Part::Id(site.as_str()),
                Part::Fixed("endpoints"),
                Part::Id(endpoint.as_str()),
            ],
        )?;
        if !fields.is_empty() {
            url.query_pairs_mut()
                .append_pair("field", &fields.join(","));
        }
        self.client
            .get_json(
                "/api/platform/v2/device/companies/{companyID}/sites/{siteID}/endpoints/{endpointID}",
                url,
            )
            .await
    }

    /// Legacy v1 list (rows of company, site, endpoint id, type). Follows `Link` when present; a 404 is an
    /// empty list.
    pub async fn list_v1(&self, scope: &V1Scope) -> Result<Vec<Endpoint>> {
        let (template, url) = match scope {
            V1Scope::Partner => (
                "/api/platform/v1/device/endpoints",
                self.client
                    .url_segments("/api/platform/v1/device/endpoints", &[])?,
            ),
            V1Scope::Company(c) => (
                "/api/platform/v1/device/clients/{clientID}/endpoints",
                self.client.url_segments(
                    "/api/platform/v1/device/clients",
                    &[Part::Id(c.as_str()), Part::Fixed("endpoints")],
                )?,
            ),
            V1Scope::Site(c, s) => (
                "/api/platform/v1/device/clients/{clientID}/sites/{siteID}/endpoints",
                self.client.url_segments(
                    "/api/platform/v1/device/clients",
                    &[
                        Part::Id(c.as_str()),
                        Part::Fixed("sites"),
                        Part::Id(s.as_str()),
                        Part::Fixed("endpoints"),
                    ],
                )?,
            ),
        };
        let client = self.client.clone();
        let stream = paginate(url, move |url| {
            let client = client.clone();
            async move { v1_page(&client, template, url).await }
        });
        futures::TryStreamExt::try_collect(stream).await
    }

    /// Legacy v1 detail: flat, every hardware section included.
    pub async fn detail_v1(&self, endpoint: &EndpointId) -> Result<Endpoint> {
        let url = self.client.url_segments(
            "/api/platform/v1/device/endpoints",
            &[Part::Id(endpoint.as_str())],
        )?;
        self.client
            .get_json("/api/platform/v1/device/endpoints/{endpointID}", url)
            .await
    }

    /// Online status of the agents of these companies (`GET .../endpoints/heartbeat`), asked four companies
    /// at a time. The `resourceType` the API accepts has changed on live tenants (`endpoints` 403, `clients`
    /// 400, `companies` fine), so each spelling is tried in turn on a 400 or 403 and the one that works is
    /// remembered.
    pub async fn heartbeat(&self, companies: &[CompanyId]) -> Result<HeartbeatResponse> {
        let mut merged = HeartbeatResponse::default();
        let mut seen = HashSet::new();
        let ids: Vec<&CompanyId> = companies
            .iter()
            .filter(|c| seen.insert((*c).clone()))
            .collect();
        for chunk in ids.chunks(HEARTBEAT_BATCH) {
            let resources: Vec<&str> = chunk.iter().map(|c| c.as_str()).collect();
            let page = self.heartbeat_batch(&resources.join(",")).await?;
            merged.successful_records.extend(page.successful_records);
            merged.failed_records.extend(page.failed_records);
        }
        merged.status = Some(
            match (
                merged.successful_records.is_empty(),
                merged.failed_records.is_empty(),
            ) {
                (_, true) => "successful",
                (true, false) => "failed",
                (false, false) => "partial_success",
            }
            .to_owned(),
        );
        Ok(merged)
    }

    async fn heartbeat_batch(&self, resources: &str) -> Result<HeartbeatResponse> {
        let styles = self.client.heartbeat_styles();
        let first = self.client.heartbeat_style();
        let mut last_error = None;
        for step in 0..styles.len() {
            let index = (first + step) % styles.len();
            let mut url = self
                .client
                .url_segments("/api/platform/v2/device/endpoints/heartbeat", &[])?;
            url.query_pairs_mut()
                .append_pair("resourceType", &styles[index])
                .append_pair("resources", resources);
            match self
                .client
                .send(Request::get(
                    "/api/platform/v2/device/endpoints/heartbeat",
                    url,
                ))
                .await
            {
                Ok(resp) => {
                    self.client.remember_heartbeat_style(index);
                    return decode_or_default(&resp);
                }
                Err(e)
                    if matches!(
                        e.status(),
                        Some(StatusCode::BAD_REQUEST | StatusCode::FORBIDDEN)
                    ) =>
                {
                    last_error = Some(e);
                }
                Err(e) => return Err(e),
            }
        }
        Err(last_error
            .unwrap_or_else(|| Error::InvalidInput("no heartbeat resourceType to try".into())))
    }

    /// The agent install token of a site (`POST /api/platform/v1/device/token`; get-or-create, so the same
    /// site always gets the same token). Sent as `companyID`, which the live API wants instead of the
    /// spec's `clientID`.
    pub async fn install_token(&self, company: &CompanyId, site: &SiteId) -> Result<String> {
        let url = self
            .client
            .url_segments("/api/platform/v1/device/token", &[])?;
        let body = DeviceTokenRequest {
            company_id: company.as_str().to_owned(),
            site_id: site.as_str().to_owned(),
        };
        let req = Request::post("/api/platform/v1/device/token", url)
            .json(&body)?
            .idempotent(true);
        crate::client::decode(&self.client.send(req).await?)
    }

    /// Last boot and logged-on users.
    pub async fn system_state(&self, endpoint: &EndpointId) -> Result<SystemStateInfo> {
        let url = self.client.url_segments(
            "/api/platform/v2/device/endpoints",
            &[
                Part::Id(endpoint.as_str()),
                Part::Fixed("system-state-info"),
            ],
        )?;
        self.client
            .get_json(
                "/api/platform/v2/device/endpoints/{endpointId}/system-state-info",
                url,
            )
            .await
    }
}

async fn v1_page(client: &Client, template: &'static str, url: Url) -> Result<Page<Endpoint, Url>> {
    let resp = match client.send(Request::get(template, url.clone())).await {
        Ok(resp) => resp,
        Err(e) if e.status() == Some(StatusCode::NOT_FOUND) => {
            return Ok(Page::new(Vec::new(), None));
        }
        Err(e) => return Err(e),
    };
    let list: EndpointListV1 = decode_or_default(&resp)?;
    Ok(Page::new(
        list.endpoints,
        next_link(client, resp.headers(), &url)?,
    ))
}

fn check_fields(n: usize) -> Result<()> {
    if n > MAX_FIELDS {
        return Err(Error::InvalidInput(format!(
            "the API projects at most {MAX_FIELDS} fields, {n} were asked for"
        )));
    }
    Ok(())
}

/// A v2 device listing; see [`Devices::list`].
#[derive(Debug, Clone)]
pub struct DeviceList {
    client: Client,
    category: EndpointCategory,
    resource_type: ResourceType,
    ids: Vec<String>,
    fields: Vec<String>,
    filter: Option<String>,
    sort_by: Option<String>,
    limit: u32,
    max_pages: u32,
}

impl DeviceList {
    /// Most pages to follow per request body before failing (default [`DEFAULT_MAX_PAGES`]).
    pub fn max_pages(mut self, max: u32) -> Self {
        self.max_pages = max.max(1);
        self
    }

    /// Sections and fields to project (at most 15), e.g. `["system", "os", "bios", "baseboard", "networks"]`.
    pub fn fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// A `filter` expression such as `endpointType in (Server,Desktop)`.
    pub fn filter(mut self, expr: impl Into<String>) -> Self {
        self.filter = Some(expr.into());
        self
    }

    /// A `sortBy` such as `friendlyName asc`.
    pub fn sort_by(mut self, sort: impl Into<String>) -> Self {
        self.sort_by = Some(sort.into());
        self
    }

    /// Page size (1 to 500).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit.clamp(1, MAX_PAGE);
        self
    }

    /// The request bodies this listing sends: ids de-duplicated (case-insensitively) and split by the
    /// API's per-body limit.
    pub fn batches(&self) -> Vec<EndpointsRequest> {
        let mut seen = HashSet::new();
        let ids: Vec<&String> = self
            .ids
            .iter()
            .filter(|id| !id.trim().is_empty() && seen.insert(id.to_ascii_lowercase()))
            .collect();
        ids.chunks(self.resource_type.body_limit())
            .map(|chunk| EndpointsRequest {
                resource_type: self.resource_type.clone(),
                resources: chunk.iter().map(|s| (*s).clone()).collect(),
            })
            .collect()
    }

    fn first_url(&self) -> Result<Url> {
        check_fields(self.fields.len())?;
        let mut url = self.client.url_segments(
            "/api/platform/v2/device/categories",
            &[Part::Id(self.category.as_str()), Part::Fixed("endpoints")],
        )?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("limit", &self.limit.to_string());
            if !self.fields.is_empty() {
                q.append_pair("field", &self.fields.join(","));
            }
            if let Some(f) = &self.filter {
                q.append_pair("filter", f);
            }
            if let Some(s) = &self.sort_by {
                q.append_pair("sortBy", s);
            }
        }
        Ok(url)
    }

    /// Every endpoint, each exactly once across batches and pages; ends at the first error.
    pub fn stream(self) -> BoxStream<'static, Result<ListedEndpoint>> {
        let first = match self.first_url() {
            Ok(url) => url,
            Err(e) => return stream::once(async move { Err(e) }).boxed(),
        };
        let batches = self.batches();
        let max_pages = self.max_pages;
        let client = self.client;
        let pages = stream::iter(batches)
            .map(move |body| {
                let client = client.clone();
                let mut budget = page_budget(max_pages);
                paginate(first.clone(), move |url| {
                    let (client, body) = (client.clone(), body.clone());
                    let allowed = budget();
                    async move {
                        allowed?;
                        device_page(&client, url, &body).await
                    }
                })
            })
            .flatten();
        let mut seen: HashSet<EndpointId> = HashSet::new();
        let mut failed = false;
        pages
            .filter_map(move |item| {
                let keep = match &item {
                    Ok(e) => e
                        .endpoint
                        .endpoint_id
                        .as_ref()
                        .is_none_or(|id| seen.insert(id.clone())),
                    Err(_) => true,
                };
                futures::future::ready(keep.then_some(item))
            })
            .take_while(move |item| {
                let go = !failed;
                failed |= item.is_err();
                futures::future::ready(go)
            })
            .boxed()
    }

    /// Every endpoint, collected.
    pub async fn collect(self) -> Result<Vec<ListedEndpoint>> {
        futures::TryStreamExt::try_collect(self.stream()).await
    }
}

async fn device_page(
    client: &Client,
    url: Url,
    body: &EndpointsRequest,
) -> Result<Page<ListedEndpoint, Url>> {
    let build = |method: Method| -> Result<Request> {
        Ok(Request::new(method, LIST_TEMPLATE, url.clone())
            .json(body)?
            .idempotent(true))
    };
    let method = if client.device_list_uses_get() {
        Method::GET
    } else {
        Method::POST
    };
    let sent = match client.send(build(method.clone())?).await {
        // Some tenants want GET with a body on this route (spec says POST); remember which one works.
        Err(e) if method == Method::POST && e.status() == Some(StatusCode::METHOD_NOT_ALLOWED) => {
            let resp = client.send(build(Method::GET)?).await;
            if resp.is_ok() {
                client.remember_device_list_get();
            }
            resp
        }
        other => other,
    };
    let resp = match sent {
        Ok(resp) => resp,
        Err(e) if e.status() == Some(StatusCode::NOT_FOUND) => {
            return Ok(Page::new(Vec::new(), None));
        }
        Err(e) => return Err(e),
    };
    let list: EndpointList = decode_or_default(&resp)?;
    Ok(Page::new(
        into_listed(list),
        next_link(client, resp.headers(), &url)?,
    ))
}
