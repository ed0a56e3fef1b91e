//! The report builder: from a solved plan to a [`MatchReport`], deciding every
//! [`Reason`].
//!
//! The solve only says who is matched to whom. Everything a reviewer reads is decided
//! here, in one slot: each pair's breakdown and slot cost (slots in recipient input
//! order), why each unmatched recipient is unmatched, every mentor's load, the
//! summary, and, when asked, the candidate pairs the solver saw.
//!
//! An unmatched recipient's reason is the first that holds of:
//! 1. nobody is eligible: [`Reason::NoEligibleMentor`], with, per rule, how many
//!    mentors fail it (a recipient can be failed by one mentor on several rules);
//! 2. under [`Objective::Quality`], an eligible mentor still has room: the pair was
//!    not worth the mentor's load ([`Reason::NotWorthLoad`]);
//! 3. otherwise every eligible mentor is full ([`Reason::MentorsFull`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Candidate, Match, MatchReport, MatchStatus, MentorLoad, Reason, Summary, Unmatched};
use crate::candidates::{self, Candidates, RuleCounts};
use crate::model::{MICRO, Objective};
use crate::par;
use crate::progress::{PROGRESS_EVERY, Reporter, Stage};
use crate::rules::interned::{Interned, Scratch};
use crate::scoring::{self, Breakdown};
use crate::solve::{Outcome, slot_micro};

/// What the report is built from.
pub(crate) struct Inputs<'a> {
    /// The cohort, interned (for the rule counts of recipients nobody is eligible for).
    pub(crate) index: &'a Interned<'a>,
    /// Every eligible pair with its score.
    pub(crate) candidates: &'a Candidates,
    /// The solved plan.
    pub(crate) outcome: &'a Outcome,
    /// Whether to list the pairs the solver saw.
    pub(crate) list_candidates: bool,
    /// Whether to copy the people's display names into the report.
    pub(crate) names: bool,
    /// Threads for the rule counts (0 = one per core).
    pub(crate) threads: usize,
    /// Where the rule counts report progress.
    pub(crate) progress: &'a Reporter,
    /// What the report of an earlier plan of the same recipients remembers, updated
    /// instead of found afresh.
    pub(crate) earlier: Option<Earlier<'a>>,
    /// Whether to remember the breakdowns for a later report ([`Memo`]).
    pub(crate) remember: bool,
}

/// What an earlier report remembers ([`Inputs::earlier`]): its cohort had the same
/// recipients, as many mentors and the same policy.
pub(crate) struct Earlier<'a> {
    /// The earlier cohort, interned.
    pub(crate) index: &'a Interned<'a>,
    /// What its report remembers.
    pub(crate) memo: &'a Memo,
    /// The mentors whose record or exclusions differ from the earlier cohort's, in
    /// index order.
    pub(crate) changed: &'a [usize],
}

/// For each recipient nobody is eligible for, in recipient order, per rule the
/// mentors failing it.
pub(crate) type Counted = Vec<(usize, RuleCounts)>;

/// What a plan keeps of its report for the next one's [`Earlier`]: the rule counts
/// ([`Counted`]) and each match's breakdown, which depends only on the two records
/// and the policy (comparing string tag sets, it was most of a re-solve's report).
#[derive(Debug, Clone, Default)]
pub(crate) struct Memo {
    counts: Counted,
    /// Recipient, mentor and breakdown of each match, in recipient order (shared from
    /// one memo to the next while the pair stays).
    breakdowns: Vec<(usize, usize, Arc<Breakdown>)>,
}

impl Inputs<'_> {
    /// A person's display name for the report: only when names were asked for.
    fn name(&self, name: &Option<String>) -> Option<String> {
        if self.names { name.clone() } else { None }
    }
}

/// The pairs of the plan, and how many each mentor takes.
struct Pairs {
    matches: Vec<Match>,
    /// Per mentor, how many new recipients the plan gives them.
    assigned: Vec<u32>,
}

