//! Raw bytes → `Cohort::from_csv` (one sheet, and the same bytes as both sheets of the
//! two-sheet layout, and a part after `\n===\n` as a pairs sheet) → match: never a
//! panic, and every plan keeps the invariants; the plan's own sheets and Markdown,
//! names included, read back one row per person.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peermatch::{Cohort, Policy};

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (text, pairs) = text.split_once("\n===\n").unwrap_or((text, ""));
    if let Ok(cohort) = Cohort::from_csv(text, Policy::default()) {
        // A pairs sheet is read against any cohort without a panic; what it accepts
        // is matched like any cohort with running pairs.
        if !pairs.is_empty()
            && let Ok(with_pairs) = cohort.clone().with_pairs_csv(pairs)
        {
            common::match_and_check(&with_pairs);
        }
        // What a sheet gives is a cohort like any other: its JSON reads back the same.
        let again = Cohort::from_json(&cohort.to_json()).expect("own JSON parses");
        assert_eq!(again, cohort);
        common::match_and_check(&cohort);
        check_exports(
            &peermatch::Matcher::new()
                .threads(1)
                .names(true)
                .run(&cohort),
        );
    }
    if let Some((mentors, recipients)) = text.split_once("\n---\n")
        && let Ok(cohort) = Cohort::from_csv_sheets(mentors, recipients, Policy::default())
    {
        common::match_and_check(&cohort);
    }
});

/// The exports of `report` hold one row per pair, unmatched recipient, mentor and
/// warning, whatever the names contain.
fn check_exports(report: &peermatch::MatchReport) {
    let sheets = report.to_csv();
    let rows = |text: &str| {
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("own CSV parses"))
            .count()
    };
    assert_eq!(rows(&sheets.pairs), report.matches.len());
    assert_eq!(rows(&sheets.unmatched), report.unmatched.len());
    assert_eq!(rows(&sheets.mentors), report.mentors.len());
    assert_eq!(rows(&sheets.warnings), report.warnings.len());
    let plan = report.to_markdown();
    let pairs = plan
        .split("## Pairs")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the plan has a pairs section");
    let table_rows = pairs.lines().filter(|l| l.starts_with('|')).count();
    let expected = if report.matches.is_empty() {
        0
    } else {
        report.matches.len() + 2
    };
    assert_eq!(table_rows, expected, "one Markdown row per pair");
}
