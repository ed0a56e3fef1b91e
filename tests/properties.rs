//! Property tests on random small cohorts: the matcher against independent oracles.
//!
//! - optimality: the plan's objective tuple equals a brute-force optimum over every
//!   capacity-respecting assignment of eligible pairs;
//! - cardinality: under `participation`, the number matched equals a maximum matching
//!   computed independently by petgraph on the eligibility graph with mentors expanded
//!   into slots;
//! - validity: no capacity exceeded, no hard rule broken, every recipient exactly once,
//!   reasons for the unmatched that agree with `explain`;
//! - determinism: identical bytes on a second run, and the same objective tuple when the
//!   input order is shuffled.

use std::collections::BTreeSet;

use petgraph::algo::maximum_matching;
use petgraph::graph::UnGraph;
use proptest::prelude::*;

use peermatch::{
    Cohort, ContactMode, Count, Criterion, EligiblePairs, HardRule, MatchReport, Matcher, Mentor,
    Objective, Policy, Pruning, Reason, Recipient, TrainingLevel, explain, match_cohort,
};

const TAGS: [&str; 5] = ["carer", "walking", "shift work", "parent", "rural"];

fn tags(pool: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
    prop::sample::subsequence(pool.to_vec(), 0..=pool.len())
        .prop_map(|v| v.into_iter().map(String::from).collect())
}

/// Usually empty, sometimes a subset of `pool`: rules that read an empty list as "any"
/// then fail only now and then, so most cohorts have real choices to make.
fn rarely(pool: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
    prop_oneof![4 => Just(Vec::new()), 1 => tags(pool)]
}

fn training() -> impl Strategy<Value = TrainingLevel> {
    prop_oneof![
        4 => Just(TrainingLevel::None),
        1 => Just(TrainingLevel::Basic),
        1 => Just(TrainingLevel::Certified),
        1 => Just(TrainingLevel::Advanced),
    ]
}

fn modes() -> impl Strategy<Value = Vec<ContactMode>> {
    prop_oneof![
        3 => Just(Vec::new()),
        1 => prop::sample::subsequence(ContactMode::ALL.to_vec(), 1..=2),
    ]
}

fn conditions() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        6 => Just(vec!["copd".to_owned()]),
        1 => tags(&["copd", "diabetes"]),
    ]
}

fn maybe<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    prop::option::weighted(0.7, s)
}

prop_compose! {
    fn mentor()(
        conditions in conditions(),
        experiences in tags(&TAGS),
        interests in tags(&TAGS[2..]),
        languages in prop_oneof![3 => Just(vec!["en"]), 1 => prop::sample::subsequence(vec!["en", "fr"], 1..=2)],
        age in maybe(20u32..80),
        gender in maybe(prop::sample::select(vec!["woman", "man"])),
        region in maybe(prop::sample::select(vec!["north", "south"])),
        modes in modes(),
        availability in rarely(&["mon", "tue"]),
        months in prop::option::weighted(0.3, 0u32..200),
        groups in rarely(&["clinic"]),
        training in training(),
        capacity in 0u32..4,
        load_seed in prop_oneof![3 => Just(0u32), 1 => 0u32..4],
        boundaries in rarely(&["bereavement"]),
    ) -> Mentor {
        Mentor {
            id: Default::default(),
            name: None,
            notes: None,
            conditions, experiences, interests,
            languages: languages.into_iter().map(String::from).collect(),
            age,
            gender: gender.map(String::from),
            region: region.map(String::from),
            modes, availability,
            months_since_diagnosis: months,
            groups, training, capacity,
            current_load: load_seed.min(capacity),
            boundaries,
            exclude: vec![],
        }
    }
}

