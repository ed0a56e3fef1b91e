//! Criterion benchmarks of `peermatch::assign`: dense and sparse, several sizes and cost
//! families, and the Rust crates a user might pick instead, on the same instances.
//!
//! - `assign/dense_uniform`, `assign/dense_lowrange`: n × n integer costs uniform in
//!   [0, 1000) and [0, 10) (many ties), n = 1000, 2000, 4000;
//! - `assign/dense_structured`: n = 1000 rounded Euclidean distances (`geometric`), strong
//!   row/column offsets (`offsets`) and the Machol–Wien matrix `c_ij = i·j`, families on
//!   which shortest-augmenting-path solvers are known to slow down;
//! - `assign/dense_random_machol_wien`: `c_ij` uniform on the integers `1..=(i+1)(j+1)`,
//!   n = 1000, 2000 (Machol–Wien randomised: the order survives, the ties do not);
//! - `assign/dense_rect_uniform`: rectangular 1000 × 4000 and 4000 × 1000 uniform costs;
//! - `assign/self_check`: what the certificate check every solve runs before it
//!   returns costs, side by side with the whole solve (which includes it): dense
//!   uniform n = 500, 1000, 2000, and a sparse capacitated problem with R = 20 000;
//! - `assign/dense_f64`: uniform float costs, n = 1000;
//! - `assign/crates_n1000`: peermatch, `pathfinding::kuhn_munkres` and `lsap::solve` on one
//!   uniform 1000 × 1000 matrix;
//! - `assign/sparse_capacitated_k10`: min-cost maximum flow with `R` rows, 10 random
//!   candidate columns each, capacities 1–5 (total ≈ 1.25 R), costs in [0, 1000),
//!   R = 1000, 20 000, 100 000;
//! - `assign/sparse_scarce_k24`: the same with 24 candidate columns per row and places
//!   for only a quarter of the rows (solved from the places' side).
//!
//! Every instance is seeded, so every run solves the same problems. The side-by-side
//! comparison with lap, scipy and OR-tools is `benches/compare.py`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use peermatch::assign::{
    CapacitatedProblem, Matrix, Sense, min_cost_max_flow, solve_dense, verify_dense,
    verify_max_flow,
};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

fn uniform(n: usize, high: i64, seed: u64) -> Matrix<i64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Matrix::from_fn(n, n, |_, _| rng.random_range(0..high))
}

fn geometric(n: usize, seed: u64) -> Matrix<i64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut point = || {
        (
            rng.random_range(0.0..1000.0f64),
            rng.random_range(0.0..1000.0f64),
        )
    };
    let a: Vec<(f64, f64)> = (0..n).map(|_| point()).collect();
    let b: Vec<(f64, f64)> = (0..n).map(|_| point()).collect();
    Matrix::from_fn(n, n, |r, c| {
        (a[r].0 - b[c].0).hypot(a[r].1 - b[c].1).round() as i64
    })
}

fn offsets(n: usize, seed: u64) -> Matrix<i64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let rows: Vec<i64> = (0..n).map(|_| rng.random_range(0..100_000)).collect();
    let cols: Vec<i64> = (0..n).map(|_| rng.random_range(0..100_000)).collect();
    Matrix::from_fn(n, n, |r, c| rows[r] + cols[c] + rng.random_range(0..100))
}

fn machol_wien(n: usize) -> Matrix<i64> {
    Matrix::from_fn(n, n, |r, c| ((r + 1) * (c + 1)) as i64)
}

fn random_machol_wien(n: usize, seed: u64) -> Matrix<i64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Matrix::from_fn(n, n, |r, c| {
        rng.random_range(1..=((r + 1) * (c + 1)) as i64)
    })
}

fn rect_uniform(rows: usize, cols: usize, seed: u64) -> Matrix<i64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Matrix::from_fn(rows, cols, |_, _| rng.random_range(0..1000))
}

/// `rows` rows with `k` random candidate columns each, capacities 1–5 (average 3) on
/// enough columns for a total capacity of about `places` × `rows`, costs in [0, 1000).
fn sparse(rows: usize, k: usize, places: f64, seed: u64) -> CapacitatedProblem<i64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let cols = ((rows as f64 * places / 3.0) as usize).max(1);
    let capacity: Vec<u32> = (0..cols).map(|_| rng.random_range(1..=5)).collect();
    let mut problem = CapacitatedProblem::new(capacity);
    for _ in 0..rows {
        let arcs: Vec<(usize, i64)> = (0..k)
            .map(|_| (rng.random_range(0..cols), rng.random_range(0..1000i64)))
            .collect();
        problem
            .add_row(Some(0), arcs)
            .expect("columns are in range");
    }
    problem
}

fn dense_sizes(c: &mut Criterion) {
    for (name, high) in [("dense_uniform", 1000), ("dense_lowrange", 10)] {
        let mut group = c.benchmark_group(format!("assign/{name}"));
        group.sample_size(10);
        for n in [1000usize, 2000, 4000] {
            let m = uniform(n, high, n as u64);
            group.bench_with_input(BenchmarkId::from_parameter(n), &m, |b, m| {
                b.iter(|| solve_dense(black_box(m), Sense::Minimize).expect("complete"))
            });
        }
        group.finish();
    }
}

