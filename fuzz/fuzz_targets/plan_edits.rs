//! `{"cohort": …, "edits": [[edit, …], …]}` → `Matcher::plan` → `Plan::apply` batch by
//! batch: every edited plan keeps the invariants of any plan and is as good as a cold
//! match of the edited cohort; a bad edit is an error naming it and changes nothing.
//! Then a pair of the plan ends, by `Plan::rematch`, and is never proposed again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peermatch::{Cohort, Edit, Error, Matcher, Pair};

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let Some(cohort) = input.get("cohort") else {
        return;
    };
    let Ok(cohort) = Cohort::from_json(&cohort.to_string()) else {
        return;
    };
    let Some(Ok(batches)) = input
        .get("edits")
        .map(|e| serde_json::from_value::<Vec<Vec<Edit>>>(e.clone()))
    else {
        return;
    };
    let matcher = Matcher::new().threads(1);
    let mut plan = matcher.plan(&cohort).expect("a valid cohort always gets a plan");
    let objective = cohort.policy().objective;
    for edits in batches.iter().take(6) {
        let before = plan.report().clone();
        match plan.apply(edits) {
            Ok(_) => {}
            Err(Error::InEdit { edit, .. }) => {
                assert!(edit < edits.len().max(1), "the error names an edit of the list");
                assert_eq!(plan.report(), &before, "a refused edit changed the plan");
                continue;
            }
            Err(e) => panic!("an edit that passed validation failed: {e}"),
        }
        common::check(plan.cohort(), plan.report());
        let cold = common::match_and_check(plan.cohort());
        // With recipients who lost their mentor, the solve counts them at urgency 3
        // and the values at their own, so only the solve's own terms compare then.
        if cold.summary.lost_mentor == 0 {
            assert_eq!(
                plan.report().objective_value().key(objective),
                cold.objective_value().key(objective),
                "the edited plan is not the cold optimum"
            );
        } else {
            assert_eq!(plan.report().matches.len(), cold.matches.len());
        }
        assert_eq!(plan.report().warnings, cold.warnings);
    }
    // A pair of the plan ends (`Plan::rematch`): only exclusions change, and the pair
    // must never be proposed again.
    let Some(chosen) = plan.report().matches.first().cloned() else {
        return;
    };
    let mut pairs = plan.cohort().pairs().to_vec();
    pairs.retain(|p| p.recipient != chosen.recipient);
    pairs.push(Pair {
        ended: true,
        ..Pair::new(chosen.mentor.clone(), chosen.recipient.clone())
    });
    let Ok(ended) = plan.cohort().clone().with_pairs(pairs) else {
        return;
    };
    plan.rematch(ended.clone()).expect("a valid cohort always gets a plan");
    common::check(&ended, plan.report());
    let now = plan.report().match_of(chosen.recipient.as_str());
    assert!(now.is_none_or(|m| m.mentor != chosen.mentor), "an ended pair was proposed again");
});