prop_compose! {
    fn recipient()(
        conditions in conditions(),
        experiences in tags(&TAGS),
        interests in tags(&TAGS[..3]),
        languages in prop::sample::subsequence(vec!["en", "fr"], 1..=2),
        age in maybe(20u32..80),
        region in maybe(prop::sample::select(vec!["north", "south"])),
        modes in modes(),
        availability in rarely(&["mon", "tue"]),
        months in prop::option::weighted(0.3, 0u32..200),
        groups in rarely(&["clinic", "works"]),
        needs in tags(&["bereavement", "carer", "insulin"]),
        required_training in prop_oneof![3 => Just(TrainingLevel::None), 1 => training()],
        urgency in 0u8..4,
        age_priority in prop::option::weighted(0.3, 0.0f64..3.0),
        mentor_gender in rarely(&["woman"]),
    ) -> Recipient {
        Recipient {
            id: Default::default(),
            name: None,
            notes: None,
            conditions, experiences, interests,
            languages: languages.into_iter().map(String::from).collect(),
            age,
            gender: None,
            region: region.map(String::from),
            modes, availability,
            months_since_diagnosis: months,
            groups, needs, required_training, urgency,
            priorities: age_priority.map(|p| (Criterion::Age, p)).into_iter().collect(),
            mentor_gender,
            exclude: vec![],
        }
    }
}

prop_compose! {
    fn policy()(
        objective in prop_oneof![
            2 => Just(Objective::Participation),
            2 => Just(Objective::Quality),
            1 => Just(Objective::Bottleneck),
        ],
        min_new_load in prop::sample::select(vec![0u32, 0, 1, 2]),
        max_new_load in prop::sample::select(vec![None, None, Some(0u32), Some(1), Some(2)]),
        load_penalty in prop::sample::select(vec![0.0, 0.05, 0.3, 1.0]),
        min_score in prop::sample::select(vec![0.0, 0.0, 0.0, 0.3]),
        min_shared in prop_oneof![2 => Just(1u32), 1 => 0u32..3],
        require_shared_condition in prop::bool::weighted(0.8),
        min_months_ahead in prop::sample::select(vec![0u32, 0, 12]),
        experience_weight in prop::option::weighted(0.3, 0.0f64..5.0),
    ) -> Policy {
        Policy {
            weights: experience_weight.map(|w| (Criterion::Experiences, w)).into_iter().collect(),
            min_score,
            min_shared_beyond_diagnosis: min_shared,
            require_shared_condition,
            min_months_ahead,
            load_penalty,
            objective,
            min_new_load,
            max_new_load,
            ..Policy::default()
        }
    }
}

prop_compose! {
    fn cohort()(
        mut mentors in prop::collection::vec(mentor(), 0..=5),
        mut recipients in prop::collection::vec(recipient(), 0..=7),
        policy in policy(),
        exclusions in prop::collection::vec((0usize..5, 0usize..7, any::<bool>()), 0..3),
    ) -> Cohort {
        for (i, m) in mentors.iter_mut().enumerate() {
            m.id = format!("m{i}").into();
        }
        for (i, r) in recipients.iter_mut().enumerate() {
            r.id = format!("r{i}").into();
        }
        // One person on both sides now and then: the `self` rule.
        if let (Some(m), Some(r)) = (mentors.first(), recipients.last_mut())
            && m.capacity == 3
        {
            r.id = m.id.as_str().into();
        }
        for (m, r, by_mentor) in exclusions {
            if m < mentors.len() && r < recipients.len() {
                if by_mentor {
                    let id = recipients[r].id.clone();
                    mentors[m].exclude.push(id);
                } else {
                    let id = mentors[m].id.clone();
                    recipients[r].exclude.push(id);
                }
            }
        }
        Cohort::new(mentors, recipients, policy).expect("generated cohorts are valid")
    }
}

/// The test's own slot cost: the formula from the issue, computed independently.
fn slot_micro(load_penalty: f64, current_load: u32, k: u32) -> i128 {
    (load_penalty * (f64::from(current_load) + f64::from(k)) * 1e6).round() as i128
}

fn score_micro(score: f64) -> i128 {
    (score * 1e6).round() as i128
}

