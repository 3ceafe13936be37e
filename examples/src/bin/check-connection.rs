//! The seeds' "Test Connection" for every vendor configured in the environment (ConnectWise Manage, Datto
//! RMM, ConnectWise Asio), or for the embedded sandbox when none is: OK with what was verified, or FAIL with
//! the reason and what to check. Exits 0 only when every check passed.

use std::process::ExitCode;

use psa_rmm_examples::check::{CheckArgs, USAGE, run};

#[tokio::main]
async fn main() -> ExitCode {
    psa_rmm_examples::cli::main(USAGE, "error", CheckArgs::parse, run).await
}
