//! Programme rounds: running pairs are kept, rule-breaking ones are warned about, ended
//! ones never come back, and the rest of the plan is the exact optimum around them —
//! checked against a residual cohort built by hand through the public API.

use std::collections::BTreeMap;

use peermatch::{
    Cohort, Error, HardRule, MatchStatus, Matcher, Mentor, Pair, Policy, Pruning, Recipient,
    WarningKind, explain, match_cohort,
};
use proptest::prelude::*;

fn mentor(i: usize, capacity: u32, load: u32, tags: &[&str], boundaries: &[&str]) -> Mentor {
    Mentor {
        id: format!("m{i}").into(),
        languages: vec!["en".into()],
        conditions: vec!["copd".into()],
        experiences: tags.iter().map(|t| t.to_string()).collect(),
        capacity,
        current_load: load,
        boundaries: boundaries.iter().map(|t| t.to_string()).collect(),
        ..Mentor::default()
    }
}

fn recipient(i: usize, tags: &[&str], needs: &[&str], urgency: u8) -> Recipient {
    Recipient {
        id: format!("r{i}").into(),
        languages: vec!["en".into()],
        conditions: vec!["copd".into()],
        experiences: tags.iter().map(|t| t.to_string()).collect(),
        needs: needs.iter().map(|t| t.to_string()).collect(),
        urgency,
        ..Recipient::default()
    }
}

const TAGS: [&str; 4] = ["rehab", "carer", "oxygen", "rural"];

fn pick(bits: u8) -> Vec<&'static str> {
    TAGS.iter()
        .enumerate()
        .filter(|(i, _)| bits >> i & 1 == 1)
        .map(|(_, t)| *t)
        .collect()
}

/// A small cohort with running, pinned, overriding and ended pairs.
#[derive(Debug, Clone)]
struct Case {
    mentors: Vec<(u32, u32, u8, bool)>,
    recipients: Vec<(u8, bool, u8)>,
    /// (mentor, recipient, pinned, ended, override)
    pairs: Vec<(usize, usize, bool, bool, bool)>,
    quality: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..4, 1usize..6).prop_flat_map(|(m, r)| {
        (
            prop::collection::vec((1u32..4, 0u32..2, 1u8..16, prop::bool::weighted(0.3)), m),
            prop::collection::vec((1u8..16, prop::bool::weighted(0.3), 0u8..4), r),
            prop::collection::vec(
                (
                    0..m,
                    0..r,
                    any::<bool>(),
                    prop::bool::weighted(0.2),
                    any::<bool>(),
                ),
                0..5,
            ),
            any::<bool>(),
        )
            .prop_map(|(mentors, recipients, pairs, quality)| Case {
                mentors,
                recipients,
                pairs,
                quality,
            })
    })
}

impl Case {
    fn people(&self) -> (Vec<Mentor>, Vec<Recipient>) {
        let mentors = self
            .mentors
            .iter()
            .enumerate()
            .map(|(i, &(cap, load, tags, grief))| {
                let load = load.min(cap);
                mentor(
                    i,
                    cap,
                    load,
                    &pick(tags),
                    if grief { &["grief"] } else { &[] },
                )
            })
            .collect();
        let recipients = self
            .recipients
            .iter()
            .enumerate()
            .map(|(i, &(tags, grief, urgency))| {
                recipient(
                    i,
                    &pick(tags),
                    if grief { &["grief"] } else { &[] },
                    urgency,
                )
            })
            .collect();
        (mentors, recipients)
    }

    fn policy(&self) -> Policy {
        Policy {
            objective: if self.quality {
                peermatch::Objective::Quality
            } else {
                peermatch::Objective::Participation
            },
            ..Policy::default()
        }
    }

    /// The pairs, made valid: one running pair per recipient, flags consistent.
    fn pairs(&self) -> Vec<Pair> {
        let mut running = vec![false; self.recipients.len()];
        let mut out = Vec::new();
        for &(m, r, pinned, ended, keep) in &self.pairs {
            if !ended && running[r] {
                continue;
            }
            running[r] |= !ended;
            let mut pair = Pair::new(format!("m{m}"), format!("r{r}"));
            pair.ended = ended;
            pair.pinned = pinned && !ended;
            pair.keep_despite_rules = keep && pair.pinned;
            out.push(pair);
        }
        out
    }

