//! Bad input: every validation error, with the record and field it names.
//!
//! Each test feeds one defect and checks the exact typed error, so a change that makes
//! an error vaguer (or lets the defect through) fails here.

use peermatch::{Cohort, Criterion, Error, Mentor, Policy, Recipient, Record};

fn err(json: &str) -> Error {
    Cohort::from_json(json).expect_err("the cohort should be rejected")
}

fn mentor_record(index: usize, id: &str) -> Record {
    Record::Mentor {
        index,
        id: Some(id.into()),
    }
}

fn recipient_record(index: usize, id: &str) -> Record {
    Record::Recipient {
        index,
        id: Some(id.into()),
    }
}

const M: &str = r#"{"id": "m1", "capacity": 2, "languages": ["en"]}"#;
const R: &str = r#"{"id": "r1", "languages": ["en"]}"#;

fn cohort(mentors: &[&str], recipients: &[&str], policy: &str) -> String {
    format!(
        r#"{{"version": 1, "mentors": [{}], "recipients": [{}], "policy": {policy}}}"#,
        mentors.join(","),
        recipients.join(",")
    )
}

#[test]
fn minimal_documents_are_valid() {
    for json in [
        "{}",
        r#"{"version": 1}"#,
        r#"{"version": null, "mentors": null, "recipients": null, "policy": null}"#,
        &cohort(&[M], &[R], "{}"),
    ] {
        Cohort::from_json(json).unwrap_or_else(|e| panic!("{json}: {e}"));
    }
}

