//! Baseline for the exact capacitated assignment solver (`peermatch::assign`).
//!
//! Instances follow the shape of national cohorts: `R` recipients (rows), each with
//! `K = 10` random candidate mentors; mentor capacities 1–5 with total capacity about
//! 1.25 R; pair weights uniform in [0, 1000) (maximised, so costs are negated) and a
//! convex slot cost of 50 per recipient a mentor already has. Seeded, so every run
//! solves the same instances.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use peermatch::assign::{CapacitatedProblem, solve};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

fn instance(rows: usize, seed: u64) -> CapacitatedProblem<i64> {
    let mut rng = StdRng::seed_from_u64(seed);
    // Capacities 1–5 average 3, so R × 1.25 / 3 mentors give total capacity ≈ 1.25 R.
    let cols = (rows * 5 / 12).max(1);
    let capacity: Vec<u32> = (0..cols).map(|_| rng.random_range(1..=5)).collect();
    let mut problem = CapacitatedProblem::new(capacity);
    for _ in 0..rows {
        let arcs: Vec<(usize, i64)> = (0..10)
            .map(|_| (rng.random_range(0..cols), -rng.random_range(0..1000i64)))
            .collect();
        problem
            .add_row(Some(0), arcs)
            .expect("columns are in range");
    }
    problem
}

fn sparse_capacitated(c: &mut Criterion) {
    let mut group = c.benchmark_group("assign/sparse_capacitated_k10");
    group.sample_size(10);
    for rows in [1_000usize, 5_000, 20_000] {
        let problem = instance(rows, 42);
        group.bench_with_input(BenchmarkId::from_parameter(rows), &problem, |b, p| {
            b.iter(|| solve(black_box(p), |_, k| 50 * i64::from(k)).expect("no overflow"))
        });
    }
    group.finish();
}

criterion_group!(benches, sparse_capacitated);
criterion_main!(benches);