/// Matches whose breakdowns are computed by one thread at a time.
const BREAKDOWN_CHUNK: usize = 1024;

/// Unmatched recipients whose reasons are found by one thread at a time.
const UNMATCHED_CHUNK: usize = 4096;

/// Builds the report of `inputs.outcome`, with the rule counts of the recipients
/// nobody is eligible for, and what a later report may reuse ([`Memo`]).
pub(crate) fn build(inputs: &Inputs<'_>) -> (MatchReport, Memo) {
    let (pairs, breakdowns) = pairs(inputs);
    let counted = failed_rule_counts(inputs);
    let unmatched = unmatched(inputs, &pairs.assigned, &counted);
    let loads = loads(inputs, &pairs.assigned);
    let summary = summary(inputs, &pairs, unmatched.len(), &loads);
    let report = MatchReport {
        notice: MatchReport::NOTICE.to_owned(),
        matches: pairs.matches,
        unmatched,
        warnings: Vec::new(),
        mentors: loads,
        summary,
        solve: inputs.outcome.info,
        candidates: inputs.list_candidates.then(|| considered(inputs)),
        recruitment: None,
    };
    (
        report,
        Memo {
            counts: counted,
            breakdowns,
        },
    )
}

/// Each matched pair with its breakdown and the slot it takes (a mentor's slots are
/// numbered in recipient input order), and the breakdowns to remember if asked.
fn pairs(inputs: &Inputs<'_>) -> (Pairs, Vec<(usize, usize, Arc<Breakdown>)>) {
    let cohort = inputs.index.cohort();
    let policy = cohort.policy();
    let mentors = cohort.mentors();
    let mut out = Pairs {
        matches: Vec::new(),
        assigned: vec![0; mentors.len()],
    };
    // The matches (breakdowns: string sets compared) on all cores, then the slots in
    // order. A pair the earlier report remembers, of a mentor whose record did not
    // change, has the breakdown it had.
    let matched: Vec<(usize, usize)> = (inputs.outcome.mentor_of.iter().enumerate())
        .filter_map(|(r, m)| Some((r, (*m)?)))
        .collect();
    let candidates = inputs.candidates;
    let remembered = |r: usize, m: usize| {
        let earlier = inputs.earlier.as_ref()?;
        let breakdowns = &earlier.memo.breakdowns;
        let at = breakdowns.binary_search_by_key(&r, |&(q, _, _)| q).ok()?;
        let (_, was, breakdown) = &breakdowns[at];
        (*was == m && earlier.changed.binary_search(&m).is_err()).then(|| Arc::clone(breakdown))
    };
    let built = par::map_chunks(matched.len(), BREAKDOWN_CHUNK, inputs.threads, |range| {
        matched[range]
            .iter()
            .map(|&(r, m)| {
                let (mentor, recipient) = (&mentors[m], &cohort.recipients()[r]);
                let breakdown = remembered(r, m)
                    .unwrap_or_else(|| Arc::new(scoring::breakdown(policy, mentor, recipient)));
                debug_assert!(
                    candidates.of(r).any(|(n, _)| n == m),
                    "({r}, {m}) is a candidate"
                );
                let entry = Match {
                    mentor: mentor.id.clone(),
                    mentor_name: inputs.name(&mentor.name),
                    recipient: recipient.id.clone(),
                    recipient_name: inputs.name(&recipient.name),
                    score: breakdown.score,
                    // Set below, in recipient order.
                    slot_cost: 0.0,
                    urgency: recipient.urgency,
                    status: MatchStatus::New,
                    parts: breakdown.parts.clone(),
                    cross_condition: false,
                };
                (entry, inputs.remember.then_some(breakdown))
            })
            .collect::<Vec<_>>()
    });
    let mut memo = Vec::with_capacity(if inputs.remember { matched.len() } else { 0 });
    out.matches.reserve_exact(matched.len());
    for (&(r, m), (mut entry, breakdown)) in matched.iter().zip(built.into_iter().flatten()) {
        if let Some(breakdown) = breakdown {
            memo.push((r, m, breakdown));
        }
        let slot = slot_micro(
            policy.load_penalty,
            mentors[m].current_load,
            out.assigned[m],
        );
        out.assigned[m] += 1;
        entry.slot_cost = slot as f64 / MICRO;
        out.matches.push(entry);
    }
    (out, memo)
}

