//! The matcher: from a validated cohort to an optimal, explained plan.
//!
//! Three steps: candidate generation finds every eligible pair and its score (see
//! [`EligiblePairs`](crate::EligiblePairs)); the solve turns the policy's lexicographic
//! objective into integer costs and solves the whole assignment exactly with the
//! shortest-path solver of [`assign`](crate::assign), pruning and certifying as asked;
//! then this module writes the report.
//!
//! How the objective becomes integer costs, the order recipients are added in, and how
//! pruning stays exact are described in the (private) `solve` module's design notes,
//! summed up in the README ("The objective", "Pruning, certified").
//!
//! # Ties
//! Among plans with equal objective tuples the solver's deterministic choice stands:
//! recipients are added most valuable first (by their best pair under the objective,
//! ties in input order) and shortest-path ties go to the lower index.
//! Shuffling the input can therefore change *which* optimal plan is returned, never its
//! objective value.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::candidates::{self, Candidates};
use crate::error::{Error, Result};
use crate::model::Cohort;
use crate::model::MICRO;
use crate::model::Objective;
use crate::par;
use crate::progress::{Progress, ProgressReply, Reporter, Stage};
use crate::report::{Candidate, Match, MatchReport, MentorLoad, Reason, Summary, Unmatched};
use crate::rules::interned::{Interned, Scratch};
use crate::scoring;
use crate::solve::{self, Outcome, Pruning, slot_micro};

/// Matches cohorts, with options. [`match_cohort`] is `Matcher::new().run(cohort)`.
///
/// ```
/// use peermatch::{Cohort, Matcher};
///
/// let cohort = Cohort::from_json(r#"{
///   "mentors": [{"id": "m1", "capacity": 2, "languages": ["en"], "conditions": ["copd"],
///                "experiences": ["pulmonary rehab"]}],
///   "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["copd"],
///                   "experiences": ["pulmonary rehab"]}]
/// }"#)?;
/// let report = Matcher::new().candidates(true).run(&cohort);
/// assert_eq!(report.candidates.as_ref().map(Vec::len), Some(1));
/// # Ok::<(), peermatch::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    candidates: bool,
    pruning: Pruning,
    threads: usize,
    progress: Reporter,
}

impl Matcher {
    /// A matcher with default options.
    pub fn new() -> Self {
        Matcher::default()
    }

    /// Whether the report lists every eligible pair in `candidates` (default: no).
    pub fn candidates(mut self, yes: bool) -> Self {
        self.candidates = yes;
        self
    }

    /// How many pairs the solver sees first (default [`Pruning::Auto`]). Pruning never
    /// changes the optimum: the plan is certified against every pruned pair, and
    /// pairs that could improve it are added back (see [`SolveInfo`](crate::SolveInfo)).
    pub fn pruning(mut self, pruning: Pruning) -> Self {
        self.pruning = pruning;
        self
    }

    /// How many threads find and score the candidate pairs, gather each pruning round's
    /// network and check its pruned pairs, and count the rules that rule out recipients
    /// nobody is eligible for (default 0: one per core). The shortest-path solve itself
    /// is sequential. The report is the same at any number.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// Calls `report` now and then with where the run stands (see [`Progress`]); the
    /// demo uses it to show stages longer than a second on stderr. The result does not
    /// depend on it.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use std::sync::Arc;
    /// use peermatch::{Matcher, Stage};
    /// use peermatch::synth::{self, SynthOptions};
    ///
    /// let cohort = synth::generate(&SynthOptions { recipients: 600, mentors: 100, ..SynthOptions::default() })?;
    /// let (done, total) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    /// let (seen_done, seen_total) = (Arc::clone(&done), Arc::clone(&total));
    /// let report = Matcher::new()
    ///     .progress(move |p| if p.stage == Stage::Solve {
    ///         seen_done.fetch_max(p.done, Ordering::Relaxed);
    ///         seen_total.fetch_max(p.total, Ordering::Relaxed);
    ///     })
    ///     .run(&cohort);
    /// // The solve reported its end: every unit (recipient or open place) added.
    /// assert!(total.load(Ordering::Relaxed) > 0);
    /// assert_eq!(done.load(Ordering::Relaxed), total.load(Ordering::Relaxed));
    /// assert_eq!(report, Matcher::new().run(&cohort));
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    ///
    /// The callback may answer `()` or a [`ControlFlow`](std::ops::ControlFlow) (see
    /// [`ProgressReply`]); `Break` stops a
    /// [`Matcher::try_run`] with [`Error::Cancelled`].
    /// [`Matcher::run`] cannot be stopped and ignores the answer.
    pub fn progress<R: ProgressReply>(
        mut self,
        report: impl Fn(&Progress) -> R + Send + Sync + 'static,
    ) -> Self {
        self.progress = Reporter::new(report);
        self
    }

