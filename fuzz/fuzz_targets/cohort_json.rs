//! Raw bytes → `Cohort::from_json` → match → `explain`: never a panic, and every plan
//! that comes out keeps the invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(cohort) = peermatch::Cohort::from_json(text) else {
        return;
    };
    // What was accepted round-trips through its own JSON.
    let again = peermatch::Cohort::from_json(&cohort.to_json()).expect("own JSON parses");
    assert_eq!(again, cohort);
    let report = common::match_and_check(&cohort);
    // Unmatched recipients are explained against every mentor without an error.
    for u in report.unmatched.iter().take(4) {
        for m in cohort.mentors().iter().take(8) {
            peermatch::explain(&cohort, m.id.as_str(), u.recipient.as_str()).unwrap();
        }
    }
    // The review questions answer on any accepted cohort: the graph has one edge per
    // pair, blocking pairs are eligible and not in the plan, and forcing a pair never
    // improves on the optimum.
    assert_eq!(
        report.to_dot().matches(" -- ").count(),
        report.matches.len()
    );
    for b in peermatch::blocking_pairs(&cohort, &report) {
        assert!(
            report
                .match_of(b.recipient.as_str())
                .is_none_or(|m| m.mentor != b.mentor)
        );
    }
    if let (Some(m), Some(r)) = (cohort.mentors().first(), cohort.recipients().first()) {
        let matcher = peermatch::Matcher::new().threads(1);
        let why = matcher
            .why_not(&cohort, m.id.as_str(), r.id.as_str())
            .unwrap();
        // (With recipients who lost their mentor the solve placed them at urgency 3
        // while the values count their own urgency, so the comparison is only exact
        // without them.)
        // Nor when the recipient's own running pair is what the forced pair replaces.
        let own_pair = cohort
            .pairs()
            .iter()
            .any(|p| p.runs() && p.recipient == r.id);
        if let Some(forcing) = why
            .forcing
            .filter(|_| report.summary.lost_mentor == 0 && !own_pair)
        {
            assert!(forcing.change <= [0; 7], "forcing improved on the optimum");
        }
        let list = matcher.shortlist(&cohort, r.id.as_str(), 3).unwrap();
        assert!(list.len() <= 3);
    }
    // Recruitment advice, applied, matches at least what it promised.
    if cohort.recipients().len() <= 64 {
        let matcher = peermatch::Matcher::new().threads(1);
        for gap in matcher.recruitment(&cohort, 1).unwrap() {
            let promised = match gap.would_serve {
                peermatch::Count::Exactly(n) => n as usize,
                _ => 1,
            };
            let mut mentors = cohort.mentors().iter().map(|m| peermatch::Mentor::clone(m)).collect::<Vec<_>>();
            for i in 0..gap.mentors {
                let id = format!("fuzz-recruit-{i}");
                if cohort.mentor(&id).is_some() || cohort.recipient(&id).is_some() {
                    return;
                }
                mentors.push(gap.profile.to_mentor(&id));
            }
            let limits = peermatch::Limits::default()
                .with_people(peermatch::MAX_PEOPLE)
                .with_tags_per_list(usize::MAX)
                .with_tag_bytes(usize::MAX);
            let grown = peermatch::Cohort::new_with_limits(
                mentors,
                cohort.recipients().to_vec(),
                cohort.policy().clone(),
                &limits,
            )
            .and_then(|c| c.with_pairs(cohort.pairs().to_vec()))
            .expect("the grown cohort is valid");
            let after = matcher.run(&grown);
            assert!(after.summary.matched >= report.summary.matched + promised);
        }
    }
});
