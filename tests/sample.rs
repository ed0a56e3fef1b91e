//! Known answers on the bundled sample cohort (`examples/data/cohort.json`), with the
//! reasoning that makes each one the right answer. The demo prints this plan.

use peermatch::{Cohort, HardRule, MatchReport, Reason, explain, match_cohort};

const SAMPLE: &str = include_str!("../examples/data/cohort.json");

fn sample() -> (Cohort, MatchReport) {
    let cohort = Cohort::from_json(SAMPLE).expect("the sample cohort is valid");
    let report = match_cohort(&cohort);
    (cohort, report)
}

fn mentor_of<'a>(report: &'a MatchReport, recipient: &str) -> Option<&'a str> {
    report.match_of(recipient).map(|m| m.mentor.as_str())
}

#[test]
fn shape_of_the_sample() {
    let (cohort, report) = sample();
    assert_eq!(cohort.mentors().len(), 15);
    assert_eq!(cohort.recipients().len(), 40);
    assert_eq!(report.summary.recipients, 40);
    assert_eq!(report.matches.len() + report.unmatched.len(), 40);
}

#[test]
fn every_usable_place_is_filled() {
    // Open places: capacity − current_load summed over mentors is 30 (m-lars is already
    // full). m-kemi is the only lupus mentor and has two places, but of the two lupus
    // recipients only r-tiwa is eligible (see `only_same_condition_mentor_shares_nothing_else`),
    // so one place cannot be used by anybody: 29 is the most that can be matched, and
    // participation matches that many.
    let (_, report) = sample();
    let open: u32 = report
        .mentors
        .iter()
        .map(|m| m.capacity - m.current_load)
        .sum();
    assert_eq!(open, 30);
    assert_eq!(report.summary.matched, 29);
    let kemi = report
        .mentors
        .iter()
        .find(|m| m.mentor.as_str() == "m-kemi")
        .unwrap();
    assert_eq!(kemi.assigned, 1);
    assert!(
        report
            .mentors
            .iter()
            .filter(|m| m.mentor.as_str() != "m-kemi")
            .all(|m| m.current_load + m.assigned == m.capacity)
    );
}

#[test]
fn recipient_nobody_can_support() {
    // r-hodan speaks only Somali; no mentor does.
    let (_, report) = sample();
    match report.unmatched_reason("r-hodan") {
        Some(Reason::NoEligibleMentor { failed_rules }) => {
            assert_eq!(failed_rules[&HardRule::Language], 15);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn over_demanded_language_goes_to_the_most_urgent() {
    // Five recipients speak only Polish; m-gosia is the one Polish-speaking mentor and has
    // two places. Participation puts urgency first once the count is fixed: r-agnieszka
    // (urgency 3) and r-kasia (urgency 2) get them, the other three (urgency 0) wait.
    let (_, report) = sample();
    assert_eq!(mentor_of(&report, "r-agnieszka"), Some("m-gosia"));
    assert_eq!(mentor_of(&report, "r-kasia"), Some("m-gosia"));
    for id in ["r-piotr", "r-tomasz", "r-marek"] {
        assert_eq!(
            report.unmatched_reason(id),
            Some(&Reason::MentorsFull {
                eligible_mentors: 1
            }),
            "{id}"
        );
    }
}

#[test]
fn mentor_boundary_is_honoured() {
    // m-carys is not ready to support bereavement; r-ffion, Welsh-speaking with COPD,
    // needs exactly that. The pair fails only the boundaries rule, and r-ffion goes to
    // m-hywel, who has lived through a bereavement himself.
    let (cohort, report) = sample();
    let why = explain(&cohort, "m-carys", "r-ffion").unwrap();
    assert_eq!(why.failed_rules, [HardRule::Boundaries]);
    assert_eq!(mentor_of(&report, "r-ffion"), Some("m-hywel"));
    let needs = report
        .match_of("r-ffion")
        .unwrap()
        .parts
        .iter()
        .find(|p| p.criterion == peermatch::Criterion::Needs)
        .unwrap();
    assert_eq!(needs.similarity, 1.0);
}

#[test]
fn only_same_condition_mentor_shares_nothing_else() {
    // r-lowri has lupus; m-kemi is the only mentor with lupus but shares none of her
    // experiences or interests, so the pair fails only beyond_diagnosis: sharing only a
    // diagnosis is the isolation pitfall the rule exists for. Every other mentor fails
    // the condition rule.
    let (cohort, report) = sample();
    let why = explain(&cohort, "m-kemi", "r-lowri").unwrap();
    assert_eq!(why.failed_rules, [HardRule::BeyondDiagnosis]);
    match report.unmatched_reason("r-lowri") {
        Some(Reason::NoEligibleMentor { failed_rules }) => {
            assert_eq!(failed_rules[&HardRule::Condition], 14);
            assert!(failed_rules[&HardRule::BeyondDiagnosis] >= 1);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(mentor_of(&report, "r-tiwa"), Some("m-kemi"));
}

#[test]
fn exclusion_and_confidentiality() {
    // r-colin asked not to be paired with m-brian, the only diabetes mentor he shares
    // anything with beyond the diagnosis.
    let (cohort, report) = sample();
    assert_eq!(
        explain(&cohort, "m-brian", "r-colin").unwrap().failed_rules,
        [HardRule::Excluded]
    );
    assert!(matches!(
        report.unmatched_reason("r-colin"),
        Some(Reason::NoEligibleMentor { .. })
    ));
    // r-dennis is treated at the renal unit where m-fatima is known ("Wolverhampton
    // Renal Unit" and "wolverhampton renal unit" are one group after normalisation).
    assert!(
        explain(&cohort, "m-fatima", "r-dennis")
            .unwrap()
            .failed_rules
            .contains(&HardRule::Confidentiality)
    );
    assert_eq!(mentor_of(&report, "r-dennis"), Some("m-maya"));
}

#[test]
fn training_requirement_is_met() {
    // r-helen requires a certified mentor; of the MS mentors only m-elena (advanced)
    // qualifies, and m-lars is full anyway.
    let (cohort, report) = sample();
    assert_eq!(
        explain(&cohort, "m-lars", "r-helen").unwrap().failed_rules,
        [HardRule::Training, HardRule::Capacity]
    );
    assert_eq!(
        report.unmatched_reason("r-helen"),
        Some(&Reason::MentorsFull {
            eligible_mentors: 1
        })
    );
}

#[test]
fn the_report_is_deterministic_and_round_trips() {
    let (cohort, report) = sample();
    let again = match_cohort(&cohort);
    assert_eq!(report.to_json(), again.to_json());
    let parsed: MatchReport = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(parsed, report);
    let value: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert!(
        value.get("candidates").is_none(),
        "candidates are omitted unless asked for"
    );
    assert_eq!(value["unmatched"][0]["reason"], "mentors_full");
}
