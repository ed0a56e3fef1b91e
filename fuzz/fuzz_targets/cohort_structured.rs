//! Structured cohorts: people and a policy drawn from the bytes, with small tag
//! vocabularies (so pairs share things and rules bite) and extreme numbers
//! (capacities up to `u32::MAX`, loads at capacity, weights and load penalties at the
//! ends of their ranges). Whatever `Cohort::new` accepts must match with the
//! invariants of `common::match_and_check`; whatever it rejects must be an error, not
//! a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peermatch::{
    Cohort, ContactMode, Criterion, Mentor, MentorId, Objective, Pair, Policy, Recipient,
    RecipientId, TrainingLevel,
};

mod common;

/// Reads small choices off the input; past its end every choice is 0.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let (&b, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        b
    }
    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n
    }
    fn pick<T: Copy>(&mut self, options: &[T]) -> T {
        options[self.below(options.len())]
    }
    fn tags(&mut self, vocabulary: &[&str]) -> Vec<String> {
        let mask = self.byte();
        vocabulary
            .iter()
            .enumerate()
            .filter(|&(i, _)| mask & (1 << i) != 0)
            .map(|(_, t)| t.to_string())
            .collect()
    }
}

const CONDITIONS: [&str; 3] = ["copd", "ms", "diabetes"];
const EXPERIENCES: [&str; 4] = ["insulin", "rural", "carer", "parent"];
const INTERESTS: [&str; 3] = ["jazz", "football", "reading"];
const LANGUAGES: [&str; 3] = ["en", "cy", "pl"];
const REGIONS: [Option<&str>; 3] = [None, Some("north"), Some("wales")];
const GENDERS: [Option<&str>; 3] = [None, Some("woman"), Some("man")];
const TRAINING: [TrainingLevel; 4] = [
    TrainingLevel::None,
    TrainingLevel::Basic,
    TrainingLevel::Certified,
    TrainingLevel::Advanced,
];
const MODES: [ContactMode; 4] = [
    ContactMode::Phone,
    ContactMode::Video,
    ContactMode::InPerson,
    ContactMode::Text,
];

fn modes(b: &mut Bytes<'_>) -> Vec<ContactMode> {
    let mask = b.byte();
    MODES
        .iter()
        .enumerate()
        .filter(|&(i, _)| mask & (1 << i) != 0)
        .map(|(_, &m)| m)
        .collect()
}

fn mentor(b: &mut Bytes<'_>, i: usize, recipients: usize) -> Mentor {
    let capacity = b.pick(&[0, 1, 2, 3, u32::MAX - 1, u32::MAX]);
    let current_load = match b.below(3) {
        0 => 0,
        1 => capacity,
        _ => capacity / 2,
    };
    Mentor {
        id: MentorId(format!("m{i}")),
        conditions: b.tags(&CONDITIONS),
        experiences: b.tags(&EXPERIENCES),
        interests: b.tags(&INTERESTS),
        languages: b.tags(&LANGUAGES),
        age: b.pick(&[None, Some(0), Some(40), Some(120), Some(121)]),
        gender: b.pick(&GENDERS).map(String::from),
        region: b.pick(&REGIONS).map(String::from),
        modes: modes(b),
        months_since_diagnosis: b.pick(&[None, Some(0), Some(24), Some(u32::MAX)]),
        training: b.pick(&TRAINING),
        capacity,
        current_load,
        boundaries: b.tags(&EXPERIENCES[..2]),
        exclude: (0..recipients)
            .filter(|_| b.below(8) == 0)
            .map(|r| RecipientId(format!("r{r}")))
            .collect(),
        ..Mentor::default()
    }
}

fn recipient(b: &mut Bytes<'_>, i: usize) -> Recipient {
    Recipient {
        id: RecipientId(format!("r{i}")),
        conditions: b.tags(&CONDITIONS),
        experiences: b.tags(&EXPERIENCES),
        interests: b.tags(&INTERESTS),
        languages: b.tags(&LANGUAGES),
        age: b.pick(&[None, Some(18), Some(90)]),
        gender: b.pick(&GENDERS).map(String::from),
        region: b.pick(&REGIONS).map(String::from),
        modes: modes(b),
        months_since_diagnosis: b.pick(&[None, Some(0), Some(6)]),
        needs: b.tags(&EXPERIENCES[..2]),
        required_training: b.pick(&TRAINING),
        urgency: b.pick(&[0, 0, 1, 2, 3, 4]),
        mentor_gender: if b.below(4) == 0 {
            vec!["woman".into()]
        } else {
            vec![]
        },
        ..Recipient::default()
    }
}

fn policy(b: &mut Bytes<'_>) -> Policy {
    let mut policy = Policy::default();
    for criterion in Criterion::ALL {
        if b.below(3) == 0 {
            let w = b.pick(&[0.0, 1e-300, 0.5, 1.0, 1e6, 1e300, -1.0, f64::NAN]);
            policy.weights.insert(criterion, w);
        }
    }
    policy.min_score = b.pick(&[0.0, 0.0, 0.3, 1.0, 1.5]);
    policy.min_shared_beyond_diagnosis = b.pick(&[0, 1, 1, 2, 7]);
    policy.require_shared_condition = b.below(4) != 0;
    policy.min_months_ahead = b.pick(&[0, 0, 12, u32::MAX]);
    policy.load_penalty = b.pick(&[0.0, 0.05, 1.0, 1e6, 1e12, f64::INFINITY]);
    policy.objective = b.pick(&Objective::ALL);
    policy.min_new_load = b.pick(&[0, 0, 1, 2, u32::MAX]);
    policy.max_new_load = b.pick(&[None, None, Some(0), Some(1), Some(u32::MAX)]);
    policy.cross_condition_fallback = b.below(3) == 0;
    policy.allow_reassign = b.below(2) == 0;
    policy.switching_cost = b.pick(&[0.0, 0.1, 1.0, 2.0, f64::NAN]);
    policy
}

/// Running, pinned, overriding and ended pairs between the cohort's people, some of
/// them invalid (a recipient twice, `override` unpinned): those must be typed errors.
fn pairs(b: &mut Bytes<'_>, mentors: usize, recipients: usize) -> Vec<Pair> {
    if mentors == 0 || recipients == 0 {
        return Vec::new();
    }
    (0..b.below(6))
        .map(|_| {
            let mut pair = Pair::new(
                format!("m{}", b.below(mentors)),
                format!("r{}", b.below(recipients)),
            );
            pair.pinned = b.below(2) == 0;
            pair.ended = b.below(5) == 0;
            pair.keep_despite_rules = b.below(3) == 0;
            pair
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let (mentors, recipients) = (b.below(10), b.below(14));
    let people: Vec<Mentor> = (0..mentors)
        .map(|i| mentor(&mut b, i, recipients))
        .collect();
    let others: Vec<Recipient> = (0..recipients).map(|i| recipient(&mut b, i)).collect();
    let policy = policy(&mut b);
    let pairs = pairs(&mut b, mentors, recipients);
    if let Ok(cohort) = Cohort::new(people, others, policy) {
        common::match_and_check(&cohort);
        if let Ok(cohort) = cohort.with_pairs(pairs) {
            common::match_and_check(&cohort);
        }
    }
});
