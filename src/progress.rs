//! Progress of a long match run, for callers that want to show it.
//!
//! A national cohort takes seconds per stage; a coordinator's tool or a service's log
//! should be able to say how far it is. [`Matcher::progress`](crate::Matcher::progress)
//! takes a callback; the matcher calls it now and then (every chunk of recipients while
//! finding candidates, every few hundred rows while solving, every few hundred
//! recipients while writing the report). The callback never influences the result.
//!
//! The counts it is given never fall within a stage, so they can drive a progress bar:
//! a stage that runs in parts (solver rounds, sub-solves with totals of their own,
//! chunks finishing on several threads) is shown as one count whose total grows as
//! parts are added. The callback is called from the matcher's threads, one call at a
//! time.
//!
//! A callback may also stop the run: answering [`ControlFlow::Break`] makes
//! [`Matcher::try_run`](crate::Matcher::try_run) return
//! [`Error::Cancelled`](crate::Error::Cancelled). The request takes effect at the
//! next checkpoint: the next chunk of candidates or of the report, or the end of the
//! solver round under way (one round is not interrupted).

use std::fmt;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Units of work between two progress reports.
pub(crate) const PROGRESS_EVERY: usize = 512;

/// A stage of a match run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stage {
    /// Finding and scoring the eligible pairs; counts recipients.
    Candidates,
    /// Solving the assignment; counts the units added by shortest paths (recipients,
    /// or open places when places are scarcer than recipients) in a fresh solve, and
    /// pruned pairs added back in a repair round, all rounds together.
    Solve,
    /// Writing the report; counts recipients.
    Report,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Candidates => "candidates",
            Stage::Solve => "solve",
            Stage::Report => "report",
        })
    }
}

/// Where a match run stands: `done` of `total` units of the stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// The stage.
    pub stage: Stage,
    /// Units done so far in the stage; never falls within a stage.
    pub done: usize,
    /// Units in the stage as far as known; never falls, and grows when the stage
    /// starts another part (a solver round, a sub-solve).
    pub total: usize,
    /// The solver round (1 unless pruning added pairs back); 0 outside the solve.
    pub round: u32,
}

/// What a progress callback answers: `()` to let the run go on, or a
/// [`ControlFlow`]: [`ControlFlow::Break`] asks the run to stop, and
/// [`Matcher::try_run`](crate::Matcher::try_run) then returns
/// [`Error::Cancelled`](crate::Error::Cancelled) at the next checkpoint.
///
/// Sealed: implemented for `()` and `ControlFlow<()>` only.
pub trait ProgressReply: sealed::Sealed {
    /// Whether this answer asks the run to stop.
    fn stops(&self) -> bool;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for () {}
    impl Sealed for std::ops::ControlFlow<()> {}
}

impl ProgressReply for () {
    fn stops(&self) -> bool {
        false
    }
}

impl ProgressReply for ControlFlow<()> {
    fn stops(&self) -> bool {
        self.is_break()
    }
}

/// A progress callback shared between threads; `true` asks the run to stop.
type Callback = Arc<dyn Fn(&Progress) -> bool + Send + Sync>;

/// What the callback was last told, so that what it is told never goes back.
#[derive(Default)]
struct Shown {
    /// The stage being counted.
    stage: Option<Stage>,
    /// Units of the stage's finished parts (earlier rounds, earlier sub-solves).
    before: usize,
    /// The current part's total and the most done in it so far, as the solver said.
    part_total: usize,
    part_done: usize,
}

/// A shareable progress callback, or none.
///
/// The stages report in parts: a solve round runs sub-solves with totals of their
/// own (recipients, then places), pruning adds rounds, and the candidate chunks finish
/// on several threads in any order. The reporter turns that into one count per stage
/// that never falls: within a part, `done` is the most reported yet; a part with
/// another total starts after the previous one (its total is added to `done` and to
/// the stage's `total`, which therefore only grows). The callback is called under a
/// lock, so it sees these counts in order.
#[derive(Clone, Default)]
pub(crate) struct Reporter {
    callback: Option<Callback>,
    shown: Arc<Mutex<Shown>>,
    cancelled: Arc<AtomicBool>,
    ignore_stop: bool,
}