/// Every unmatched recipient with the reason (see the module docs), in input order,
/// on all cores.
fn unmatched(inputs: &Inputs<'_>, assigned: &[u32], counted: &Counted) -> Vec<Unmatched> {
    let cohort = inputs.index.cohort();
    let mentors = cohort.mentors();
    let plan = &inputs.outcome.mentor_of;
    let candidates = inputs.candidates;
    let policy = cohort.policy();
    let has_room = |m: usize| assigned[m] < policy.new_places(&mentors[m]);
    let waiting: Vec<usize> = (0..plan.len()).filter(|&r| plan[r].is_none()).collect();
    let parts = par::map_chunks(waiting.len(), UNMATCHED_CHUNK, inputs.threads, |range| {
        waiting[range]
            .iter()
            .map(|&r| {
                let recipient = &cohort.recipients()[r];
                let eligible = candidates.count(r) as u32;
                let reason = if eligible == 0 {
                    let at = counted
                        .binary_search_by_key(&r, |&(q, _)| q)
                        .expect("one count per recipient nobody is eligible for");
                    Reason::NoEligibleMentor {
                        failed_rules: candidates::rule_map(&counted[at].1),
                    }
                } else if policy.objective == Objective::Quality
                    && candidates.of(r).any(|(m, _)| has_room(m))
                {
                    Reason::NotWorthLoad {
                        eligible_mentors: eligible,
                    }
                } else {
                    Reason::MentorsFull {
                        eligible_mentors: eligible,
                    }
                };
                Unmatched {
                    recipient: recipient.id.clone(),
                    recipient_name: inputs.name(&recipient.name),
                    reason,
                }
            })
            .collect::<Vec<_>>()
    });
    let mut out = Vec::with_capacity(waiting.len());
    for part in parts {
        out.extend(part);
    }
    out
}

/// For each recipient nobody is eligible for, in input order: per rule, the mentors
/// failing it. Each visits every mentor, so they are spread over the threads, in order;
/// with an earlier plan's counts, a recipient counted then is updated instead.
fn failed_rule_counts(inputs: &Inputs<'_>) -> Counted {
    let plan = &inputs.outcome.mentor_of;
    let nobody: Vec<usize> = (0..plan.len())
        .filter(|&r| plan[r].is_none() && inputs.candidates.count(r) == 0)
        .collect();
    let earlier = |r: usize| {
        let e = inputs.earlier.as_ref()?;
        let at = e.memo.counts.binary_search_by_key(&r, |&(q, _)| q).ok()?;
        Some((e, e.memo.counts[at].1))
    };
    let done = AtomicUsize::new(0);
    par::map_chunks(nobody.len(), PROGRESS_EVERY / 8, inputs.threads, |range| {
        let mut scratch = Scratch::default();
        let counts: Vec<_> = range
            .clone()
            .map(|k| {
                let r = nobody[k];
                let counts = match earlier(r) {
                    Some((e, old)) => {
                        candidates::updated_rule_counts(inputs.index, e.index, r, old, e.changed)
                    }
                    None => candidates::failed_rule_counts(inputs.index, r, &mut scratch),
                };
                (r, counts)
            })
            .collect();
        let so_far = done.fetch_add(range.len(), Ordering::Relaxed) + range.len();
        inputs
            .progress
            .report(Stage::Report, so_far, nobody.len(), 0);
        counts
    })
    .into_iter()
    .flatten()
    .collect()
}

