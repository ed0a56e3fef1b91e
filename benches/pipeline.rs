//! End to end, from an in-memory cohort to a `MatchReport`: candidate generation,
//! the exact solve and the report, on seeded synthetic cohorts (`peermatch::synth`).
//!
//! - `pipeline/synthetic`: R recipients × M mentors at 1:5 (2 000 × 400, 10 000 × 2 000);
//! - `pipeline/homogeneous`: one condition and one language for everybody (nothing for
//!   candidate generation to block on), 2 000 × 500.
//! - `pipeline/crowded`: 30 000 × 2 500, more urgent recipients than places, so the
//!   solver splits the urgency tiers and leaves out whom no optimum can match (see
//!   `solve`'s "Orientation"): the national cohort's path at a size a default run can
//!   afford.
//!
//! - `pipeline/objectives`: the same cohorts under each objective and with the mentor
//!   fairness tier (`min_new_load = 1`), side by side, so that what each costs is a
//!   ratio measured in one run.
//!
//! - `pipeline/national`, only when `PEERMATCH_BENCH_NATIONAL` is set (each sample takes
//!   several seconds, so a run takes about four minutes): 100 000 × 10 000, and
//!   20 000 × 5 000 with one condition and one language. The demo times the same
//!   cohorts stage by stage (`cargo run --release --example match -- --synthetic
//!   100000x10000`).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use peermatch::match_cohort;
use peermatch::synth::{self, SynthOptions};

fn synthetic(c: &mut Criterion) {
    let mut group = c.benchmark_group("pipeline/synthetic");
    group.sample_size(10);
    for (recipients, mentors) in [(2_000usize, 400usize), (10_000, 2_000)] {
        let cohort = synth::generate(&SynthOptions {
            recipients,
            mentors,
            seed: 1,
            homogeneous: false,
        })
        .expect("valid sizes");
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{recipients}x{mentors}")),
            &cohort,
            |b, cohort| b.iter(|| match_cohort(black_box(cohort))),
        );
    }
    group.finish();
}

/// A group timing one seeded synthetic cohort end to end.
fn one_cohort(
    c: &mut Criterion,
    group: &str,
    recipients: usize,
    mentors: usize,
    homogeneous: bool,
) {
    let mut group = c.benchmark_group(group);
    group.sample_size(10);
    let cohort = synth::generate(&SynthOptions {
        recipients,
        mentors,
        seed: 1,
        homogeneous,
    })
    .expect("valid sizes");
    group.bench_with_input(
        BenchmarkId::from_parameter(format!("{recipients}x{mentors}")),
        &cohort,
        |b, cohort| b.iter(|| match_cohort(black_box(cohort))),
    );
    group.finish();
}

fn homogeneous(c: &mut Criterion) {
    one_cohort(c, "pipeline/homogeneous", 2_000, 500, true);
}

fn crowded(c: &mut Criterion) {
    one_cohort(c, "pipeline/crowded", 30_000, 2_500, false);
}

fn objectives(c: &mut Criterion) {
    use peermatch::{Objective, Policy};
    let mut group = c.benchmark_group("pipeline/objectives");
    group.sample_size(10);
    for (recipients, mentors) in [(2_000usize, 400usize), (10_000, 2_000)] {
        let cohort = synth::generate(&SynthOptions {
            recipients,
            mentors,
            seed: 1,
            homogeneous: false,
        })
        .expect("valid sizes");
        let variants = [
            ("participation", Objective::Participation, 0),
            ("participation+fair", Objective::Participation, 1),
            ("quality", Objective::Quality, 0),
            ("bottleneck", Objective::Bottleneck, 0),
        ];
        for (name, objective, min_new_load) in variants {
            let policy = Policy {
                objective,
                min_new_load,
                ..cohort.policy().clone()
            };
            let cohort = cohort.clone().with_policy(policy).expect("a valid policy");
            group.bench_with_input(
                BenchmarkId::new(name, format!("{recipients}x{mentors}")),
                &cohort,
                |b, cohort| b.iter(|| match_cohort(black_box(cohort))),
            );
        }
    }
    group.finish();
}

fn national(c: &mut Criterion) {
    if std::env::var_os("PEERMATCH_BENCH_NATIONAL").is_none() {
        return;
    }
    let mut group = c.benchmark_group("pipeline/national");
    group.sample_size(10);
    for (recipients, mentors, homogeneous) in
        [(100_000usize, 10_000usize, false), (20_000, 5_000, true)]
    {
        let cohort = synth::generate(&SynthOptions {
            recipients,
            mentors,
            seed: 1,
            homogeneous,
        })
        .expect("valid sizes");
        let name = format!(
            "{recipients}x{mentors}{}",
            if homogeneous { "-homogeneous" } else { "" }
        );
        group.bench_with_input(BenchmarkId::from_parameter(name), &cohort, |b, cohort| {
            b.iter(|| match_cohort(black_box(cohort)))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    synthetic,
    homogeneous,
    crowded,
    objectives,
    national
);
criterion_main!(benches);