/// The best objective key over every capacity-respecting assignment of eligible pairs.
fn brute_force(cohort: &Cohort) -> [i128; 7] {
    let objective = cohort.policy().objective;
    let lp = cohort.policy().load_penalty;
    let mentors = cohort.mentors();
    let eligible: Vec<Vec<(usize, i128)>> = cohort
        .recipients()
        .iter()
        .map(|r| {
            mentors
                .iter()
                .enumerate()
                .filter_map(|(m, mentor)| {
                    let why = explain(cohort, &mentor.id, &r.id).unwrap();
                    why.eligible.then(|| (m, score_micro(why.breakdown.score)))
                })
                .collect()
        })
        .collect();

    struct Search<'a> {
        cohort: &'a Cohort,
        eligible: &'a [Vec<(usize, i128)>],
        objective: Objective,
        lp: f64,
        best: Option<[i128; 7]>,
    }
    impl Search<'_> {
        fn go(
            &mut self,
            r: usize,
            used: &mut Vec<u32>,
            count: [i128; 4],
            score: i128,
            worst: Option<i128>,
        ) {
            if r == self.eligible.len() {
                let mut quality = score;
                let mut fair = 0;
                for (m, &n) in used.iter().enumerate() {
                    for k in 0..n {
                        quality -= slot_micro(self.lp, self.cohort.mentors()[m].current_load, k);
                    }
                    fair += i128::from(n.min(self.cohort.policy().min_new_load));
                }
                let matched: i128 = count.iter().sum();
                let worst = worst.unwrap_or(0);
                let key = match self.objective {
                    Objective::Participation => {
                        [matched, count[3], count[2], count[1], fair, quality, 0]
                    }
                    Objective::Quality => [quality, matched, count[3], count[2], count[1], fair, 0],
                    Objective::Bottleneck => {
                        [matched, count[3], count[2], count[1], worst, fair, quality]
                    }
                    _ => unreachable!(),
                };
                if self.best.is_none_or(|b| key > b) {
                    self.best = Some(key);
                }
                return;
            }
            self.go(r + 1, used, count, score, worst);
            let urgency = usize::from(self.cohort.recipients()[r].urgency);
            let cap = self.cohort.policy().max_new_load.unwrap_or(u32::MAX);
            for &(m, s) in &self.eligible[r] {
                let mentor = &self.cohort.mentors()[m];
                if mentor.current_load + used[m] < mentor.capacity && used[m] < cap {
                    used[m] += 1;
                    let mut c = count;
                    c[urgency] += 1;
                    let worst = Some(worst.map_or(s, |w: i128| w.min(s)));
                    self.go(r + 1, used, c, score + s, worst);
                    used[m] -= 1;
                }
            }
        }
    }
    let mut search = Search {
        cohort,
        eligible: &eligible,
        objective,
        lp,
        best: None,
    };
    search.go(0, &mut vec![0; mentors.len()], [0; 4], 0, None);
    search.best.expect("the empty plan always exists")
}

/// Size of a maximum matching of the eligibility graph, mentors expanded into slots.
fn max_matching_size(cohort: &Cohort) -> usize {
    let mut graph = UnGraph::<(), ()>::new_undirected();
    let recipients: Vec<_> = cohort
        .recipients()
        .iter()
        .map(|_| graph.add_node(()))
        .collect();
    for mentor in cohort.mentors() {
        let free = mentor.capacity - mentor.current_load;
        let cap = cohort.policy().max_new_load.unwrap_or(u32::MAX);
        let room = free.min(cap).min(cohort.recipients().len() as u32);
        let slots: Vec<_> = (0..room).map(|_| graph.add_node(())).collect();
        for (r, recipient) in cohort.recipients().iter().enumerate() {
            if explain(cohort, &mentor.id, &recipient.id).unwrap().eligible {
                for &slot in &slots {
                    graph.add_edge(recipients[r], slot, ());
                }
            }
        }
    }
    maximum_matching(&graph).len()
}

