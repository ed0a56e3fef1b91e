//! Candidate generation on its own: the bitset screen, the remaining hard rules and the
//! score for every pair that survives the screen, on seeded synthetic cohorts (`peermatch::synth`).
//!
//! Throughput is in eligible pairs per second (criterion prints it as `elem/s`), on one
//! thread and on every core, so the speed-up from threads is read off one run:
//! - `score/synthetic`: 10 000 × 2 000 and 30 000 × 4 000;
//! - `score/homogeneous`: one condition and one language for everybody, 5 000 × 1 250
//!   (nothing to block on by language or condition).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use peermatch::EligiblePairs;
use peermatch::synth::{self, SynthOptions};

fn run(c: &mut Criterion, group: &str, sizes: &[(usize, usize)], homogeneous: bool) {
    let mut group = c.benchmark_group(group);
    group.sample_size(10);
    for &(recipients, mentors) in sizes {
        let cohort = synth::generate(&SynthOptions {
            recipients,
            mentors,
            seed: 1,
            homogeneous,
        })
        .expect("valid sizes");
        let pairs = EligiblePairs::new(&cohort).len();
        group.throughput(Throughput::Elements(pairs as u64));
        for threads in [1, 0] {
            let name = if threads == 1 {
                "1-thread"
            } else {
                "all-cores"
            };
            group.bench_with_input(
                BenchmarkId::new(name, format!("{recipients}x{mentors}")),
                &cohort,
                |b, cohort| b.iter(|| EligiblePairs::with_threads(black_box(cohort), threads)),
            );
        }
    }
    group.finish();
}

fn synthetic(c: &mut Criterion) {
    run(
        c,
        "score/synthetic",
        &[(10_000, 2_000), (30_000, 4_000)],
        false,
    );
}

fn homogeneous(c: &mut Criterion) {
    run(c, "score/homogeneous", &[(5_000, 1_250)], true);
}

criterion_group!(benches, synthetic, homogeneous);
criterion_main!(benches);
