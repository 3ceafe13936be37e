//! The psa-rmm demo: company mapping, device sync, write-back and alert tickets between ConnectWise Manage
//! and the RMMs, on the embedded sandbox (no configuration) or on real vendors (credentials in the
//! environment, dry-run unless `--apply`). Run it twice in one process to show the second run is a no-op.

use std::process::ExitCode;

use psa_rmm_examples::demo::{DemoArgs, USAGE, run};

#[tokio::main]
async fn main() -> ExitCode {
    psa_rmm_examples::cli::main(USAGE, "warn", DemoArgs::parse, run).await
}