    /// Matches `cohort` optimally under its policy's objective and explains the result.
    ///
    /// # Complexity
    /// Candidate generation checks the pairs within each language (and condition)
    /// block; the solve is `O(U (E + V) log V)` for `E` eligible pairs and `U` the smaller
    /// of the recipients and the open places (see
    /// [`assign::solve`](crate::assign::solve)).
    pub fn run(&self, cohort: &Cohort) -> MatchReport {
        self.run_with_stats(cohort).0
    }

    /// Like [`Matcher::run`], but stops when the progress callback asks it to, and
    /// returns an error instead of a plan whose optimality could not be proven.
    ///
    /// # Errors
    /// [`Error::Cancelled`] when the [`progress`](Matcher::progress) callback answered
    /// `ControlFlow::Break`; the run stops at the next checkpoint (a chunk of
    /// candidates or of the report, or the end of a solver round).
    /// [`Error::Uncertified`] if the plan failed its certificate even after the
    /// solver's fallback (a bug; `run` would return it with `solve.certified` false).
    ///
    /// ```
    /// use std::ops::ControlFlow;
    /// use peermatch::{Error, Matcher, Stage};
    /// use peermatch::synth::{self, SynthOptions};
    ///
    /// let cohort = synth::generate(&SynthOptions { recipients: 3000, mentors: 500, ..SynthOptions::default() })?;
    /// let stop_when_solving = Matcher::new()
    ///     .progress(|p| if p.stage == Stage::Solve { ControlFlow::Break(()) } else { ControlFlow::Continue(()) });
    /// assert_eq!(stop_when_solving.try_run(&cohort), Err(Error::Cancelled { stage: Stage::Solve }));
    /// // Without a stop, the same plan as `run`.
    /// assert_eq!(Matcher::new().try_run(&cohort)?, Matcher::new().run(&cohort));
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    pub fn try_run(&self, cohort: &Cohort) -> Result<MatchReport> {
        let (report, _) = self.execute(cohort, true)?;
        if !report.solve.certified {
            return Err(Error::Uncertified {
                reason: "the plan's dual potentials failed the certificate".into(),
            });
        }
        Ok(report)
    }

    /// Like [`Matcher::run`], and also reports how long each stage took. The report is
    /// the same as `run`'s; only the timings vary between runs.
    ///
    /// ```
    /// use peermatch::Matcher;
    /// use peermatch::synth::{self, SynthOptions};
    ///
    /// let cohort = synth::generate(&SynthOptions { recipients: 100, mentors: 20, ..SynthOptions::default() })?;
    /// let (report, stats) = Matcher::new().run_with_stats(&cohort);
    /// assert_eq!(report, Matcher::new().run(&cohort));
    /// assert!(stats.candidate_pairs >= report.summary.matched);
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    pub fn run_with_stats(&self, cohort: &Cohort) -> (MatchReport, MatchStats) {
        self.execute(cohort, false)
            .expect("a run that cannot be cancelled always ends with a plan")
    }

