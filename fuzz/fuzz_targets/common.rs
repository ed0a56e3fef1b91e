//! Invariants every fuzz target checks on a match report.

use peermatch::{Cohort, MatchReport, Matcher, WarningKind, explain};

/// Matches `cohort` and checks what must hold of every plan: every recipient exactly
/// once (matched or unmatched), no mentor over capacity, every matched pair eligible
/// by `explain`, a certified optimum, and the same report on a second run. A pinned
/// pair kept by `override` is exempt from the rules, and is a warning.
pub fn match_and_check(cohort: &Cohort) -> MatchReport {
    let report = Matcher::new().threads(1).run(cohort);
    check(cohort, &report);
    assert_eq!(
        Matcher::new().threads(2).run(cohort),
        report,
        "not deterministic"
    );
    report
}

/// What must hold of every plan of `cohort` (see [`match_and_check`]).
pub fn check(cohort: &Cohort, report: &MatchReport) {
    let recipients = cohort.recipients();
    assert_eq!(
        report.matches.len() + report.unmatched.len(),
        recipients.len(),
        "every recipient once"
    );
    let mut seen = std::collections::BTreeSet::new();
    for id in report
        .matches
        .iter()
        .map(|m| &m.recipient)
        .chain(report.unmatched.iter().map(|u| &u.recipient))
    {
        assert!(seen.insert(id.clone()), "recipient {id:?} listed twice");
        assert!(
            cohort.recipient(id.as_str()).is_some(),
            "unknown recipient {id:?}"
        );
    }
    let overridden = |mentor: &peermatch::MentorId, recipient: &peermatch::RecipientId| {
        report.warnings.iter().any(|w| {
            w.kind == WarningKind::KeptDespiteRules
                && &w.mentor == mentor
                && &w.recipient == recipient
        })
    };
    for mentor in cohort.mentors() {
        let overrides = report
            .matches
            .iter()
            .filter(|m| m.mentor == mentor.id && overridden(&m.mentor, &m.recipient))
            .count() as u64;
        let taken = report
            .matches
            .iter()
            .filter(|m| m.mentor == mentor.id)
            .count() as u64;
        assert!(
            u64::from(mentor.current_load) + taken <= u64::from(mentor.capacity) + overrides,
            "mentor {:?} over capacity",
            mentor.id
        );
    }
    if let Some(cap) = cohort.policy().max_new_load {
        for l in &report.mentors {
            assert!(l.assigned <= cap, "mentor {:?} over max_new_load", l.mentor);
        }
    }
    for m in &report.matches {
        let why = explain(cohort, m.mentor.as_str(), m.recipient.as_str())
            .expect("matched ids are in the cohort");
        let cross = m.cross_condition && why.failed_rules == [peermatch::HardRule::Condition];
        assert!(
            why.eligible || cross || overridden(&m.mentor, &m.recipient),
            "matched pair breaks {:?}",
            why.failed_rules
        );
        assert_eq!(
            why.breakdown.score, m.score,
            "explain and the report disagree"
        );
    }
    assert!(report.solve.certified, "plan not certified");
}
