//! No secret in any output: the demo flows run with `--apply` on the sandbox under a TRACE subscriber that
//! keeps every event field and every span field (and, through the `log` bridge, every `log` record), with
//! distinctive credentials the sandbox accepts; the traces, the formatted log and the demo's own output
//! (tables and `--json`) must not hold a credential or a bearer token the sandbox issued.
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::io;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use psa_rmm_examples::demo::{DemoArgs, sandbox_demo, sandbox_options};
use psa_rmm_examples::ui::Ui;
use psa_rmm_sandbox::{Credentials, Fault, FaultKind, Sandbox, TenantSpec, Vendor};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::layer::{Context, SubscriberExt as _};
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{Layer, registry::LookupSpan};

/// Everything the subscriber saw, as text.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<String>>);

impl Captured {
    fn push(&self, text: &str) {
        let mut all = self.0.lock().unwrap();
        all.push_str(text);
        all.push('\n');
    }

    fn text(&self) -> String {
        self.0.lock().unwrap().clone()
    }
}

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap()
            .push_str(&String::from_utf8_lossy(buf));
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Writes each field both as the value itself and as its `Debug` text, so an escaped secret shows too.
struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={value} ({value:?})", field.name());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?} ({value:#?})", field.name());
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        let _ = write!(self.0, " {}={value} ({value:?})", field.name());
        let mut source = value.source();
        while let Some(inner) = source {
            let _ = write!(self.0, " caused by {inner} ({inner:?})");
            source = inner.source();
        }
    }
}

/// Keeps every span's fields (at creation and when recorded later) and every event's fields.
struct Raw(Captured);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Raw {
    fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        let mut line = format!("span {}:", attrs.metadata().name());
        attrs.record(&mut Fields(&mut line));
        self.0.push(&line);
    }

    fn on_record(&self, _: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut line = "record:".to_owned();
        values.record(&mut Fields(&mut line));
        self.0.push(&line);
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut line = format!("event {}:", event.metadata().target());
        event.record(&mut Fields(&mut line));
        self.0.push(&line);
    }
}

/// Credentials no generated value could contain by chance; `+`, `/` and `=` need encoding in a form body.
fn distinctive() -> Credentials {
    Credentials {
        manage_company_id: "leakco".into(),
        manage_public_key: "LeakPublic7".into(),
        manage_private_key: "MANAGEPRIV+q7/Zx=4Kw".into(),
        manage_client_id: "0b7e2c55-6f1a-4d8e-9c3b-1a2b3c4d5e6f".into(),
        datto_api_key: "DATTOKEY-Vn3Rq8Lp".into(),
        datto_api_secret: "DATTOSECRET+m2/Hy=9Tj".into(),
        asio_client_id: "leak-asio-client".into(),
        asio_client_secret: "ASIOSECRET+w5/Bd=3Gc".into(),
    }
}

/// Each secret as sent or as a careless log line could show it: raw, form- and percent-encoded, and (for
/// Basic auth) the base64 of the credential pair.
fn forbidden(c: &Credentials, tokens: &[String]) -> Vec<String> {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let form = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let mut out = Vec::new();
    for secret in [
        &c.manage_private_key,
        &c.datto_api_key,
        &c.datto_api_secret,
        &c.asio_client_secret,
    ] {
        out.push(secret.clone());
        out.push(form(secret));
        out.push(form(secret).replace('+', "%20"));
        // The distinctive stem alone, before any character that an encoder would change.
        out.push(secret.split(['+', '-']).next().unwrap().to_owned());
    }
    out.push(b64(&format!(
        "{}+{}:{}",
        c.manage_company_id, c.manage_public_key, c.manage_private_key
    )));
    out.push(b64(&format!("{}:{}", c.datto_api_key, c.datto_api_secret)));
    out.extend(tokens.iter().cloned());
    out
}

fn assert_clean(what: &str, text: &str, forbidden: &[String]) {
    for secret in forbidden {
        if let Some(at) = text.find(secret.as_str()) {
            let from = text[..at]
                .char_indices()
                .rev()
                .nth(120)
                .map_or(0, |(i, _)| i);
            panic!(
                "{what} holds secret {secret:?}: ...{}",
                &text[from..(at + secret.len() + 40).min(text.len())]
            );
        }
    }
}

