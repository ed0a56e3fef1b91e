//! Programme rounds: keeping the pairs that run, and matching the rest around them.
//!
//! A cohort with running pairs ([`Pair`](crate::Pair)) is matched in three steps:
//! 1. **decide** which running pairs are kept: every hard rule is checked on each, in
//!    pair order, its mentor's places filled by the kept pairs before them (so a
//!    mentor whose capacity fell keeps its earliest pairs); a pair that passes is kept
//!    (or, unpinned under `allow_reassign`, left to the solve with its switching cost as
//!    a bonus on its score, so that it moves only when that gains more),
//!    a pinned pair that fails is kept only with `override`, and every pair that fails
//!    is a [`Warning`] naming each broken rule;
//! 2. **match the rest** exactly: the cohort without the kept pairs' recipients, each
//!    mentor's load raised by its kept pairs (their places are taken, and a new
//!    recipient's slot cost counts them), solved and certified like any cohort. A
//!    recipient who lost their mentor (a pair not kept) is placed first: they count at
//!    urgency 3 in this solve, whatever their own urgency (which the report keeps);
//! 3. **merge**: the kept pairs join the plan with status `kept`, in recipient order,
//!    each with its breakdown and the slot it holds (a mentor's kept pairs hold its
//!    first slots after `current_load`); recipients whose pair was not kept are
//!    `reassigned` when matched.
//!
//! Step 2 is the whole optimisation, so the plan is optimal among all plans that keep
//! exactly these pairs, and its certificate is the residual solve's.

use crate::model::{Cohort, MICRO};
use crate::report::{Match, MatchReport, MatchStatus, MentorLoad, Warning, WarningKind};
use crate::rules::{self, HardRule};
use crate::scoring;
use crate::solve::slot_micro;

/// Which running pairs a plan keeps, and what it must warn about.
pub(crate) struct Decisions {
    /// Per recipient, the mentor of its kept pair.
    pub(crate) kept: Vec<Option<usize>>,
    /// Per recipient, the mentor of its running pair when the plan may move it
    /// (`allow_reassign`): matched in the residual cohort with the switching cost as a
    /// bonus on that pair.
    pub(crate) movable: Vec<Option<usize>>,
    /// Per recipient, whether it had a running pair that is not kept.
    pub(crate) lost: Vec<bool>,
    /// Per mentor, how many kept pairs it holds.
    pub(crate) kept_per_mentor: Vec<u32>,
    pub(crate) warnings: Vec<Warning>,
}

impl Decisions {
    /// Whether any pair is kept or lost, so that matching needs the residual cohort.
    pub(crate) fn any(&self) -> bool {
        !self.warnings.is_empty()
            || self.kept.iter().any(Option::is_some)
            || self.movable.iter().any(Option::is_some)
    }

    fn kept_mask(&self) -> Vec<bool> {
        self.kept.iter().map(Option::is_some).collect()
    }
}

/// Step 1: which running pairs are kept (see the module docs).
pub(crate) fn decide(cohort: &Cohort) -> Decisions {
    let (mentors, recipients) = (cohort.mentors(), cohort.recipients());
    let mut out = Decisions {
        kept: vec![None; recipients.len()],
        movable: vec![None; recipients.len()],
        lost: vec![false; recipients.len()],
        kept_per_mentor: vec![0; mentors.len()],
        warnings: Vec::new(),
    };
    for pair in cohort.pairs().iter().filter(|p| p.runs()) {
        let m = cohort
            .mentor_position(pair.mentor.as_str())
            .expect("validated pairs name cohort members");
        let r = cohort
            .recipient_position(pair.recipient.as_str())
            .expect("validated pairs name cohort members");
        let score = scoring::score_micro(cohort.policy(), &mentors[m], &recipients[r]);
        let mut failed = rules::check(cohort, m, r, score);
        // The place this pair would hold comes after the mentor's kept pairs so far.
        failed.remove(HardRule::Capacity);
        let taken = u64::from(mentors[m].current_load) + u64::from(out.kept_per_mentor[m]);
        if taken >= u64::from(mentors[m].capacity) {
            failed.insert(HardRule::Capacity);
        }
        let failed_rules: Vec<HardRule> = failed.iter().collect();
        let keep = failed.is_empty() || (pair.pinned && pair.keep_despite_rules);
        if !failed_rules.is_empty() {
            let kind = match (keep, pair.pinned) {
                (true, _) => WarningKind::KeptDespiteRules,
                (false, true) => WarningKind::PinnedNotKept,
                (false, false) => WarningKind::RunningNotKept,
            };
            out.warnings.push(Warning {
                kind,
                mentor: pair.mentor.clone(),
                recipient: pair.recipient.clone(),
                failed_rules,
            });
        }
        if failed.is_empty() && !pair.pinned && cohort.policy().allow_reassign {
            out.movable[r] = Some(m);
        } else if keep {
            out.kept[r] = Some(m);
            out.kept_per_mentor[m] += 1;
        } else {
            out.lost[r] = true;
        }
    }
    out
}

