//! Pruning with dual certification: on synthetic cohorts large enough for pruning to
//! bite, the pruned-and-certified plan has exactly the unpruned optimum.
//! (`tests/properties.rs` holds the same property against brute force on small
//! random cohorts.)

use peermatch::synth::{self, SynthOptions};
use peermatch::{Cohort, MatchReport, Matcher, Pruning};

fn cohort(recipients: usize, mentors: usize, seed: u64, homogeneous: bool) -> Cohort {
    synth::generate(&SynthOptions {
        recipients,
        mentors,
        seed,
        homogeneous,
    })
    .unwrap()
}

/// No mentor over capacity, every recipient once.
fn check_plan(cohort: &Cohort, report: &MatchReport) {
    assert_eq!(
        report.matches.len() + report.unmatched.len(),
        cohort.recipients().len()
    );
    for load in &report.mentors {
        assert!(load.current_load + load.assigned <= load.capacity);
    }
}

#[test]
fn pruned_plans_have_the_unpruned_optimum() {
    let mut more_than_one_round = 0;
    let mut checked = 0;
    for seed in 1..=6 {
        for homogeneous in [false, true] {
            let cohort = cohort(400, 60, seed, homogeneous);
            let objective = cohort.policy().objective;
            let full = Matcher::new().pruning(Pruning::Off).run(&cohort);
            assert!(full.solve.certified);
            for k in [0, 1, 3, 16] {
                let pruned = Matcher::new().pruning(Pruning::TopK(k)).run(&cohort);
                assert_eq!(
                    pruned.objective_value().key(objective),
                    full.objective_value().key(objective),
                    "seed {seed}, homogeneous {homogeneous}, k {k}"
                );
                assert!(pruned.solve.certified);
                assert!(pruned.solve.considered_pairs <= full.solve.eligible_pairs);
                check_plan(&cohort, &pruned);
                more_than_one_round += usize::from(pruned.solve.rounds > 1);
                checked += 1;
            }
        }
    }
    // The add-back path must actually run, or the property above is vacuous.
    assert!(
        more_than_one_round * 4 >= checked,
        "{more_than_one_round} of {checked} pruned solves needed a second round"
    );
}

#[test]
fn pruning_considers_fewer_pairs_on_a_large_block() {
    let cohort = cohort(1500, 300, 9, true);
    let report = Matcher::new()
        .pruning(Pruning::TopK(8))
        .candidates(true)
        .run(&cohort);
    let solve = report.solve;
    assert!(solve.certified);
    assert_eq!(solve.top_k, Some(8));
    // Everybody shares a condition and a language here, so most pairs are eligible
    // and pruning keeps a small share of them.
    assert!(
        solve.considered_pairs * 4 < solve.eligible_pairs,
        "{solve:?}"
    );
    // `--candidates` lists what the solver considered.
    assert_eq!(
        report.candidates.as_ref().map(Vec::len),
        Some(solve.considered_pairs)
    );
}

#[test]
fn auto_prunes_only_large_cohorts_and_reports_are_deterministic() {
    let cohort = cohort(300, 60, 4, false);
    let auto = Matcher::new().run(&cohort);
    assert!(auto.solve.eligible_pairs <= Pruning::AUTO_PAIRS);
    assert_eq!(auto.solve.top_k, None);
    assert_eq!(auto.solve.rounds, 1);
    let pruned = Matcher::new().pruning(Pruning::TopK(2)).run(&cohort);
    let again = Matcher::new().pruning(Pruning::TopK(2)).run(&cohort);
    assert_eq!(pruned.to_json(), again.to_json());
}