/// Error paths log too: a refused token on each RMM (renewed), a Manage 503 with an HTML page and a 429
/// (retried), a Datto 500 with a JSON body (retried).
fn recoverable_faults(sandbox: &Sandbox) {
    let faults = sandbox.faults();
    faults.push(Fault::new(Vendor::Datto, "/api/v2/*", FaultKind::status(401)).times(1));
    faults.push(Fault::new(Vendor::Asio, "/api/platform/*", FaultKind::status(401)).times(1));
    faults.push(
        Fault::new(
            Vendor::Manage,
            "*/company/companies",
            FaultKind::HtmlBody(503),
        )
        .times(1),
    );
    faults.push(
        Fault::new(
            Vendor::Manage,
            "*/company/configurations",
            FaultKind::status(429).retry_after(0),
        )
        .method("GET")
        .times(1),
    );
    faults.push(
        Fault::new(
            Vendor::Datto,
            "/api/v2/account/sites",
            FaultKind::status(500).body(r#"{"message":"internal error"}"#),
        )
        .times(1),
    );
}

async fn demo(json: bool, captured: &Captured) -> (ExitCode, String, Vec<String>) {
    let credentials = distinctive();
    let sandbox = Sandbox::start(
        sandbox_options()
            .tenant(TenantSpec::tiny())
            .credentials(credentials),
    )
    .await
    .unwrap();
    recoverable_faults(&sandbox);
    let args = DemoArgs {
        apply: true,
        json,
        full: true,
    };
    let mut out = Vec::new();
    let code = sandbox_demo(&args, &sandbox, &Ui::new(false), &mut out)
        .await
        .unwrap();
    let fired = sandbox.log().count_where(|e| e.fault.is_some());
    assert_eq!(fired, 5, "every scripted fault fired");
    let mut tokens = sandbox.datto_control().unwrap().issued_tokens();
    tokens.extend(sandbox.asio_control().unwrap().issued_tokens());
    sandbox.shutdown().await;
    captured.push(&format!("-- end of the demo, json = {json}"));
    (code, String::from_utf8(out).unwrap(), tokens)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_traces_logs_or_the_demo_output() {
    let raw = Captured::default();
    let formatted = Captured::default();
    tracing_subscriber::registry()
        .with(Raw(raw.clone()))
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(formatted.clone())
                .with_ansi(false)
                .with_span_events(FmtSpan::FULL),
        )
        .with(tracing_subscriber::filter::LevelFilter::TRACE)
        .try_init()
        .unwrap();
    // The pipeline sees TRACE events, spans and their fields: a canary sent through it must come out.
    tracing::trace_span!("canary_span", canary = "CANARY-span-field").in_scope(|| {
        tracing::trace!(canary = %"CANARY-event-field", "canary");
    });
    for text in [raw.text(), formatted.text()] {
        assert!(text.contains("CANARY-span-field") && text.contains("CANARY-event-field"));
    }
    let credentials = distinctive();
    let mut tokens = Vec::new();
    for json in [false, true] {
        let (code, output, issued) = demo(json, &raw).await;
        assert_eq!(code, ExitCode::SUCCESS, "the demo ran clean:\n{output}");
        assert!(
            output.contains(if json {
                "\"second_run_noop\": true"
            } else {
                "second run: nothing to write"
            }),
            "{output}"
        );
        let forbidden = forbidden(&credentials, &issued);
        assert_clean(
            if json {
                "--json output"
            } else {
                "table output"
            },
            &output,
            &forbidden,
        );
        tokens.extend(issued);
    }
    let forbidden = forbidden(&credentials, &tokens);
    let raw = raw.text();
    let formatted = formatted.text();
    let events = raw.lines().filter(|l| l.starts_with("event")).count();
    let spans = raw.lines().filter(|l| l.starts_with("span")).count();
    println!(
        "captured {events} events, {spans} spans, {} bytes of fields, {} bytes formatted; {} secret values checked",
        raw.len(),
        formatted.len(),
        forbidden.len()
    );
    assert!(
        tokens.len() >= 8,
        "both RMMs renewed a refused token in both demos: {} tokens",
        tokens.len()
    );
    assert!(
        events > 100 && spans > 0,
        "the subscriber saw the run at TRACE: {events} events, {spans} spans"
    );
    assert_clean("trace fields", &raw, &forbidden);
    assert_clean("formatted trace", &formatted, &forbidden);
}
