//! Progress of a long match run, for callers that want to show it.
//!
//! A national cohort takes seconds per stage; a coordinator's tool or a service's log
//! should be able to say how far it is. [`Matcher::progress`](crate::Matcher::progress)
//! takes a callback; the matcher calls it now and then (every chunk of recipients while
//! finding candidates, every few hundred rows while solving, every few hundred
//! recipients while writing the report). The callback never influences the result,
//! and it may be called from several threads at once while candidates are found.

use std::fmt;
use std::sync::Arc;

/// A stage of a match run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stage {
    /// Finding and scoring the eligible pairs; counts recipients.
    Candidates,
    /// Solving the assignment; counts the units added by shortest paths (recipients,
    /// or open places when places are scarcer than recipients) in a fresh solve, or
    /// pruned pairs added back in a repair round.
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
    /// Units done so far.
    pub done: usize,
    /// Units in the stage (in this round, for the solve).
    pub total: usize,
    /// The solver round (1 unless pruning added pairs back); 0 outside the solve.
    pub round: u32,
}

/// A progress callback shared between threads.
type Callback = Arc<dyn Fn(&Progress) + Send + Sync>;

/// A shareable progress callback, or none.
#[derive(Clone, Default)]
pub(crate) struct Reporter(Option<Callback>);

impl Reporter {
    pub(crate) fn new(f: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        Reporter(Some(Arc::new(f)))
    }

    pub(crate) fn report(&self, stage: Stage, done: usize, total: usize, round: u32) {
        if let Some(f) = &self.0 {
            f(&Progress {
                stage,
                done,
                total,
                round,
            });
        }
    }
}

impl fmt::Debug for Reporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Reporter(callback)"
        } else {
            "Reporter(none)"
        })
    }
}
