//! Hard rules: conditions a pair must meet to be matched at all.
//!
//! Scores express preference; rules express what a programme must never do — pair a
//! mentor with someone in their own confidentiality group, past their stated
//! boundaries, beyond their capacity, or with someone they share nothing with but the
//! diagnosis. The matcher never returns a pair that fails a rule, and
//! [`explain()`](crate::explain()) lists *every* rule a pair fails, not only the first, so a
//! coordinator sees everything that would have to change.
//!
//! # One rule, three forms
//! Each rule is written three times, for three speeds, and the three live side by
//! side here so that one change finds all of them:
//!
//! | form | where | used for |
//! |---|---|---|
//! | on the people's strings | [`check`] / [`check_static`], one arm per rule in [`HardRule::ALL`] order | `explain`, and the reference the others are tested against |
//! | on interned tag ids | `Interned::check_static` in [`interned`] | every pair that passes the screen |
//! | on bitsets of 64 mentors | [`Screen`](screen::Screen) (the rules comparing tag sets, capacity, training and contact) | every recipient against all mentors at once |
//!
//! A rule added or changed in one form must change in the others; the tests
//! `interned_rules_and_scores_equal_the_string_path_on_synthetic_cohorts`,
//! `rules_agree_under_every_policy_switch_the_screen_depends_on` and
//! `large_vocabularies_use_id_lists_and_still_agree` (in `interned`) hold all three to
//! the same verdict on every pair of random cohorts, and fail when one drifts.

use serde::{Deserialize, Serialize};

use crate::model::Cohort;
use crate::model::ContactMode;
use crate::model::tags;

pub(crate) mod interned;
mod screen;

/// A rule a pair must pass to be matched. JSON names are the snake_case names below.
///
/// ```
/// use peermatch::HardRule;
/// assert_eq!(HardRule::ALL.len(), 14);
/// assert_eq!(HardRule::SelfPair.name(), "self");
/// assert_eq!(HardRule::BeyondDiagnosis.to_string(), "beyond_diagnosis");
/// assert_eq!("Beyond diagnosis".parse::<HardRule>()?, HardRule::BeyondDiagnosis);
/// # Ok::<(), peermatch::ParseNameError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum HardRule {
    /// `self`: the mentor's id differs from the recipient's (one person can be on both sides).
    #[serde(rename = "self")]
    SelfPair,
    /// They share a language.
    Language,
    /// The mentor's training is at least the recipient's `required_training`.
    Training,
    /// None of the recipient's needs is among the mentor's boundaries.
    Boundaries,
    /// Neither lists the other in `exclude`.
    Excluded,
    /// The recipient's `mentor_gender` is empty or contains the mentor's gender (a mentor
    /// of unknown gender fails a non-empty list).
    Gender,
    /// Either availability list is empty, or they share a slot.
    Availability,
    /// They share a contact mode (empty = all four); if the only shared mode is
    /// `in_person`, both regions are known and equal.
    Contact,
    /// When the policy's `require_shared_condition` holds, they share a condition.
    Condition,
    /// At least `min_shared_beyond_diagnosis` distinct tags are shared between the two
    /// people's experiences ∪ interests.
    BeyondDiagnosis,
    /// They share no confidentiality group.
    Confidentiality,
    /// When both months since diagnosis are known, the mentor's is at least the
    /// recipient's plus `min_months_ahead`.
    Journey,
    /// The mentor's `current_load` is below its `capacity`.
    Capacity,
    /// The pair's score is at least `min_score`.
    MinScore,
}

impl HardRule {
    /// Every rule, in the order the format lists them.
    pub const ALL: [HardRule; 14] = [
        HardRule::SelfPair,
        HardRule::Language,
        HardRule::Training,
        HardRule::Boundaries,
        HardRule::Excluded,
        HardRule::Gender,
        HardRule::Availability,
        HardRule::Contact,
        HardRule::Condition,
        HardRule::BeyondDiagnosis,
        HardRule::Confidentiality,
        HardRule::Journey,
        HardRule::Capacity,
        HardRule::MinScore,
    ];

    /// The rule's name in the JSON format.
    pub fn name(self) -> &'static str {
        match self {
            HardRule::SelfPair => "self",
            HardRule::Language => "language",
            HardRule::Training => "training",
            HardRule::Boundaries => "boundaries",
            HardRule::Excluded => "excluded",
            HardRule::Gender => "gender",
            HardRule::Availability => "availability",
            HardRule::Contact => "contact",
            HardRule::Condition => "condition",
            HardRule::BeyondDiagnosis => "beyond_diagnosis",
            HardRule::Confidentiality => "confidentiality",
            HardRule::Journey => "journey",
            HardRule::Capacity => "capacity",
            HardRule::MinScore => "min_score",
        }
    }
}

