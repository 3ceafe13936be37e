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

/// Best (least) CPU time and wall time of `runs` device matching runs of a fleet of `devices`.
fn device_run(devices: usize, runs: usize) -> (f64, f64) {
    let policy = MatchPolicy::default();
    let book = MappingBook::new();
    let fleet = support::fleet(devices, devices / 50, 7);
    let mut best = (f64::MAX, f64::MAX);
    for _ in 0..runs {
        let (start, cpu) = (Instant::now(), cpu_ns());
        let out = match_devices(&fleet.rmm, &fleet.psa, &fleet.scope, &book, &policy);
        let cpu_s = match (cpu, cpu_ns()) {
            (Some(a), Some(b)) => (b - a) as f64 / 1e9,
            _ => f64::NAN,
        };
        best = (best.0.min(cpu_s), best.1.min(start.elapsed().as_secs_f64()));
        drop(out);
    }
    best
}

/// CPU time of the identity-key normalisation alone (the `normalize` module) over both sides: the floor under
/// device matching, which calls it once per record.
fn normalize_floor(fleet: &support::Fleet) -> String {
    use psa_rmm_core::normalize::{hostname::Hostname, mac::parse_mac_list, serial::SerialNumber};
    let cpu = cpu_ns();
    let mut kept = 0usize;
    for d in fleet.rmm.iter().chain(&fleet.psa) {
        kept += d
            .serial_number
            .as_deref()
            .and_then(SerialNumber::parse)
            .map_or(0, |s| usize::from(s.is_strong()));
        kept += d
            .hostname
            .as_deref()
            .and_then(Hostname::parse)
            .map_or(0, |h| usize::from(h.is_placeholder()));
        for field in &d.mac_addresses {
            kept += parse_mac_list(field)
                .0
                .iter()
                .filter(|m| m.is_strong())
                .count();
        }
    }
    format!("{} ({} keys)", cpu_since(cpu), kept)
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
    println!(
        "of which normalising the keys of both sides: {}",
        normalize_floor(&fleet)
    );
    drop(fleet);

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

    println!("scaling (best of 3 runs): devices, CPU s, wall s, CPU us per device");
    for n in [devices / 10, devices * 3 / 10, devices] {
        let (cpu_s, wall_s) = device_run(n, 3);
        println!(
            "{n:>8} {cpu_s:>8.3} {wall_s:>8.3} {:>8.2}",
            cpu_s * 1e6 / n.max(1) as f64
        );
    }
}
