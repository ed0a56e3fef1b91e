//! The matcher: from a validated cohort to an optimal, explained plan.
//!
//! Three steps: candidate generation finds every eligible pair and its score (see
//! [`EligiblePairs`](crate::EligiblePairs)); the solve turns the policy's lexicographic
//! objective into integer costs and solves the whole assignment exactly with the
//! shortest-path solver of [`assign`](crate::assign), pruning and certifying as asked;
//! then the report builder (`report::build`) decides every reason.
//!
//! How the objective becomes integer costs, the order recipients are added in, and how
//! pruning stays exact are described in the (private) `solve` module's design notes,
//! summed up in the README ("The objective").
//!
//! # Ties
//! Among plans with equal objective tuples the solver's deterministic choice stands:
//! recipients are added most valuable first (by their best pair under the objective,
//! ties in input order) and shortest-path ties go to the lower index.
//! Shuffling the input can therefore change *which* optimal plan is returned, never its
//! objective value.

use std::time::{Duration, Instant};

use crate::candidates;
use crate::error::{Error, Result};
use crate::model::Cohort;
use crate::progress::{Progress, ProgressReply, Reporter, Stage};
use crate::report::{self, MatchReport, Warning, WarningKind};
use crate::rounds;
use crate::rules::HardRule;
use crate::rules::interned::{Interned, Tables};
use crate::solve::{self, Pruning};

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
    names: bool,
    pruning: Pruning,
    threads: usize,
    progress: Reporter,
    recruitment: usize,
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

    /// Whether the report carries the people's display names (`name` in the cohort)
    /// beside their ids (default: no). Names are display data: no rule or score reads
    /// them, and a plan shared for review needs no more personal data than the ids, so
    /// they stay out unless asked for. Notes never enter a report.
    ///
    /// ```
    /// use peermatch::{Cohort, Matcher};
    ///
    /// let cohort = Cohort::from_json(r#"{
    ///   "mentors": [{"id": "m1", "name": "Mara", "capacity": 1, "languages": ["en"],
    ///                "conditions": ["copd"], "experiences": ["rehab"]}],
    ///   "recipients": [{"id": "r1", "name": "Ines", "notes": "prefers mornings",
    ///                   "languages": ["en"], "conditions": ["copd"], "experiences": ["rehab"]}]
    /// }"#)?;
    /// assert!(!Matcher::new().run(&cohort).to_json().contains("Mara"));
    /// let named = Matcher::new().names(true).run(&cohort);
    /// assert_eq!(named.matches[0].mentor_name.as_deref(), Some("Mara"));
    /// assert!(!named.to_json().contains("mornings"));
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    pub fn names(mut self, yes: bool) -> Self {
        self.names = yes;
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

    /// Adds up to `profiles` [recruitment gaps](crate::RecruitmentGap) to the report
    /// (`recruitment`): the mentors whose recruitment would serve the most people the
    /// plan leaves waiting, each counted by matching the cohort again with them (default
    /// 0: none, and no extra solves). See [`Matcher::recruitment`].
    pub fn advise_recruitment(mut self, profiles: usize) -> Self {
        self.recruitment = profiles;
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
    /// // The solve reported its end: every unit (recipient or open slot) added.
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
    /// of the recipients and the open slots (see
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

    /// The threads setting (0 = one per core), for the what-if questions' own passes.
    pub(crate) fn threads_setting(&self) -> usize {
        self.threads
    }

    /// One run; with `cancellable`, stopped at the next checkpoint once the progress
    /// callback asks to.
    pub(crate) fn execute(
        &self,
        cohort: &Cohort,
        cancellable: bool,
    ) -> Result<(MatchReport, MatchStats)> {
        let (report, stats, _) = self.execute_keeping(cohort, cancellable, Keeping::Nothing)?;
        Ok((report, stats))
    }

    /// [`Matcher::execute`], keeping what a warm re-solve needs, or starting from what
    /// an earlier run kept (see [`Plan`](crate::Plan)).
    pub(crate) fn execute_keeping(
        &self,
        cohort: &Cohort,
        cancellable: bool,
        keeping: Keeping<'_>,
    ) -> Result<(MatchReport, MatchStats, Option<Kept>)> {
        // Running pairs: keep what can be kept, match the rest around it.
        let decisions = rounds::decide(cohort);
        let (mut report, stats, kept) = if decisions.any() {
            let residual = rounds::residual(cohort, &decisions);
            let bonuses = rounds::bonuses(cohort, &decisions);
            let (report, stats, kept) =
                self.execute_plain(&residual, cancellable, &bonuses, keeping)?;
            let kept = kept.map(|k| Kept {
                residual: Some(residual),
                ..k
            });
            let report = rounds::merge(cohort, decisions, report, self.names);
            (report, stats, kept)
        } else {
            self.execute_plain(cohort, cancellable, &[], keeping)?
        };
        report.warnings.extend(shared_ids(cohort));
        crate::fallback::apply(
            &self.clone().advise_recruitment(0),
            cohort,
            &mut report,
            cancellable,
        )?;
        if self.recruitment > 0 {
            let plain = self.clone().advise_recruitment(0);
            report.recruitment =
                Some(plain.gaps(cohort, &report, self.recruitment, cancellable)?);
        }
        Ok((report, stats, kept))
    }

    /// Matches a cohort whose running pairs, if any, are all dealt with; each of
    /// `bonuses` (recipient, mentor, micro-units) weighs that pair more in the quality.
    fn execute_plain(
        &self,
        cohort: &Cohort,
        cancellable: bool,
        bonuses: &[(usize, usize, u32)],
        keeping: Keeping<'_>,
    ) -> Result<(MatchReport, MatchStats, Option<Kept>)> {
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
        // What the earlier run solved: its own cohort, or its residual.
        let earlier = match keeping {
            Keeping::From { kept, cohort } => {
                Some((kept, kept.residual.as_ref().unwrap_or(cohort)))
            }
            _ => None,
        };
        // After an edit that changed no tags, the earlier index serves.
        let index = earlier
            .and_then(|(kept, before)| Interned::reuse(cohort, before, kept.index.as_ref()?))
            .unwrap_or_else(|| Interned::new(cohort));
        // After an edit, the rows the edit did not touch are copied.
        let updated = earlier.and_then(|(kept, before)| {
            let before = Interned::with_tables(before, kept.index.as_ref()?);
            candidates::update(&index, &before, &kept.candidates, &kept.spare, self.threads)
        });
        let (mut candidates, mut unchanged_rows) = updated.unwrap_or_else(|| {
            (
                candidates::generate(&index, self.threads, &progress),
                Vec::new(),
            )
        });
        for &(r, m, bonus) in bonuses {
            if candidates.add_bonus(r, m, bonus)
                && let Some(unchanged) = unchanged_rows.get_mut(r)
            {
                *unchanged = false;
            }
        }
        stop(Stage::Candidates)?;
        let candidates_time = start.elapsed();
        let start = Instant::now();
        let settings = solve::Settings::new(self.pruning, self.threads);
        let previous = earlier.and_then(|(kept, before)| {
            kept.state.as_ref().map(|state| solve::Previous {
                cohort: before,
                candidates: &kept.candidates,
                considered: &kept.considered,
                unchanged_rows: &unchanged_rows,
                state,
            })
        });
        let reuse = match (&keeping, &previous) {
            (Keeping::Nothing, _) => solve::Reuse::Nothing,
            (_, Some(previous)) => solve::Reuse::From(previous),
            (_, None) => solve::Reuse::Keep,
        };
        let mut outcome = solve::solve(cohort, &candidates, &settings, &progress, reuse)?;
        stop(Stage::Solve)?;
        let solve_time = start.elapsed();
        let start = Instant::now();
        // The earlier plan's rule counts, when they can be updated: the same recipients,
        // as many mentors, the same policy.
        let earlier_index = earlier.and_then(|(kept, before)| {
            let comparable = before.same_recipients(cohort)
                && before.mentors().len() == cohort.mentors().len()
                && before.policy() == cohort.policy();
            let tables = kept.index.as_ref().filter(|_| comparable)?;
            Some((
                Interned::with_tables(before, tables),
                &kept.memo,
                candidates::changed_mentors(cohort, before),
            ))
        });
        let (report, memo) = report::build(&report::Inputs {
            index: &index,
            candidates: &candidates,
            outcome: &outcome,
            list_candidates: self.candidates,
            names: self.names,
            threads: self.threads,
            progress: &progress,
            earlier: earlier_index
                .as_ref()
                .map(|(index, memo, changed)| report::Earlier {
                    index,
                    memo,
                    changed,
                }),
            remember: !matches!(keeping, Keeping::Nothing),
        });
        stop(Stage::Report)?;
        let stats = MatchStats {
            candidate_pairs: candidates.mentor.len(),
            candidates: candidates_time,
            solve: solve_time,
            report: start.elapsed(),
        };
        let kept = match keeping {
            Keeping::Nothing => None,
            _ => Some(Kept {
                index: Some(index.into_tables()),
                memo,
                residual: None,
                state: outcome.state.take(),
                warm: outcome.warm,
                warm_rejected: outcome.warm_rejected,
                considered: std::mem::take(&mut outcome.considered),
                candidates,
                spare: Default::default(),
            }),
        };
        Ok((report, stats, kept))
    }
}

/// Whether a run keeps what a warm re-solve needs ([`Kept`]), or starts from it.
#[derive(Clone, Copy)]
pub(crate) enum Keeping<'a> {
    /// A plain run.
    Nothing,
    /// A cold run that keeps its state.
    Keep,
    /// A run that starts from `kept`, what an earlier run of `cohort` kept.
    From { kept: &'a Kept, cohort: &'a Cohort },
}