fn check_validity(cohort: &Cohort, report: &MatchReport) {
    let lp = cohort.policy().load_penalty;
    // Every recipient exactly once, each list in input order.
    let ids: Vec<&str> = cohort.recipients().iter().map(|r| r.id.as_str()).collect();
    let matched: Vec<&str> = report
        .matches
        .iter()
        .map(|m| m.recipient.as_str())
        .collect();
    let unmatched: Vec<&str> = report
        .unmatched
        .iter()
        .map(|u| u.recipient.as_str())
        .collect();
    let in_order = |sub: &[&str]| {
        let positions: Vec<usize> = sub
            .iter()
            .map(|id| ids.iter().position(|x| x == id).unwrap())
            .collect();
        positions.windows(2).all(|w| w[0] < w[1])
    };
    assert!(in_order(&matched) && in_order(&unmatched));
    let all: BTreeSet<&str> = matched.iter().chain(&unmatched).copied().collect();
    assert_eq!(all.len(), ids.len());
    assert_eq!(matched.len() + unmatched.len(), ids.len());
    assert_eq!(report.summary.matched, matched.len());
    assert_eq!(report.summary.unmatched, unmatched.len());

    // No rule broken; scores and slot costs as documented; capacities kept.
    let mut new_load = vec![0u32; cohort.mentors().len()];
    // Slots in input order, the cross-condition pairs' after all the others.
    let ordered = report
        .matches
        .iter()
        .filter(|m| !m.cross_condition)
        .chain(report.matches.iter().filter(|m| m.cross_condition));
    for m in ordered {
        let why = explain(cohort, &m.mentor, &m.recipient).unwrap();
        // A cross-condition pair breaks the shared condition and nothing else.
        let allowed: &[HardRule] = if m.cross_condition {
            &[HardRule::Condition]
        } else {
            &[]
        };
        assert!(
            why.failed_rules == allowed,
            "{} – {} breaks {:?}",
            m.mentor,
            m.recipient,
            why.failed_rules
        );
        assert_eq!(m.score, why.breakdown.score);
        assert_eq!(m.parts, why.breakdown.parts);
        let parts: i128 = m.parts.iter().map(|p| score_micro(p.contribution)).sum();
        assert_eq!(
            parts,
            score_micro(m.score),
            "contributions add up to the score"
        );
        let mi = cohort
            .mentors()
            .iter()
            .position(|x| x.id == m.mentor)
            .unwrap();
        let mentor = &cohort.mentors()[mi];
        assert_eq!(
            score_micro(m.slot_cost),
            slot_micro(lp, mentor.current_load, new_load[mi])
        );
        new_load[mi] += 1;
    }
    assert_eq!(report.mentors.len(), cohort.mentors().len());
    for (load, (mentor, &n)) in report
        .mentors
        .iter()
        .zip(cohort.mentors().iter().zip(&new_load))
    {
        assert_eq!(load.mentor, mentor.id);
        assert_eq!(load.assigned, n);
        assert!(
            load.current_load + load.assigned <= load.capacity,
            "capacity exceeded"
        );
    }

    // Reasons agree with explain.
    for u in &report.unmatched {
        let whys: Vec<_> = cohort
            .mentors()
            .iter()
            .map(|m| explain(cohort, &m.id, &u.recipient).unwrap())
            .collect();
        let eligible: Vec<usize> = (0..whys.len()).filter(|&i| whys[i].eligible).collect();
        let has_room = eligible.iter().any(|&i| {
            let m = &cohort.mentors()[i];
            new_load[i] < cohort.policy().new_places(m)
        });
        match &u.reason {
            Reason::NoEligibleMentor { failed_rules } => {
                assert!(eligible.is_empty());
                for rule in HardRule::ALL {
                    let n = whys
                        .iter()
                        .filter(|w| w.failed_rules.contains(&rule))
                        .count();
                    assert_eq!(failed_rules[&rule] as usize, n, "{rule}");
                }
            }
            Reason::MentorsFull { eligible_mentors } => {
                assert_eq!(*eligible_mentors as usize, eligible.len());
                assert!(eligible_mentors > &0 && !has_room);
            }
            Reason::NotWorthLoad { eligible_mentors } => {
                assert_eq!(*eligible_mentors as usize, eligible.len());
                assert_eq!(cohort.policy().objective, Objective::Quality);
                assert!(has_room);
            }
            other => panic!("unknown reason {other:?}"),
        }
    }
}