#[test]
fn malformed_json_has_line_and_column() {
    let e = err("{\n  \"mentors\": [\n    {\"id\": \"m1\",, }\n  ]\n}");
    match e {
        Error::Syntax { line, column, .. } => {
            assert_eq!(line, 3);
            assert_eq!(column, 17, "the second comma");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(matches!(err(""), Error::Syntax { line: 1, .. }));
    assert!(matches!(
        err("{} trailing"),
        Error::Syntax {
            line: 1,
            column: 4,
            ..
        }
    ));
}

#[test]
fn wrong_version_is_refused() {
    for (version, found) in [("2", "2"), ("\"1\"", "\"1\""), ("1.5", "1.5"), ("0", "0")] {
        assert_eq!(
            err(&format!(r#"{{"version": {version}}}"#)),
            Error::UnsupportedVersion {
                found: found.into()
            }
        );
    }
}

#[test]
fn unknown_fields_are_refused_everywhere() {
    let e = err(&cohort(
        &[
            M,
            r#"{"id": "m2", "capacity": 1, "languages": ["en"], "boundries": []}"#,
        ],
        &[R],
        "{}",
    ));
    assert!(
        matches!(&e, Error::UnknownField { record: Record::Mentor { index: 1, .. }, field, line: 1, .. } if field == "boundries"),
        "{e:?}"
    );
    let e = err(&cohort(
        &[M],
        &[r#"{"id": "r1", "languages": ["en"], "nedds": []}"#],
        "{}",
    ));
    assert!(
        matches!(&e, Error::UnknownField { record: Record::Recipient { index: 0, .. }, field, .. } if field == "nedds"),
        "{e:?}"
    );
    let e = err(&cohort(&[M], &[R], r#"{"min_scor": 0.1}"#));
    assert!(
        matches!(&e, Error::UnknownField { record: Record::Policy, field, .. } if field == "min_scor"),
        "{e:?}"
    );
    let e = err(r#"{"mentor": []}"#);
    assert!(
        matches!(&e, Error::UnknownField { record: Record::Cohort, field, .. } if field == "mentor"),
        "{e:?}"
    );
}

#[test]
fn wrong_types_and_names_are_located() {
    let e = err(&cohort(
        &[r#"{"id": "m1", "capacity": "two", "languages": ["en"]}"#],
        &[],
        "{}",
    ));
    assert!(
        matches!(&e, Error::InvalidField { record: Record::Mentor { index: 0, .. }, field, .. } if field == "capacity"),
        "{e:?}"
    );
    let e = err(&cohort(
        &[M],
        &[r#"{"id": "r1", "languages": ["en"], "required_training": "expert"}"#],
        "{}",
    ));
    assert!(
        matches!(&e, Error::InvalidField { record: Record::Recipient { index: 0, .. }, field, .. } if field == "required_training"),
        "{e:?}"
    );
    let e = err(&cohort(
        &[M],
        &[r#"{"id": "r1", "languages": ["en"], "modes": ["fax"]}"#],
        "{}",
    ));
    assert!(
        matches!(&e, Error::InvalidField { field, .. } if field.starts_with("modes")),
        "{e:?}"
    );
    let e = err(&cohort(&[M], &[R], r#"{"objective": "speed"}"#));
    assert!(
        matches!(&e, Error::InvalidField { record: Record::Policy, field, .. } if field == "objective"),
        "{e:?}"
    );
    let e = err(&cohort(
        &[r#"{"id": "m1", "capacity": -1, "languages": ["en"]}"#],
        &[],
        "{}",
    ));
    assert!(
        matches!(&e, Error::InvalidField { field, .. } if field == "capacity"),
        "{e:?}"
    );
    let e = err(&cohort(
        &[M],
        &[r#"{"id": "r1", "languages": ["en"], "age": -3}"#],
        "{}",
    ));
    assert!(
        matches!(&e, Error::InvalidField { field, .. } if field == "age"),
        "{e:?}"
    );
}

#[test]
fn unknown_criterion_is_refused_in_weights_and_priorities() {
    let e = err(&cohort(
        &[M],
        &[R],
        r#"{"weights": {"experiences": 2, "vibes": 1}}"#,
    ));
    assert!(
        matches!(&e, Error::InvalidField { record: Record::Policy, field, message, .. }
            if field.starts_with("weights") && message.contains("vibes")),
        "{e:?}"
    );
    let e = err(&cohort(
        &[M],
        &[r#"{"id": "r1", "languages": ["en"], "priorities": {"astrology": 2}}"#],
        "{}",
    ));
    assert!(
        matches!(&e, Error::InvalidField { record: Record::Recipient { index: 0, .. }, field, message, .. }
            if field.starts_with("priorities") && message.contains("astrology")),
        "{e:?}"
    );
}

#[test]
fn missing_required_fields_are_named() {
    let e = err(&cohort(
        &[r#"{"id": "m1", "languages": ["en"]}"#],
        &[],
        "{}",
    ));
    assert!(
        matches!(&e, Error::MissingField { record: Record::Mentor { index: 0, .. }, field, .. } if field == "capacity"),
        "{e:?}"
    );
    let e = err(&cohort(&[M], &[r#"{"languages": ["en"]}"#], "{}"));
    assert!(
        matches!(&e, Error::MissingField { record: Record::Recipient { index: 0, .. }, field, .. } if field == "id"),
        "{e:?}"
    );
}

#[test]
fn blank_and_duplicate_ids() {
    assert_eq!(
        err(&cohort(
            &[r#"{"id": "  ", "capacity": 1, "languages": ["en"]}"#],
            &[],
            "{}"
        )),
        Error::BlankId {
            record: mentor_record(0, "  ")
        }
    );
    assert_eq!(
        err(&cohort(&[M, M], &[], "{}")),
        Error::DuplicateId {
            record: mentor_record(1, "m1"),
            id: "m1".into(),
            first_index: 0
        }
    );
    assert_eq!(
        err(&cohort(
            &[M],
            &[R, r#"{"id": "r2", "languages": ["en"]}"#, R],
            "{}"
        )),
        Error::DuplicateId {
            record: recipient_record(2, "r1"),
            id: "r1".into(),
            first_index: 0
        }
    );
    // Ids are compared exactly: case and spaces make different ids, and one person may
    // be both a mentor and a recipient.
    Cohort::from_json(&cohort(
        &[M, r#"{"id": "M1", "capacity": 1, "languages": ["en"]}"#],
        &[r#"{"id": "m1", "languages": ["en"]}"#],
        "{}",
    ))
    .unwrap();
}

#[test]
fn unknown_exclude_ids() {
    assert_eq!(
        err(&cohort(
            &[r#"{"id": "m1", "capacity": 1, "languages": ["en"], "exclude": ["r1", "r9"]}"#],
            &[R],
            "{}"
        )),
        Error::UnknownExclude {
            record: mentor_record(0, "m1"),
            id: "r9".into()
        }
    );
    assert_eq!(
        err(&cohort(
            &[M],
            &[r#"{"id": "r1", "languages": ["en"], "exclude": ["m2"]}"#],
            "{}"
        )),
        Error::UnknownExclude {
            record: recipient_record(0, "r1"),
            id: "m2".into()
        }
    );
}

#[test]
fn load_above_capacity() {
    assert_eq!(
        err(&cohort(
            &[r#"{"id": "m1", "capacity": 2, "current_load": 3, "languages": ["en"]}"#],
            &[],
            "{}"
        )),
        Error::LoadAboveCapacity {
            record: mentor_record(0, "m1"),
            current_load: 3,
            capacity: 2
        }
    );
}

#[test]
fn no_languages_after_normalisation() {
    assert_eq!(
        err(&cohort(&[r#"{"id": "m1", "capacity": 1}"#], &[], "{}")),
        Error::NoLanguages {
            record: mentor_record(0, "m1")
        }
    );
    assert_eq!(
        err(&cohort(
            &[M],
            &[r#"{"id": "r1", "languages": [" ", ""]}"#],
            "{}"
        )),
        Error::NoLanguages {
            record: recipient_record(0, "r1")
        }
    );
}

#[test]
fn ages_and_urgency_out_of_range() {
    assert_eq!(
        err(&cohort(
            &[r#"{"id": "m1", "capacity": 1, "languages": ["en"], "age": 121}"#],
            &[],
            "{}"
        )),
        Error::AgeOutOfRange {
            record: mentor_record(0, "m1"),
            age: 121
        }
    );
    Cohort::from_json(&cohort(
        &[r#"{"id": "m1", "capacity": 1, "languages": ["en"], "age": 120}"#],
        &[r#"{"id": "r1", "languages": ["en"], "age": 0, "urgency": 3}"#],
        "{}",
    ))
    .unwrap();
    assert_eq!(
        err(&cohort(
            &[M],
            &[r#"{"id": "r1", "languages": ["en"], "urgency": 4}"#],
            "{}"
        )),
        Error::UrgencyOutOfRange {
            record: recipient_record(0, "r1"),
            urgency: 4
        }
    );
}

#[test]
fn numbers_out_of_range() {
    let policy_err = |policy: &str| err(&cohort(&[M], &[R], policy));
    assert_eq!(
        policy_err(r#"{"weights": {"age": -1}}"#),
        Error::NumberOutOfRange {
            record: Record::Policy,
            field: "weights.age".into(),
            value: -1.0,
            expected: "a finite number in [0, 1e9]"
        }
    );
    assert!(matches!(
        policy_err(r#"{"weights": {"region": 1e10}}"#),
        Error::NumberOutOfRange { field, .. } if field == "weights.region"
    ));
    assert!(matches!(
        policy_err(r#"{"min_score": 1.5}"#),
        Error::NumberOutOfRange { field, .. } if field == "min_score"
    ));
    assert!(matches!(
        policy_err(r#"{"min_score": -0.1}"#),
        Error::NumberOutOfRange { field, .. } if field == "min_score"
    ));
    assert!(matches!(
        policy_err(r#"{"load_penalty": 2}"#),
        Error::NumberOutOfRange { field, .. } if field == "load_penalty"
    ));
    assert!(matches!(
        err(&cohort(&[M], &[r#"{"id": "r1", "languages": ["en"], "priorities": {"age": -2}}"#], "{}")),
        Error::NumberOutOfRange { record: Record::Recipient { index: 0, .. }, field, .. } if field == "priorities.age"
    ));
    // JSON has no NaN or infinity, but code does.
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut policy = Policy::default();
        policy.weights.insert(Criterion::Journey, bad);
        let e = Cohort::new(vec![], vec![], policy).unwrap_err();
        assert!(
            matches!(e, Error::NumberOutOfRange { ref field, .. } if field == "weights.journey")
        );
        let policy = Policy {
            load_penalty: bad,
            ..Policy::default()
        };
        assert!(matches!(
            Cohort::new(vec![], vec![], policy).unwrap_err(),
            Error::NumberOutOfRange { ref field, .. } if field == "load_penalty"
        ));
        let policy = Policy {
            min_score: bad,
            ..Policy::default()
        };
        assert!(matches!(
            Cohort::new(vec![], vec![], policy).unwrap_err(),
            Error::NumberOutOfRange { ref field, .. } if field == "min_score"
        ));
    }
}

#[test]
fn first_error_in_document_order() {
    // Two defects: the policy comes first in the document, so its error is reported.
    let json = r#"{"policy": {"min_score": 7}, "mentors": [{"id": "", "capacity": 1, "languages": ["en"]}]}"#;
    assert!(matches!(
        err(json),
        Error::NumberOutOfRange {
            record: Record::Policy,
            ..
        }
    ));
    let json = r#"{"mentors": [{"id": "", "capacity": 1, "languages": ["en"]}], "policy": {"min_score": 7}}"#;
    assert!(matches!(err(json), Error::BlankId { .. }));
    // A bad version after a bad mentor: the mentor's error comes first.
    let json = r#"{"mentors": [{"id": "m", "capacity": 1}], "version": 3}"#;
    assert!(matches!(err(json), Error::NoLanguages { .. }));
    let json = r#"{"version": 3, "mentors": [{"id": "m", "capacity": 1}]}"#;
    assert!(matches!(err(json), Error::UnsupportedVersion { .. }));
    // Within a side, records in array order.
    let json = cohort(
        &[
            r#"{"id": "a", "capacity": 1, "languages": ["en"], "age": 200}"#,
            r#"{"id": "b", "capacity": 1}"#,
        ],
        &[],
        "{}",
    );
    assert!(matches!(err(&json), Error::AgeOutOfRange { age: 200, .. }));
}

#[test]
fn code_built_cohorts_get_the_same_checks() {
    let mentor = Mentor {
        id: "m1".into(),
        capacity: 1,
        current_load: 2,
        languages: vec!["en".into()],
        ..Mentor::default()
    };
    assert!(matches!(
        Cohort::new(vec![mentor], vec![], Policy::default()),
        Err(Error::LoadAboveCapacity { .. })
    ));
    let recipient = Recipient {
        id: "r1".into(),
        languages: vec!["en".into()],
        urgency: 9,
        ..Recipient::default()
    };
    assert!(matches!(
        Cohort::new(vec![], vec![recipient], Policy::default()),
        Err(Error::UrgencyOutOfRange { urgency: 9, .. })
    ));
}

#[test]
fn error_messages_name_record_and_field() {
    let e = err(&cohort(
        &[M],
        &[r#"{"id": "r1", "languages": ["en"], "urgency": 4}"#],
        "{}",
    ));
    assert_eq!(
        e.to_string(),
        r#"recipient 0 ("r1"): field `urgency` is 4, expected 0..=3"#
    );
    let e = err(&cohort(
        &[
            M,
            r#"{"id": "m2", "capacity": 1, "languages": ["en"], "boundries": []}"#,
        ],
        &[],
        "{}",
    ));
    assert!(
        e.to_string()
            .starts_with("mentor 1: unknown field `boundries`"),
        "{e}"
    );
}

#[test]
fn normalisation_and_round_trip() {
    let json = cohort(
        &[
            r#"{"id": " m1 ", "capacity": 2, "languages": ["EN", " en", ""], "conditions": ["COPD ", "copd"],
             "gender": "  ", "region": " North ", "modes": ["video", "phone", "video"]}"#,
        ],
        &[
            r#"{"id": "r1", "languages": ["en"], "priorities": {"age": 2}, "mentor_gender": ["F"], "urgency": 1}"#,
        ],
        r#"{"weights": {"experiences": 4}, "objective": "quality", "load_penalty": 0.1}"#,
    );
    let c = Cohort::from_json(&json).unwrap();
    let m = &c.mentors()[0];
    assert_eq!(m.id.as_str(), " m1 ", "ids are kept exactly as written");
    assert_eq!(m.languages, ["en"]);
    assert_eq!(m.conditions, ["copd"]);
    assert_eq!(m.gender, None, "a blank gender is unknown");
    assert_eq!(m.region.as_deref(), Some("north"));
    assert_eq!(
        m.modes,
        [peermatch::ContactMode::Phone, peermatch::ContactMode::Video]
    );
    assert_eq!(c.recipients()[0].mentor_gender, ["f"]);
    let text = c.to_json();
    let again = Cohort::from_json(&text).unwrap();
    assert_eq!(again, c);
    assert_eq!(again.to_json(), text, "serialisation is stable");
    // serde's own entry points validate too.
    let via_serde: Cohort = serde_json::from_str(&text).unwrap();
    assert_eq!(via_serde, c);
    assert!(serde_json::from_str::<Cohort>(r#"{"version": 2}"#).is_err());
}

#[test]
fn null_means_absent_for_every_optional_field() {
    let json = r#"{"version": null,
      "mentors": [{"id": "m1", "capacity": 2, "languages": ["en"], "conditions": null, "experiences": null,
                   "interests": null, "age": null, "gender": null, "region": null, "modes": null,
                   "availability": null, "months_since_diagnosis": null, "groups": null, "training": null,
                   "current_load": null, "boundaries": null, "exclude": null}],
      "recipients": [{"id": "r1", "languages": ["en"], "needs": null, "required_training": null, "urgency": null,
                      "priorities": null, "mentor_gender": null, "exclude": null}],
      "policy": {"weights": null, "min_score": null, "min_shared_beyond_diagnosis": null,
                 "require_shared_condition": null, "min_months_ahead": null, "load_penalty": null,
                 "objective": null}}"#;
    let with_nulls = Cohort::from_json(json).unwrap();
    let without = Cohort::from_json(
        r#"{"mentors": [{"id": "m1", "capacity": 2, "languages": ["en"]}],
            "recipients": [{"id": "r1", "languages": ["en"]}]}"#,
    )
    .unwrap();
    assert_eq!(with_nulls, without);
    assert_eq!(with_nulls.policy(), &Policy::default());
    // A required field is still required.
    assert!(matches!(
        err(r#"{"mentors": [{"id": "m1", "capacity": null, "languages": ["en"]}]}"#),
        Error::InvalidField { ref field, .. } if field == "capacity"
    ));
}

mod never_panics {
    use proptest::prelude::*;

    const SAMPLE: &str = include_str!("../examples/data/cohort.json");

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Random edits of a real cohort file either load (and then match) or give an
        /// error; nothing panics.
        #[test]
        fn edited_cohort_files_never_panic(
            edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, prop::sample::select(
                vec!["", "-1", "null", "\"\"", "[]", "{}", "4294967295", "1e400", "\"x\"", ",", "\"capacity\": 0", "\u{e9}"])), 1..4)
        ) {
            let mut text = SAMPLE.to_owned();
            for (at, kind, piece) in edits {
                // An earlier edit may have cut the whole file (`Index` needs one byte).
                if text.is_empty() {
                    break;
                }
                let mut i = at.index(text.len());
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                match kind {
                    0 => text.insert_str(i, piece),
                    1 => {
                        let mut end = (i + piece.len().max(1)).min(text.len());
                        while !text.is_char_boundary(end) {
                            end += 1;
                        }
                        text.replace_range(i..end, piece);
                    }
                    _ => text.truncate(i),
                }
            }
            if let Ok(cohort) = peermatch::Cohort::from_json(&text) {
                let report = peermatch::match_cohort(&cohort);
                prop_assert_eq!(report.summary.recipients, cohort.recipients().len());
            }
        }

        /// Arbitrary text never panics the parser.
        #[test]
        fn arbitrary_text_never_panics(text in ".{0,200}") {
            let _ = peermatch::Cohort::from_json(&text);
        }
    }
}

/// Resource limits: too many distinct tags in one list, a tag or id too long, an
/// `exclude` list too long, too many people; each names the record and field, under
/// the default limits and under tighter ones.
#[test]
fn resource_limits_name_the_record_and_field() {
    use peermatch::Limits;

    // A million distinct interests is refused by the default limits, and cheaply.
    let many: Vec<String> = (0..1_000_000).map(|i| format!("\"t{i}\"")).collect();
    let huge = format!(
        r#"{{"id": "m1", "capacity": 2, "languages": ["en"], "interests": [{}]}}"#,
        many.join(",")
    );
    let started = std::time::Instant::now();
    assert_eq!(
        err(&cohort(&[&huge], &[R], "{}")),
        Error::TooManyTags {
            record: mentor_record(0, "m1"),
            field: "interests".into(),
            count: 1_000_000,
            limit: 1024,
        }
    );
    // Generous even for a debug build on a loaded machine; the point is "not minutes".
    assert!(started.elapsed().as_secs() < 30);

    // Duplicates and case variants count once: normalisation comes first.
    let repeated = r#"{"id": "r1", "languages": ["en", "EN", " en "]}"#;
    let strict = Limits::default().with_tags_per_list(1);
    assert!(Cohort::from_json_with_limits(&cohort(&[M], &[repeated], "{}"), &strict).is_ok());

    let r = r#"{"id": "r1", "languages": ["en", "cy"], "needs": ["a", "b", "c"]}"#;
    let strict = Limits::default().with_tags_per_list(2);
    assert_eq!(
        Cohort::from_json_with_limits(&cohort(&[M], &[r], "{}"), &strict),
        Err(Error::TooManyTags {
            record: recipient_record(0, "r1"),
            field: "needs".into(),
            count: 3,
            limit: 2,
        })
    );
    let long_tag = format!(
        r#"{{"id": "r1", "languages": ["en"], "region": "{}"}}"#,
        "x".repeat(300)
    );
    assert_eq!(
        err(&cohort(&[M], &[&long_tag], "{}")),
        Error::TagTooLong {
            record: recipient_record(0, "r1"),
            field: "region".into(),
            bytes: 300,
            limit: 256,
        }
    );
    let long_id = format!(
        r#"{{"id": "{}", "capacity": 1, "languages": ["en"]}}"#,
        "m".repeat(40)
    );
    let short = Limits::default().with_tag_bytes(32);
    assert_eq!(
        Cohort::from_json_with_limits(&cohort(&[&long_id], &[R], "{}"), &short),
        Err(Error::TagTooLong {
            record: mentor_record(0, &"m".repeat(40)),
            field: "id".into(),
            bytes: 40,
            limit: 32,
        })
    );
    let excluding = r#"{"id": "m1", "capacity": 2, "languages": ["en"], "exclude": ["r1", "r2"]}"#;
    let r2 = r#"{"id": "r2", "languages": ["en"]}"#;
    assert_eq!(
        Cohort::from_json_with_limits(
            &cohort(&[excluding], &[R, r2], "{}"),
            &strict.with_tags_per_list(1)
        ),
        Err(Error::TooManyTags {
            record: mentor_record(0, "m1"),
            field: "exclude".into(),
            count: 2,
            limit: 1,
        })
    );
    let few = Limits::default().with_people(1);
    assert_eq!(
        Cohort::from_json_with_limits(&cohort(&[M], &[R, r2], "{}"), &few),
        Err(Error::TooManyRecords {
            side: "recipients",
            count: 2,
            limit: 1,
        })
    );
    // Code-built cohorts get the same checks.
    let mentor = Mentor {
        id: "m1".into(),
        capacity: 1,
        languages: vec!["en".into()],
        groups: vec!["g1".into(), "g2".into(), "g3".into()],
        ..Mentor::default()
    };
    assert!(matches!(
        Cohort::new_with_limits(vec![mentor], vec![], Policy::default(), &strict),
        Err(Error::TooManyTags { count: 3, .. })
    ));
    // The sample cohort is far inside the defaults.
    let sample = std::fs::read_to_string("examples/data/cohort.json").unwrap();
    assert!(Cohort::from_json_with_limits(&sample, &Limits::default()).is_ok());
}