/// What one run keeps for a warm re-solve of an edited cohort.
#[derive(Clone)]
pub(crate) struct Kept {
    /// The cohort the solve saw, when it was not the cohort itself (kept pairs taken out).
    pub(crate) residual: Option<Cohort>,
    /// The index of the cohort the solve saw, for the next run to reuse.
    index: Option<Tables>,
    /// The report's rule counts, for the next report to update.
    memo: report::Memo,
    pub(crate) candidates: candidates::Candidates,
    /// Arrays of earlier candidates, for the next update to write into.
    pub(crate) spare: candidates::SpareSlot,
    considered: solve::Flags,
    /// `None` when the objective is solved cold each time (the bottleneck).
    state: Option<solve::State>,
    /// Whether this run started warm.
    pub(crate) warm: bool,
    /// Whether a warm round failed its check and was solved again (a bug).
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "the tests check the warm start held")
    )]
    pub(crate) warm_rejected: bool,
}

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
/// // One slot, two people: the more urgent one gets it.
/// assert_eq!(report.match_of("ben").unwrap().mentor.as_str(), "ana");
/// assert!(matches!(report.unmatched_reason("cy"), Some(Reason::MentorsFull { eligible_mentors: 1 })));
/// # Ok::<(), peermatch::Error>(())
/// ```
pub fn match_cohort(cohort: &Cohort) -> MatchReport {
    Matcher::new().run(cohort)
}

/// A warning for every id used by both a mentor and a recipient (one person on both
/// sides, never paired with themselves), in mentor order.
fn shared_ids(cohort: &Cohort) -> Vec<Warning> {
    cohort
        .mentors()
        .iter()
        .filter(|m| cohort.recipient(m.id.as_str()).is_some())
        .map(|m| Warning {
            kind: WarningKind::SharedId,
            mentor: m.id.clone(),
            recipient: m.id.as_str().into(),
            failed_rules: vec![HardRule::SelfPair],
        })
        .collect()
}
