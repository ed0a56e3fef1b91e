//! Candidate pairs: every (mentor, recipient) pair that passes all hard rules, with its score.
//!
//! The matcher only ever sees eligible pairs, so no plan can break a rule. Scores are
//! computed only for pairs that pass the score-free rules (the `min_score` rule needs
//! the score, the others do not). For a recipient left with no eligible mentor at all,
//! a second pass counts, for each rule, how many mentors fail it — the "why is this
//! person unmatched" that a coordinator acts on.
//!
//! Mentors are blocked by language and (when required) condition, the rules that
//! partition a cohort, so pairs that cannot be eligible are never checked; the other
//! rules and the score are evaluated pair by pair on the remaining ones. Interning
//! tags into bitsets and spreading the work over cores are the next steps for national
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

    /// The indices of recipient `r`'s candidates.
    pub(crate) fn range(&self, r: usize) -> std::ops::Range<usize> {
        self.start[r]..self.start[r + 1]
    }

    /// Number of recipients.
    pub(crate) fn rows(&self) -> usize {
        self.start.len() - 1
    }

    /// Number of eligible pairs.
    pub(crate) fn len(&self) -> usize {
        self.mentor.len()
    }
}

/// Mentors grouped by a tag: for each tag, the sorted indices of the mentors having it.
struct Block<'a> {
    by_tag: BTreeMap<&'a str, Vec<u32>>,
}

impl<'a> Block<'a> {
    fn new(tags_of: impl Iterator<Item = &'a [String]>) -> Self {
        let mut by_tag: BTreeMap<&'a str, Vec<u32>> = BTreeMap::new();
        for (m, tags) in tags_of.enumerate() {
            for tag in tags {
                by_tag.entry(tag.as_str()).or_default().push(m as u32);
            }
        }
        Block { by_tag }
    }

    /// The sorted, deduplicated mentors having any of `tags`.
    fn any_of(&self, tags: &[String], out: &mut Vec<u32>) {
        out.clear();
        for tag in tags {
            if let Some(list) = self.by_tag.get(tag.as_str()) {
                out.extend_from_slice(list);
            }
        }
        out.sort_unstable();
        out.dedup();
    }
}

/// Keeps the elements of sorted `a` that are also in sorted `b`.
fn retain_sorted(a: &mut Vec<u32>, b: &[u32]) {
    let mut j = 0;
    a.retain(|&x| {
        while j < b.len() && b[j] < x {
            j += 1;
        }
        j < b.len() && b[j] == x
    });
}

/// Every eligible pair of the cohort.
///
/// Mentors are blocked by the two rules that partition a cohort: a recipient is only
/// checked against mentors sharing a language with them and, when the policy requires
/// a shared condition, a condition too. Every other mentor fails one of those rules,
/// so blocking removes no eligible pair; it only skips pairs that cannot be eligible.
pub(crate) fn generate(cohort: &Cohort) -> Candidates {
    let policy = cohort.policy();
    let min_score = cohort.min_score_micro();
    let mentors = cohort.mentors();
    let by_language = Block::new(mentors.iter().map(|m| m.languages.as_slice()));
    let by_condition = policy
        .require_shared_condition
        .then(|| Block::new(mentors.iter().map(|m| m.conditions.as_slice())));
    let mut out = Candidates {
        start: Vec::with_capacity(cohort.recipients().len() + 1),
        mentor: Vec::new(),
        score: Vec::new(),
    };
    out.start.push(0);
    let (mut block, mut sharing_condition) = (Vec::new(), Vec::new());
    for (r, recipient) in cohort.recipients().iter().enumerate() {
        by_language.any_of(&recipient.languages, &mut block);
        if let Some(by_condition) = &by_condition {
            by_condition.any_of(&recipient.conditions, &mut sharing_condition);
            retain_sorted(&mut block, &sharing_condition);
        }
        for &m in &block {
            let m = m as usize;
            if !rules::check_static(cohort, m, r).is_empty() {
                continue;
            }
            let score = scoring::score_micro(policy, &mentors[m], recipient);
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
