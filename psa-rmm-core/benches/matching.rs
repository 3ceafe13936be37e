//! Criterion benchmarks of device matching (10k, 30k, 100k devices) and company matching (10k x 10k).

mod support;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use psa_rmm_core::mapping::MappingBook;
use psa_rmm_core::matching::{MatchPolicy, match_companies, match_devices};

fn device_matching(c: &mut Criterion) {
    let policy = MatchPolicy::default();
    let book = MappingBook::new();
    let mut group = c.benchmark_group("device_matching");
    for devices in [10_000usize, 30_000, 100_000] {
        // 50 devices per company, as in the 100k x 2,000 companies target.
        let fleet = support::fleet(devices, devices / 50, 7);
        group.bench_with_input(BenchmarkId::from_parameter(devices), &fleet, |b, f| {
            b.iter(|| black_box(match_devices(&f.rmm, &f.psa, &f.scope, &book, &policy)))
        });
    }
    group.finish();
}

fn company_matching(c: &mut Criterion) {
    let policy = MatchPolicy::default();
    let book = MappingBook::new();
    let (sites, companies) = support::names(10_000, 11);
    c.bench_function("company_matching/10000", |b| {
        b.iter(|| black_box(match_companies(&sites, &companies, &book, None, &policy)))
    });
}

criterion_group!(benches, device_matching, company_matching);
criterion_main!(benches);
