//! Edge cases: empty cohorts, extreme capacities and loads, the quality objective's
//! "not worth the load", and urgency against quality.

use peermatch::{Cohort, Mentor, Objective, Policy, Reason, Recipient, match_cohort};

fn mentor(id: &str, capacity: u32, current_load: u32) -> Mentor {
    Mentor {
        id: id.into(),
        conditions: vec!["ms".into()],
        experiences: vec!["fatigue".into()],
        languages: vec!["en".into()],
        capacity,
        current_load,
        ..Mentor::default()
    }
}

fn recipient(id: &str) -> Recipient {
    Recipient {
        id: id.into(),
        conditions: vec!["ms".into()],
        experiences: vec!["fatigue".into()],
        languages: vec!["en".into()],
        ..Recipient::default()
    }
}

#[test]
fn empty_cohorts() {
    let report = match_cohort(&Cohort::from_json("{}").unwrap());
    assert!(report.matches.is_empty() && report.unmatched.is_empty() && report.mentors.is_empty());
    assert_eq!(report.summary.mean_score, None);
    assert_eq!(report.summary.min_score, None);
    assert_eq!(report.summary.max_load, 0);

    // Recipients but no mentors: everyone unmatched, every rule counted 0 times.
    let cohort = Cohort::new(vec![], vec![recipient("r1")], Policy::default()).unwrap();
    let report = match_cohort(&cohort);
    match report.unmatched_reason("r1") {
        Some(Reason::NoEligibleMentor { failed_rules }) => {
            assert_eq!(failed_rules.len(), 14);
            assert!(failed_rules.values().all(|&n| n == 0));
        }
        other => panic!("unexpected {other:?}"),
    }

    // Mentors but no recipients: every mentor with room is idle.
    let cohort = Cohort::new(
        vec![mentor("m1", 2, 1), mentor("m2", 1, 1)],
        vec![],
        Policy::default(),
    )
    .unwrap();
    let report = match_cohort(&cohort);
    assert_eq!(report.summary.idle_mentors, 1);
    assert_eq!(report.summary.max_load, 1);
}

#[test]
fn capacity_near_u32_max_costs_no_memory_or_overflow() {
    // One mentor with room for four billion: the solver never materialises slots.
    let recipients: Vec<Recipient> = (0..50).map(|i| recipient(&format!("r{i}"))).collect();
    let cohort = Cohort::new(
        vec![mentor("m", u32::MAX, 0)],
        recipients.clone(),
        Policy::default(),
    )
    .unwrap();
    let report = match_cohort(&cohort);
    assert_eq!(report.summary.matched, 50);
    assert_eq!(report.mentors[0].assigned, 50);
    // The 50th new recipient costs 0.05 × 49.
    assert!((report.matches[49].slot_cost - 2.45).abs() < 1e-9);

    // A load just under u32::MAX with the largest load penalty: a slot costs about
    // 4.3 × 10⁹ score points. Participation still matches (the count comes first) ...
    let policy = Policy {
        load_penalty: 1.0,
        ..Policy::default()
    };
    let cohort = Cohort::new(
        vec![mentor("m", u32::MAX, u32::MAX - 2)],
        recipients.clone(),
        policy.clone(),
    )
    .unwrap();
    let report = match_cohort(&cohort);
    assert_eq!(report.summary.matched, 2);
    assert_eq!(report.summary.max_load, u32::MAX);
    assert_eq!(report.matches[0].slot_cost, f64::from(u32::MAX - 2));
    assert_eq!(report.matches[1].slot_cost, f64::from(u32::MAX - 1));
    // ... while quality leaves everybody unmatched: no score outweighs such a slot.
    let policy = Policy {
        objective: Objective::Quality,
        ..policy
    };
    let cohort = Cohort::new(
        vec![mentor("m", u32::MAX, u32::MAX - 2)],
        recipients,
        policy,
    )
    .unwrap();
    let report = match_cohort(&cohort);
    assert_eq!(report.summary.matched, 0);
    assert!(report.unmatched.iter().all(|u| u.reason
        == Reason::NotWorthLoad {
            eligible_mentors: 1
        }));
}

