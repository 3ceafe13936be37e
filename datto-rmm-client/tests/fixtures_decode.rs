//! Every vendor fixture in tests/fixtures decodes, and the fields that matter survive decoding and conversion.

use chrono::{DateTime, NaiveDate};
use datto_rmm_client::convert::{alert_to_core, device_to_core, site_to_company, site_to_core};
use datto_rmm_client::model::*;
use psa_rmm_core::model::{AlertSeverity, DeviceKind};
use serde::de::DeserializeOwned;

fn load<T: DeserializeOwned>(name: &str) -> T {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let de = &mut serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(de).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_fixture_file_is_covered() {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let covered = [
        "account.skeleton.json",
        "alert.json",
        "alert_list_page.skeleton.json",
        "alert_resolved_online_offline.json",
        "device.json",
        "device_audit.skeleton.json",
        "device_list_page.json",
        "device_network_interface_page.skeleton.json",
        "device_rmmnetworkdevice.json",
        "error_oauth_token.mock.json",
        "esxihost_audit.skeleton.json",
        "printer_audit.skeleton.json",
        "quick_job_request.skeleton.json",
        "quick_job_response.skeleton.json",
        "request_rate.skeleton.json",
        "site.skeleton.json",
        "site_list_page.skeleton.json",
        "software_page.skeleton.json",
        "token_response.skeleton.json",
        "udf_write_request.skeleton.json",
        "variables_page.skeleton.json",
    ];
    assert_eq!(names, covered);
}

#[test]
fn account() {
    let a: Account = load("account.skeleton.json");
    assert_eq!(a.id, Some(0));
    assert_eq!(
        a.descriptor.unwrap().biling_email.as_deref(),
        Some("string")
    );
    assert_eq!(a.devices_status.unwrap().number_of_managed_devices, Some(0));
}

#[test]
fn alert_comp_script() {
    let a: Alert = load("alert.json");
    assert_eq!(a.priority, Some(AlertPriority::Moderate));
    assert_eq!(
        a.timestamp,
        DateTime::from_timestamp_millis(1_721_131_200_000)
    );
    let ctx = a.alert_context.as_ref().unwrap();
    assert_eq!(ctx.class.as_deref(), Some("comp_script_ctx"));
    assert_eq!(ctx.field_text("exitCode").as_deref(), Some("1"));
    assert_eq!(
        a.response_actions[0].action_time,
        DateTime::from_timestamp_millis(1_721_131_200_000)
    );
    assert_eq!(
        a.response_actions[0].action_type,
        Some(ResponseActionType::EmailSent)
    );
    let core = alert_to_core(&a).unwrap();
    assert_eq!(core.severity, AlertSeverity::Moderate);
    assert_eq!(core.category.as_deref(), Some("comp_script"));
    assert_eq!(core.device_name.as_deref(), Some("server1"));
    assert!(!core.resolved);
}

#[test]
fn alert_resolved() {
    let a: Alert = load("alert_resolved_online_offline.json");
    let core = alert_to_core(&a).unwrap();
    assert!(core.resolved);
    assert_eq!(
        core.resolved_at,
        DateTime::from_timestamp_millis(1_721_141_000_000)
    );
    assert_eq!(core.category.as_deref(), Some("online_offline_status"));
    assert_eq!(core.severity, AlertSeverity::Information);
}

#[test]
fn alert_list_page() {
    let p: AlertsPage = load("alert_list_page.skeleton.json");
    assert!(p.has_next());
    let a = &p.alerts[0];
    assert_eq!(
        a.resolved_on,
        DateTime::from_timestamp_millis(1_700_000_000_000)
    );
    assert_eq!(
        a.alert_context.as_ref().unwrap().category(),
        Some("disk_usage")
    );
    // "string" is no timestamp: lenient decoding yields None instead of failing the page.
    assert_eq!(a.response_actions[0].action_time, None);
}

#[test]
fn device_and_page() {
    let d: Device = load("device.json");
    assert_eq!(d.uid.as_ref().unwrap().as_str(), "device-uid-1");
    assert_eq!(d.device_class, Some(DeviceClass::Device));
    assert_eq!(
        d.last_audit_date,
        DateTime::from_timestamp_millis(1_721_023_500_000)
    );
    assert_eq!(d.warranty_date, NaiveDate::from_ymd_opt(2026, 1, 1));
    assert_eq!(d.udf.get(1), Some("value1"));
    assert_eq!(d.udf.get(2), None);
    assert_eq!(
        d.patch_management.as_ref().unwrap().patch_status,
        Some(PatchStatus::FullyPatched)
    );
    let core = device_to_core(&d, None, &[]).unwrap();
    assert_eq!(core.kind, DeviceKind::Server);
    assert_eq!(core.os.as_deref(), Some("Windows Server 2019"));
    assert_eq!(core.last_user.as_deref(), Some("admin"));
    assert_eq!(core.warranty_expires, NaiveDate::from_ymd_opt(2026, 1, 1));
    assert_eq!(core.virtual_machine, Some(false));

    let p: DevicesPage = load("device_list_page.json");
    assert_eq!(p.devices, vec![d]);
    assert!(p.has_next());
    assert_eq!(p.page_details.unwrap().total_count, Some(2));
}

#[test]
fn network_device_with_nulls() {
    let d: Device = load("device_rmmnetworkdevice.json");
    assert_eq!(d.device_class, Some(DeviceClass::RmmNetworkDevice));
    assert_eq!(d.a64_bit, None);
    assert_eq!(d.last_reboot, None);
    assert_eq!(d.udf.get(300), Some("SYNTHETIC-UDF-300"));
    let core = device_to_core(&d, None, &[]).unwrap();
    assert_eq!(core.kind, DeviceKind::NetworkDevice);
    assert_eq!(core.os, None);
}

#[test]
fn device_audit_with_serial_and_nics() {
    let a: DeviceAudit = load("device_audit.skeleton.json");
    assert_eq!(a.nics.len(), 1);
    assert_eq!(
        a.bios.as_ref().unwrap().serial_number.as_deref(),
        Some("string")
    );
    let d: Device = load("device.json");
    let audit = AuditKind::Device(a);
    let core = device_to_core(&d, Some(&audit), &[]).unwrap();
    assert_eq!(core.serial_number.as_deref(), Some("string"));
    assert_eq!(
        core.mac_addresses,
        Vec::<String>::new(),
        "\"string\" holds no hex digit"
    );
    assert_eq!(core.manufacturer.as_deref(), Some("string"));
}

#[test]
fn network_interface_page() {
    let p: DevicesNetworkInterfacePage = load("device_network_interface_page.skeleton.json");
    assert_eq!(p.devices[0].nics[0].mac_address.as_deref(), Some("string"));
    assert_eq!(p.devices[0].nics[0].nic_type.as_deref(), Some("string"));
}

#[test]
fn oauth_error_body() {
    let e: OAuthError = load("error_oauth_token.mock.json");
    assert_eq!(e.error.as_deref(), Some("invalid_grant"));
    assert_eq!(e.error_description.as_deref(), Some("Bad credentials"));
}

#[test]
fn esxi_and_printer_audits() {
    let e: EsxiHostAudit = load("esxihost_audit.skeleton.json");
    assert_eq!(e.datastores[0].data_extents.len(), 1);
    assert_eq!(e.processors[0].frequency, Some(0.0));
    assert_eq!(AuditKind::EsxiHost(e).serial_number(), Some("string"));
    let p: PrinterAudit = load("printer_audit.skeleton.json");
    assert_eq!(p.printer.as_ref().unwrap().printed_page_count, Some(0));
    assert_eq!(AuditKind::Printer(p).serial_number(), Some("string"));
}

#[test]
fn quick_jobs() {
    let r: CreateQuickJobRequest = load("quick_job_request.skeleton.json");
    assert_eq!(r.job_component.variables.len(), 1);
    let back = serde_json::to_value(&r).unwrap();
    assert_eq!(back["jobComponent"]["componentUid"], "string");
    let resp: CreateQuickJobResponse = load("quick_job_response.skeleton.json");
    assert_eq!(resp.job.unwrap().status, Some(JobStatus::Active));
    assert_eq!(resp.job_components.len(), 1);
}

#[test]
fn request_rate() {
    let r: RateStatus = load("request_rate.skeleton.json");
    assert_eq!(r.operation_write_status["operation-name"].limit, Some(0));
    assert!(!r.is_single_bucket());
    let legacy: RateStatus = serde_json::from_str(
        r#"{"slidingTimeWindowSizeSeconds":60,"accountCount":12,"accountRateLimit":600,"accountCutOffRatio":0.9}"#,
    )
    .unwrap();
    assert!(legacy.is_single_bucket());
    assert_eq!(legacy.reads_remaining(), Some(588));
}

#[test]
fn sites() {
    let s: Site = load("site.skeleton.json");
    assert_eq!(
        s.proxy_settings.as_ref().unwrap().proxy_type,
        Some(ProxyType::Http)
    );
    assert!(format!("{:?}", s.proxy_settings).contains("[redacted]"));
    assert!(site_to_company(&s).unwrap().is_some());
    let p: SitesPage = load("site_list_page.skeleton.json");
    assert_eq!(p.sites.len(), 1);
    assert_eq!(site_to_core(&p.sites[0]).unwrap().name, "string");
}

#[test]
fn software_page() {
    let p: SoftwarePage = load("software_page.skeleton.json");
    assert_eq!(p.software[0].version.as_deref(), Some("string"));
}

#[test]
fn token_response() {
    use secrecy::ExposeSecret;
    let t: TokenResponse = load("token_response.skeleton.json");
    assert_eq!(t.expires_in, Some(360_000));
    assert_eq!(t.access_token.expose_secret(), "<JWT string>");
    assert!(!format!("{t:?}").contains("JWT"));
}

#[test]
fn udf_write_request() {
    let u: UdfUpdate = load("udf_write_request.skeleton.json");
    assert_eq!(u.iter().collect::<Vec<_>>(), vec![(1, "value"), (2, "")]);
}

#[test]
fn variables_page() {
    let p: VariablesPage = load("variables_page.skeleton.json");
    assert_eq!(p.variables[0].masked, Some(false));
}