fn dense_structured(c: &mut Criterion) {
    let mut group = c.benchmark_group("assign/dense_structured");
    group.sample_size(10);
    let n = 1000;
    for (family, m) in [
        ("geometric", geometric(n, 1)),
        ("offsets", offsets(n, 2)),
        ("machol_wien", machol_wien(n)),
    ] {
        group.bench_with_input(BenchmarkId::from_parameter(family), &m, |b, m| {
            b.iter(|| solve_dense(black_box(m), Sense::Minimize).expect("complete"))
        });
    }
    group.finish();
}

fn dense_more_families(c: &mut Criterion) {
    let mut group = c.benchmark_group("assign/dense_random_machol_wien");
    group.sample_size(10);
    for n in [1000usize, 2000] {
        let m = random_machol_wien(n, 5);
        group.bench_with_input(BenchmarkId::from_parameter(n), &m, |b, m| {
            b.iter(|| solve_dense(black_box(m), Sense::Minimize).expect("complete"))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("assign/dense_rect_uniform");
    group.sample_size(10);
    for (rows, cols) in [(1000usize, 4000usize), (4000, 1000)] {
        let m = rect_uniform(rows, cols, 6);
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{rows}x{cols}")),
            &m,
            |b, m| b.iter(|| solve_dense(black_box(m), Sense::Minimize).expect("complete")),
        );
    }
    group.finish();
}

fn self_check(c: &mut Criterion) {
    let mut group = c.benchmark_group("assign/self_check");
    group.sample_size(10);
    for n in [500usize, 1000, 2000] {
        let m = uniform(n, 1000, 11 + n as u64);
        let solution = solve_dense(&m, Sense::Minimize).expect("complete");
        group.bench_with_input(BenchmarkId::new("dense_solve", n), &m, |b, m| {
            b.iter(|| solve_dense(black_box(m), Sense::Minimize).expect("complete"))
        });
        group.bench_with_input(BenchmarkId::new("dense_check", n), &m, |b, m| {
            b.iter(|| {
                verify_dense(black_box(m), Sense::Minimize, None, &solution).expect("optimal")
            })
        });
    }
    let problem = sparse(20_000, 10, 1.25, 42);
    let flow = min_cost_max_flow(&problem, |_, _| 0).expect("no overflow");
    group.bench_with_input(
        BenchmarkId::new("sparse_solve", 20_000),
        &problem,
        |b, p| b.iter(|| min_cost_max_flow(black_box(p), |_, _| 0).expect("no overflow")),
    );
    group.bench_with_input(
        BenchmarkId::new("sparse_check", 20_000),
        &problem,
        |b, p| b.iter(|| verify_max_flow(black_box(p), |_, _| 0, &flow).expect("optimal")),
    );
    group.finish();
}

fn dense_f64(c: &mut Criterion) {
    let mut group = c.benchmark_group("assign/dense_f64");
    group.sample_size(10);
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let m = Matrix::from_fn(1000, 1000, |_, _| rng.random_range(0.0..1000.0f64));
    group.bench_with_input(BenchmarkId::from_parameter(1000), &m, |b, m| {
        b.iter(|| solve_dense(black_box(m), Sense::Minimize).expect("complete"))
    });
    group.finish();
}

fn crates(c: &mut Criterion) {
    let n = 1000;
    let m = uniform(n, 1000, 99);
    let mut group = c.benchmark_group("assign/crates_n1000");
    group.sample_size(10);
    group.bench_function("peermatch", |b| {
        b.iter(|| solve_dense(black_box(&m), Sense::Minimize).expect("complete"))
    });
    // pathfinding maximises; negate for a minimum.
    let weights =
        pathfinding::matrix::Matrix::from_vec(n, n, m.as_slice().iter().map(|&x| -x).collect())
            .expect("square");
    group.bench_function("pathfinding_kuhn_munkres", |b| {
        b.iter(|| pathfinding::kuhn_munkres::kuhn_munkres(black_box(&weights)))
    });
    let floats: Vec<f64> = m.as_slice().iter().map(|&x| x as f64).collect();
    group.bench_function("lsap", |b| {
        b.iter(|| lsap::solve(n, n, black_box(&floats), false).expect("complete"))
    });
    group.finish();
}

fn sparse_families(c: &mut Criterion) {
    // (group, candidates per row, places per row, seed)
    let families = [
        ("assign/sparse_capacitated_k10", 10, 1.25, 42),
        ("assign/sparse_scarce_k24", 24, 0.25, 43),
    ];
    for (name, k, places, seed) in families {
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        for rows in [1_000usize, 20_000, 100_000] {
            let problem = sparse(rows, k, places, seed);
            group.bench_with_input(BenchmarkId::from_parameter(rows), &problem, |b, p| {
                b.iter(|| min_cost_max_flow(black_box(p), |_, _| 0).expect("no overflow"))
            });
        }
        group.finish();
    }
}

criterion_group!(
    benches,
    dense_sizes,
    dense_structured,
    dense_more_families,
    self_check,
    dense_f64,
    crates,
    sparse_families
);
criterion_main!(benches);