#[test]
fn quality_leaves_a_pair_unmatched_when_its_slot_costs_more_than_it_scores() {
    // A mentor who already supports two people: with load_penalty 0.6 their next slot
    // costs 1.2, more than any score. Participation matches anyway; quality does not.
    let cohort = |objective| {
        let policy = Policy {
            load_penalty: 0.6,
            objective,
            ..Policy::default()
        };
        Cohort::new(vec![mentor("m", 3, 2)], vec![recipient("r")], policy).unwrap()
    };
    let report = match_cohort(&cohort(Objective::Participation));
    assert_eq!(report.summary.matched, 1);
    assert_eq!(report.matches[0].slot_cost, 1.2);
    assert!(report.summary.quality < 0.0);
    let report = match_cohort(&cohort(Objective::Quality));
    assert_eq!(report.summary.matched, 0);
    assert_eq!(
        report.unmatched_reason("r"),
        Some(&Reason::NotWorthLoad {
            eligible_mentors: 1
        })
    );
    assert_eq!(report.summary.idle_mentors, 1);

    // At exactly 1.0 the pair adds zero quality and one match: quality's next key, the
    // count, decides, and the pair is matched.
    let policy = Policy {
        load_penalty: 0.5,
        objective: Objective::Quality,
        ..Policy::default()
    };
    let cohort = Cohort::new(vec![mentor("m", 3, 2)], vec![recipient("r")], policy).unwrap();
    let report = match_cohort(&cohort);
    assert_eq!(report.matches[0].score, 1.0);
    assert_eq!(report.matches[0].slot_cost, 1.0);
    assert_eq!(report.summary.matched, 1);
}

#[test]
fn load_spreads_across_mentors_unless_a_better_match_justifies_it() {
    // Two equally good mentors and two recipients: the slot cost sends one to each.
    let cohort = Cohort::new(
        vec![mentor("a", 2, 0), mentor("b", 2, 0)],
        vec![recipient("r1"), recipient("r2")],
        Policy::default(),
    )
    .unwrap();
    let report = match_cohort(&cohort);
    assert_eq!(
        report
            .mentors
            .iter()
            .map(|m| m.assigned)
            .collect::<Vec<_>>(),
        [1, 1]
    );
    assert_eq!(
        report.summary.quality * 1e6,
        (2.0 * report.matches[0].score * 1e6).round()
    );
}

#[test]
fn participation_prefers_the_urgent_even_at_a_lower_score() {
    // One place. r-close shares more with the mentor, r-urgent is urgency 3: under
    // participation the urgent person gets the place; under quality the better match does.
    let mut close = recipient("r-close");
    close.interests = vec!["chess".into()];
    close.age = Some(40);
    let mut urgent = recipient("r-urgent");
    urgent.urgency = 3;
    urgent.age = Some(80);
    let mut m = mentor("m", 1, 0);
    m.interests = vec!["chess".into()];
    m.age = Some(40);
    for (objective, expected) in [
        (Objective::Participation, "r-urgent"),
        (Objective::Quality, "r-close"),
    ] {
        let policy = Policy {
            objective,
            ..Policy::default()
        };
        let cohort =
            Cohort::new(vec![m.clone()], vec![close.clone(), urgent.clone()], policy).unwrap();
        let report = match_cohort(&cohort);
        assert_eq!(report.matches.len(), 1);
        assert_eq!(
            report.matches[0].recipient.as_str(),
            expected,
            "{objective}"
        );
    }
}

