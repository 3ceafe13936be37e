//! The psa-rmm demo: company mapping, device sync, write-back and alert tickets between ConnectWise Manage
//! and the RMMs, on the embedded sandbox (no configuration) or on real vendors (credentials in the
//! environment, dry-run unless `--apply`). Run it twice in one process to show the second run is a no-op.

use std::process::ExitCode;

use psa_rmm_examples::demo::{DemoArgs, USAGE, run};

#[tokio::main]
async fn main() -> ExitCode {
    let args = match DemoArgs::parse(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(&args).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
