//! The `main` every example binary shares: parse the arguments (usage on `--help`, exit 2 on a bad one),
//! log to stderr at the level `RUST_LOG` asks for, run, and turn an error into a message and exit 1
//! instead of a panic or a backtrace.

use std::fmt::Display;
use std::process::ExitCode;

/// Parses the process arguments with `parse`, installs the tracing subscriber (`RUST_LOG`, else
/// `default_level`), awaits `run` and maps its outcome to the exit code.
pub async fn main<A, E: Display>(
    usage: &str,
    default_level: &str,
    parse: impl FnOnce(std::iter::Skip<std::env::Args>) -> Result<Option<A>, String>,
    run: impl AsyncFnOnce(&A) -> Result<ExitCode, E>,
) -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{usage}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{e}\n\n{usage}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level)),
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
