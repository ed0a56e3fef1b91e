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
//! - `pipeline/replan`: a solved plan edited and re-solved warm (`Plan::apply`) beside
//!   a cold match of the same cohort: one edit (a mentor's capacity down by one, then
//!   back), and a batch of 100 such edits on 100 mentors; at 2 000 × 400 and
//!   10 000 × 2 000, and 100 000 × 10 000 with `PEERMATCH_BENCH_NATIONAL`.
//!
//! - `pipeline/national`, only when `PEERMATCH_BENCH_NATIONAL` is set (each sample takes
//!   several seconds, so a run takes about four minutes): 100 000 × 10 000, and
//!   20 000 × 5 000 with one condition and one language. The demo times the same
//!   cohorts stage by stage (`cargo run --release --example match -- --synthetic
//!   100000x10000`).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use peermatch::synth::{self, SynthOptions};
use peermatch::{Edit, Matcher, match_cohort};

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

/// `count` capacity edits from `plan`'s mentors 0, 7, 14, …: down by one on odd
/// rounds (not below the mentor's load), back up on even ones.
fn capacity_edits(cohort: &peermatch::Cohort, count: usize, round: u64) -> Vec<Edit> {
    let mentors = cohort.mentors();
    (0..count)
        .map(|k| {
            let m = &mentors[(k * 7) % mentors.len()];
            let capacity = if round % 2 == 1 {
                m.capacity.saturating_sub(1).max(m.current_load)
            } else {
                m.capacity + 1
            };
            Edit::SetCapacity {
                mentor: m.id.clone(),
                capacity,
            }
        })
        .collect()
}

fn replan(c: &mut Criterion) {
    let mut group = c.benchmark_group("pipeline/replan");
    group.sample_size(10);
    let mut sizes = vec![(2_000usize, 400usize), (10_000, 2_000)];
    if std::env::var_os("PEERMATCH_BENCH_NATIONAL").is_some() {
        sizes.push((100_000, 10_000));
    }
    for (recipients, mentors) in sizes {
        let cohort = synth::generate(&SynthOptions {
            recipients,
            mentors,
            seed: 1,
            homogeneous: false,
        })
        .expect("valid sizes");
        let size = format!("{recipients}x{mentors}");
        group.bench_with_input(BenchmarkId::new("cold", &size), &cohort, |b, cohort| {
            b.iter(|| match_cohort(black_box(cohort)))
        });
        for (name, count) in [("one-edit", 1), ("batch-100", 100)] {
            let mut plan = Matcher::new().plan(&cohort).expect("solvable");
            let mut round = 0;
            group.bench_function(BenchmarkId::new(name, &size), |b| {
                b.iter(|| {
                    round += 1;
                    let edits = capacity_edits(plan.cohort(), count, round);
                    plan.apply(black_box(&edits))
                        .expect("valid edits")
                        .summary
                        .matched
                })
            });
        }
    }
    group.finish();
}

criterion_group!(
    benches,
    replan,
    synthetic,
    homogeneous,
    crowded,
    objectives,
    national
);
criterion_main!(benches);