fn shuffled(cohort: &Cohort, keys: &[u32]) -> Cohort {
    let mut mentors = cohort
        .mentors()
        .iter()
        .map(|m| peermatch::Mentor::clone(m))
        .collect::<Vec<_>>();
    let mut recipients = cohort.recipients().to_vec();
    let key = |i: usize| keys[i % keys.len()].rotate_left(i as u32);
    let mut order: Vec<usize> = (0..mentors.len()).collect();
    order.sort_by_key(|&i| key(i));
    mentors = order.iter().map(|&i| mentors[i].clone()).collect();
    let mut order: Vec<usize> = (0..recipients.len()).collect();
    order.sort_by_key(|&i| key(i + 7));
    recipients = order.iter().map(|&i| recipients[i].clone()).collect();
    Cohort::new(mentors, recipients, cohort.policy().clone()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn plan_is_optimal_valid_and_deterministic(cohort in cohort(), keys in prop::collection::vec(any::<u32>(), 1..8)) {
        let report = match_cohort(&cohort);
        let objective = cohort.policy().objective;
        let key = report.objective_value().key(objective);
        prop_assert_eq!(key, brute_force(&cohort));
        check_validity(&cohort, &report);

        if objective != Objective::Quality {
            prop_assert_eq!(report.summary.matched, max_matching_size(&cohort));
        }

        let again = match_cohort(&cohort);
        prop_assert_eq!(report.to_json(), again.to_json());

        let other = shuffled(&cohort, &keys);
        prop_assert_eq!(match_cohort(&other).objective_value().key(objective), key);
    }

    #[test]
    fn fairness_and_the_bottleneck_never_reach_fewer_people(cohort in cohort(), min_new_load in 1u32..3) {
        // The tiers sit below the number matched (and its urgencies): turning them on
        // reaches exactly as many people at every urgency, and does what it promises
        // at least as well as the plan without it.
        let base_policy = Policy { min_new_load: 0, objective: Objective::Participation, ..cohort.policy().clone() };
        let base = match_cohort(&cohort.clone().with_policy(base_policy.clone()).unwrap());
        let reach = |r: &MatchReport| r.objective_value().key(Objective::Participation)[..4].to_vec();
        let fair_of = |r: &MatchReport, l: u32| -> u64 {
            r.mentors.iter().map(|m| u64::from(m.assigned.min(l))).sum()
        };

        let fair_policy = Policy { min_new_load, ..base_policy.clone() };
        let fair_cohort = cohort.clone().with_policy(fair_policy).unwrap();
        let fair = match_cohort(&fair_cohort);
        prop_assert_eq!(reach(&fair), reach(&base));
        prop_assert!(fair_of(&fair, min_new_load) >= fair_of(&base, min_new_load));
        prop_assert_eq!(fair.summary.fair_places, fair_of(&fair, min_new_load));
        prop_assert_eq!(base.summary.fair_places, 0);

        let bottleneck_policy = Policy { objective: Objective::Bottleneck, ..base_policy };
        let bottleneck_cohort = cohort.clone().with_policy(bottleneck_policy).unwrap();
        let bottleneck = match_cohort(&bottleneck_cohort);
        prop_assert_eq!(reach(&bottleneck), reach(&base));
        if let (Some(worst), Some(base_worst)) = (bottleneck.summary.min_score, base.summary.min_score) {
            prop_assert!(worst >= base_worst);
        }
        prop_assert!(bottleneck.solve.certified);
        check_validity(&fair_cohort, &fair);
        check_validity(&bottleneck_cohort, &bottleneck);
    }

    #[test]
    fn recruitment_advice_applied_matches_what_it_promised(cohort in cohort(), suppress in any::<bool>()) {
        let policy = Policy { suppress_small_counts: suppress, ..cohort.policy().clone() };
        let cohort = cohort.with_policy(policy).unwrap();
        let before = match_cohort(&cohort);
        let gaps = Matcher::new().recruitment(&cohort, 3).unwrap();
        let advised = Matcher::new().advise_recruitment(3).run(&cohort);
        prop_assert_eq!(advised.recruitment.as_ref(), Some(&gaps));
        for gap in &gaps {
            let promised = match gap.would_serve {
                Count::Exactly(n) => {
                    prop_assert!(!suppress || n >= peermatch::SMALL_COUNT);
                    n
                }
                // Suppressed: at least one, or the gap would not be listed.
                Count::FewerThan(bound) => {
                    prop_assert!(suppress);
                    prop_assert_eq!(bound, peermatch::SMALL_COUNT);
                    1
                }
                _ => unreachable!(),
            };
            prop_assert!(promised > 0);
            // Add those mentors, under fresh ids, and match again.
            let mut mentors = cohort.mentors().iter().map(|m| peermatch::Mentor::clone(m)).collect::<Vec<_>>();
            for i in 0..gap.mentors {
                mentors.push(gap.profile.to_mentor(&format!("new-{i}")));
            }
            let grown = Cohort::new(mentors, cohort.recipients().to_vec(), cohort.policy().clone()).unwrap();
            let after = match_cohort(&grown);
            prop_assert!(after.summary.matched >= before.summary.matched + promised as usize);
            check_validity(&grown, &after);
        }
    }

    #[test]
    fn fallback_never_replaces_a_same_condition_match(cohort in cohort()) {
        let on_policy = Policy {
            cross_condition_fallback: true,
            require_shared_condition: true,
            ..cohort.policy().clone()
        };
        let cohort = cohort.clone().with_policy(Policy { require_shared_condition: true, ..cohort.policy().clone() }).unwrap();
        let on_cohort = cohort.clone().with_policy(on_policy).unwrap();
        let off = match_cohort(&cohort);
        let on = match_cohort(&on_cohort);
        check_validity(&on_cohort, &on);
        // Every pair of the plan without the fallback is in the plan with it, as it was.
        for m in &off.matches {
            prop_assert_eq!(on.match_of(m.recipient.as_str()), Some(m));
        }
        let added: Vec<_> = on.matches.iter().filter(|m| off.match_of(m.recipient.as_str()).is_none()).collect();
        prop_assert_eq!(on.summary.cross_condition, added.len());
        prop_assert_eq!(on.summary.matched, off.summary.matched + added.len());
        for m in &added {
            prop_assert!(m.cross_condition);
            // Only someone nobody of their condition could take.
            let was = off.unmatched_reason(m.recipient.as_str());
            prop_assert!(matches!(was, Some(Reason::NoEligibleMentor { .. })), "{:?}", was);
            // They share a consequence.
            let mentor = cohort.mentor(m.mentor.as_str()).unwrap();
            let recipient = cohort.recipient(m.recipient.as_str()).unwrap();
            let lived = |t: &String| mentor.experiences.contains(t);
            prop_assert!(recipient.experiences.iter().any(lived) || recipient.needs.iter().any(lived));
            prop_assert!(on.warnings.iter().any(|w| w.kind == peermatch::WarningKind::CrossCondition
                && w.mentor == m.mentor && w.recipient == m.recipient));
        }
        // The fallback places as many as it can: brute force over the people waiting
        // and the places left.
        let waiting: Vec<&Recipient> = cohort.recipients().iter()
            .filter(|r| matches!(off.unmatched_reason(r.id.as_str()), Some(Reason::NoEligibleMentor { .. })))
            .collect();
        let mut room: Vec<u32> = cohort.mentors().iter().zip(&off.mentors)
            .map(|(m, l)| cohort.policy().new_places(m).saturating_sub(l.assigned))
            .collect();
        let options: Vec<Vec<usize>> = waiting.iter().map(|r| {
            (0..cohort.mentors().len()).filter(|&k| {
                let mentor = &cohort.mentors()[k];
                let why = explain(&cohort, &mentor.id, &r.id).unwrap();
                let lived = |t: &String| mentor.experiences.contains(t);
                why.failed_rules == [HardRule::Condition]
                    && (r.experiences.iter().any(lived) || r.needs.iter().any(lived))
            }).collect()
        }).collect();
        fn most(i: usize, options: &[Vec<usize>], room: &mut [u32]) -> usize {
            if i == options.len() {
                return 0;
            }
            let mut best = most(i + 1, options, room);
            for &m in &options[i] {
                if room[m] > 0 {
                    room[m] -= 1;
                    best = best.max(1 + most(i + 1, options, room));
                    room[m] += 1;
                }
            }
            best
        }
        if cohort.policy().objective != Objective::Quality {
            prop_assert_eq!(added.len(), most(0, &options, &mut room));
        }
    }

    #[test]
    fn pruning_keeps_the_optimum_and_is_certified(cohort in cohort(), k in 0u32..3) {
        let objective = cohort.policy().objective;
        let full = Matcher::new().pruning(Pruning::Off).run(&cohort);
        let pruned = Matcher::new().pruning(Pruning::TopK(k)).candidates(true).run(&cohort);
        prop_assert_eq!(pruned.objective_value().key(objective), brute_force(&cohort));
        prop_assert_eq!(pruned.objective_value().key(objective), full.objective_value().key(objective));
        check_validity(&cohort, &pruned);
        prop_assert!(pruned.solve.certified);
        prop_assert!(full.solve.certified);
        prop_assert_eq!(full.solve.rounds, 1);
        if objective == Objective::Bottleneck {
            // The search's solves are counted apart; pairs below the worst are not needed.
            prop_assert!(full.solve.threshold_solves >= 1);
            prop_assert!(full.solve.considered_pairs <= full.solve.eligible_pairs);
        } else {
            prop_assert_eq!(full.solve.threshold_solves, 0);
            prop_assert_eq!(full.solve.considered_pairs, full.solve.eligible_pairs);
        }
        prop_assert_eq!(pruned.solve.top_k, Some(k));
        prop_assert_eq!(pruned.solve.eligible_pairs, full.solve.eligible_pairs);
        prop_assert!(pruned.solve.considered_pairs <= pruned.solve.eligible_pairs);
        prop_assert_eq!(pruned.candidates.as_ref().map(Vec::len), Some(pruned.solve.considered_pairs));
        // Every pair of the plan is one the solver considered.
        let listed = pruned.candidates.as_ref().unwrap();
        for m in &pruned.matches {
            prop_assert!(listed.iter().any(|c| c.mentor == m.mentor && c.recipient == m.recipient));
        }
    }

    #[test]
    fn candidates_are_exactly_the_pairs_explain_calls_eligible(cohort in cohort()) {
        let report = Matcher::new().candidates(true).run(&cohort);
        let listed: Vec<(String, String, f64)> = report
            .candidates
            .unwrap()
            .into_iter()
            .map(|c| (c.mentor.0, c.recipient.0, c.score))
            .collect();
        let mut expected = Vec::new();
        for r in cohort.recipients() {
            for m in cohort.mentors() {
                let why = explain(&cohort, &m.id, &r.id).unwrap();
                if why.eligible {
                    expected.push((m.id.0.clone(), r.id.0.clone(), why.breakdown.score));
                }
            }
        }
        // The bottleneck's solve considers only the pairs at or above the plan's worst.
        if cohort.policy().objective == Objective::Bottleneck
            && let Some(worst) = report.summary.min_score
        {
            expected.retain(|&(_, _, score)| score >= worst);
        }
        prop_assert_eq!(listed, expected);
    }

    #[test]
    fn json_round_trips(cohort in cohort()) {
        let again = Cohort::from_json(&cohort.to_json()).unwrap();
        prop_assert_eq!(&again, &cohort);
        let report = Matcher::new().candidates(true).run(&cohort);
        let parsed: MatchReport = serde_json::from_str(&report.to_json()).unwrap();
        prop_assert_eq!(parsed, report);
    }

    #[test]
    fn scores_lie_in_the_unit_interval_and_parts_add_up(cohort in cohort()) {
        for r in cohort.recipients() {
            for m in cohort.mentors() {
                let b = explain(&cohort, &m.id, &r.id).unwrap().breakdown;
                prop_assert!((0.0..=1.0).contains(&b.score));
                prop_assert_eq!(b.parts.len(), 9);
                let sum: i128 = b.parts.iter().map(|p| score_micro(p.contribution)).sum();
                prop_assert_eq!(sum, score_micro(b.score));
                for (p, c) in b.parts.iter().zip(Criterion::ALL) {
                    prop_assert_eq!(p.criterion, c);
                    prop_assert!((0.0..=1.0).contains(&p.similarity));
                    prop_assert!(p.weight >= 0.0);
                }
            }
        }
    }
}

/// The generator must produce the cases the properties are about; otherwise the
/// properties above could pass vacuously.
#[test]
fn generator_covers_the_interesting_cases() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let (mut with_matches, mut full, mut not_worth, mut no_eligible, mut multi) = (0, 0, 0, 0, 0);
    // The solver's orientations (see `solve`'s module docs): places scarce with urgent
    // recipients and participation first (staged; split by tier when the urgent
    // recipients with an eligible mentor outnumber the places, or those of urgency 0
    // barely do, and the most urgent fit),
    // places scarce otherwise (the places' side), places plentiful (recipients added
    // one by one).
    let (mut staged, mut split, mut places_side, mut plentiful) = (0, 0, 0, 0);
    let (mut fairer, mut raised, mut recruited, mut crossed) = (0, 0, 0, 0);
    for _ in 0..500 {
        let cohort = cohort().new_tree(&mut runner).unwrap().current();
        let open: u32 = cohort
            .mentors()
            .iter()
            .map(|m| cohort.policy().new_places(m))
            .sum();
        if (open as usize) < cohort.recipients().len() {
            let urgent = cohort.recipients().iter().any(|r| r.urgency > 0);
            if urgent && cohort.policy().objective != Objective::Quality {
                let pairs = EligiblePairs::new(&cohort);
                let mut by_tier = [0u32; 4];
                for (r, person) in cohort.recipients().iter().enumerate() {
                    if pairs.of(r).next().is_some() {
                        by_tier[usize::from(person.urgency.min(3))] += 1;
                    }
                }
                let (calm, urgent): (u32, u32) = (by_tier[0], by_tier[1..].iter().sum());
                let crowded = urgent >= open;
                let balanced = urgent > 0 && calm >= open && calm * 10 <= open * 11;
                let fits = (1..4).any(|h| by_tier[h..].iter().sum::<u32>() <= open);
                if (crowded || balanced) && fits {
                    split += 1;
                } else {
                    staged += 1;
                }
            } else {
                places_side += 1;
            }
        } else {
            plentiful += 1;
        }
        let report = match_cohort(&cohort);
        // Cohorts where the fairness tier and the bottleneck change the plan.
        // (Without a load penalty, which spreads load on its own.)
        let as_policy = |objective, min_new_load, load_penalty| {
            let policy = Policy {
                objective,
                min_new_load,
                load_penalty,
                ..cohort.policy().clone()
            };
            match_cohort(&cohort.clone().with_policy(policy).unwrap())
        };
        let lp = cohort.policy().load_penalty;
        let plain = as_policy(Objective::Participation, 0, 0.0);
        let spread = as_policy(Objective::Participation, 1, 0.0);
        let spread_of = |r: &MatchReport| r.mentors.iter().filter(|m| m.assigned > 0).count();
        fairer += usize::from(spread_of(&spread) > spread_of(&plain));
        let plain = as_policy(Objective::Participation, 0, lp);
        let bottleneck = as_policy(Objective::Bottleneck, 0, lp);
        raised += usize::from(bottleneck.summary.min_score > plain.summary.min_score);
        recruited += usize::from(!Matcher::new().recruitment(&cohort, 3).unwrap().is_empty());
        let fallback = Policy {
            cross_condition_fallback: true,
            ..cohort.policy().clone()
        };
        crossed += match_cohort(&cohort.clone().with_policy(fallback).unwrap())
            .summary
            .cross_condition
            .min(1);
        with_matches += usize::from(report.summary.matched > 0);
        multi += usize::from(report.mentors.iter().any(|m| m.assigned > 1));
        for u in &report.unmatched {
            match u.reason {
                Reason::MentorsFull { .. } => full += 1,
                Reason::NotWorthLoad { .. } => not_worth += 1,
                Reason::NoEligibleMentor { .. } => no_eligible += 1,
                _ => {}
            }
        }
    }
    eprintln!(
        "matches {with_matches}, multi {multi}, full {full}, not worth {not_worth}, none {no_eligible}"
    );
    assert!(with_matches > 200, "{with_matches}");
    assert!(multi > 50, "{multi}");
    assert!(full > 50, "{full}");
    assert!(not_worth > 10, "{not_worth}");
    assert!(no_eligible > 200, "{no_eligible}");
    eprintln!("staged {staged}, split {split}, places' side {places_side}, plentiful {plentiful}");
    assert!(staged > 30 && split > 30 && places_side > 50 && plentiful > 50);
    eprintln!(
        "fairness spread the plan {fairer} times, the bottleneck raised the worst pair {raised} times"
    );
    assert!(fairer > 5 && raised > 10);
    eprintln!("recruitment advice for {recruited} cohorts");
    assert!(recruited > 100, "{recruited}");
    eprintln!("cross-condition pairs in {crossed} cohorts");
    assert!(crossed > 10, "{crossed}");
}
