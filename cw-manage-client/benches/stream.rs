//! Streams configurations from the sandbox's Manage fake: records per second, peak memory at 20k and 200k
//! records, and the client's overhead against a plain reqwest + serde_json loop over the same pages.
//!
//! Run: `cargo bench -p cw-manage-client --bench stream`. The fake runs in a child process (this binary
//! re-executed with `CW_MANAGE_BENCH_SERVE=<n>`), so the measured process holds only the client side;
//! peak memory is the growth of this process's peak RSS (`VmHWM`, reset through `/proc/self/clear_refs`)
//! over its resident size before each scan.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench binary: a panic is the failure report

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use cw_manage_client::conditions::Query;
use cw_manage_client::model::Configuration;
use cw_manage_client::{Client, SecretString};
use futures::StreamExt;
use serde_json::{Value, json};

const SERVE_ENV: &str = "CW_MANAGE_BENCH_SERVE";
const RUNS: usize = 3;

fn main() {
    if let Ok(n) = std::env::var(SERVE_ENV) {
        serve(n.parse().expect("record count"));
        return;
    }
    // `cargo bench` passes `--bench`; any other argument is a filter we do not need.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    println!("ConnectWise Manage: streaming configurations from the sandbox fake (page size 1000)");
    for n in [20_000usize, 200_000] {
        let mut child = spawn_server(n);
        let access = read_access(&mut child);
        rt.block_on(measure(n, &access));
        drop(child.stdin.take());
        let _ = child.wait();
    }
}

/// Child process: a sandbox whose Manage fake holds exactly `n` configurations.
fn serve(n: usize) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        use psa_rmm_sandbox::{Sandbox, SandboxOptions, TenantSpec};
        let sandbox = Sandbox::start(SandboxOptions::default().tenant(TenantSpec::tiny()))
            .await
            .unwrap();
        let control = sandbox.manage_control().unwrap();
        let collection = "company/configurations";
        let seeded: Vec<i64> = sandbox
            .tenant()
            .psa_configurations
            .iter()
            .filter_map(|d| d.external.id.parse().ok())
            .filter(|id| control.record(collection, *id).is_some())
            .collect();
        let template = control.record(collection, seeded[0]).unwrap();
        for id in seeded {
            control.remove(collection, id);
        }
        for i in 0..n {
            let id = i as i64 + 1;
            let mut r = template.clone();
            r["name"] = json!(format!("PC-{id:06}"));
            r["serialNumber"] = json!(format!("SN{id:08}"));
            r["macAddress"] = json!(format!(
                "00:1A:2B:{:02X}:{:02X}:{:02X}",
                (id >> 16) & 255,
                (id >> 8) & 255,
                id & 255
            ));
            r["ipAddress"] = json!(format!(
                "10.{}.{}.{}",
                (id >> 16) & 255,
                (id >> 8) & 255,
                id & 255
            ));
            control.put(collection, id, r);
        }
        assert_eq!(control.count(collection), n);
        let a = sandbox.manage_access();
        let line = json!({
            "base_url": a.base_url, "company": a.company_id, "public": a.public_key,
            "private": a.private_key, "client_id": a.client_id
        });
        println!("{line}");
        std::io::stdout().flush().unwrap();
        // Serve until the parent closes our stdin.
        tokio::task::spawn_blocking(|| {
            let mut buf = String::new();
            while std::io::stdin()
                .read_line(&mut buf)
                .map(|n| n > 0)
                .unwrap_or(false)
            {}
        })
        .await
        .unwrap();
        sandbox.shutdown().await;
    });
}

fn spawn_server(n: usize) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .env(SERVE_ENV, n.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap()
}

fn read_access(child: &mut Child) -> Value {
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    serde_json::from_str(&line).expect("access line from the server process")
}

fn client(a: &Value) -> Client {
    Client::builder()
        .base_url(a["base_url"].as_str().unwrap().parse().unwrap())
        .allow_insecure_http(true)
        .company_id(a["company"].as_str().unwrap())
        .public_key(a["public"].as_str().unwrap())
        .private_key(SecretString::from(
            a["private"].as_str().unwrap().to_owned(),
        ))
        .client_id(a["client_id"].as_str().unwrap())
        .rate_limit(None)
        .build()
        .unwrap()
}

