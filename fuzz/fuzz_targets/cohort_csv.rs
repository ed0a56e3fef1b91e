//! Raw bytes → `Cohort::from_csv` (one sheet, and the same bytes as both sheets of the
//! two-sheet layout) → match: never a panic, and every plan keeps the invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peermatch::{Cohort, Policy};

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(cohort) = Cohort::from_csv(text, Policy::default()) {
        // What a sheet gives is a cohort like any other: its JSON reads back the same.
        let again = Cohort::from_json(&cohort.to_json()).expect("own JSON parses");
        assert_eq!(again, cohort);
        common::match_and_check(&cohort);
    }
    if let Some((mentors, recipients)) = text.split_once("\n---\n")
        && let Ok(cohort) = Cohort::from_csv_sheets(mentors, recipients, Policy::default())
    {
        common::match_and_check(&cohort);
    }
});