    /// One run; with `cancellable`, stopped at the next checkpoint once the progress
    /// callback asks to.
    fn execute(&self, cohort: &Cohort, cancellable: bool) -> Result<(MatchReport, MatchStats)> {
        let progress = if cancellable {
            self.progress.for_run()
        } else {
            self.progress.for_run().uncancellable()
        };
        let stop = |stage| {
            if progress.cancelled() {
                Err(Error::Cancelled { stage })
            } else {
                Ok(())
            }
        };
        let start = Instant::now();
        let index = Interned::new(cohort);
        let candidates = candidates::generate(&index, self.threads, &progress);
        stop(Stage::Candidates)?;
        let candidates_time = start.elapsed();
        let start = Instant::now();
        let outcome = solve::solve(
            cohort,
            &candidates,
            self.pruning,
            false,
            self.threads,
            &progress,
        )?;
        stop(Stage::Solve)?;
        let solve_time = start.elapsed();
        let start = Instant::now();
        let report = report(
            &index,
            &candidates,
            &outcome,
            self.candidates,
            self.threads,
            &progress,
        );
        stop(Stage::Report)?;
        let stats = MatchStats {
            candidate_pairs: candidates.mentor.len(),
            candidates: candidates_time,
            solve: solve_time,
            report: start.elapsed(),
        };
        Ok((report, stats))
    }
}

/// Units of work between two progress reports.
pub(crate) const PROGRESS_EVERY: usize = 512;

/// How a [`Matcher::run_with_stats`] call spent its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct MatchStats {
    /// Number of eligible pairs found.
    pub candidate_pairs: usize,
    /// Time finding and scoring the eligible pairs.
    pub candidates: Duration,
    /// Time solving the assignment exactly.
    pub solve: Duration,
    /// Time writing the report (breakdowns, reasons, loads).
    pub report: Duration,
}

/// Matches `cohort` optimally and explains every decision.
///
/// Every recipient appears exactly once in the report, in `matches` or `unmatched`; no
/// pair breaks a hard rule; no mentor exceeds capacity.
///
/// ```
/// use peermatch::{Cohort, Reason, match_cohort};
///
/// let cohort = Cohort::from_json(r#"{
///   "mentors": [
///     {"id": "ana", "capacity": 1, "languages": ["en"], "conditions": ["type 1 diabetes"],
///      "experiences": ["insulin pump", "shift work"]}
///   ],
///   "recipients": [
///     {"id": "ben", "languages": ["en"], "conditions": ["type 1 diabetes"],
///      "experiences": ["insulin pump"], "urgency": 2},
///     {"id": "cy", "languages": ["en"], "conditions": ["type 1 diabetes"],
///      "experiences": ["shift work"]}
///   ]
/// }"#)?;
/// let report = match_cohort(&cohort);
/// // One place, two people: the more urgent one gets it.
/// assert_eq!(report.match_of("ben").unwrap().mentor.as_str(), "ana");
/// assert!(matches!(report.unmatched_reason("cy"), Some(Reason::MentorsFull { eligible_mentors: 1 })));
/// # Ok::<(), peermatch::Error>(())
/// ```
pub fn match_cohort(cohort: &Cohort) -> MatchReport {
    Matcher::new().run(cohort)
}

