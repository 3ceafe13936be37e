//! Peak memory and decision mix of one 100k x 100k device matching run (or the size given as argument) and one 10k x 10k company run
//! (reads VmHWM from /proc/self/status; Linux only).

mod support;

use std::time::Instant;

use psa_rmm_core::mapping::MappingBook;
use psa_rmm_core::matching::{Decision, MatchPolicy, match_companies, match_devices};

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// CPU time this thread has run, from /proc/thread-self/schedstat (the machine may be shared, so wall time
/// alone would overstate the cost).
fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn cpu_since(start: Option<u64>) -> String {
    match (start, cpu_ns()) {
        (Some(a), Some(b)) => format!("{:.3} s CPU", (b - a) as f64 / 1e9),
        _ => "CPU n/a".to_owned(),
    }
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(
        || "n/a".to_owned(),
        |k| format!("{:.1} MiB", k as f64 / 1024.0),
    )
}

fn mix<T>(decisions: impl Iterator<Item = Decision<T>>) -> [usize; 5] {
    let mut seen = [0; 5];
    for d in decisions {
        seen[match d {
            Decision::Linked { .. } => 0,
            Decision::Suggested { .. } => 1,
            Decision::Ambiguous { .. } => 2,
            Decision::Unmatched => 3,
            Decision::Ignored { .. } => 4,
        }] += 1;
    }
    seen
}

fn main() {
    let policy = MatchPolicy::default();
    let book = MappingBook::new();
    // An optional numeric argument scales the run down (e.g. for callgrind); cargo passes `--bench` too.
    let devices = std::env::args()
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(100_000);
    let fleet = support::fleet(devices, devices / 50, 7);
    println!(
        "inputs: {} RMM devices, {} PSA configurations",
        fleet.rmm.len(),
        fleet.psa.len()
    );
    println!("RSS after generating inputs: {}", mib(status_kib("VmRSS:")));
    let (start, cpu) = (Instant::now(), cpu_ns());
    let out = match_devices(&fleet.rmm, &fleet.psa, &fleet.scope, &book, &policy);
    println!(
        "device matching took {:?} wall, {}",
        start.elapsed(),
        cpu_since(cpu)
    );
    println!(
        "peak RSS (VmHWM) after device matching: {}",
        mib(status_kib("VmHWM:"))
    );
    let moves = out.iter().filter(|m| !m.possible_move.is_empty()).count();
    let back = out
        .iter()
        .filter(|m| !m.possible_reactivation.is_empty())
        .count();
    let [l, s, a, u, i] = mix(out.into_iter().map(|m| m.decision));
    println!(
        "devices: linked {l}, suggested {s}, ambiguous {a}, unmatched {u}, ignored {i}; possible moves {moves}, reactivations {back}"
    );

    let (sites, companies) = support::names(10_000, 11);
    let (start, cpu) = (Instant::now(), cpu_ns());
    let out = match_companies(&sites, &companies, &book, None, &policy);
    println!(
        "company matching took {:?} wall, {}",
        start.elapsed(),
        cpu_since(cpu)
    );
    let [l, s, a, u, i] = mix(out.into_iter().map(|m| m.decision));
    println!("companies: linked {l}, suggested {s}, ambiguous {a}, unmatched {u}, ignored {i}");
    println!("peak RSS (VmHWM) at exit: {}", mib(status_kib("VmHWM:")));
}
