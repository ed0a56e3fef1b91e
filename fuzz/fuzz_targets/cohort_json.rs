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
});
