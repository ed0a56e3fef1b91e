//! Each hard rule, one at a time: a pair that passes everything, then one change that
//! breaks exactly that rule. `explain` must name it alone, and the matcher must refuse
//! the pair.

use peermatch::{
    Cohort, ContactMode, HardRule, Mentor, Policy, Reason, Recipient, TrainingLevel, explain,
    match_cohort,
};

fn mentor() -> Mentor {
    Mentor {
        id: "m".into(),
        conditions: vec!["copd".into()],
        experiences: vec!["oxygen at home".into(), "carer".into()],
        interests: vec!["birdwatching".into()],
        languages: vec!["en".into(), "cy".into()],
        age: Some(60),
        gender: Some("woman".into()),
        region: Some("gwynedd".into()),
        months_since_diagnosis: Some(60),
        groups: vec!["clinic-a".into()],
        training: TrainingLevel::Basic,
        capacity: 2,
        ..Mentor::default()
    }
}

fn recipient() -> Recipient {
    Recipient {
        id: "r".into(),
        conditions: vec!["copd".into(), "diabetes".into()],
        experiences: vec!["oxygen at home".into()],
        languages: vec!["cy".into()],
        age: Some(55),
        region: Some("gwynedd".into()),
        months_since_diagnosis: Some(6),
        groups: vec!["clinic-b".into()],
        needs: vec!["breathlessness".into()],
        ..Recipient::default()
    }
}