    fn cohort(&self) -> Cohort {
        let (mentors, recipients) = self.people();
        Cohort::new(mentors, recipients, self.policy())
            .unwrap()
            .with_pairs(self.pairs())
            .unwrap()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn kept_pairs_stay_and_the_rest_is_the_optimum_around_them(case in case()) {
        let cohort = case.cohort();
        let report = match_cohort(&cohort);
        let pairs = case.pairs();

        // Every recipient once.
        let mut seen = BTreeMap::new();
        for id in report.matches.iter().map(|m| &m.recipient).chain(report.unmatched.iter().map(|u| &u.recipient)) {
            prop_assert!(seen.insert(id.as_str().to_owned(), ()).is_none(), "{id} twice");
        }
        prop_assert_eq!(seen.len(), cohort.recipients().len());

        // Decide each running pair independently: kept when it passes every rule, with
        // the places its mentor's earlier kept pairs took counted.
        let mut taken: BTreeMap<String, u32> = BTreeMap::new();
        let mut kept: BTreeMap<String, String> = BTreeMap::new();
        for pair in pairs.iter().filter(|p| !p.ended) {
            let m = cohort.mentor(pair.mentor.as_str()).unwrap();
            let mut failed = explain(&cohort, pair.mentor.as_str(), pair.recipient.as_str()).unwrap().failed_rules;
            failed.retain(|&r| r != HardRule::Capacity);
            let t = taken.entry(m.id.as_str().to_owned()).or_default();
            if m.current_load + *t >= m.capacity {
                failed.push(HardRule::Capacity);
                failed.sort();
            }
            let keep = failed.is_empty() || pair.keep_despite_rules;
            let warning = report.warnings.iter().find(|w| w.recipient == pair.recipient && w.mentor == pair.mentor);
            if failed.is_empty() {
                prop_assert!(warning.is_none());
            } else {
                let w = warning.expect("a pair breaking a rule is always a warning");
                prop_assert_eq!(&w.failed_rules, &failed);
                let kind = if keep { WarningKind::KeptDespiteRules } else if pair.pinned { WarningKind::PinnedNotKept } else { WarningKind::RunningNotKept };
                prop_assert_eq!(w.kind, kind);
            }
            let matched = report.match_of(pair.recipient.as_str());
            if keep {
                *t += 1;
                kept.insert(pair.recipient.as_str().to_owned(), pair.mentor.as_str().to_owned());
                let matched = matched.expect("a kept pair is in the plan");
                prop_assert_eq!(matched.mentor.as_str(), pair.mentor.as_str());
                prop_assert_eq!(matched.status, MatchStatus::Kept);
            } else if let Some(matched) = matched {
                prop_assert_eq!(matched.status, MatchStatus::Reassigned);
                prop_assert_ne!(matched.mentor.as_str(), pair.mentor.as_str());
            }
        }
        prop_assert_eq!(report.summary.kept, kept.len());

        // Ended pairs are never proposed.
        for pair in pairs.iter().filter(|p| p.ended) {
            let m = report.match_of(pair.recipient.as_str());
            prop_assert!(m.is_none_or(|m| m.mentor != pair.mentor || m.status == MatchStatus::Kept));
        }

        // Capacity: current load + kept + new within capacity, except overrides.
        for load in &report.mentors {
            let overrides = report.warnings.iter().filter(|w| w.mentor == load.mentor && w.kind == WarningKind::KeptDespiteRules && w.failed_rules.contains(&HardRule::Capacity)).count() as u32;
            prop_assert!(load.current_load + load.kept + load.assigned <= load.capacity + overrides);
        }

        // The rest is the optimum of the residual cohort, built by hand: the kept
        // pairs' recipients out, their mentors' loads up, ended pairs as exclusions.
        let (mut mentors, recipients) = case.people();
        for m in &mut mentors {
            let extra = kept.values().filter(|k| k.as_str() == m.id.as_str()).count() as u32;
            m.current_load = (m.current_load + extra).min(m.capacity);
        }
        // Recipients who lost their mentor are placed first: at urgency 3.
        let lost: Vec<String> = pairs.iter().filter(|p| !p.ended && !kept.contains_key(p.recipient.as_str())).map(|p| p.recipient.as_str().to_owned()).collect();
        let mut rest: Vec<Recipient> = recipients.into_iter().filter(|r| !kept.contains_key(r.id.as_str())).collect();
        for r in &mut rest {
            if lost.contains(&r.id.as_str().to_owned()) {
                r.urgency = 3;
            }
        }
        for pair in pairs.iter().filter(|p| p.ended) {
            if let Some(r) = rest.iter_mut().find(|r| r.id == pair.recipient) {
                r.exclude.push(pair.mentor.clone());
            }
        }
        let residual = Cohort::new(mentors, rest, case.policy()).unwrap();
        let expected = Matcher::new().pruning(Pruning::Off).run(&residual);
        let objective = cohort.policy().objective;
        let mut ours = report.clone();
        ours.matches.retain(|m| m.status != MatchStatus::Kept);
        for m in &mut ours.matches {
            if lost.contains(&m.recipient.as_str().to_owned()) {
                m.urgency = 3;
            }
        }
        prop_assert_eq!(report.summary.lost_mentor, lost.len());
        prop_assert_eq!(ours.objective_value().key(objective), expected.objective_value().key(objective));
        prop_assert!(report.solve.certified);
        // Deterministic.
        prop_assert_eq!(report.to_json(), match_cohort(&cohort).to_json());
    }
}

#[test]
fn pairs_round_trip_through_json_and_errors_name_the_pair() {
    let json = r#"{
      "mentors": [{"id": "m1", "capacity": 2, "languages": ["en"], "conditions": ["copd"], "experiences": ["rehab"]}],
      "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["copd"], "experiences": ["rehab"]},
                     {"id": "r2", "languages": ["en"], "conditions": ["copd"], "experiences": ["rehab"]}],
      "pairs": [{"mentor": "m1", "recipient": "r1", "pinned": true, "override": true},
                {"mentor": "m1", "recipient": "r2", "ended": true}]
    }"#;
    let cohort = Cohort::from_json(json).unwrap();
    assert_eq!(Cohort::from_json(&cohort.to_json()).unwrap(), cohort);
    let report = match_cohort(&cohort);
    assert_eq!(report.match_of("r1").unwrap().status, MatchStatus::Kept);
    // The ended pair is history: r2 is not given m1 again.
    assert!(report.match_of("r2").is_none());
    assert_eq!(
        explain(&cohort, "m1", "r2").unwrap().failed_rules,
        [HardRule::Excluded]
    );

    let bad = |pairs: &str| {
        let text = json.replace(
            r#"[{"mentor": "m1", "recipient": "r1", "pinned": true, "override": true},
                {"mentor": "m1", "recipient": "r2", "ended": true}]"#,
            pairs,
        );
        Cohort::from_json(&text).unwrap_err()
    };
    assert_eq!(
        bad(r#"[{"mentor": "m1", "recipient": "r9"}]"#).to_string(),
        "pair 0: field `recipient` names unknown recipient \"r9\""
    );
    assert!(matches!(
        bad(r#"[{"mentor": "m1", "recipient": "r1"}, {"mentor": "m1", "recipient": "r1"}]"#),
        Error::RecipientInTwoPairs { first_index: 0, .. }
    ));
    assert_eq!(
        bad(r#"[{"mentor": "m1", "recipient": "r1", "override": true}]"#).to_string(),
        "pair 0: `override` applies to pinned pairs only"
    );
    assert!(matches!(
        bad(r#"[{"mentor": "m1", "recipient": "r1", "pinnd": true}]"#),
        Error::UnknownField {
            record: peermatch::Record::Pair { index: 0 },
            ..
        }
    ));
}

#[test]
fn a_mentor_whose_capacity_fell_keeps_its_earliest_pairs() {
    let mentors = vec![
        mentor(0, 1, 0, &["rehab"], &[]),
        mentor(1, 2, 0, &["rehab"], &[]),
    ];
    let recipients = (0..2).map(|i| recipient(i, &["rehab"], &[], 0)).collect();
    let cohort = Cohort::new(mentors, recipients, Policy::default())
        .unwrap()
        .with_pairs(vec![Pair::new("m0", "r0"), Pair::new("m0", "r1")])
        .unwrap();
    let report = match_cohort(&cohort);
    assert_eq!(report.match_of("r0").unwrap().status, MatchStatus::Kept);
    let r1 = report.match_of("r1").unwrap();
    assert_eq!(
        (r1.mentor.as_str(), r1.status),
        ("m1", MatchStatus::Reassigned)
    );
    assert_eq!(report.warnings.len(), 1);
    assert_eq!(report.warnings[0].kind, WarningKind::RunningNotKept);
    assert_eq!(report.warnings[0].failed_rules, [HardRule::Capacity]);
    assert_eq!((report.summary.kept, report.summary.reassigned), (1, 1));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// The cost of forcing a pair equals the difference of two independent solves: the
    /// optimum, and the pair plus the optimum of a cohort without its recipient and
    /// with one place fewer for its mentor, built by hand.
    #[test]
    fn forcing_costs_the_difference_of_two_independent_solves(case in case(), pick_m in 0usize..4, pick_r in 0usize..6) {
        let (mentors, recipients) = case.people();
        let cohort = Cohort::new(mentors.clone(), recipients.clone(), case.policy()).unwrap();
        let m = &mentors[pick_m % mentors.len()];
        let r = &recipients[pick_r % recipients.len()];
        let why = Matcher::new().why_not(&cohort, m.id.as_str(), r.id.as_str()).unwrap();
        let objective = cohort.policy().objective;
        let optimal = match_cohort(&cohort).objective_value();
        prop_assert_eq!(why.pair.eligible, explain(&cohort, m.id.as_str(), r.id.as_str()).unwrap().eligible);
        let Some(forcing) = why.forcing else {
            prop_assert!(!why.pair.eligible);
            return Ok(());
        };
        prop_assert_eq!(forcing.optimal, optimal);
        // Independent: r out, m one place fuller; then add the pair's own terms.
        let mut fuller = mentors.clone();
        let at = pick_m % mentors.len();
        fuller[at].current_load += 1;
        let rest: Vec<Recipient> = recipients.iter().filter(|x| x.id != r.id).cloned().collect();
        let without = Cohort::new(fuller, rest, case.policy()).unwrap();
        let mut expected = Matcher::new().pruning(Pruning::Off).run(&without).objective_value();
        let score = (why.pair.breakdown.score * 1e6).round() as i128;
        let slot = (cohort.policy().load_penalty * f64::from(m.current_load) * 1e6).round() as i128;
        expected.matched += 1;
        expected.matched_by_urgency[usize::from(r.urgency.min(3))] += 1;
        expected.quality_micro += score - slot;
        prop_assert_eq!(forcing.forced.key(objective), expected.key(objective));
        let change: [i128; 7] = std::array::from_fn(|i| expected.key(objective)[i] - optimal.key(objective)[i]);
        prop_assert_eq!(forcing.change, change);
        prop_assert!(forcing.change <= [0; 7]);
        if why.in_plan {
            prop_assert_eq!(forcing.change, [0; 7]);
        }
    }

    /// Shortlists never list an ineligible or full mentor, are sorted by score, and
    /// agree with `why_not` on each entry.
    #[test]
    fn shortlists_list_eligible_mentors_best_first(case in case(), pick_r in 0usize..6, k in 0usize..4) {
        let cohort = case.cohort();
        let r = &cohort.recipients()[pick_r % cohort.recipients().len()];
        let list = Matcher::new().shortlist(&cohort, r.id.as_str(), k).unwrap();
        prop_assert!(list.len() <= k);
        let report = match_cohort(&cohort);
        for (i, entry) in list.iter().enumerate() {
            prop_assert!(explain(&cohort, entry.pair.mentor.as_str(), r.id.as_str()).unwrap().eligible);
            if i > 0 {
                prop_assert!(list[i - 1].pair.breakdown.score >= entry.pair.breakdown.score);
            }
            let load = report.mentors.iter().find(|l| l.mentor == entry.pair.mentor).unwrap();
            prop_assert!(load.current_load + load.kept < load.capacity || report.match_of(r.id.as_str()).is_some_and(|m| m.mentor == entry.pair.mentor));
            let why = Matcher::new().why_not(&cohort, entry.pair.mentor.as_str(), r.id.as_str()).unwrap();
            prop_assert_eq!(why.forcing.as_ref(), Some(&entry.forcing));
            prop_assert_eq!(why.in_plan, entry.in_plan);
        }
    }
}

/// The best value of the objective, with the switching cost counted on every running
/// pair the plan keeps, over every plan of a small cohort: by brute force.
fn brute_force_with_bonus(
    cohort: &Cohort,
    running: &BTreeMap<usize, usize>,
    first: &[usize],
    bonus: i128,
) -> [i128; 7] {
    let (mentors, recipients) = (cohort.mentors(), cohort.recipients());
    let policy = cohort.policy();
    // Each recipient's options: None, or an eligible mentor with the pair's score.
    let options: Vec<Vec<Option<(usize, i128)>>> = recipients
        .iter()
        .map(|r| {
            let mut o = vec![None];
            for (m, mentor) in mentors.iter().enumerate() {
                let why = explain(cohort, mentor.id.as_str(), r.id.as_str()).unwrap();
                if why.eligible {
                    o.push(Some((m, (why.breakdown.score * 1e6).round() as i128)));
                }
            }
            o
        })
        .collect();
    let mut best: Option<[i128; 7]> = None;
    let mut choice = vec![0usize; recipients.len()];
    loop {
        let mut load = vec![0u32; mentors.len()];
        let (mut n, mut u, mut quality) = (0i128, [0i128; 4], 0i128);
        let mut fits = true;
        for (r, &c) in choice.iter().enumerate() {
            if let Some((m, score)) = options[r][c] {
                load[m] += 1;
                if mentors[m].current_load + load[m] > mentors[m].capacity {
                    fits = false;
                }
                n += 1;
                let urgency = if first.contains(&r) {
                    3
                } else {
                    recipients[r].urgency.min(3)
                };
                u[usize::from(urgency)] += 1;
                quality += score;
                if running.get(&r) == Some(&m) {
                    quality += bonus;
                }
            }
        }
        if fits {
            for (m, &k) in load.iter().enumerate() {
                for i in 0..k {
                    quality -= (policy.load_penalty * f64::from(mentors[m].current_load + i) * 1e6)
                        .round() as i128;
                }
            }
            let fair: i128 = load
                .iter()
                .map(|&k| i128::from(k.min(policy.min_new_load)))
                .sum();
            let key = match policy.objective {
                peermatch::Objective::Participation => [n, u[3], u[2], u[1], fair, quality, 0],
                peermatch::Objective::Quality => [quality, n, u[3], u[2], u[1], fair, 0],
                other => unreachable!("the rounds tests draw no {other} policy"),
            };
            best = Some(best.map_or(key, |b| b.max(key)));
        }
        // Next choice (odometer).
        let mut i = 0;
        loop {
            if i == choice.len() {
                return best.expect("the empty plan fits");
            }
            choice[i] += 1;
            if choice[i] < options[i].len() {
                break;
            }
            choice[i] = 0;
            i += 1;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// With reassignment allowed, running pairs weigh their switching cost more: the
    /// plan's value, counted so, equals the brute-force optimum; a running pair that
    /// stays is `kept`, one that moves `reassigned`.
    #[test]
    fn reassignment_weighs_the_switching_cost_exactly(case in case(), cost in prop_oneof![Just(0.0), Just(0.05), Just(0.3), Just(1.0)]) {
        let (mentors, recipients) = case.people();
        let policy = Policy { allow_reassign: true, switching_cost: cost, ..case.policy() };
        let mut running = BTreeMap::new();
        let mut pairs = Vec::new();
        for p in case.pairs().into_iter().filter(|p| !p.ended) {
            let r: usize = p.recipient.as_str()[1..].parse().unwrap();
            let m: usize = p.mentor.as_str()[1..].parse().unwrap();
            running.insert(r, m);
            pairs.push(Pair::new(p.mentor, p.recipient)); // unpinned
        }
        let cohort = Cohort::new(mentors, recipients, policy).unwrap().with_pairs(pairs.clone()).unwrap();
        let report = match_cohort(&cohort);
        let bonus = (cost * 1e6).round() as i128;
        // Only pairs that break no rule can stay.
        let eligible_running: BTreeMap<usize, usize> = running.iter().filter(|&(&r, &m)| explain(&cohort, format!("m{m}"), format!("r{r}")).unwrap().eligible).map(|(&r, &m)| (r, m)).collect();
        // Running pairs that break a rule lose their recipient's mentor: placed first.
        let lost: Vec<usize> = running.keys().filter(|r| !eligible_running.contains_key(r)).copied().collect();
        let boosted = |report: &peermatch::MatchReport| {
            let mut report = report.clone();
            for m in &mut report.matches {
                let r: usize = m.recipient.as_str()[1..].parse().unwrap();
                if lost.contains(&r) {
                    m.urgency = 3;
                }
            }
            report.objective_value()
        };
        let mut value = boosted(&report);
        let mut stayed = 0;
        for m in &report.matches {
            let r: usize = m.recipient.as_str()[1..].parse().unwrap();
            let mi: usize = m.mentor.as_str()[1..].parse().unwrap();
            if eligible_running.get(&r) == Some(&mi) {
                prop_assert_eq!(m.status, MatchStatus::Kept);
                stayed += 1;
            } else if running.contains_key(&r) {
                prop_assert_eq!(m.status, MatchStatus::Reassigned);
            } else {
                prop_assert_eq!(m.status, MatchStatus::New);
            }
        }
        value.quality_micro += bonus * stayed;
        // Pruned to each recipient's best pair, the certificate brings back the rest.
        let pruned = Matcher::new().pruning(Pruning::TopK(1)).run(&cohort);
        prop_assert!(pruned.solve.certified);
        let stayed_pruned = pruned.matches.iter().filter(|m| m.status == MatchStatus::Kept).count() as i128;
        let mut pruned_value = boosted(&pruned);
        pruned_value.quality_micro += bonus * stayed_pruned;
        prop_assert_eq!(pruned_value.key(cohort.policy().objective), value.key(cohort.policy().objective));
        prop_assert_eq!(value.key(cohort.policy().objective), brute_force_with_bonus(&cohort, &eligible_running, &lost, bonus));
        prop_assert!(report.solve.certified);
        // With no switching cost the plan is as good as a fresh one.
        if cost == 0.0 && lost.is_empty() {
            let (mentors, recipients) = case.people();
            let fresh = match_cohort(&Cohort::new(mentors, recipients, case.policy()).unwrap());
            prop_assert_eq!(report.objective_value().key(cohort.policy().objective), fresh.objective_value().key(cohort.policy().objective));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(80))]

    /// All shortlists at once: independent lists are each recipient's own shortlist;
    /// within room, no mentor is offered more often than it has places left.
    #[test]
    fn shortlists_within_room_never_over_offer(case in case(), k in 1usize..4) {
        let cohort = case.cohort();
        let matcher = Matcher::new();
        let independent = matcher.shortlists(&cohort, k, peermatch::Offers::Independent).unwrap();
        for (recipient, list) in &independent {
            let alone = matcher.shortlist(&cohort, recipient.as_str(), k).unwrap();
            let ids = |l: &[peermatch::Shortlisted]| l.iter().map(|s| s.pair.mentor.clone()).collect::<Vec<_>>();
            let mut a = ids(list);
            let mut b = ids(&alone);
            a.sort();
            b.sort();
            // The same mentors (the order between equal scores may differ).
            prop_assert_eq!(a, b);
        }
        let within = matcher.shortlists(&cohort, k, peermatch::Offers::WithinRoom).unwrap();
        let report = match_cohort(&cohort);
        for load in &report.mentors {
            let offered = within.iter().flat_map(|(_, l)| l).filter(|s| s.pair.mentor == load.mentor).count() as u64;
            let room = u64::from(load.capacity).saturating_sub(u64::from(load.current_load) + u64::from(load.kept));
            prop_assert!(offered <= room, "{} offered {offered} times with room {room}", load.mentor);
        }
        for (_, list) in &within {
            prop_assert!(list.len() <= k);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Blocking pairs, counted against a brute force over every mentor–recipient pair
    /// through `explain`, on plans with kept pairs too.
    #[test]
    fn blocking_pairs_match_a_brute_force(case in case()) {
        let cohort = case.cohort();
        let report = match_cohort(&cohort);
        let found: Vec<(String, String)> = peermatch::blocking_pairs(&cohort, &report)
            .iter()
            .map(|b| (b.mentor.as_str().to_owned(), b.recipient.as_str().to_owned()))
            .collect();
        let mut expected = Vec::new();
        for r in cohort.recipients() {
            let now = report.match_of(r.id.as_str());
            for m in cohort.mentors() {
                let why = explain(&cohort, m.id.as_str(), r.id.as_str()).unwrap();
                if !why.eligible || now.is_some_and(|x| x.mentor == m.id) {
                    continue;
                }
                let s = why.breakdown.score;
                if now.is_some_and(|x| x.score >= s) {
                    continue;
                }
                let held: Vec<f64> = report.matches.iter().filter(|x| x.mentor == m.id).map(|x| x.score).collect();
                let room = u64::from(m.current_load) + (held.len() as u64) < u64::from(m.capacity);
                if room || held.iter().any(|&h| h < s) {
                    expected.push((m.id.as_str().to_owned(), r.id.as_str().to_owned()));
                }
            }
        }
        prop_assert_eq!(found, expected);
    }
}

#[test]
fn the_plan_as_dot_has_every_person_and_pair() {
    let cohort = Cohort::from_json(include_str!("../examples/data/round2.json")).unwrap();
    let report = match_cohort(&cohort);
    let dot = report.to_dot();
    assert_eq!(dot, match_cohort(&cohort).to_dot(), "deterministic");
    let nodes = dot
        .lines()
        .filter(|l| l.contains("[ label =") && !l.contains(" -- "))
        .count();
    assert_eq!(nodes, cohort.mentors().len() + cohort.recipients().len());
    assert_eq!(dot.matches(" -- ").count(), report.matches.len());
    let kept = report
        .matches
        .iter()
        .filter(|m| m.status == MatchStatus::Kept)
        .count();
    assert_eq!(dot.matches("style = bold").count(), kept);
    assert_eq!(
        dot.matches("style = dashed").count(),
        report.unmatched.len()
    );
}

#[test]
fn a_shared_id_is_one_person_and_a_warning() {
    let mentors = vec![mentor(0, 1, 0, &["rehab"], &[])];
    let mut r = recipient(0, &["rehab"], &[], 0);
    r.id = "m0".into();
    let cohort = Cohort::new(mentors, vec![r], Policy::default()).unwrap();
    let report = match_cohort(&cohort);
    assert!(report.matches.is_empty(), "never paired with themselves");
    assert_eq!(report.warnings.len(), 1);
    let w = &report.warnings[0];
    assert_eq!(
        (w.kind, w.mentor.as_str(), w.recipient.as_str()),
        (WarningKind::SharedId, "m0", "m0")
    );
    assert_eq!(w.failed_rules, [HardRule::SelfPair]);
    assert!(report.notice.starts_with("A proposal for review"));
}