/// Kilobytes from a `/proc/self/status` line such as `VmHWM:   12345 kB`.
fn status_kb(key: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Resets the peak-RSS mark, so `VmHWM` afterwards is the peak of what follows.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

async fn client_scan(c: &Client) -> (usize, Duration) {
    let start = Instant::now();
    let mut stream = Box::pin(c.configurations().list(Query::new()).stream());
    let mut n = 0usize;
    let mut checksum = 0i64;
    while let Some(item) = stream.next().await {
        let cfg: Configuration = item.unwrap();
        checksum = checksum.wrapping_add(cfg.id.get());
        n += 1;
    }
    std::hint::black_box(checksum);
    (n, start.elapsed())
}

/// What an application would write without the client: the same forward-only pages, decoded into the
/// same model, following the `Link` header.
async fn plain_scan(a: &Value) -> (usize, Duration) {
    let http = reqwest::Client::new();
    let base = a["base_url"].as_str().unwrap();
    let auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!(
            "{}+{}:{}",
            a["company"].as_str().unwrap(),
            a["public"].as_str().unwrap(),
            a["private"].as_str().unwrap()
        ))
    );
    let info: Value = http
        .get(format!(
            "{base}/login/companyinfo/{}",
            a["company"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let codebase = info["Codebase"].as_str().unwrap().to_owned();
    let start = Instant::now();
    let mut url = format!("{base}/{codebase}apis/3.0/company/configurations?pageSize=1000");
    let mut n = 0usize;
    let mut checksum = 0i64;
    loop {
        let resp = http
            .get(&url)
            .header("authorization", &auth)
            .header("clientId", a["client_id"].as_str().unwrap())
            .header(
                "accept",
                "application/vnd.connectwise.com+json; version=2025.1",
            )
            .header("pagination-type", "forward-only")
            .send()
            .await
            .unwrap();
        let link = resp
            .headers()
            .get("link")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = resp.bytes().await.unwrap();
        let page: Vec<Configuration> = serde_json::from_slice(&body).unwrap();
        for cfg in &page {
            checksum = checksum.wrapping_add(cfg.id.get());
        }
        n += page.len();
        let next = link
            .split(',')
            .find(|p| p.contains("rel=\"next\""))
            .and_then(|p| p.split(['<', '>']).nth(1))
            .map(str::to_owned);
        match next {
            Some(u) if !page.is_empty() => url = u,
            _ => break,
        }
    }
    std::hint::black_box(checksum);
    (n, start.elapsed())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn measure(n: usize, a: &Value) {
    let c = client(a);
    c.discover().await.unwrap();
    // Warm both paths (connections, page cache of the fake).
    let _ = client_scan(&c).await;
    let _ = plain_scan(a).await;
    let mut client_times = Vec::new();
    let mut plain_times = Vec::new();
    let mut peak_growth_kb = 0u64;
    let mut peak_kb = 0u64;
    let can_reset = reset_peak();
    for _ in 0..RUNS {
        let before = status_kb("VmRSS:").unwrap_or(0);
        reset_peak();
        let (count, t) = client_scan(&c).await;
        let peak = status_kb("VmHWM:").unwrap_or(0);
        peak_growth_kb = peak_growth_kb.max(peak.saturating_sub(before));
        peak_kb = peak_kb.max(peak);
        assert_eq!(count, n, "client saw every record");
        client_times.push(t);
        let (count, t) = plain_scan(a).await;
        assert_eq!(count, n, "plain loop saw every record");
        plain_times.push(t);
    }
    let (ct, pt) = (median(client_times), median(plain_times));
    let rate = |t: Duration| n as f64 / t.as_secs_f64();
    println!(
        "n={n:>7}  client {:>8.0} records/s ({:.2} s)  plain reqwest+serde_json {:>8.0} records/s ({:.2} s)  \
         overhead {:+.1}%  peak RSS {} KiB, growth during a client scan {} KiB{}",
        rate(ct),
        ct.as_secs_f64(),
        rate(pt),
        pt.as_secs_f64(),
        (ct.as_secs_f64() / pt.as_secs_f64() - 1.0) * 100.0,
        peak_kb,
        peak_growth_kb,
        if can_reset {
            ""
        } else {
            " (peak reset unavailable: process-lifetime peak)"
        }
    );
}
