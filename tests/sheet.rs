//! CSV sheets: the layout, the errors (sheet, row, column), names kept out of reports,
//! and the same cohort as the JSON format gives.

use peermatch::{Cohort, Error, Matcher, Policy, match_cohort};
use proptest::prelude::*;

const SAMPLE_JSON: &str = include_str!("../examples/data/cohort.json");
const SAMPLE_CSV: &str = include_str!("../examples/data/cohort.csv");

#[test]
fn the_bundled_sheet_is_the_bundled_cohort() {
    let json = Cohort::from_json(SAMPLE_JSON).unwrap();
    let csv = Cohort::from_csv(SAMPLE_CSV, Policy::default()).unwrap();
    // The same people (the sheet adds display names), the same plan byte for byte.
    assert_eq!(json.mentors().len(), csv.mentors().len());
    assert_eq!(json.recipients().len(), csv.recipients().len());
    for (a, b) in json.mentors().iter().zip(csv.mentors()) {
        assert!(b.name.is_some());
        let mut b = peermatch::Mentor::clone(b);
        b.name = None;
        assert_eq!(**a, b);
    }
    for (a, b) in json.recipients().iter().zip(csv.recipients()) {
        let mut b = b.clone();
        b.name = None;
        assert_eq!(a, &b);
    }
    assert_eq!(match_cohort(&json).to_json(), match_cohort(&csv).to_json());
}

#[test]
fn names_and_notes_stay_out_of_reports_unless_asked() {
    let sheet = "role,id,name,notes,languages,conditions,experiences,capacity\n\
                 mentor,m1,Mara Okafor,knows the clinic,en,copd,rehab,1\n\
                 recipient,r1,Ines Silva,call after 5pm,en,copd,rehab,\n\
                 recipient,r2,Kwame Mensah,,yo,copd,rehab,\n";
    let cohort = Cohort::from_csv(sheet, Policy::default()).unwrap();
    let plain = match_cohort(&cohort).to_json();
    for private in ["Mara", "Ines", "Kwame", "clinic", "5pm"] {
        assert!(!plain.contains(private), "{private} leaked into {plain}");
    }
    let named = Matcher::new().names(true).run(&cohort);
    let json = named.to_json();
    assert!(json.contains("\"mentor_name\": \"Mara Okafor\""));
    assert!(json.contains("\"recipient_name\": \"Ines Silva\""));
    assert_eq!(
        named.unmatched[0].recipient_name.as_deref(),
        Some("Kwame Mensah")
    );
    assert_eq!(named.mentors[0].mentor_name.as_deref(), Some("Mara Okafor"));
    // Notes never enter a report.
    assert!(!json.contains("clinic") && !json.contains("5pm"));
    // Names do not change the plan.
    assert_eq!(named.matches.len(), 1);
    assert_eq!(named.matches[0].mentor.as_str(), "m1");
}

#[test]
fn every_field_reads_from_its_column() {
    let sheet = "Role, ID ,Languages,conditions,experiences,interests,Current Load,capacity,\
                 training,boundaries,age,gender,region,modes,availability,months-since-diagnosis,\
                 groups,exclude,needs,required_training,urgency,priorities,mentor_gender\n\
                 mentor,m1,EN; pl,COPD,rehab; carer,chess,1,3,Certified,bereavement,60,woman,north,\
                 phone; In person,mon-eve,48,clinic a,r2,,,,,\n\
                 recipient,r1,en,copd,rehab,,,,,,41,man,north,video,,12,,,breathlessness,basic,2,\
                 age=2; Training fit=0.5,woman\n\
                 recipient,r2,en,copd,carer,,,,,,,,,,,,,,,,,,\n";
    let cohort = Cohort::from_csv(sheet, Policy::default()).unwrap();
    let m = &cohort.mentors()[0];
    assert_eq!((m.capacity, m.current_load), (3, 1));
    assert_eq!(m.training, peermatch::TrainingLevel::Certified);
    assert_eq!(m.languages, ["en", "pl"]);
    assert_eq!(
        m.modes,
        [
            peermatch::ContactMode::Phone,
            peermatch::ContactMode::InPerson
        ]
    );
    assert_eq!(m.months_since_diagnosis, Some(48));
    assert_eq!(m.exclude[0].as_str(), "r2");
    assert_eq!(m.boundaries, ["bereavement"]);
    let r = &cohort.recipients()[0];
    assert_eq!(r.urgency, 2);
    assert_eq!(r.required_training, peermatch::TrainingLevel::Basic);
    assert_eq!(r.priorities[&peermatch::Criterion::Age], 2.0);
    assert_eq!(r.priorities[&peermatch::Criterion::TrainingFit], 0.5);
    assert_eq!(r.mentor_gender, ["woman"]);
    assert_eq!(r.needs, ["breathlessness"]);
}