crate::model::names::named!(HardRule, "rule");

/// A set of failed rules, one bit per [`HardRule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct RuleSet(u16);

impl RuleSet {
    pub(crate) fn insert(&mut self, rule: HardRule) {
        self.0 |= 1 << rule as u16;
    }

    pub(crate) fn remove(&mut self, rule: HardRule) {
        self.0 &= !(1 << rule as u16);
    }

    pub(crate) fn contains(self, rule: HardRule) -> bool {
        self.0 & (1 << rule as u16) != 0
    }

    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub(crate) fn iter(self) -> impl Iterator<Item = HardRule> {
        HardRule::ALL.into_iter().filter(move |&r| self.contains(r))
    }
}

fn mode_mask(modes: &[ContactMode]) -> u8 {
    if modes.is_empty() {
        ContactMode::ALL.iter().fold(0, |m, mode| m | mode.bit())
    } else {
        modes.iter().fold(0, |m, mode| m | mode.bit())
    }
}

/// Every rule that mentor `m` and recipient `r` (indices into the cohort) fail, given
/// the pair's score in micro-units.
pub(crate) fn check(cohort: &Cohort, m: usize, r: usize, score_micro: u32) -> RuleSet {
    let mut failed = check_static(cohort, m, r);
    if score_micro < cohort.min_score_micro() {
        failed.insert(HardRule::MinScore);
    }
    failed
}

/// Every rule except `min_score` that the pair fails: the rules that need no score.
pub(crate) fn check_static(cohort: &Cohort, m: usize, r: usize) -> RuleSet {
    let mentor = &cohort.mentors()[m];
    let recipient = &cohort.recipients()[r];
    let policy = cohort.policy();
    let mut failed = RuleSet::default();
    let mut fail_if = |broken: bool, rule: HardRule| {
        if broken {
            failed.insert(rule);
        }
    };

    fail_if(mentor.id.0 == recipient.id.0, HardRule::SelfPair);
    fail_if(
        !tags::intersects(&mentor.languages, &recipient.languages),
        HardRule::Language,
    );
    fail_if(
        mentor.training < recipient.required_training,
        HardRule::Training,
    );
    fail_if(
        tags::intersects(&recipient.needs, &mentor.boundaries),
        HardRule::Boundaries,
    );
    fail_if(cohort.is_excluded(m, r), HardRule::Excluded);
    fail_if(
        !(recipient.mentor_gender.is_empty()
            || mentor
                .gender
                .as_ref()
                .is_some_and(|g| recipient.mentor_gender.binary_search(g).is_ok())),
        HardRule::Gender,
    );
    fail_if(
        !mentor.availability.is_empty()
            && !recipient.availability.is_empty()
            && !tags::intersects(&mentor.availability, &recipient.availability),
        HardRule::Availability,
    );
    let shared_modes = mode_mask(&mentor.modes) & mode_mask(&recipient.modes);
    let same_region = matches!((&mentor.region, &recipient.region), (Some(a), Some(b)) if a == b);
    fail_if(
        shared_modes == 0 || (shared_modes == ContactMode::InPerson.bit() && !same_region),
        HardRule::Contact,
    );
    fail_if(
        policy.require_shared_condition
            && !tags::intersects(&mentor.conditions, &recipient.conditions),
        HardRule::Condition,
    );
    fail_if(
        (tags::shared(cohort.mentor_beyond(m), cohort.recipient_beyond(r)) as u64)
            < u64::from(policy.min_shared_beyond_diagnosis),
        HardRule::BeyondDiagnosis,
    );
    fail_if(
        tags::intersects(&mentor.groups, &recipient.groups),
        HardRule::Confidentiality,
    );
    fail_if(
        match (
            mentor.months_since_diagnosis,
            recipient.months_since_diagnosis,
        ) {
            (Some(mm), Some(rm)) => {
                u64::from(mm) < u64::from(rm) + u64::from(policy.min_months_ahead)
            }
            _ => false,
        },
        HardRule::Journey,
    );
    fail_if(mentor.current_load >= mentor.capacity, HardRule::Capacity);
    failed
}
