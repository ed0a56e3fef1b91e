//! Candidate pairs: every (mentor, recipient) pair that passes all hard rules, with its score.
//!
//! The matcher only ever sees eligible pairs, so no plan can break a rule. Scores are
//! computed only for pairs that pass the score-free rules (the `min_score` rule needs
//! the score, the others do not). For a recipient left with no eligible mentor at all,
//! a second pass counts, for each rule, how many mentors fail it — the "why is this
//! person unmatched" that a coordinator acts on.
//!
//! This version checks every pair (`O(R × M)` rule checks); blocking by the rules that
//! partition the cohort (language, condition) is the planned next step for national
//! cohorts.

use std::collections::BTreeMap;

use crate::cohort::Cohort;
use crate::rules::{self, HardRule};
use crate::scoring;

/// Eligible pairs grouped by recipient (CSR), mentors in input order within a recipient.
#[derive(Debug, Clone)]
pub(crate) struct Candidates {
    /// `start[r]..start[r + 1]` indexes recipient `r`'s candidates.
    pub(crate) start: Vec<usize>,
    /// The mentor of each candidate.
    pub(crate) mentor: Vec<u32>,
    /// The score of each candidate, in micro-units.
    pub(crate) score: Vec<u32>,
}

impl Candidates {
    /// Recipient `r`'s candidates as `(mentor index, score in micro-units)`.
    pub(crate) fn of(&self, r: usize) -> impl Iterator<Item = (usize, u32)> + '_ {
        let range = self.start[r]..self.start[r + 1];
        self.mentor[range.clone()]
            .iter()
            .zip(&self.score[range])
            .map(|(&m, &s)| (m as usize, s))
    }

    /// How many mentors are eligible for recipient `r`.
    pub(crate) fn count(&self, r: usize) -> usize {
        self.start[r + 1] - self.start[r]
    }
}

/// Every eligible pair of the cohort.
pub(crate) fn generate(cohort: &Cohort) -> Candidates {
    let policy = cohort.policy();
    let min_score = cohort.min_score_micro();
    let mut out = Candidates {
        start: Vec::with_capacity(cohort.recipients().len() + 1),
        mentor: Vec::new(),
        score: Vec::new(),
    };
    out.start.push(0);
    for (r, recipient) in cohort.recipients().iter().enumerate() {
        for (m, mentor) in cohort.mentors().iter().enumerate() {
            if !rules::check_static(cohort, m, r).is_empty() {
                continue;
            }
            let score = scoring::score_micro(policy, mentor, recipient);
            if score >= min_score {
                out.mentor.push(m as u32);
                out.score.push(score);
            }
        }
        out.start.push(out.mentor.len());
    }
    out
}

/// For recipient `r`, how many mentors fail each rule (every rule listed, a mentor
/// counted under each rule it fails).
pub(crate) fn failed_rule_counts(cohort: &Cohort, r: usize) -> BTreeMap<HardRule, u32> {
    let mut counts: BTreeMap<HardRule, u32> = HardRule::ALL.iter().map(|&h| (h, 0)).collect();
    let recipient = &cohort.recipients()[r];
    for (m, mentor) in cohort.mentors().iter().enumerate() {
        let score = scoring::score_micro(cohort.policy(), mentor, recipient);
        for rule in rules::check(cohort, m, r, score).iter() {
            *counts.entry(rule).or_insert(0) += 1;
        }
    }
    counts
}