fn report(
    index: &Interned<'_>,
    candidates: &Candidates,
    outcome: &Outcome,
    list_candidates: bool,
    threads: usize,
    progress: &Reporter,
) -> MatchReport {
    let plan = &outcome.mentor_of;
    let cohort = index.cohort();
    let policy = cohort.policy();
    let mentors = cohort.mentors();
    let mut assigned = vec![0u32; mentors.len()];
    let mut matches = Vec::new();
    let mut scores: Vec<u32> = Vec::new();
    let mut matched_by_urgency = [0usize; 4];
    let mut quality_micro: i128 = 0;
    for (r, recipient) in cohort.recipients().iter().enumerate() {
        let Some(m) = plan[r] else { continue };
        let mentor = &mentors[m];
        let breakdown = scoring::breakdown(policy, mentor, recipient);
        let score = candidates
            .of(r)
            .find(|&(cm, _)| cm == m)
            .map(|(_, s)| s)
            .expect("the plan only uses candidate pairs");
        let slot = slot_micro(policy.load_penalty, mentor.current_load, assigned[m]);
        assigned[m] += 1;
        scores.push(score);
        matched_by_urgency[usize::from(recipient.urgency.min(3))] += 1;
        quality_micro += i128::from(score) - i128::from(slot);
        matches.push(Match {
            mentor: mentor.id.clone(),
            recipient: recipient.id.clone(),
            score: breakdown.score,
            slot_cost: slot as f64 / MICRO,
            urgency: recipient.urgency,
            parts: breakdown.parts,
        });
    }

    // Recipients nobody is eligible for: count, per rule, the mentors failing it.
    // Each visits every mentor, so they are spread over the threads, in order.
    let nobody: Vec<usize> = (0..plan.len())
        .filter(|&r| plan[r].is_none() && candidates.count(r) == 0)
        .collect();
    let done = AtomicUsize::new(0);
    let mut failed_rules = par::map_chunks(nobody.len(), PROGRESS_EVERY / 8, threads, |range| {
        let mut scratch = Scratch::default();
        let counts: Vec<_> = range
            .clone()
            .map(|k| candidates::failed_rule_counts(index, nobody[k], &mut scratch))
            .collect();
        let so_far = done.fetch_add(range.len(), Ordering::Relaxed) + range.len();
        progress.report(Stage::Report, so_far, nobody.len(), 0);
        counts
    })
    .into_iter()
    .flatten();
    let unmatched = cohort
        .recipients()
        .iter()
        .enumerate()
        .filter(|&(r, _)| plan[r].is_none())
        .map(|(r, recipient)| {
            let eligible = candidates.count(r) as u32;
            let reason = if eligible == 0 {
                Reason::NoEligibleMentor {
                    failed_rules: failed_rules
                        .next()
                        .expect("one count per recipient nobody is eligible for"),
                }
            } else if policy.objective == Objective::Quality
                && candidates
                    .of(r)
                    .any(|(m, _)| mentors[m].current_load + assigned[m] < mentors[m].capacity)
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
                reason,
            }
        })
        .collect::<Vec<_>>();

    let loads: Vec<MentorLoad> = mentors
        .iter()
        .zip(&assigned)
        .map(|(m, &a)| MentorLoad {
            mentor: m.id.clone(),
            current_load: m.current_load,
            assigned: a,
            capacity: m.capacity,
        })
        .collect();

    let matched = matches.len();
    let summary = Summary {
        recipients: plan.len(),
        matched,
        unmatched: unmatched.len(),
        matched_by_urgency,
        mean_score: (matched > 0).then(|| {
            let total: u64 = scores.iter().map(|&s| u64::from(s)).sum();
            (total as f64 / matched as f64).round() / MICRO
        }),
        min_score: scores.iter().min().map(|&s| f64::from(s) / MICRO),
        quality: quality_micro as f64 / MICRO,
        idle_mentors: loads
            .iter()
            .filter(|l| l.current_load < l.capacity && l.assigned == 0)
            .count(),
        max_load: loads
            .iter()
            .map(|l| l.current_load + l.assigned)
            .max()
            .unwrap_or(0),
        objective: policy.objective,
    };

    let candidates = list_candidates.then(|| {
        let mut out = Vec::with_capacity(outcome.info.considered_pairs);
        for (r, recipient) in cohort.recipients().iter().enumerate() {
            for i in candidates.range(r).filter(|&i| outcome.considered[i]) {
                out.push(Candidate {
                    mentor: mentors[candidates.mentor[i] as usize].id.clone(),
                    recipient: recipient.id.clone(),
                    score: f64::from(candidates.score[i]) / MICRO,
                });
            }
        }
        out
    });

    MatchReport {
        matches,
        unmatched,
        mentors: loads,
        summary,
        solve: outcome.info,
        candidates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Mentor, Policy, Recipient};

    fn person_tags(seed: u64, pool: &[&str]) -> Vec<String> {
        pool.iter()
            .enumerate()
            .filter(|(i, _)| (seed >> i) & 1 == 1)
            .map(|(_, t)| t.to_string())
            .collect()
    }

    #[test]
    fn packed_and_lexicographic_encodings_agree() {
        let mut state = 12345u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        let pool = ["walking", "chess", "carer", "rural", "parent"];
        for round in 0..200 {
            let mentors: Vec<Mentor> = (0..next(4) + 1)
                .map(|i| {
                    let capacity = next(3) as u32 + 1;
                    Mentor {
                        id: format!("m{i}").into(),
                        languages: vec!["en".into()],
                        conditions: vec!["copd".into()],
                        experiences: person_tags(next(32), &pool),
                        interests: person_tags(next(32), &pool),
                        capacity,
                        current_load: next(u64::from(capacity)) as u32,
                        ..Mentor::default()
                    }
                })
                .collect();
            let recipients: Vec<Recipient> = (0..next(6))
                .map(|i| Recipient {
                    id: format!("r{i}").into(),
                    languages: vec!["en".into()],
                    conditions: vec!["copd".into()],
                    experiences: person_tags(next(32), &pool),
                    urgency: next(4) as u8,
                    ..Recipient::default()
                })
                .collect();
            let policy = Policy {
                load_penalty: next(5) as f64 / 10.0,
                objective: if round % 2 == 0 {
                    Objective::Participation
                } else {
                    Objective::Quality
                },
                ..Policy::default()
            };
            let cohort = Cohort::new(mentors, recipients, policy).unwrap();
            let index = Interned::new(&cohort);
            let candidates = candidates::generate(&index, 1, &Reporter::default());
            let packed = report(
                &index,
                &candidates,
                &solve::solve(
                    &cohort,
                    &candidates,
                    Pruning::Off,
                    false,
                    1,
                    &Reporter::default(),
                )
                .unwrap(),
                false,
                1,
                &Reporter::default(),
            );
            let lex = report(
                &index,
                &candidates,
                &solve::solve(
                    &cohort,
                    &candidates,
                    Pruning::Off,
                    true,
                    2,
                    &Reporter::default(),
                )
                .unwrap(),
                false,
                1,
                &Reporter::default(),
            );
            let objective = cohort.policy().objective;
            assert_eq!(
                packed.objective_value().key(objective),
                lex.objective_value().key(objective),
                "round {round}"
            );
            // Both encodings again with pruning: certified, same optimum.
            for force_lex in [false, true] {
                let outcome = solve::solve(
                    &cohort,
                    &candidates,
                    Pruning::TopK(1),
                    force_lex,
                    2,
                    &Reporter::default(),
                )
                .unwrap();
                assert!(outcome.info.certified, "round {round}");
                let pruned = report(
                    &index,
                    &candidates,
                    &outcome,
                    false,
                    2,
                    &Reporter::default(),
                );
                assert_eq!(
                    pruned.objective_value().key(objective),
                    packed.objective_value().key(objective),
                    "round {round}, lexicographic {force_lex}"
                );
            }
        }
    }

    #[test]
    fn slot_costs_are_rounded_products() {
        assert_eq!(slot_micro(0.05, 0, 0), 0);
        assert_eq!(slot_micro(0.05, 2, 1), 150_000);
        assert_eq!(
            slot_micro(1.0, u32::MAX, 0),
            i64::from(u32::MAX) * 1_000_000
        );
    }
}