/// The rules the pair fails, after `change` is applied to a pair that passes them all.
fn failed(change: impl FnOnce(&mut Mentor, &mut Recipient, &mut Policy)) -> Vec<HardRule> {
    let (mut m, mut r, mut p) = (mentor(), recipient(), Policy::default());
    change(&mut m, &mut r, &mut p);
    let (mid, rid) = (m.id.clone(), r.id.clone());
    let cohort = Cohort::new(vec![m], vec![r], p).unwrap();
    let why = explain(&cohort, &mid, &rid).unwrap();
    let report = match_cohort(&cohort);
    // The matcher agrees with explain about this pair.
    assert_eq!(report.summary.matched == 1, why.failed_rules.is_empty());
    if !why.failed_rules.is_empty() {
        match report.unmatched_reason(rid.as_str()) {
            Some(Reason::NoEligibleMentor { failed_rules }) => {
                for rule in HardRule::ALL {
                    let expected = u32::from(why.failed_rules.contains(&rule));
                    assert_eq!(failed_rules[&rule], expected, "{rule}");
                }
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    why.failed_rules
}

#[test]
fn the_base_pair_passes_every_rule() {
    assert_eq!(failed(|_, _, _| {}), []);
}

#[test]
fn rule_self() {
    assert_eq!(
        failed(|m, r, _| r.id = m.id.as_str().into()),
        [HardRule::SelfPair]
    );
}

#[test]
fn rule_language() {
    assert_eq!(
        failed(|_, r, _| r.languages = vec!["pl".into()]),
        [HardRule::Language]
    );
}

#[test]
fn rule_training() {
    assert_eq!(
        failed(|_, r, _| r.required_training = TrainingLevel::Certified),
        [HardRule::Training]
    );
    assert_eq!(
        failed(|_, r, _| r.required_training = TrainingLevel::Basic),
        []
    );
}

#[test]
fn rule_boundaries() {
    assert_eq!(
        failed(|m, r, _| {
            m.boundaries = vec!["Bereavement".into()];
            r.needs.push("bereavement ".into());
        }),
        [HardRule::Boundaries]
    );
    // A boundary the recipient does not need is no obstacle.
    assert_eq!(
        failed(|m, _, _| m.boundaries = vec!["bereavement".into()]),
        []
    );
}

#[test]
fn rule_excluded_either_way() {
    assert_eq!(
        failed(|m, _, _| m.exclude = vec!["r".into()]),
        [HardRule::Excluded]
    );
    assert_eq!(
        failed(|_, r, _| r.exclude = vec!["m".into()]),
        [HardRule::Excluded]
    );
}

#[test]
fn rule_gender() {
    assert_eq!(
        failed(|_, r, _| r.mentor_gender = vec!["man".into()]),
        [HardRule::Gender]
    );
    assert_eq!(
        failed(|_, r, _| r.mentor_gender = vec!["man".into(), "Woman".into()]),
        []
    );
    assert_eq!(
        failed(|m, r, _| {
            m.gender = None;
            r.mentor_gender = vec!["woman".into()];
        }),
        [HardRule::Gender],
        "a mentor of unknown gender fails a non-empty list"
    );
}

#[test]
fn rule_availability() {
    assert_eq!(
        failed(|m, r, _| {
            m.availability = vec!["mon-eve".into()];
            r.availability = vec!["tue-am".into()];
        }),
        [HardRule::Availability]
    );
    // Empty on either side means flexible.
    assert_eq!(
        failed(|m, _, _| m.availability = vec!["mon-eve".into()]),
        []
    );
}

#[test]
fn rule_contact() {
    assert_eq!(
        failed(|m, r, _| {
            m.modes = vec![ContactMode::Phone];
            r.modes = vec![ContactMode::Text];
        }),
        [HardRule::Contact]
    );
    // Only in person, in different regions.
    assert_eq!(
        failed(|m, r, _| {
            m.modes = vec![ContactMode::InPerson, ContactMode::Phone];
            r.modes = vec![ContactMode::InPerson];
            r.region = Some("powys".into());
        }),
        [HardRule::Contact]
    );
    // Only in person with an unknown region.
    assert_eq!(
        failed(|m, _, _| {
            m.modes = vec![ContactMode::InPerson];
            m.region = None;
        }),
        [HardRule::Contact]
    );
    // In person plus another shared mode is fine across regions.
    assert_eq!(
        failed(|m, r, _| {
            m.modes = vec![ContactMode::InPerson, ContactMode::Video];
            r.region = Some("powys".into());
        }),
        []
    );
}

#[test]
fn rule_condition_and_its_policy_switch() {
    assert_eq!(
        failed(|_, r, _| r.conditions = vec!["diabetes".into()]),
        [HardRule::Condition]
    );
    assert_eq!(
        failed(|_, r, p| {
            r.conditions = vec!["diabetes".into()];
            p.require_shared_condition = false;
        }),
        []
    );
}

#[test]
fn rule_beyond_diagnosis() {
    assert_eq!(
        failed(|_, r, _| r.experiences.clear()),
        [HardRule::BeyondDiagnosis]
    );
    // An experience of one matches an interest of the other.
    assert_eq!(
        failed(|_, r, _| r.experiences = vec!["Birdwatching".into()]),
        []
    );
    assert_eq!(
        failed(|_, _, p| p.min_shared_beyond_diagnosis = 2),
        [HardRule::BeyondDiagnosis]
    );
    assert_eq!(
        failed(|_, r, p| {
            p.min_shared_beyond_diagnosis = 2;
            r.interests = vec!["carer".into()];
        }),
        []
    );
    assert_eq!(
        failed(|_, r, p| {
            p.min_shared_beyond_diagnosis = 0;
            r.experiences.clear();
        }),
        []
    );
}

#[test]
fn rule_confidentiality() {
    assert_eq!(
        failed(|_, r, _| r.groups.push("Clinic-A".into())),
        [HardRule::Confidentiality]
    );
}

#[test]
fn rule_journey() {
    assert_eq!(
        failed(|_, r, _| r.months_since_diagnosis = Some(61)),
        [HardRule::Journey]
    );
    // Mentor at 60 months, recipient at 6: 54 months ahead.
    assert_eq!(failed(|_, _, p| p.min_months_ahead = 54), []);
    assert_eq!(
        failed(|_, _, p| p.min_months_ahead = 55),
        [HardRule::Journey]
    );
    // Unknown on either side: the rule does not apply.
    assert_eq!(
        failed(|m, _, p| {
            m.months_since_diagnosis = None;
            p.min_months_ahead = 1000;
        }),
        []
    );
}

#[test]
fn rule_capacity() {
    assert_eq!(failed(|m, _, _| m.current_load = 2), [HardRule::Capacity]);
    assert_eq!(failed(|m, _, _| m.capacity = 0), [HardRule::Capacity]);
}

#[test]
fn rule_min_score() {
    let (m, r) = (mentor(), recipient());
    let cohort = Cohort::new(vec![m], vec![r], Policy::default()).unwrap();
    let score = explain(&cohort, "m", "r").unwrap().breakdown.score;
    assert!(score > 0.0 && score < 1.0);
    assert_eq!(
        failed(|_, _, p| p.min_score = score),
        [],
        "min_score is inclusive"
    );
    assert_eq!(
        failed(|_, _, p| p.min_score = score + 1e-6),
        [HardRule::MinScore]
    );
}

#[test]
fn explain_lists_every_failed_rule_not_just_the_first() {
    assert_eq!(
        failed(|m, r, _| {
            r.languages = vec!["pl".into()];
            m.current_load = 2;
            r.groups = vec!["clinic-a".into()];
        }),
        [
            HardRule::Language,
            HardRule::Confidentiality,
            HardRule::Capacity
        ]
    );
}

#[test]
fn explain_rejects_unknown_ids() {
    let cohort = Cohort::new(vec![mentor()], vec![recipient()], Policy::default()).unwrap();
    assert_eq!(
        explain(&cohort, "nobody", "r").unwrap_err(),
        peermatch::Error::UnknownMentor {
            id: "nobody".into()
        }
    );
    assert_eq!(
        explain(&cohort, "m", "nobody").unwrap_err(),
        peermatch::Error::UnknownRecipient {
            id: "nobody".into()
        }
    );
}