impl Reporter {
    pub(crate) fn new<R: ProgressReply>(
        f: impl Fn(&Progress) -> R + Send + Sync + 'static,
    ) -> Self {
        Reporter {
            callback: Some(Arc::new(move |p: &Progress| f(p).stops())),
            ..Reporter::default()
        }
    }

    /// The same callback with fresh counts and no cancellation yet, for one run.
    pub(crate) fn for_run(&self) -> Self {
        Reporter {
            callback: self.callback.clone(),
            ..Reporter::default()
        }
    }

    pub(crate) fn report(&self, stage: Stage, done: usize, total: usize, round: u32) {
        let Some(f) = &self.callback else { return };
        // A callback that panicked while holding the lock leaves valid counts.
        let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        if shown.stage != Some(stage) {
            *shown = Shown {
                stage: Some(stage),
                part_total: total,
                ..Shown::default()
            };
        } else if total != shown.part_total {
            shown.before += shown.part_total.max(shown.part_done);
            shown.part_total = total;
            shown.part_done = 0;
        }
        shown.part_done = shown.part_done.max(done);
        let progress = Progress {
            stage,
            done: shown.before + shown.part_done,
            total: shown.before + shown.part_total.max(shown.part_done),
            round,
        };
        if f(&progress) && !self.ignore_stop {
            self.cancelled.store(true, Ordering::Relaxed);
        }
    }

    /// The same reporter, with the callback's requests to stop ignored.
    pub(crate) fn uncancellable(mut self) -> Self {
        self.ignore_stop = true;
        self
    }

    /// Whether the callback has asked the run to stop.
    pub(crate) fn cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

impl fmt::Debug for Reporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.callback.is_some() {
            "Reporter(callback)"
        } else {
            "Reporter(none)"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parts with their own totals, chunks out of order and new rounds: what the
    /// callback sees never falls, and `done` never passes `total`.
    #[test]
    fn counts_never_fall_within_a_stage() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let reporter = Reporter::new(move |p: &Progress| log.lock().unwrap().push(*p));
        let calls = [
            (Stage::Candidates, 200, 1000, 0),
            (Stage::Candidates, 100, 1000, 0),
            (Stage::Candidates, 1000, 1000, 0),
            (Stage::Solve, 0, 1000, 1),
            (Stage::Solve, 512, 957, 1),
            (Stage::Solve, 957, 957, 1),
            (Stage::Solve, 0, 40, 2),
            (Stage::Solve, 40, 40, 2),
            (Stage::Report, 3, 10, 0),
        ];
        for (stage, done, total, round) in calls {
            reporter.report(stage, done, total, round);
        }
        let seen = seen.lock().unwrap();
        let shown: Vec<(usize, usize)> = seen.iter().map(|p| (p.done, p.total)).collect();
        assert_eq!(
            shown,
            [
                (200, 1000),
                (200, 1000),
                (1000, 1000),
                (0, 1000),
                (1512, 1957),
                (1957, 1957),
                (1957, 1997),
                (1997, 1997),
                (3, 10),
            ]
        );
        for pair in seen.windows(2).filter(|w| w[0].stage == w[1].stage) {
            assert!(pair[1].done >= pair[0].done && pair[1].total >= pair[0].total);
        }
        assert!(seen.iter().all(|p| p.done <= p.total));
    }

    #[test]
    fn a_break_is_remembered() {
        let reporter = Reporter::new(|p: &Progress| {
            if p.done >= 5 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        reporter.report(Stage::Candidates, 1, 10, 0);
        assert!(!reporter.cancelled());
        reporter.report(Stage::Candidates, 6, 10, 0);
        assert!(reporter.cancelled());
        assert!(!reporter.for_run().cancelled());
    }
}