/// The error of reading `sheet` as one sheet, as text.
fn error_of(sheet: &str) -> String {
    Cohort::from_csv(sheet, Policy::default())
        .unwrap_err()
        .to_string()
}

#[test]
fn errors_name_the_sheet_row_and_column() {
    let head = "role,id,languages,capacity,urgency,modes,training,priorities\n";
    let cases = [
        (
            "mentor,m1,en,two,,,,\n",
            "sheet, row 2, column `capacity`: expected a whole number from 0 to 4294967295, got \"two\"",
        ),
        (
            "mentor,m1,en,1,,,,\nmentor,m2,en,,,,,\n",
            "sheet, row 3, column `capacity`: a mentor's capacity is required",
        ),
        (
            "recipient,r1,en,,1,,,\nhelper,x,en,,,,,\n",
            "sheet, row 3, column `role`: unknown role \"helper\", expected one of: mentor, recipient",
        ),
        (
            "mentor,m1,en,1,2,,,\n",
            "sheet, row 2, column `urgency`: is a recipient field, and this row is a mentor",
        ),
        (
            "mentor,m1,en,1,,fax,,\n",
            "sheet, row 2, column `modes`: unknown contact mode \"fax\", expected one of: phone, video, in_person, text",
        ),
        (
            "mentor,m1,en,1,,,expert,\n",
            "sheet, row 2, column `training`: unknown training level \"expert\", expected one of: none, basic, certified, advanced",
        ),
        (
            "recipient,r1,en,,,,,age:2\n",
            "sheet, row 2, column `priorities`: expected `criterion=multiplier` entries separated by `;`, got \"age:2\"",
        ),
        (
            "recipient,r1,en,,9,,,\n",
            "sheet, row 2: recipient 0 (\"r1\"): field `urgency` is 9, expected 0..=3",
        ),
        (
            "mentor,m1,en,1,,,,\n\nmentor,m1,en,2,,,,\n",
            "sheet, row 4: mentor 1 (\"m1\"): duplicate id \"m1\", first used by entry 0",
        ),
        (
            "mentor,m1,en,1,,,,,extra\n",
            "sheet, row 2, column ``: has 9 cells, the header names 8 columns",
        ),
    ];
    for (rows, expected) in cases {
        assert_eq!(error_of(&format!("{head}{rows}")), expected, "{rows}");
    }
    // A cell with line breaks is one row, a blank line is one.
    assert_eq!(
        error_of(
            "role,id,notes,languages,capacity\nmentor,m1,\"two\nlines\",en,1\n\nmentor,m2,,en,x\n"
        ),
        "sheet, row 4, column `capacity`: expected a whole number from 0 to 4294967295, got \"x\""
    );
    assert_eq!(
        error_of("role,id,boundries\nmentor,m1,grief\n"),
        "sheet, row 1, column `boundries`: is not a column of the format"
    );
    assert_eq!(
        error_of("role,id,ID\n"),
        "sheet, row 1, column `id`: appears twice"
    );
    assert_eq!(
        error_of("id,languages\nm1,en\n"),
        "sheet, row 1, column `role`: is required and missing"
    );
    let err = Cohort::from_csv_sheets("role,id\n", "id\n", Policy::default()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::SheetCell {
                sheet: "mentors sheet",
                row: 1,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn invalid_utf8_and_ragged_rows_are_errors_not_panics() {
    let mut bytes = b"role,id,languages,capacity\nmentor,m1,en,1\n".to_vec();
    bytes.extend_from_slice(b"mentor,\"unterminated,en,1\n");
    let text = String::from_utf8(bytes).unwrap();
    // An unterminated quote runs to the end: one record with too few cells, still no panic.
    let _ = Cohort::from_csv(&text, Policy::default());
    assert!(Cohort::from_csv("", Policy::default()).is_err());
    assert!(Cohort::from_csv("\u{feff}role,id\n", Policy::default()).is_ok());
}

/// A cell value free of the sheet's separators.
fn token() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9 ]{0,6}[a-z0-9]".prop_map(|s| s.trim().to_owned())
}

fn tags() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(token(), 0..3)
}