/// Step 2's cohort: the recipients left to match, around the kept pairs.
pub(crate) fn residual(cohort: &Cohort, decisions: &Decisions) -> Cohort {
    cohort.residual(
        &decisions.kept_mask(),
        &decisions.lost,
        &decisions.kept_per_mentor,
    )
}

/// The bonuses of step 2: per movable running pair, (its recipient in the residual
/// cohort, its mentor, the switching cost in micro-units).
pub(crate) fn bonuses(cohort: &Cohort, decisions: &Decisions) -> Vec<(usize, usize, u32)> {
    let micro = (cohort.policy().switching_cost * MICRO).round() as u32;
    let mut out = Vec::new();
    let mut residual_index = 0;
    for r in 0..cohort.recipients().len() {
        if decisions.kept[r].is_some() {
            continue;
        }
        if let Some(m) = decisions.movable[r] {
            out.push((residual_index, m, micro));
        }
        residual_index += 1;
    }
    out
}

/// Step 3: the residual plan with the kept pairs put back (see the module docs).
/// `names` says whether the report carries display names.
pub(crate) fn merge(
    cohort: &Cohort,
    decisions: Decisions,
    residual: MatchReport,
    names: bool,
) -> MatchReport {
    let policy = cohort.policy();
    let mentors = cohort.mentors();
    let name = |n: &Option<String>| if names { n.clone() } else { None };
    let mut slots_held = vec![0u32; mentors.len()];
    let mut rest = residual.matches.into_iter().peekable();
    let mut matches = Vec::with_capacity(cohort.recipients().len());
    for (r, recipient) in cohort.recipients().iter().enumerate() {
        if let Some(m) = decisions.kept[r] {
            let mentor = &mentors[m];
            let breakdown = scoring::breakdown(policy, mentor, recipient);
            let slot = slot_micro(policy.load_penalty, mentor.current_load, slots_held[m]);
            slots_held[m] += 1;
            matches.push(Match {
                mentor: mentor.id.clone(),
                mentor_name: name(&mentor.name),
                recipient: recipient.id.clone(),
                recipient_name: name(&recipient.name),
                score: breakdown.score,
                slot_cost: slot as f64 / MICRO,
                urgency: recipient.urgency,
                status: MatchStatus::Kept,
                parts: breakdown.parts,
                cross_condition: false,
            });
        } else if rest
            .peek()
            .is_some_and(|m| m.recipient.as_str() == recipient.id.as_str())
        {
            let mut m = rest.next().expect("peeked");
            m.urgency = recipient.urgency;
            if decisions.lost[r] {
                m.status = MatchStatus::Reassigned;
            }
            if let Some(running) = decisions.movable[r] {
                m.status = if m.mentor == mentors[running].id {
                    MatchStatus::Kept
                } else {
                    MatchStatus::Reassigned
                };
            }
            matches.push(m);
        }
    }
    let mentor_loads: Vec<MentorLoad> = residual
        .mentors
        .into_iter()
        .zip(mentors)
        .zip(&decisions.kept_per_mentor)
        .map(|((load, mentor), &kept)| MentorLoad {
            current_load: mentor.current_load,
            kept,
            ..load
        })
        .collect();
    let lost = decisions.lost.iter().filter(|&&l| l).count();
    let summary = crate::report::summarise(
        policy,
        &matches,
        residual.unmatched.len(),
        &mentor_loads,
        lost,
    );
    MatchReport {
        notice: residual.notice,
        matches,
        unmatched: residual.unmatched,
        warnings: decisions.warnings,
        mentors: mentor_loads,
        summary,
        solve: residual.solve,
        candidates: residual.candidates,
        recruitment: None,
    }
}