#[test]
fn in_person_only_recipients_are_blocked_to_in_person_mentors_of_their_region() {
    use peermatch::{EligiblePairs, HardRule, explain};
    let cohort = Cohort::from_json(
        r#"{
      "mentors": [
        {"id": "north-in-person", "capacity": 1, "languages": ["en"], "conditions": ["ms"],
         "interests": ["chess"], "region": "North", "modes": ["in_person"]},
        {"id": "north-any", "capacity": 1, "languages": ["en"], "conditions": ["ms"],
         "interests": ["chess"], "region": "north"},
        {"id": "north-phone", "capacity": 1, "languages": ["en"], "conditions": ["ms"],
         "interests": ["chess"], "region": "north", "modes": ["phone"]},
        {"id": "south-in-person", "capacity": 1, "languages": ["en"], "conditions": ["ms"],
         "interests": ["chess"], "region": "south", "modes": ["in_person"]},
        {"id": "nowhere", "capacity": 1, "languages": ["en"], "conditions": ["ms"],
         "interests": ["chess"], "modes": ["in_person", "video"]}
      ],
      "recipients": [
        {"id": "r", "languages": ["en"], "conditions": ["ms"], "interests": ["chess"],
         "region": " north", "modes": ["in_person"]},
        {"id": "anywhere", "languages": ["en"], "conditions": ["ms"], "interests": ["chess"]}
      ]
    }"#,
    )
    .unwrap();
    let pairs = EligiblePairs::with_threads(&cohort, 1);
    let names = |r: usize| -> Vec<&str> {
        pairs
            .of(r)
            .map(|(m, _)| cohort.mentors()[m].id.as_str())
            .collect()
    };
    assert_eq!(names(0), ["north-in-person", "north-any"]);
    // Without a region, in-person-only mentors are out for anybody.
    assert_eq!(names(1), ["north-any", "north-phone", "nowhere"]);
    // The blocked-out mentors really fail the contact rule.
    for m in ["north-phone", "south-in-person", "nowhere"] {
        let why = explain(&cohort, m, "r").unwrap();
        assert_eq!(why.failed_rules, [HardRule::Contact], "{m}");
    }
}

/// Two recipients who both score higher with `m1`, who has room for both.
fn fairness_cohort(policy: Policy) -> Cohort {
    let mut m1 = mentor("m1", 2, 0);
    m1.interests = vec!["chess".into()];
    let mut m2 = mentor("m2", 2, 0);
    m2.interests = vec!["golf".into()];
    let mut recipients = vec![recipient("r1"), recipient("r2")];
    for r in &mut recipients {
        r.interests = vec!["chess".into()];
    }
    Cohort::new(vec![m1, m2], recipients, policy).unwrap()
}

#[test]
fn min_new_load_gives_every_mentor_one_before_anyone_a_second() {
    let policy = Policy {
        load_penalty: 0.0,
        ..Policy::default()
    };
    let plain = match_cohort(&fairness_cohort(policy.clone()));
    assert!(plain.matches.iter().all(|m| m.mentor.as_str() == "m1"));
    assert_eq!(plain.summary.idle_mentors, 1);

    let fair = match_cohort(&fairness_cohort(Policy {
        min_new_load: 1,
        ..policy.clone()
    }));
    assert_eq!(fair.summary.matched, 2);
    assert_eq!(fair.summary.idle_mentors, 0);
    assert_eq!(fair.summary.fair_places, 2);
    // The better pair of the two stays with m1: quality decides within the tier.
    assert!(fair.objective_value().quality_micro < plain.objective_value().quality_micro);

    // A cap of one new recipient per mentor does the same as a hard rule.
    let capped = match_cohort(&fairness_cohort(Policy {
        max_new_load: Some(1),
        ..policy
    }));
    assert!(capped.mentors.iter().all(|l| l.assigned == 1));
}

#[test]
fn max_new_load_zero_leaves_everyone_unmatched_as_mentors_full() {
    let report = match_cohort(&fairness_cohort(Policy {
        max_new_load: Some(0),
        ..Policy::default()
    }));
    assert_eq!(report.summary.matched, 0);
    for u in &report.unmatched {
        assert_eq!(
            u.reason,
            Reason::MentorsFull {
                eligible_mentors: 2
            }
        );
    }
}

