//! `match-report` on a tiny sandbox tenant: CSV and JSON parse back to the same rows, every RMM customer and
//! device has a row, automatic links agree with the tenant's truth, and nothing is written to any vendor.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use psa_rmm_core::model::{ExternalRef, System};
use psa_rmm_examples::connect::Connectors;
use psa_rmm_examples::report::{COLUMNS, Format, ReportArgs, render, write_out};
use psa_rmm_sandbox::{Sandbox, SandboxOptions, TenantSpec};

/// RFC 4180 reader for the test: quoted fields may hold commas, doubled quotes and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        !quoted && field.is_empty() && row.is_empty(),
        "unterminated record"
    );
    rows
}

#[test]
fn the_test_reader_handles_quoting() {
    let rows = parse_csv("a,\"b,\"\"c\"\"\nd\",\r\nx,y,z\r\n");
    assert_eq!(rows, [vec!["a", "b,\"c\"\nd", ""], vec!["x", "y", "z"]]);
}

fn rref(row: &HashMap<&str, String>) -> ExternalRef {
    ExternalRef::new(
        System::from(row["rmm_system"].as_str()),
        row["rmm_id"].clone(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_and_json_agree_with_the_sandbox_truth_and_nothing_is_written() {
    let sandbox = Sandbox::start(SandboxOptions::default().tenant(TenantSpec::tiny()))
        .await
        .unwrap();
    let connectors = Connectors::sandbox(&sandbox).await.unwrap();
    assert!(connectors.skipped.is_empty(), "{:?}", connectors.skipped);
    let csv = render(&connectors, Format::Csv).await.unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&render(&connectors, Format::Json).await.unwrap()).unwrap();

    let table = parse_csv(&csv);
    assert_eq!(table[0], COLUMNS);
    let rows: Vec<HashMap<&str, String>> = table[1..]
        .iter()
        .map(|r| {
            assert_eq!(r.len(), COLUMNS.len(), "{r:?}");
            COLUMNS.iter().copied().zip(r.iter().cloned()).collect()
        })
        .collect();
    let of = |kind: &'static str| rows.iter().filter(move |r| r["record"] == kind);
    let companies: Vec<_> = of("company").collect();
    let devices: Vec<_> = of("device")
        .filter(|r| r["decision"] != "vanished")
        .collect();
    assert_eq!(companies.len(), json["companies"].as_array().unwrap().len());
    assert_eq!(
        of("device").count(),
        json["devices"].as_array().unwrap().len()
    );

    let tenant = sandbox.tenant();
    // Every RMM device has exactly one row; every RMM customer (Datto site, Asio company) one too.
    assert_eq!(devices.len(), tenant.rmm_devices.len());
    let customers = tenant
        .rmm_sites
        .iter()
        .filter(|s| s.external.system == System::DattoRmm)
        .count()
        + tenant.rmm_companies.len();
    assert!(
        companies.len() >= customers,
        "{} < {customers}",
        companies.len()
    );

    let truth = &tenant.truth;
    let auto_devices: Vec<_> = devices.iter().filter(|r| r["decision"] == "auto").collect();
    assert!(!auto_devices.is_empty());
    for r in &auto_devices {
        let want = truth.configuration_of.get(&rref(r)).map(|c| c.id.clone());
        assert_eq!(want.as_ref(), Some(&r["psa_configuration"]), "{r:?}");
        assert!(!r["evidence"].is_empty(), "{r:?}");
    }
    let auto_companies: Vec<_> = companies
        .iter()
        .filter(|r| r["decision"] == "auto")
        .collect();
    assert!(!auto_companies.is_empty());
    for r in &auto_companies {
        if let Some(psa) = truth.company_of.get(&rref(r)) {
            assert_eq!(psa.id, r["psa_company"], "{r:?}");
        }
    }
    println!(
        "{} company rows ({} auto), {} device rows ({} auto, all agreeing with the truth)",
        companies.len(),
        auto_companies.len(),
        devices.len(),
        auto_devices.len()
    );
    // JSON carries the same decisions, and a summary of them.
    let json_auto = json["devices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["decision"] == "auto")
        .count();
    assert_eq!(json_auto, auto_devices.len());
    assert_eq!(json["summary"]["devices"]["auto"], auto_devices.len());

    // Read-only: no vendor saw a write (POSTs are token requests and Asio's device query only).
    let writes: Vec<String> = sandbox
        .log()
        .entries()
        .into_iter()
        .filter(|e| e.method != "GET")
        .filter(|e| {
            !(e.method == "POST" && (e.path.ends_with("/token") || e.path.ends_with("/endpoints")))
        })
        .map(|e| format!("{:?} {} {}", e.vendor, e.method, e.path))
        .collect();
    assert!(writes.is_empty(), "{writes:?}");
    sandbox.shutdown().await;
}

#[test]
fn the_report_goes_to_the_out_file() {
    let path = std::env::temp_dir().join(format!("match-report-{}.csv", std::process::id()));
    let args = ReportArgs {
        format: Format::Csv,
        out: Some(path.clone()),
    };
    write_out(&args, "record\r\ncompany\r\n").unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "record\r\ncompany\r\n"
    );
    std::fs::remove_file(&path).unwrap();
    let missing = ReportArgs {
        format: Format::Json,
        out: Some(
            std::env::temp_dir()
                .join("no-such-dir-for-match-report")
                .join("r.json"),
        ),
    };
    let err = write_out(&missing, "{}").unwrap_err().to_string();
    assert!(err.contains("no-such-dir-for-match-report"), "{err}");
}

#[test]
fn the_binary_refuses_bad_arguments_and_incomplete_configuration_without_panicking() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_match-report"));
        for (k, _) in
            std::env::vars().filter(|(k, _)| k.starts_with("CW_") || k.starts_with("DATTO_"))
        {
            cmd.env_remove(k);
        }
        cmd.args(args).envs(env.iter().copied()).output().unwrap()
    };
    let bad = run(&["--format", "xml"], &[]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("csv or json"));
    // Only an RMM: the PSA is required, and nothing is read.
    let no_psa = run(
        &[],
        &[
            ("DATTO_RMM_API_URL", "https://127.0.0.1:9"),
            ("DATTO_RMM_API_KEY", "k"),
            ("DATTO_RMM_API_SECRET", "s"),
        ],
    );
    assert_eq!(no_psa.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&no_psa.stderr);
    assert!(stderr.contains("CW_MANAGE_"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