/// Every mentor's load, in input order.
fn loads(inputs: &Inputs<'_>, assigned: &[u32]) -> Vec<MentorLoad> {
    inputs
        .index
        .cohort()
        .mentors()
        .iter()
        .zip(assigned)
        .map(|(m, &a)| MentorLoad {
            mentor: m.id.clone(),
            mentor_name: inputs.name(&m.name),
            current_load: m.current_load,
            kept: 0,
            assigned: a,
            capacity: m.capacity,
        })
        .collect()
}

fn summary(inputs: &Inputs<'_>, pairs: &Pairs, unmatched: usize, loads: &[MentorLoad]) -> Summary {
    summarise(
        inputs.index.cohort().policy(),
        &pairs.matches,
        unmatched,
        loads,
        0,
    )
}

/// The totals of a plan, from its pairs and loads: one computation for every way a
/// report is put together (a plain solve, rounds around running pairs, the fallback).
/// `lost_mentor` counts the recipients whose running pair was not kept.
pub(crate) fn summarise(
    policy: &crate::model::Policy,
    matches: &[Match],
    unmatched: usize,
    loads: &[MentorLoad],
    lost_mentor: usize,
) -> Summary {
    let micro = |x: f64| (x * MICRO).round() as i64;
    let scores: Vec<i64> = matches.iter().map(|m| micro(m.score)).collect();
    let mut matched_by_urgency = [0; 4];
    for m in matches {
        matched_by_urgency[usize::from(m.urgency.min(3))] += 1;
    }
    let count = |status| matches.iter().filter(|m| m.status == status).count();
    let quality: i128 = matches
        .iter()
        .map(|m| i128::from(micro(m.score) - micro(m.slot_cost)))
        .sum();
    Summary {
        recipients: matches.len() + unmatched,
        matched: matches.len(),
        kept: count(MatchStatus::Kept),
        reassigned: count(MatchStatus::Reassigned),
        lost_mentor,
        unmatched,
        matched_by_urgency,
        mean_score: (!scores.is_empty()).then(|| {
            let total: i64 = scores.iter().sum();
            (total as f64 / scores.len() as f64).round() / MICRO
        }),
        min_score: scores.iter().min().map(|&s| s as f64 / MICRO),
        quality: quality as f64 / MICRO,
        idle_mentors: loads
            .iter()
            .filter(|l| l.current_load.saturating_add(l.kept) < l.capacity && l.assigned == 0)
            .count(),
        max_load: loads
            .iter()
            .map(|l| {
                l.current_load
                    .saturating_add(l.kept)
                    .saturating_add(l.assigned)
            })
            .max()
            .unwrap_or(0),
        objective: policy.objective,
        fair_places: fair_places(policy, loads),
        cross_condition: matches.iter().filter(|m| m.cross_condition).count(),
    }
}

/// Σ over mentors of min(new recipients, `min_new_load`).
fn fair_places(policy: &crate::model::Policy, loads: &[MentorLoad]) -> u64 {
    let each = policy.min_new_load;
    loads.iter().map(|l| u64::from(l.assigned.min(each))).sum()
}

/// The pairs the solver's last round saw, recipient by recipient.
fn considered(inputs: &Inputs<'_>) -> Vec<Candidate> {
    let cohort = inputs.index.cohort();
    let mentors = cohort.mentors();
    let candidates = inputs.candidates;
    let mut out = Vec::with_capacity(inputs.outcome.info.considered_pairs);
    for (r, recipient) in cohort.recipients().iter().enumerate() {
        for i in candidates
            .range(r)
            .filter(|&i| inputs.outcome.considered[i])
        {
            out.push(Candidate {
                mentor: mentors[candidates.mentor[i] as usize].id.clone(),
                recipient: recipient.id.clone(),
                score: f64::from(candidates.real_score(i)) / MICRO,
            });
        }
    }
    out
}