#[test]
fn bottleneck_raises_the_worst_pair_without_reaching_fewer() {
    // By age alone: r1 (40) is a perfect fit for m1 (40) and a weak one for m2 (22);
    // r2 (55) fits m1 moderately and m2 not at all. Participation maximises the total
    // (r1–m1, r2–m2); the bottleneck the worse of the two pairs (r1–m2, r2–m1).
    let aged = |mut m: Mentor, age| {
        m.age = Some(age);
        m
    };
    let (m1, m2) = (aged(mentor("m1", 1, 0), 40), aged(mentor("m2", 1, 0), 22));
    let (mut r1, mut r2) = (recipient("r1"), recipient("r2"));
    r1.age = Some(40);
    r2.age = Some(55);
    let cohort = |objective| {
        Cohort::new(
            vec![m1.clone(), m2.clone()],
            vec![r1.clone(), r2.clone()],
            Policy {
                objective,
                ..Policy::default()
            },
        )
        .unwrap()
    };
    let participation = match_cohort(&cohort(Objective::Participation));
    let bottleneck = match_cohort(&cohort(Objective::Bottleneck));
    assert_eq!(bottleneck.summary.matched, participation.summary.matched);
    assert!(bottleneck.summary.min_score > participation.summary.min_score);
    assert_eq!(participation.match_of("r1").unwrap().mentor.as_str(), "m1");
    assert_eq!(bottleneck.match_of("r1").unwrap().mentor.as_str(), "m2");
    assert!(bottleneck.solve.certified && bottleneck.solve.threshold_solves >= 1);
    // Neither plan can be beaten on its own objective by the other.
    let (p, b) = (
        participation.objective_value(),
        bottleneck.objective_value(),
    );
    assert!(p.key(Objective::Participation) >= b.key(Objective::Participation));
    assert!(b.key(Objective::Bottleneck) >= p.key(Objective::Bottleneck));
}

#[test]
fn the_fallback_offers_a_mentor_who_shares_the_consequences_never_a_same_condition_place() {
    // r-rare has a condition no mentor has; m-ms shares their fatigue. m-ms has two
    // places and two same-condition recipients want them: the fallback gets none.
    let mut rare = recipient("r-rare");
    rare.conditions = vec!["sarcoidosis".into()];
    let cohort = |capacity, fallback| {
        Cohort::new(
            vec![mentor("m-ms", capacity, 0)],
            vec![recipient("r1"), rare.clone(), recipient("r2")],
            Policy {
                cross_condition_fallback: fallback,
                ..Policy::default()
            },
        )
        .unwrap()
    };
    let full = match_cohort(&cohort(2, true));
    assert!(full.match_of("r-rare").is_none());
    assert_eq!(full.summary.cross_condition, 0);

    // With a third place, it goes to the fallback, flagged and warned about.
    let off = match_cohort(&cohort(3, false));
    let on = match_cohort(&cohort(3, true));
    assert!(off.match_of("r-rare").is_none());
    let pair = on.match_of("r-rare").expect("matched by the fallback");
    assert!(pair.cross_condition);
    assert_eq!(on.summary.cross_condition, 1);
    let warning = on
        .warnings
        .iter()
        .find(|w| w.recipient.as_str() == "r-rare")
        .unwrap();
    assert_eq!(warning.kind, peermatch::WarningKind::CrossCondition);
    assert_eq!(warning.failed_rules, [peermatch::HardRule::Condition]);
    // The same-condition pairs are as they were; the fallback pair takes the third slot.
    for m in &off.matches {
        assert_eq!(on.match_of(m.recipient.as_str()), Some(m));
    }
    assert_eq!(on.mentors[0].assigned, 3);
    assert!((pair.slot_cost - 0.1).abs() < 1e-9);
}

/// Found by `fallback_never_replaces_a_same_condition_match`: under the quality
/// objective r2 is first left out as not worth m0's load, then the fallback gives m0's
/// last place to r0; r2's reason must then say the mentors are full.
#[test]
fn a_place_the_fallback_fills_makes_the_mentors_full_for_those_left() {
    let cohort = Cohort::from_json(
        r#"{
  "mentors": [{"id": "m0", "capacity": 2, "languages": ["en"], "conditions": ["copd"],
               "experiences": ["shift work"]}],
  "recipients": [
    {"id": "r0", "languages": ["en"], "experiences": ["shift work"]},
    {"id": "r1", "languages": ["en"], "conditions": ["copd"], "experiences": ["parent"], "needs": ["insulin"]},
    {"id": "r2", "languages": ["en"], "conditions": ["copd"]}
  ],
  "policy": {"min_shared_beyond_diagnosis": 0, "load_penalty": 0.3, "objective": "quality",
             "cross_condition_fallback": true}
}"#,
    )
    .unwrap();
    let report = match_cohort(&cohort);
    assert!(report.match_of("r0").is_some_and(|m| m.cross_condition));
    let load = report.index().load_of("m0").unwrap();
    assert_eq!(load.assigned, load.capacity);
    for u in &report.unmatched {
        assert!(
            !matches!(u.reason, Reason::NotWorthLoad { .. }),
            "{} is not worth a full mentor's load",
            u.recipient
        );
    }
}