proptest! {
    /// Any cohort written as a sheet reads back as the cohort its JSON gives.
    #[test]
    fn a_sheet_and_its_json_give_the_same_cohort(
        mentors in prop::collection::vec((tags(), tags(), 0u32..4, prop::option::of(0u32..100)), 0..5),
        recipients in prop::collection::vec((tags(), tags(), 0u8..4, prop::option::of(0u32..100)), 0..6),
    ) {
        let mut sheet = String::from("role,id,languages,conditions,experiences,capacity,urgency,age\n");
        let mut json_m = Vec::new();
        let mut json_r = Vec::new();
        for (i, (conditions, experiences, capacity, age)) in mentors.iter().enumerate() {
            let age_cell = age.map_or(String::new(), |a| a.to_string());
            sheet += &format!("mentor,m{i},en,{},{},{capacity},,{age_cell}\n", conditions.join(";"), experiences.join("; "));
            json_m.push(serde_json::json!({"id": format!("m{i}"), "languages": ["en"],
                "conditions": conditions, "experiences": experiences, "capacity": capacity, "age": age}));
        }
        for (i, (conditions, experiences, urgency, age)) in recipients.iter().enumerate() {
            let age_cell = age.map_or(String::new(), |a| a.to_string());
            sheet += &format!("recipient,r{i},en,{},{},,{urgency},{age_cell}\n", conditions.join(" ;"), experiences.join(";"));
            json_r.push(serde_json::json!({"id": format!("r{i}"), "languages": ["en"],
                "conditions": conditions, "experiences": experiences, "urgency": urgency, "age": age}));
        }
        let json = serde_json::json!({"version": 1, "mentors": json_m, "recipients": json_r}).to_string();
        let from_json = Cohort::from_json(&json).unwrap();
        let from_csv = Cohort::from_csv(&sheet, Policy::default()).unwrap();
        prop_assert_eq!(from_json.mentors(), from_csv.mentors());
        prop_assert_eq!(from_json.recipients(), from_csv.recipients());
        prop_assert_eq!(match_cohort(&from_json).to_json(), match_cohort(&from_csv).to_json());
    }

    /// Arbitrary text never panics the reader: a cohort or a typed error.
    #[test]
    fn any_text_is_a_cohort_or_an_error(text in "(role|id|languages|capacity|mentor|recipient|m1|r1|en|1|,|;|\n|\"| |x){0,60}") {
        let _ = Cohort::from_csv(&text, Policy::default());
        let _ = Cohort::from_csv_sheets(&text, &text, Policy::default());
    }
}

/// The bundled pairs sheet gives the bundled second round's pairs: the same cohort,
/// the same report.
#[test]
fn the_bundled_pairs_sheet_is_the_second_rounds_pairs() {
    let round2 = Cohort::from_json(include_str!("../examples/data/round2.json")).unwrap();
    let pairs = include_str!("../examples/data/pairs.csv");
    let from_sheet = round2
        .clone()
        .with_pairs(Vec::new())
        .unwrap()
        .with_pairs_csv(pairs)
        .unwrap();
    assert_eq!(from_sheet.pairs(), round2.pairs());
    assert_eq!(match_cohort(&from_sheet), match_cohort(&round2));
}

#[test]
fn pairs_sheet_errors_name_the_row_and_column() {
    let cohort = Cohort::from_json(include_str!("../examples/data/cohort.json")).unwrap();
    let err = |sheet: &str| {
        cohort
            .clone()
            .with_pairs_csv(sheet)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err("mentor,pinned\nm-owen,yes\n"),
        "pairs sheet, row 1, column `recipient`: is required and missing"
    );
    assert_eq!(
        err("mentor,recipient,color\n"),
        "pairs sheet, row 1, column `color`: is not a column of the format"
    );
    assert_eq!(
        err("mentor,recipient,ended\nm-owen,r-gwen,no\n\nm-owen,r-terry,perhaps\n"),
        "pairs sheet, row 4, column `ended`: expected yes or no, got \"perhaps\""
    );
    assert_eq!(
        err("mentor,recipient\nm-owen,\n"),
        "pairs sheet, row 2, column `recipient`: is required and empty"
    );
    let unknown = cohort
        .clone()
        .with_pairs_csv("mentor,recipient\nm-owen,r-gwen\nm-nobody,r-aled\n")
        .unwrap_err();
    assert!(
        matches!(&unknown, Error::InSheet { row: 3, error, .. }
            if matches!(**error, Error::UnknownPairPerson { field: "mentor", .. })),
        "{unknown}"
    );
    let twice = cohort
        .clone()
        .with_pairs_csv("Mentor,Recipient\nm-owen,r-gwen\nm-carys,r-gwen\n")
        .unwrap_err();
    assert!(matches!(twice, Error::InSheet { row: 3, .. }), "{twice}");
}
