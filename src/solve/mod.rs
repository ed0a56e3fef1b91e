//! The cohort solve: the objective as integer costs, the orientation of the network,
//! and pruning that keeps the optimum exact.
//!
//! # Encoding the objective
//! Everything is in micro-units (10⁻⁶ of a score point). A pair contributes its score, a
//! mentor's `k`-th new slot costs `round(load_penalty × (current_load + k − 1) × 10⁶)`
//! (computed in `f64`, exact here because every value stays below 2⁵³), and the plan's
//! quality is Σ score − Σ slot cost. The objective tuple — (matched, urgency 3, 2, 1,
//! fairness, quality) or (quality, matched, urgency 3, 2, 1, fairness) — is packed into one `i128` with
//! radices proven large enough by the cohort's own bounds (each packing exceeds the widest
//! possible swing of everything below it), computed with checked arithmetic. When the
//! packing would not fit (only with loads near `u32::MAX` on very large cohorts), the
//! solver runs instead on a pair of `i128`s compared lexicographically, which
//! [`MAX_PEOPLE`](crate::MAX_PEOPLE) keeps in range. Either way the optimum is exact.
//!
//! The fairness tier (`min_new_load`) weighs each mentor's first places: their slot
//! costs are lowered by the tier's weight, so they still rise with `k` (the solver
//! needs that) and a plan's tier value is the number of such places it fills. Its
//! radix is R + 1, as a plan fills at most one place per recipient; without the tier
//! it is 1 and the packing is as before.
//!
//! # The bottleneck
//! [`Objective::Bottleneck`] is not a sum, so it is not packed: the number reached
//! (matched and by urgency) only falls as a score threshold rises, so a binary search
//! over the distinct scores at or above the participation optimum's worst pair finds
//! the highest threshold that still reaches as many, each step a participation solve
//! over the pairs above it; the plan is that solve's. Its worst pair scores exactly
//! the threshold, or a higher one would reach as many.
//!
//! # Orientation
//! [`assign`]'s successive shortest paths adds one unit of supply at a time, each by a
//! shortest augmenting path. Which units, and in which order, decides the speed (never
//! the optimum):
//! - **Slots plentiful** (at least one open slot per recipient): recipients are added
//!   one by one, most valuable first (by their best pair under the objective), so that
//!   later, less valuable recipients mostly meet slots held by people they cannot
//!   displace, and their searches end sooner.
//! - **Slots scarce**, the usual state of a programme: a recipient who cannot be placed
//!   searches every alternating path before settling for staying unassigned, so the
//!   slots are added instead, each open slot a unit that takes a recipient or stays
//!   empty (`assign`'s slots' side): free recipients are plentiful, so each search is
//!   short. With the quality objective that is the whole solve.
//! - **Slots scarce, participation first**: urgency tiers weigh more than any quality
//!   difference, and a slot would search far for a free urgent recipient. So the slots
//!   are first filled from their side with the recipients of urgency 0 only; then the
//!   urgent recipients are added one by one, most urgent first, from that warm flow and
//!   its duals (`assign::insert_rows`), each displacing whoever is cheapest to displace.
//!   Adding supply in stages like this is still successive shortest paths, so the result
//!   is exact, and faster than adding recipients alone or slots alone.
//!
//! - **Urgent recipients outnumber the slots** (participation first): then the last
//!   urgent recipients added that way reach the few urgency-0 holders left only
//!   through long alternating paths. So the tiers are split at the lowest
//!   urgency whose recipients, with those above, fit the slots, and
//!   `assign::solve_split` adds those first from the recipients' side with every
//!   slot open, closes the slots left empty, adds everybody else against the
//!   resulting prices (nobody can displace them at a profit, so those searches end at
//!   once), and adds the closed slots back from their side, where free recipients of
//!   urgency 1 are plentiful. With pruning, round 1 also leaves out the recipients no
//!   optimal plan can match ([`matchable`]), so the slots' side does not scan their
//!   pairs.
//!
//! # Pruning, certified
//! A recipient with hundreds of eligible mentors will not be given their 200th best. With
//! [`Pruning::TopK`] (and by default for large cohorts) the solver first sees only each
//! recipient's best `k` pairs. The solution's dual potentials then certify it against
//! every pruned pair: a pruned arc is harmless when its reduced cost
//! `cost + π(recipient side) − π(mentor side)` is non-negative, because then the duals are
//! feasible for the whole network and no improving cycle exists. Each recipient is first
//! tested with one lower bound — the cost of their best pruned pair plus the most
//! favourable potential among the mentors of their pruned pairs (a mentor with no pairs
//! in the pruned network, or with slots to spare, takes the lowest potential its
//! unused slots allow) — and only when that bound is negative are their pruned pairs
//! checked one by one, each pair's cost derived from the recipient's score-0 cost as
//! the network's arcs are.
//! Pairs that fail are added back and the plan is repaired from where it stood, not
//! solved again: `assign::resolve` cancels the improving cycle through each added pair
//! (or shifts the potentials so the pair is harmless), touching only the region within
//! that pair's reduced cost. When many pairs come back, those searches together can
//! cost more than a fresh solve (each may cover its whole component), so the repair
//! gets the last fresh solve's work — nodes settled, a deterministic count — as its
//! budget, and the round is solved afresh when the budget runs out. With the tiers
//! split and many recipients changed (more than 512, at most a quarter as many as
//! there are slots), the round instead takes them out of the flow with their slots
//! closed and adds them back by the split's last stages (`assign::reinsert_rows`),
//! several times faster than afresh. Rounds repeat until the certificate holds (after
//! [`Pruning::MAX_ROUNDS`] rounds every pair is added back, which certifies trivially).
//! A pruned pair that could raise the number matched always fails the check, because
//! the count dominates its cost. Finally the plan and its duals are checked by the
//! independent [`assign::verify`]; the report says whether all of this held.

use std::cell::Cell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

mod flags;
mod matchable;
mod warm;

pub(crate) use flags::Flags;
use warm::{Bounds, Storable};
pub(crate) use warm::{Previous, State};

use crate::assign::{self, Cost, Lexicographic, Solution};
use crate::candidates::Candidates;
use crate::error::{Error, Result};
use crate::model::Cohort;
use crate::model::MICRO;
use crate::model::Objective;
use crate::par;
use crate::progress::{Reporter, Stage};
use serde::{Deserialize, Serialize};

/// How many candidate pairs the solver sees.
///
/// ```
/// use peermatch::{Matcher, Pruning};
/// use peermatch::synth::{self, SynthOptions};
///
/// let cohort = synth::generate(&SynthOptions { recipients: 300, mentors: 60, ..SynthOptions::default() })?;
/// let full = Matcher::new().pruning(Pruning::Off).run(&cohort);
/// let pruned = Matcher::new().pruning(Pruning::TopK(2)).run(&cohort);
/// // Same optimum, proven by the dual certificate.
/// assert!(pruned.solve.certified);
/// let objective = cohort.policy().objective;
/// assert_eq!(pruned.objective_value().key(objective), full.objective_value().key(objective));
/// # Ok::<(), peermatch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Pruning {
    /// [`Pruning::TopK`] with `k =` [`Pruning::AUTO_TOP_K`] when the cohort has more than
    /// [`Pruning::AUTO_PAIRS`] eligible pairs, otherwise [`Pruning::Off`].
    #[default]
    Auto,
    /// The solver sees every eligible pair.
    Off,
    /// The solver first sees each recipient's best `k` pairs (by score; ties to the
    /// mentor earlier in the input); the dual certificate adds back any pruned pair
    /// that could improve the plan.
    TopK(u32),
}

/// With pruning, each mentor also keeps its best `MENTOR_FACTOR × min(room, k)`
/// recipients.
const MENTOR_FACTOR: usize = 2;

/// Recipients per chunk of the parallel check of the pruned pairs.
const FAILING_CHUNK: usize = 1024;

/// Solver rows per chunk when the network of a round is gathered in parallel.
const NETWORK_CHUNK: usize = 1024;

/// The urgency-0 recipients "barely outnumber" the slots when they are at most
/// `BALANCED_NUM / BALANCED_DEN` of them (see [`Rounds::split_tier`]): the crossover
/// measured on the synthetic cohorts.
const BALANCED_NUM: u64 = 11;
const BALANCED_DEN: u64 = 10;

/// Recipients who gained pairs in a round, above which a split solve re-adds them
/// by its last stages instead of repairing pair by pair (see [`Rounds::reinsert`]).
const REINSERT_MIN: u64 = 512;

/// The counting searches that find who can be matched at all ([`matchable`]) may scan
/// this many times round 1's pairs before they are given up.
const BASIS_BUDGET: u64 = 64;

impl Pruning {
    /// Eligible pairs above which [`Pruning::Auto`] prunes.
    ///
    /// ```
    /// assert_eq!(peermatch::Pruning::AUTO_PAIRS, 100_000);
    /// ```
    pub const AUTO_PAIRS: usize = 100_000;

    /// The `k` of [`Pruning::Auto`].
    ///
    /// ```
    /// assert_eq!(peermatch::Pruning::AUTO_TOP_K, 24);
    /// ```
    pub const AUTO_TOP_K: u32 = 24;

    /// Rounds of adding back pruned pairs before every pair is added back at once,
    /// which certifies trivially.
    ///
    /// ```
    /// assert_eq!(peermatch::Pruning::MAX_ROUNDS, 8);
    /// ```
    pub const MAX_ROUNDS: u32 = 8;

    /// The `k` this setting prunes to for a cohort with `eligible_pairs` pairs.
    fn top_k(self, eligible_pairs: usize) -> Option<u32> {
        match self {
            Pruning::Off => None,
            Pruning::TopK(k) => Some(k),
            Pruning::Auto => (eligible_pairs > Self::AUTO_PAIRS).then_some(Self::AUTO_TOP_K),
        }
    }
}

/// A candidate in a mentor's min-heap of best recipients: (value, earlier index first).
type Ranked = Reverse<(u64, Reverse<usize>)>;

/// The fallback cost when one `i128` cannot hold the packed objective.
type Lex = Lexicographic<i128>;

/// A mentor's slot cost in micro-units for its `k`-th new recipient (from 0).
pub(crate) fn slot_micro(load_penalty: f64, current_load: u32, k: u32) -> i64 {
    let before = f64::from(current_load) + f64::from(k);
    (load_penalty * before * MICRO).round() as i64
}

/// The objective's pieces for one pair or slot, before packing.
struct Terms {
    /// 1 for a pair (it adds one to `matched`), 0 for a slot.
    count: i128,
    /// The urgency tier's weight among (urgency 3, 2, 1) for a pair, 0 for a slot.
    tier: i128,
    /// 1 for a slot among its mentor's first `min_new_load` (the fairness tier), else 0.
    fair: i128,
    /// Quality in micro-units: the score for a pair, minus the slot cost for a slot.
    quality: i128,
}

/// The packing radices for a cohort of `rows` recipients whose worst slot costs
/// `max_slot` micro-units and whose best pair scores `max_score` (a full score, plus a
/// running pair's switching cost).
struct Packing {
    /// Tier weights for urgency 1, 2, 3 (urgency 0 has none).
    tier: [i128; 4],
    /// Weight of one more match, above every tier combination.
    count: i128,
    /// The counts' weight over the fairness tier: above any plan's fairness total
    /// (at most one place per recipient), or 1 without the tier.
    fair: i128,
    /// Quality's packing when quality is most significant.
    quality_over_counts: i128,
    /// Counts' packing when counts are most significant (= the widest quality swing + 1).
    counts_over_quality: i128,
}

impl Packing {
    fn new(rows: usize, max_slot: i64, max_score: u32, fairness: bool) -> Option<Packing> {
        let n = rows as i128;
        let base = n.checked_add(1)?;
        // Tiers: u1 weighs 1, u2 weighs (R + 1), u3 weighs (R + 1)²; one match weighs
        // (R + 1)³, more than every urgency combination of R matches.
        let t2 = base;
        let t3 = base.checked_mul(base)?;
        let count = t3.checked_mul(base)?;
        // A plan fills at most R fairness places.
        let fair = if fairness { base } else { 1 };
        // Counts of a whole plan stay below (R + 1)⁴ × `fair`.
        let quality_over_counts = count.checked_mul(base)?.checked_mul(fair)?;
        // Quality of a whole plan lies within ±R × (10⁶ + max slot).
        let per_pair = i128::from(max_score).checked_add(i128::from(max_slot))?;
        let counts_over_quality = n.checked_mul(per_pair)?.checked_mul(2)?.checked_add(1)?;
        Some(Packing {
            tier: [0, 1, t2, t3],
            count,
            fair,
            quality_over_counts,
            counts_over_quality,
        })
    }

    /// The counts and the fairness tier below them, packed.
    fn counts(&self, w: &Terms) -> Option<i128> {
        w.count
            .checked_mul(self.count)?
            .checked_add(w.tier)?
            .checked_mul(self.fair)?
            .checked_add(w.fair)
    }

    /// One `i128` to minimise: the negated packed objective.
    fn pack(&self, objective: Objective, w: &Terms) -> Option<i128> {
        let counts = self.counts(w)?;
        let packed = match objective {
            Objective::Participation | Objective::Bottleneck => counts
                .checked_mul(self.counts_over_quality)?
                .checked_add(w.quality)?,
            Objective::Quality => w
                .quality
                .checked_mul(self.quality_over_counts)?
                .checked_add(counts)?,
        };
        packed.checked_neg()
    }

    /// The lexicographic pair to minimise.
    fn lex(&self, objective: Objective, w: &Terms) -> Option<Lex> {
        let counts = self.counts(w)?;
        Some(match objective {
            Objective::Participation | Objective::Bottleneck => Lex {
                major: counts.checked_neg()?,
                minor: w.quality.checked_neg()?,
            },
            Objective::Quality => Lex {
                major: w.quality.checked_neg()?,
                minor: counts.checked_neg()?,
            },
        })
    }
}

/// How the plan was solved, and whether its optimality was proven.
///
/// Without pruning the solver sees every eligible pair in one round. With
/// [`Pruning`] it first sees each recipient's best `top_k`, and each
/// further round adds back the pruned pairs the dual certificate rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SolveInfo {
    /// Pairs that pass every hard rule.
    pub eligible_pairs: usize,
    /// Pairs the solver saw in its last round.
    pub considered_pairs: usize,
    /// The `k` pruning started from, `null` without pruning.
    pub top_k: Option<u32>,
    /// Rounds of solving: 1, plus one per round of adding back pruned pairs.
    pub rounds: u32,
    /// Under [`Objective::Bottleneck`], the solves of the search for the worst pair's
    /// score, each certified like the plan's own (absent from the JSON otherwise).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub threshold_solves: u32,
    /// Whether the plan was proven optimal over every eligible pair at run time: its
    /// dual potentials passed the independent [`verify`](crate::assign::verify) on the
    /// network solved and left no pruned pair with a negative reduced cost.
    pub certified: bool,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The solved plan and how it was obtained.
pub(crate) struct Outcome {
    /// For each recipient, the mentor index or `None`.
    pub(crate) mentor_of: Vec<Option<usize>>,
    /// Which candidate pairs (by index into [`Candidates`]) the last round considered.
    pub(crate) considered: Flags,
    /// For the report.
    pub(crate) info: SolveInfo,
    /// Warm rounds that re-added their changed recipients instead of repairing.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "the tests check which path ran")
    )]
    pub(crate) reinserted: u32,
    /// What a warm re-solve starts from, when the caller asked to keep it.
    pub(crate) state: Option<State>,
    /// Whether the first round started warm from a previous solve.
    pub(crate) warm: bool,
    /// Whether a warm round's answer failed its check and the round was solved again
    /// from the recipients' side (a bug; the tests assert it never happens).
    pub(crate) warm_rejected: bool,
}

/// Whether a solve keeps its state for a warm re-solve, or starts from one.
#[derive(Clone, Copy)]
pub(crate) enum Reuse<'a> {
    /// A plain solve: nothing kept.
    Nothing,
    /// A cold solve that keeps its state.
    Keep,
    /// A solve that starts warm from this previous one where it can, and keeps its
    /// state.
    From(&'a Previous<'a>),
}

/// How a cohort solve runs: settings that change its speed, never its optimum.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    /// Which pairs the first round sees.
    pub(crate) pruning: Pruning,
    /// Solve on pairs of `i128` compared lexicographically even when the objective
    /// packs into one `i128` (the tests compare the two encodings).
    pub(crate) lexicographic: bool,
    /// Threads for gathering networks and checking pruned pairs (0 = one per core).
    pub(crate) threads: usize,
    /// Warm rounds of a split solve always re-add their changed recipients
    /// ([`Rounds::reinsert`]), whatever their number: lets a cohort small enough for
    /// a unit test reach that path.
    pub(crate) always_reinsert: bool,
}

impl Settings {
    /// The matcher's settings: `pruning` on `threads` threads.
    pub(crate) fn new(pruning: Pruning, threads: usize) -> Settings {
        Settings {
            pruning,
            lexicographic: false,
            threads,
            always_reinsert: false,
        }
    }
}

/// Solves the cohort exactly over `candidates`, pruning as asked; with `reuse`,
/// keeping the solver's state for a warm re-solve or starting from one ([`warm`]).
/// The bottleneck objective is always solved cold and keeps nothing (its threshold
/// search solves several subsets).
///
/// # Errors
/// [`Error::Cancelled`] when the progress callback asked to stop (checked before each
/// round).
pub(crate) fn solve(
    cohort: &Cohort,
    candidates: &Candidates,
    settings: &Settings,
    progress: &Reporter,
    reuse: Reuse<'_>,
) -> Result<Outcome> {
    match cohort.policy().objective {
        Objective::Bottleneck => bottleneck(cohort, candidates, settings, progress),
        objective => solve_as(cohort, candidates, objective, settings, progress, reuse),
    }
}

/// The number matched and the numbers at urgency 3, 2, 1: what participation reaches.
fn reach(cohort: &Cohort, mentor_of: &[Option<usize>]) -> [usize; 4] {
    let mut out = [0; 4];
    for (r, m) in mentor_of.iter().enumerate() {
        if m.is_some() {
            out[0] += 1;
            let u = cohort.recipients()[r].urgency.min(3);
            if u > 0 {
                out[4 - usize::from(u)] += 1;
            }
        }
    }
    out
}

/// The last threshold solve of [`bottleneck`], for the next to start from.
struct Last<'c> {
    candidates: std::borrow::Cow<'c, Candidates>,
    considered: Flags,
    state: Option<State>,
}

/// [`Objective::Bottleneck`]: the participation optimum over the pairs scoring at least
/// the highest threshold that still reaches as many people, at every urgency, as all
/// the pairs do. Reach only falls as the threshold rises, so a binary search over the
/// distinct scores finds it; at that threshold the plan's worst pair scores exactly it
/// (a higher worst pair would make a higher threshold reach as far).
fn bottleneck(
    cohort: &Cohort,
    candidates: &Candidates,
    settings: &Settings,
    progress: &Reporter,
) -> Result<Outcome> {
    // Each threshold's solve starts warm from the last one ([`warm`]): the pairs above
    // a threshold are the last subset's, fewer or more.
    let participation = |c: &Candidates, last: &Last<'_>| {
        let previous = last.state.as_ref().map(|state| Previous {
            cohort,
            candidates: &last.candidates,
            considered: &last.considered,
            unchanged_rows: &[],
            state,
        });
        let reuse = previous.as_ref().map_or(Reuse::Keep, Reuse::From);
        solve_as(
            cohort,
            c,
            Objective::Participation,
            settings,
            progress,
            reuse,
        )
    };
    let mut full = participation(
        candidates,
        &Last {
            candidates: std::borrow::Cow::Borrowed(candidates),
            considered: Flags::default(),
            state: None,
        },
    )?;
    let mut last = Last {
        candidates: std::borrow::Cow::Borrowed(candidates),
        considered: full.considered.clone(),
        state: full.state.take(),
    };
    let target = reach(cohort, &full.mentor_of);
    let worst = (0..candidates.len())
        .filter(|&i| {
            full.mentor_of[candidates.recipient_of(i)] == Some(candidates.mentor[i] as usize)
        })
        .map(|i| candidates.real_score(i))
        .min();
    let Some(worst) = worst else {
        return Ok(Outcome {
            info: SolveInfo {
                threshold_solves: 1,
                ..full.info
            },
            ..full
        });
    };
    let mut scores: Vec<u32> = (0..candidates.len())
        .map(|i| candidates.real_score(i))
        .filter(|&s| s >= worst)
        .collect();
    scores.sort_unstable();
    scores.dedup();
    // `scores[lo]` reaches the target (the full optimum's worst pair does); `hi` does not.
    let (mut lo, mut hi) = (0, scores.len());
    let mut best: Option<(Outcome, Vec<usize>)> = None;
    let mut solves = 1;
    let mut certified = full.info.certified;
    // Threshold solves that started warm, and whether one of them failed its check.
    let (mut warm_probes, mut warm_rejected) = (0u32, false);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let (subset, index) = candidates.filtered(|i| candidates.real_score(i) >= scores[mid]);
        let mut outcome = participation(&subset, &last)?;
        warm_probes += u32::from(outcome.warm);
        warm_rejected |= outcome.warm_rejected;
        last = Last {
            considered: outcome.considered.clone(),
            state: outcome.state.take(),
            candidates: std::borrow::Cow::Owned(subset),
        };
        solves += 1;
        certified &= outcome.info.certified;
        if reach(cohort, &outcome.mentor_of) == target {
            lo = mid;
            best = Some((outcome, index));
        } else {
            hi = mid;
        }
    }
    let Some((outcome, index)) = best else {
        // The full optimum's worst pair is already the highest reachable threshold, and
        // that optimum is the best plan over the pairs above it.
        // Pairs below that worst pair were never needed: the plan is the optimum
        // without them, as it would have been over a threshold's subset.
        let mut considered = full.considered;
        for i in 0..candidates.len() {
            if candidates.real_score(i) < worst {
                considered.set(i, false);
            }
        }
        let considered_pairs = considered.count();
        return Ok(Outcome {
            considered,
            info: SolveInfo {
                threshold_solves: solves,
                certified,
                considered_pairs,
                ..full.info
            },
            warm: warm_probes > 0,
            warm_rejected,
            ..full
        });
    };
    let mut considered = Flags::new(candidates.len());
    for (j, &i) in index.iter().enumerate() {
        considered.set(i, outcome.considered[j]);
    }
    let info = SolveInfo {
        eligible_pairs: candidates.len(),
        threshold_solves: solves,
        certified,
        ..outcome.info
    };
    Ok(Outcome {
        considered,
        info,
        warm: warm_probes > 0,
        warm_rejected,
        ..outcome
    })
}

/// Solves the cohort exactly over `candidates` under `objective` (participation or
/// quality; the fairness tier as the policy asks).
fn solve_as(
    cohort: &Cohort,
    candidates: &Candidates,
    objective: Objective,
    settings: &Settings,
    progress: &Reporter,
    reuse: Reuse<'_>,
) -> Result<Outcome> {
    let cancelled = || Error::Cancelled {
        stage: Stage::Solve,
    };
    let rows = cohort.recipients().len();
    let policy = cohort.policy();
    let room: Vec<u32> = cohort
        .mentors()
        .iter()
        .map(|m| policy.new_places(m).min(rows.min(u32::MAX as usize) as u32))
        .collect();
    let slot =
        |m: usize, k: u32| slot_micro(policy.load_penalty, cohort.mentors()[m].current_load, k);
    let max_slot = room
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .map(|(m, &n)| slot(m, n - 1))
        .max()
        .unwrap_or(0);
    // Scores stay within a full score plus a switching cost of at most one more.
    let fair_places = policy.min_new_load;
    let exact = Bounds {
        rows,
        max_slot,
        max_score: candidates.max_score(),
    };
    // A plan that will be re-solved packs with room to grow, so that its costs stay
    // comparable across edits (see [`warm`]).
    let (bounds, previous) = match reuse {
        Reuse::Nothing => (exact, None),
        Reuse::Keep => (Bounds::above(exact), None),
        Reuse::From(previous) => {
            let old = previous.cohort.policy();
            let comparable = previous.state.bounds.cover(&exact)
                && previous.state.objective == objective
                && old.load_penalty.to_bits() == policy.load_penalty.to_bits()
                && old.min_new_load == policy.min_new_load;
            if comparable {
                (previous.state.bounds, Some(previous))
            } else {
                (Bounds::above(exact), None)
            }
        }
    };
    let keep = !matches!(reuse, Reuse::Nothing);
    let packing = Packing::new(
        bounds.rows,
        bounds.max_slot,
        bounds.max_score,
        fair_places > 0,
    )
    .expect("MAX_PEOPLE keeps the radices in i128");
    // Read once: a pair's cost is asked for row by row, and the records are large.
    let urgency: Vec<u8> = cohort.recipients().iter().map(|r| r.urgency).collect();
    let pair = |r: usize, score: u32| Terms {
        count: 1,
        tier: packing.tier[usize::from(urgency[r].min(3))],
        fair: 0,
        quality: i128::from(score),
    };
    // A mentor's first places weigh in the fairness tier: its slot costs still rise.
    let slot_terms = |m: usize, k: u32| Terms {
        count: 0,
        tier: 0,
        fair: i128::from(k < fair_places),
        quality: -i128::from(slot(m, k)),
    };
    let network = || {
        let mut rounds = Rounds::new(
            candidates,
            &room,
            urgency.clone(),
            objective,
            *settings,
            progress,
        );
        rounds.keep = keep.then_some(bounds);
        rounds.previous = previous.map(|p| (cohort, p));
        rounds
    };

    if !settings.lexicographic {
        // A pair's packed cost is its score-0 cost minus the score times quality's
        // packing (1 when counts come first).
        let slope = match objective {
            Objective::Participation | Objective::Bottleneck => 1,
            Objective::Quality => packing.quality_over_counts,
        };
        let packed = network().run(
            |r, s| packing.pack(objective, &pair(r, s)),
            |m, k| packing.pack(objective, &slot_terms(m, k)),
            move |base: i128, s: u32| base - i128::from(s) * slope,
        );
        if let Some(outcome) = packed {
            return Ok(outcome);
        }
        if progress.cancelled() {
            return Err(cancelled());
        }
    }
    let outcome = network().run(
        |r, s| packing.lex(objective, &pair(r, s)),
        |m, k| packing.lex(objective, &slot_terms(m, k)),
        |base: Lex, s: u32| match objective {
            Objective::Participation | Objective::Bottleneck => Lex {
                major: base.major,
                minor: base.minor - i128::from(s),
            },
            Objective::Quality => Lex {
                major: base.major - i128::from(s),
                minor: base.minor,
            },
        },
    );
    match outcome {
        Some(outcome) => Ok(outcome),
        None if progress.cancelled() => Err(cancelled()),
        None => panic!("MAX_PEOPLE keeps every lexicographic weight and sum in i128"),
    }
}

/// The candidate graph, the order its recipients are added in, and the pruning.
struct Rounds<'a> {
    candidates: &'a Candidates,
    room: &'a [u32],
    top_k: Option<u32>,
    /// Recipients in the order they are added to the solver.
    order: Vec<u32>,
    /// Per recipient, the urgency.
    urgency: Vec<u8>,
    objective: Objective,
    settings: Settings,
    progress: &'a Reporter,
    /// Nodes the last cold solve settled: a warm round may spend as much, no more.
    work: Cell<u64>,
    /// Warm rounds that re-added their changed recipients ([`Rounds::reinsert`]).
    reinserted: Cell<u32>,
    /// When the tiers are split ([`Rounds::split_tier`]): the lowest urgency added
    /// first (see the module docs, "Orientation").
    split: Option<u8>,
    /// Open slots in all (the sum of `room`).
    places: u64,
    /// Keep the solver's state, packed with these bounds, for a warm re-solve.
    keep: Option<Bounds>,
    /// The cohort being solved and the previous solve to start from.
    previous: Option<(&'a Cohort, &'a Previous<'a>)>,
    /// Whether a warm round's answer failed its check ([`Outcome::warm_rejected`]).
    warm_rejected: Cell<bool>,
}

/// The considered pairs as the solver's network: rows are recipients in insertion
/// order, columns mentors. An arc stores its mentor and score (8 bytes) and its cost
/// is computed from the row's recipient and the score when the solver reads it:
/// storing `i128` costs instead made the shortest-path searches, which stream through
/// the arcs of every row they settle, wait on memory.
struct PairNetwork<'n, C, P, A> {
    room: &'n [u32],
    /// Solver row → recipient.
    recipient: &'n [u32],
    /// Per solver row, the cost of a pair of score 0.
    base: Vec<C>,
    /// Arcs are stored in recipient order, so that building the network reads the
    /// candidates front to back: `start[r]..start[r + 1]` are recipient `r`'s.
    start: Vec<usize>,
    arc_mentor: Vec<u32>,
    arc_score: Vec<u32>,
    /// The checked cost of a pair (recipient, score), for debug assertions.
    pair: &'n P,
    /// A pair's cost from its row's base and its score, unchecked: the base and the
    /// extreme scores were checked, and the cost is affine in the score.
    apply: &'n A,
}

impl<'n, C: Cost + Send, P, A> PairNetwork<'n, C, P, A>
where
    P: Fn(usize, u32) -> Option<C> + Sync,
    A: Fn(C, u32) -> C,
{
    /// The network of the `considered` pairs of the recipients `take` accepts, or
    /// `None` when some pair's cost would not fit `C`. Costs are affine in the score,
    /// so checking each recipient's costs at scores 0 and 10⁶ checks every arc.
    /// Recipients are gathered in chunks on the matcher's threads and put back in
    /// order.
    fn new(
        network: &'n Rounds<'_>,
        considered: &Flags,
        take: &(impl Fn(usize) -> bool + Sync),
        pair: &'n P,
        apply: &'n A,
    ) -> Option<Self> {
        let cands = network.candidates;
        let order = &network.order;
        let max_score = cands.max_score();
        let parts = par::map_chunks(
            cands.rows(),
            NETWORK_CHUNK,
            network.settings.threads,
            |recipients| {
                let mut base = Vec::with_capacity(recipients.len());
                let mut ends = Vec::with_capacity(recipients.len());
                let (mut mentor, mut score) = (Vec::new(), Vec::new());
                for r in recipients {
                    base.push(pair(r, 0)?);
                    pair(r, max_score)?;
                    let take = if take(r) { cands.range(r) } else { 0..0 };
                    for i in considered.ones(take) {
                        mentor.push(cands.mentor[i]);
                        score.push(cands.score[i]);
                    }
                    ends.push(mentor.len());
                }
                Some((base, ends, mentor, score))
            },
        );
        let mut start = Vec::with_capacity(cands.rows() + 1);
        let mut base = Vec::with_capacity(cands.rows());
        let (mut arc_mentor, mut arc_score) = (Vec::new(), Vec::new());
        start.push(0);
        for part in parts {
            let (b, ends, mentor, score) = part?;
            let offset = arc_mentor.len();
            base.extend(b);
            start.extend(ends.into_iter().map(|e| offset + e));
            arc_mentor.extend(mentor);
            arc_score.extend(score);
        }
        Some(PairNetwork {
            room: network.room,
            recipient: order,
            base: order.iter().map(|&r| base[r as usize]).collect(),
            start,
            arc_mentor,
            arc_score,
            pair,
            apply,
        })
    }
}

impl<C: Cost, P, A> assign::Network<C> for PairNetwork<'_, C, P, A>
where
    P: Fn(usize, u32) -> Option<C>,
    A: Fn(C, u32) -> C,
{
    fn rows(&self) -> usize {
        self.recipient.len()
    }
    fn cols(&self) -> usize {
        self.room.len()
    }
    fn arcs_len(&self) -> usize {
        self.arc_mentor.len()
    }
    fn capacity(&self, col: usize) -> u32 {
        self.room[col]
    }
    fn unassigned_cost(&self, _row: usize) -> Option<C> {
        Some(C::ZERO)
    }
    #[inline]
    fn arc_range(&self, row: usize) -> std::ops::Range<usize> {
        let r = self.recipient[row] as usize;
        self.start[r]..self.start[r + 1]
    }
    #[inline]
    fn arc_col(&self, arc: usize) -> usize {
        self.arc_mentor[arc] as usize
    }
    #[inline]
    fn arc_cost(&self, row: usize, arc: usize) -> C {
        let cost = (self.apply)(self.base[row], self.arc_score[arc]);
        debug_assert_eq!(
            Some(cost),
            (self.pair)(self.recipient[row] as usize, self.arc_score[arc])
        );
        cost
    }
}

/// What one round's duals say about a pruned pair `(r, m)` of cost `c`: its reduced
/// cost is `c + mentor[m] + recipient[r]`.
struct Reduced<C> {
    /// Per mentor, minus its potential (the lowest its free slots allow when it was
    /// given nobody); `None` when it can take nobody.
    mentor: Vec<Option<C>>,
    /// Per recipient.
    recipient: Vec<C>,
}

/// Mentors ranked by their reduced-cost term, most favourable first, so that a row's
/// most favourable mentor is a minimum of small integers; mentors that can take nobody
/// rank last (they are harmless).
struct MentorRank<C> {
    /// (term, mentor), ascending.
    ranked: Vec<(C, u32)>,
    /// Per mentor, its place in `ranked` (`u32::MAX`: can take nobody).
    rank: Vec<u32>,
}

impl<C: Cost> MentorRank<C> {
    fn new(reduced: &Reduced<C>) -> MentorRank<C> {
        let mut ranked: Vec<(C, u32)> = (reduced.mentor.iter().enumerate())
            .filter_map(|(m, v)| Some(((*v)?, m as u32)))
            .collect();
        ranked.sort_unstable();
        let mut rank = vec![u32::MAX; reduced.mentor.len()];
        for (k, &(_, m)) in ranked.iter().enumerate() {
            rank[m as usize] = k as u32;
        }
        MentorRank { ranked, rank }
    }
}

/// The previous plan's certified reduced-cost terms, for the certificate of a solve
/// warm from it.
///
/// When the previous plan was returned, every pair of its cohort had a reduced cost
/// of at least zero: the pruned ones by its certificate, the considered ones by the
/// solver's. A recipient that keeps its place in the warm start keeps its urgency and
/// its pairs' scores (or loses pairs), and its pairs pruned now were pruned then
/// ([`warm::map`] copies the old flags, and rounds only add pairs); the cost packing
/// is the same ([`warm`]). A pair's reduced cost is its cost plus the two terms, so
/// while neither term fell it is at least what it was, at least zero. So such a
/// recipient's pairs need checking only with the mentors whose term fell; every other
/// recipient is checked in full.
struct Baseline<C> {
    /// Per recipient, its term then, or `None` when its pairs must all be checked
    /// (new, changed, or added back).
    recipient: Vec<Option<C>>,
    /// Per mentor, its term then.
    mentor: Vec<C>,
}

/// Past this many mentors whose terms fell, the certificate checks every recipient in
/// full: the searches for their pairs would cost more than the scan.
const FALLEN_MENTORS_MAX: usize = 64;

impl<C: Cost> Baseline<C> {
    /// The terms of a warm start's rows that kept their place; `None` if a term
    /// cannot be represented.
    fn of(mapped: &warm::Mapped<C>, order: &[u32]) -> Option<Baseline<C>> {
        let duals = &mapped.solution.duals;
        let mut recipient = vec![None; order.len()];
        for (row, &r) in order.iter().enumerate() {
            if !mapped.late[row] {
                recipient[r as usize] = Some(duals.row[row]);
            }
        }
        let mentor = (duals.col.iter())
            .map(|&p| C::ZERO.checked_sub(p))
            .collect::<Option<Vec<C>>>()?;
        Some(Baseline { recipient, mentor })
    }

    /// The mentors, in index order, whose term is lower now than in the baseline;
    /// `None` when there are too many to search for.
    fn fallen_mentors(&self, reduced: &Reduced<C>) -> Option<Vec<u32>> {
        let mut fallen = Vec::new();
        for (m, (now, &then)) in reduced.mentor.iter().zip(&self.mentor).enumerate() {
            if now.is_some_and(|now| now < then) {
                if fallen.len() == FALLEN_MENTORS_MAX {
                    return None;
                }
                fallen.push(m as u32);
            }
        }
        Some(fallen)
    }
}

/// Whether pair `i` of recipient `r` has a reduced cost that can be computed and
/// is not negative.
fn pair_holds<C: Cost>(
    cands: &Candidates,
    r: usize,
    i: usize,
    reduced: &Reduced<C>,
    pair: &impl Fn(usize, u32) -> Option<C>,
    apply: &impl Fn(C, u32) -> C,
) -> bool {
    let Some(mentor) = reduced.mentor[cands.mentor[i] as usize] else {
        return true;
    };
    let Some(base) = pair(r, 0).filter(|_| pair(r, cands.max_score()).is_some()) else {
        return false;
    };
    let rc = apply(base, cands.score[i])
        .checked_add(mentor)
        .and_then(|c| c.checked_add(reduced.recipient[r]));
    rc.is_some_and(|rc| rc >= C::ZERO)
}

/// Recipient `r`'s failing pruned pairs, pushed in candidate order.
#[allow(clippy::too_many_arguments)]
fn failing_in_row<C: Cost>(
    cands: &Candidates,
    r: usize,
    considered: &Flags,
    reduced: &Reduced<C>,
    rank: &MentorRank<C>,
    pair: &impl Fn(usize, u32) -> Option<C>,
    apply: &impl Fn(C, u32) -> C,
    failing: &mut Vec<usize>,
) {
    let max_score = cands.max_score();
    let (ranked, rank) = (&rank.ranked, &rank.rank);
    let range = cands.range(r);
    // The best pruned score and the most favourable mentor among the pruned
    // pairs', 64 pairs to a word of flags and without branches: this reads every
    // eligible pair of the row.
    let (mentors, scores) = (&cands.mentor[range.clone()], &cands.score[range.clone()]);
    let (mut best, mut favourable) = (0, u32::MAX);
    let blocks = mentors.chunks(64).zip(scores.chunks(64));
    for (b, (ms, ss)) in blocks.enumerate() {
        let kept = considered.word_at(range.start + b * 64);
        for (j, (&m, &s)) in ms.iter().zip(ss).enumerate() {
            let pruned = kept >> j & 1 == 0;
            best = best.max(if pruned { s } else { 0 });
            favourable = favourable.min(if pruned { rank[m as usize] } else { u32::MAX });
        }
    }
    // No pruned pair, or none with a mentor who can take anybody.
    if favourable == u32::MAX {
        return;
    }
    let favourable = ranked[favourable as usize].0;
    let bound = pair(r, best)
        .and_then(|c| c.checked_add(favourable))
        .and_then(|c| c.checked_add(reduced.recipient[r]));
    if bound.is_some_and(|b| b >= C::ZERO) {
        return;
    }
    // Each pair's cost from the row's score-0 cost, as the network's arcs are built
    // ([`PairNetwork`]).
    let Some(base) = pair(r, 0).filter(|_| pair(r, max_score).is_some()) else {
        failing.extend(range.filter(|&i| !considered[i]));
        return;
    };
    for i in range.filter(|&i| !considered[i]) {
        let Some(mentor) = reduced.mentor[cands.mentor[i] as usize] else {
            continue;
        };
        let rc = apply(base, cands.score[i])
            .checked_add(mentor)
            .and_then(|c| c.checked_add(reduced.recipient[r]));
        if rc.is_none_or(|rc| rc < C::ZERO) {
            failing.push(i);
        }
    }
}

/// A round's warm start: the previous solution and, per solver row, whether it
/// gained arcs since (a pruning round) or is added back (`edited`: the first round
/// after a plan was edited, see [`warm`]).
struct WarmRound<'s, C> {
    previous: &'s Solution<C>,
    changed: &'s [bool],
    /// After an edit: the rows that kept their place but gained pairs.
    edited: Option<&'s [bool]>,
}

/// After an edit, up to this many rows added back are repaired locally
/// (`assign::reinsert_rows_locally`); more go by the split solve's last stages, whose
/// whole-network passes then cost less than that many searches.
const LOCAL_LATE_MAX: usize = 64;

/// One round's result: the plan, the terms of the pruned pairs' reduced costs, and
/// whether the round's certificate held.
struct Round<C> {
    /// For each recipient, the mentor index or `None`.
    mentor_of: Vec<Option<usize>>,
    reduced: Reduced<C>,
    /// Whether [`assign::verify`] accepted the solution over the considered pairs.
    verified: bool,
    /// The solver's solution, the next round's warm start.
    solution: Solution<C>,
}

impl<'a> Rounds<'a> {
    fn new(
        candidates: &'a Candidates,
        room: &'a [u32],
        urgency: Vec<u8>,
        objective: Objective,
        settings: Settings,
        progress: &'a Reporter,
    ) -> Self {
        let mut network = Rounds {
            candidates,
            room,
            top_k: settings.pruning.top_k(candidates.len()),
            order: Vec::new(),
            urgency,
            objective,
            settings,
            progress,
            work: Cell::new(0),
            reinserted: Cell::new(0),
            split: None,
            places: room.iter().map(|&n| u64::from(n)).sum(),
            keep: None,
            previous: None,
            warm_rejected: Cell::new(false),
        };
        network.split = network.split_tier();
        // Recipients are added most valuable first: by their best pair's slot in the
        // objective, recipients with no pair last, ties in input order (the index).
        // Later, less valuable recipients then mostly meet slots held by people they
        // cannot displace, and their searches end sooner. The order changes which of
        // several optimal plans is found, never the optimum.
        // One integer per recipient: the value complemented (highest first, no pair
        // last), then the index.
        let mut keyed: Vec<u128> = (0..candidates.rows())
            .map(|r| {
                let key = candidates
                    .best(r)
                    .map_or(u64::MAX, |s| u64::MAX - 1 - network.value(r, s));
                u128::from(key) << 64 | r as u128
            })
            .collect();
        keyed.sort_unstable();
        network.order = keyed.into_iter().map(|k| k as u32).collect();
        network
    }

    /// The tier the recipients are split at (see the module docs, "Orientation"): the
    /// lowest urgency whose recipients, with those above, fit the slots. Only under
    /// the participation objective with slots scarce, counting recipients with an
    /// eligible mentor, and only when the urgent ones outnumber the slots or the
    /// urgency-0 ones barely do; `None` otherwise, or when even the most urgent do not
    /// fit. A choice of speed only: every split gives the same optimum.
    fn split_tier(&self) -> Option<u8> {
        if self.objective != Objective::Participation {
            return None;
        }
        let places = self.places;
        let mut by_tier = [0u64; 4];
        for r in (0..self.candidates.rows()).filter(|&r| self.candidates.count(r) > 0) {
            by_tier[usize::from(self.urgency[r].min(3))] += 1;
        }
        let (non_urgent, urgent) = (by_tier[0], by_tier[1..].iter().sum::<u64>());
        // Urgent recipients would run out of urgency-0 holders to displace; or the
        // urgency-0 recipients barely outnumber the slots, so filling the slots with
        // them first has the same tail from the other side.
        let crowded = urgent >= places;
        let balanced = urgent > 0
            && non_urgent >= places
            && non_urgent * BALANCED_DEN <= places * BALANCED_NUM;
        if !(crowded || balanced) {
            return None;
        }
        (1..=3u8).find(|&h| by_tier[usize::from(h)..].iter().sum::<u64>() <= places)
    }

    /// Whether a warm round re-adds the recipients who gained pairs (`changed`, per
    /// solver row) by the split solve's last stages (`assign::reinsert_rows`) rather
    /// than repairing pair by pair (`assign::resolve`): with the tiers split, when more
    /// than [`REINSERT_MIN`] recipients changed but at most a quarter as many as there
    /// are slots. Repairing pair by pair cost more than a fresh solve there (the
    /// cycle searches run through the same crowded region), while re-adding a few
    /// thousand recipients costs a fraction of one; with more of them a fresh solve is
    /// cheaper again, and with a few hundred the repair converges in fewer rounds.
    fn reinsert(&self, changed: &[bool]) -> bool {
        if self.split.is_none() {
            return false;
        }
        let places = self.places;
        let count = changed.iter().filter(|&&c| c).count() as u64;
        self.settings.always_reinsert || (count > REINSERT_MIN && count * 4 <= places)
    }

    /// Leaves out of `keep` (round 1's pairs) every pair of the recipients that no
    /// optimal plan of those pairs can match ([`matchable`]): on national cohorts nearly
    /// every recipient of urgency 0, since the urgent ones fill every slot they can
    /// reach. Their pairs are then pruned pairs like any other, checked
    /// by the certificate. Skipped when the counting searches run past their budget.
    fn leave_out_unmatchable(&self, keep: &mut Flags) {
        let cands = self.candidates;
        let mut start = Vec::with_capacity(cands.rows() + 1);
        let mut mentor = Vec::new();
        start.push(0);
        for r in 0..cands.rows() {
            mentor.extend(cands.range(r).filter(|&i| keep[i]).map(|i| cands.mentor[i]));
            start.push(mentor.len());
        }
        let budget = BASIS_BUDGET.saturating_mul(mentor.len() as u64 + 1);
        let Some(level) = matchable::levels(
            cands.rows(),
            |r| &mentor[start[r]..start[r + 1]],
            self.room,
            |r| self.urgency[r].min(3),
            budget,
        ) else {
            return;
        };
        for r in 0..cands.rows() {
            let least = mentor[start[r]..start[r + 1]]
                .iter()
                .map(|&m| level[m as usize])
                .min();
            if least.is_some_and(|l| l > matchable::level_of_tier(self.urgency[r].min(3))) {
                keep.fill(cands.range(r), false);
            }
        }
    }

    /// A pair's slot in the objective, from its recipient and score, for ranking:
    /// urgency then score (participation), or score then urgency (quality).
    fn value(&self, r: usize, score: u32) -> u64 {
        let u = u64::from(self.urgency[r].min(3));
        match self.objective {
            Objective::Participation | Objective::Bottleneck => (u << 32) | u64::from(score),
            Objective::Quality => (u64::from(score) << 2) | u,
        }
    }

    /// The first round's considered pairs: everything, or each recipient's best `k`
    /// together with each mentor's best `MENTOR_FACTOR × min(room, k)` recipients by
    /// the objective (urgency and score) — the ones most likely to displace whoever
    /// holds its slots, which keeps the rounds few.
    fn first_round(&self) -> Flags {
        let cands = self.candidates;
        let Some(k) = self.top_k else {
            return Flags::all(cands.len());
        };
        let k = k as usize;
        let mut keep = Flags::new(cands.len());
        let mut order: Vec<usize> = Vec::new();
        // Per mentor, a min-heap of its best recipients so far.
        let mut best: Vec<BinaryHeap<Ranked>> = vec![BinaryHeap::new(); self.room.len()];
        let limit = |m: usize| (self.room[m] as usize).min(k) * MENTOR_FACTOR;
        for r in 0..cands.rows() {
            let range = cands.range(r);
            for i in range.clone() {
                let m = cands.mentor[i] as usize;
                let heap = &mut best[m];
                let entry = Reverse((self.value(r, cands.score[i]), Reverse(i)));
                // A full heap takes only what beats its least entry (its top): one
                // comparison for most pairs instead of a push and a pop.
                if heap.len() < limit(m) {
                    heap.push(entry);
                } else if heap.peek().is_some_and(|least| entry < *least) {
                    heap.pop();
                    heap.push(entry);
                }
            }
            if range.len() <= k {
                keep.fill(range, true);
                continue;
            }
            order.clear();
            order.extend(range);
            let better = |&a: &usize, &b: &usize| {
                cands.score[b]
                    .cmp(&cands.score[a])
                    .then(cands.mentor[a].cmp(&cands.mentor[b]))
            };
            if k > 0 {
                order.select_nth_unstable_by(k - 1, better);
            }
            for &i in &order[..k] {
                keep.set(i, true);
            }
        }
        for heap in best {
            for Reverse((_, Reverse(i))) in heap {
                keep.set(i, true);
            }
        }
        if self.split.is_some() {
            self.leave_out_unmatchable(&mut keep);
        }
        keep
    }

    /// Solves, certifies against the pruned pairs, and adds back until certified.
    fn run<C: Storable + Send + Sync>(
        self,
        pair: impl Fn(usize, u32) -> Option<C> + Sync,
        slot: impl Fn(usize, u32) -> Option<C>,
        apply: impl Fn(C, u32) -> C + Sync,
    ) -> Option<Outcome> {
        // Every slot cost the solver can ask for is checked up front.
        for (m, &n) in self.room.iter().enumerate() {
            if n > 0 {
                slot(m, 0)?;
                slot(m, n - 1)?;
            }
        }
        let slot = |m: usize, k: u32| slot(m, k).expect("checked above");
        let mapped = self.previous.and_then(|(cohort, previous)| {
            let current = warm::Current {
                cohort,
                candidates: self.candidates,
                order: &self.order,
                urgency: &self.urgency,
                room: self.room,
                top_k: self.top_k,
            };
            warm::map::<C>(&current, previous).map(|m| (m, previous.state.work))
        });
        let started_warm = mapped.is_some();
        // The last round's solution and, per solver row, whether it gained arcs since
        // (or, from a previous solve, whether it is added back).
        let mut baseline = None;
        let (mut considered, mut warm, gained) = match mapped {
            Some((mapped, work)) => {
                self.work.set(work);
                baseline = Baseline::of(&mapped, &self.order);
                let warm = Some((mapped.solution, mapped.late));
                (mapped.considered, warm, mapped.gained)
            }
            None => (self.first_round(), None, Vec::new()),
        };
        let mut rounds = 0;
        let mut row_of = vec![0usize; self.order.len()];
        for (i, &r) in self.order.iter().enumerate() {
            row_of[r as usize] = i;
        }
        loop {
            if self.progress.cancelled() {
                return None;
            }
            rounds += 1;
            let Round {
                mentor_of,
                reduced,
                verified,
                solution,
            } = self.solve_round(
                &considered,
                &pair,
                &slot,
                &apply,
                warm.as_ref().map(|(s, c)| WarmRound {
                    previous: s,
                    changed: c,
                    // From a previous solve, late rows are taken out and added back.
                    edited: (started_warm && rounds == 1).then_some(gained.as_slice()),
                }),
                rounds,
            )?;
            let failing =
                self.failing_pruned_pairs(&considered, &reduced, baseline.as_ref(), &pair, &apply);
            if failing.is_empty() {
                let info = SolveInfo {
                    eligible_pairs: self.candidates.len(),
                    considered_pairs: considered.count(),
                    top_k: self.top_k,
                    rounds,
                    threshold_solves: 0,
                    certified: verified,
                };
                let state = self.keep.map(|bounds| State {
                    bounds,
                    objective: self.objective,
                    order: self.order.clone(),
                    solution: C::store(solution),
                    work: self.work.get(),
                });
                return Some(Outcome {
                    mentor_of,
                    considered,
                    info,
                    reinserted: self.reinserted.get(),
                    state,
                    warm: started_warm,
                    warm_rejected: self.warm_rejected.get(),
                });
            }
            let mut changed = vec![false; self.order.len()];
            if rounds >= Pruning::MAX_ROUNDS {
                for r in 0..self.candidates.rows() {
                    if self.candidates.range(r).any(|i| !considered[i]) {
                        changed[row_of[r]] = true;
                    }
                }
                considered = Flags::all(self.candidates.len());
            } else {
                for i in failing {
                    considered.set(i, true);
                    changed[row_of[self.candidates.recipient_of(i)]] = true;
                }
            }
            warm = Some((solution, changed));
        }
    }

    /// The pruned pairs whose reduced cost is negative (or cannot be computed), in
    /// candidate order. Recipients are checked in chunks on the matcher's threads (the
    /// scan visits every pruned pair), put back in order. With a `baseline` (the
    /// previous plan's certified terms, after an edit), a recipient whose pruned pairs
    /// were all certified then and whose term has not fallen is checked only against the
    /// mentors whose terms fell ([`Baseline`]).
    fn failing_pruned_pairs<C: Cost + Send + Sync>(
        &self,
        considered: &Flags,
        reduced: &Reduced<C>,
        baseline: Option<&Baseline<C>>,
        pair: &(impl Fn(usize, u32) -> Option<C> + Sync),
        apply: &(impl Fn(C, u32) -> C + Sync),
    ) -> Vec<usize> {
        let fallen = baseline.and_then(|b| b.fallen_mentors(reduced));
        let since = baseline.zip(fallen.as_deref());
        let failing = self.failing(considered, reduced, since, pair, apply);
        #[cfg(debug_assertions)]
        if since.is_some() {
            debug_assert_eq!(
                failing,
                self.failing(considered, reduced, None, pair, apply),
                "the certificate from a baseline disagrees with the full one"
            );
        }
        failing
    }

    /// [`failing_pruned_pairs`](Self::failing_pruned_pairs), every recipient checked in
    /// full but, `since` a baseline, those whose baseline term is at most their current
    /// one: they are checked against the baseline's fallen mentors only (by binary
    /// search: rows are in mentor order).
    fn failing<C: Cost + Send + Sync>(
        &self,
        considered: &Flags,
        reduced: &Reduced<C>,
        since: Option<(&Baseline<C>, &[u32])>,
        pair: &(impl Fn(usize, u32) -> Option<C> + Sync),
        apply: &(impl Fn(C, u32) -> C + Sync),
    ) -> Vec<usize> {
        let cands = self.candidates;
        let rank = MentorRank::new(reduced);
        let parts = par::map_chunks(cands.rows(), FAILING_CHUNK, self.settings.threads, |rows| {
            let mut failing = Vec::new();
            for r in rows {
                let held =
                    |b: &Baseline<C>| b.recipient[r].is_some_and(|old| reduced.recipient[r] >= old);
                let Some((_, fallen)) = since.filter(|&(b, _)| held(b)) else {
                    failing_in_row(
                        cands,
                        r,
                        considered,
                        reduced,
                        &rank,
                        pair,
                        apply,
                        &mut failing,
                    );
                    continue;
                };
                let range = cands.range(r);
                let mentors = &cands.mentor[range.clone()];
                for &m in fallen {
                    let Ok(at) = mentors.binary_search(&m) else {
                        continue;
                    };
                    let i = range.start + at;
                    if !considered[i] && !pair_holds(cands, r, i, reduced, pair, apply) {
                        failing.push(i);
                    }
                }
            }
            failing
        });
        parts.concat()
    }

    /// A fresh solve of `problem` (the `considered` pairs), from the side that suits
    /// the cohort (see the module docs, "Orientation"); returns the solution and the
    /// work done (nodes settled).
    fn cold_solve<C: Cost + Send + Sync>(
        &self,
        problem: &PairNetwork<'_, C, impl Fn(usize, u32) -> Option<C> + Sync, impl Fn(C, u32) -> C>,
        considered: &Flags,
        pair: &(impl Fn(usize, u32) -> Option<C> + Sync),
        slot: &impl Fn(usize, u32) -> C,
        apply: &impl Fn(C, u32) -> C,
        tick: &dyn Fn(usize, usize),
    ) -> Option<(Solution<C>, u64)> {
        let rows = self.order.len();
        let places = self.places;
        if places >= rows as u64 {
            return assign::solve_oriented(problem, slot, tick, assign::Orientation::Rows).ok();
        }
        let urgent = |row: usize| self.urgency[self.order[row] as usize] > 0;
        if self.objective == Objective::Quality || !(0..rows).any(urgent) {
            return assign::solve_oriented(problem, slot, tick, assign::Orientation::Auto).ok();
        }
        if let Some(split) = self.split {
            // Urgent recipients outnumber the slots: the top tiers that fit first, from
            // the recipients' side, then everybody else and the rest of the slots from
            // the slots' side (`assign::solve_split`).
            let tier = |row: usize| self.urgency[self.order[row] as usize].min(3);
            let first: Vec<bool> = (0..rows).map(|row| tier(row) >= split).collect();
            if let Some(done) = assign::solve_split(problem, slot, &first, tick).ok()? {
                return Some(done);
            }
        }
        // Urgency first: the slots are filled from their side with the recipients of
        // urgency 0 only, then the urgent recipients are added one by one, most urgent
        // first, each displacing whoever is cheapest to displace.
        let urgency = &self.urgency;
        let non_urgent = |r: usize| urgency[r] == 0;
        let network = PairNetwork::new(self, considered, &non_urgent, pair, apply)?;
        let (first, work) =
            assign::solve_oriented(&network, slot, tick, assign::Orientation::Auto).ok()?;
        drop(network);
        let late: Vec<bool> = (0..rows).map(urgent).collect();
        let (solution, more) = assign::insert_rows(problem, slot, &first, &late, tick).ok()?;
        Some((solution, work + more))
    }

    /// A mentor given nobody takes the lowest potential its first free slot allows, so
    /// that pruned pairs to it are judged by the most favourable price it can have.
    fn lower_idle<C: Cost>(
        &self,
        solution: &mut Solution<C>,
        slot: &impl Fn(usize, u32) -> C,
    ) -> Option<()> {
        let mut given = vec![false; self.room.len()];
        for &m in solution.row_to_col.iter().flatten() {
            given[m] = true;
        }
        for (m, &room) in self.room.iter().enumerate() {
            if room > 0 && !given[m] {
                solution.duals.col[m] = solution.duals.sink.checked_sub(slot(m, 0))?;
            }
        }
        Some(())
    }

    /// One exact solve over the considered pairs: recipients are rows, mentors columns
    /// with native capacities. Returns the plan in recipient order, the reduced-cost
    /// terms, and whether [`assign::verify`] accepted the solution ([`Round`]).
    ///
    /// With `warm` (the previous round's solution and the solver rows that gained
    /// arcs since), the round resumes from it with [`assign::resolve`], or with
    /// [`assign::reinsert_rows`] when it re-adds those rows.
    fn solve_round<C: Cost + Send + Sync>(
        &self,
        considered: &Flags,
        pair: &(impl Fn(usize, u32) -> Option<C> + Sync),
        slot: &impl Fn(usize, u32) -> C,
        apply: &(impl Fn(C, u32) -> C + Sync),
        warm: Option<WarmRound<'_, C>>,
        round: u32,
    ) -> Option<Round<C>> {
        let problem = PairNetwork::new(self, considered, &|_| true, pair, apply)?;
        let tick = |done: usize, total: usize| {
            self.progress.report(Stage::Solve, done, total, round);
        };
        let reinsert = |previous, changed: &[bool]| {
            self.reinserted.set(self.reinserted.get() + 1);
            assign::reinsert_rows(&problem, slot, previous, changed, &tick)
                .ok()
                .map(|done| done.map(|(solution, _)| solution))
        };
        let warm = match warm {
            // After an edit: few rows to add back are repaired around the edit (or, past
            // the repair's budget, as many); more are taken out with the rows that
            // gained pairs and added back by the split solve's last stages.
            Some(WarmRound {
                previous,
                changed: late,
                edited: Some(gained),
            }) => {
                let local = late.iter().filter(|&&l| l).count() <= LOCAL_LATE_MAX;
                let budget = self.work.get();
                let repaired = if local {
                    assign::reinsert_rows_locally(
                        &problem, slot, previous, late, gained, &tick, budget,
                    )
                    .ok()?
                } else {
                    None
                };
                match repaired {
                    Some((solution, _)) => Some(solution),
                    None => {
                        let out: Vec<bool> =
                            late.iter().zip(gained).map(|(&l, &g)| l || g).collect();
                        reinsert(previous, &out)?
                    }
                }
            }
            // Split tiers and many recipients who gained pairs: they are taken out with
            // their slots closed and added back like a split solve's last stages.
            Some(WarmRound {
                previous, changed, ..
            }) if self.reinsert(changed) => reinsert(previous, changed)?,
            Some(WarmRound {
                previous, changed, ..
            }) => {
                assign::resolve(&problem, slot, previous, changed, &tick, self.work.get()).ok()?
            }
            None => None,
        };
        let was_warm = warm.is_some();
        let mut solution = match warm {
            Some(solution) => solution,
            None => {
                let (solution, work) =
                    self.cold_solve(&problem, considered, pair, slot, apply, &tick)?;
                self.work.set(work);
                solution
            }
        };
        self.lower_idle(&mut solution, slot)?;
        let mut verified =
            assign::verify_network_on(&problem, slot, &solution, self.settings.threads).is_ok();
        if !verified {
            self.warm_rejected.set(self.warm_rejected.get() || was_warm);
            // A bug in one of the faster routes (orientation, stages, warm rounds): solve
            // this round again from the recipients' side alone, and check that instead.
            let (plain, _) =
                assign::solve_oriented(&problem, slot, &tick, assign::Orientation::Rows).ok()?;
            solution = plain;
            self.lower_idle(&mut solution, slot)?;
            verified =
                assign::verify_network_on(&problem, slot, &solution, self.settings.threads).is_ok();
        }
        let (row_to_col, duals) = (&solution.row_to_col, &solution.duals);
        let rows = self.order.len();
        let (mut mentor_of, mut recipient) = (vec![None; rows], vec![C::ZERO; rows]);
        for (i, &r) in self.order.iter().enumerate() {
            mentor_of[r as usize] = row_to_col[i];
            recipient[r as usize] = duals.row[i];
        }
        let mentor = duals
            .col
            .iter()
            .map(|&p| C::ZERO.checked_sub(p))
            .collect::<Option<Vec<C>>>()?
            .into_iter()
            .map(Some)
            .collect();
        Some(Round {
            mentor_of,
            reduced: Reduced { mentor, recipient },
            verified,
            solution,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidates;
    use crate::model::Policy;
    use crate::rules::interned::Interned;
    use crate::synth::{self, SynthOptions};

    /// Round 1's pairs, spelled out by sorting: each recipient's best `k` by score
    /// (ties to the earlier mentor), and each mentor's best `MENTOR_FACTOR × min(room,
    /// k)` recipients by the objective (ties to the earlier pair).
    fn initial_by_sorting(network: &Rounds<'_>, k: usize) -> Vec<bool> {
        let cands = network.candidates;
        let mut keep = vec![false; cands.len()];
        let mut of_mentor: Vec<Vec<(u64, usize)>> = vec![Vec::new(); network.room.len()];
        for r in 0..cands.rows() {
            let mut mine: Vec<usize> = cands.range(r).collect();
            mine.sort_by_key(|&i| (Reverse(cands.score[i]), cands.mentor[i]));
            for &i in mine.iter().take(k) {
                keep[i] = true;
            }
            for i in cands.range(r) {
                of_mentor[cands.mentor[i] as usize].push((network.value(r, cands.score[i]), i));
            }
        }
        for (m, list) in of_mentor.iter_mut().enumerate() {
            list.sort_by_key(|&(v, i)| (Reverse(v), i));
            let limit = (network.room[m] as usize).min(k) * MENTOR_FACTOR;
            for &(_, i) in list.iter().take(limit) {
                keep[i] = true;
            }
        }
        keep
    }

    /// A cohort's eligible pairs and each mentor's open slots, as [`solve`] sees them.
    fn candidates_and_room(cohort: &Cohort) -> (Candidates, Vec<u32>) {
        let index = Interned::new(cohort);
        let cands = candidates::generate(&index, 1, &Reporter::default());
        let room = cohort
            .mentors()
            .iter()
            .map(|m| m.capacity - m.current_load)
            .collect();
        (cands, room)
    }

    /// The matcher's network for `cohort`'s candidates and room, pruned to `k`, on one
    /// thread.
    fn network_of<'a>(
        cohort: &Cohort,
        cands: &'a Candidates,
        room: &'a [u32],
        k: u32,
        objective: Objective,
        quiet: &'a Reporter,
    ) -> Rounds<'a> {
        let urgency = cohort.recipients().iter().map(|r| r.urgency).collect();
        Rounds::new(
            cands,
            room,
            urgency,
            objective,
            Settings::new(Pruning::TopK(k), 1),
            quiet,
        )
    }

    /// The report of `cohort` solved with `settings`, and the warm rounds that re-added
    /// their changed recipients.
    fn solved(cohort: &Cohort, settings: &Settings) -> (crate::MatchReport, u32) {
        let index = Interned::new(cohort);
        let quiet = Reporter::default();
        let candidates = candidates::generate(&index, 1, &quiet);
        let outcome = solve(cohort, &candidates, settings, &quiet, Reuse::Nothing).unwrap();
        let (report, _) = crate::report::build(&crate::report::Inputs {
            index: &index,
            candidates: &candidates,
            outcome: &outcome,
            list_candidates: false,
            names: false,
            threads: 1,
            progress: &quiet,
            earlier: None,
            remember: false,
        });
        (report, outcome.reinserted)
    }

    /// The bottleneck's threshold solves start warm from the last one, and their warm
    /// rounds pass the certificate without the fallback.
    #[test]
    fn bottleneck_thresholds_start_warm_and_hold_their_certificate() {
        let quiet = Reporter::default();
        let mut warm = 0;
        for seed in 1..=12 {
            let cohort = synth::generate(&SynthOptions {
                recipients: 150 + 40 * seed as usize,
                mentors: 30,
                seed,
                homogeneous: seed % 2 == 0,
            })
            .unwrap()
            .under(Policy {
                objective: Objective::Bottleneck,
                ..Policy::default()
            });
            let index = Interned::new(&cohort);
            let candidates = candidates::generate(&index, 1, &quiet);
            let pruning = [Pruning::Off, Pruning::TopK(2)][seed as usize % 2];
            let settings = Settings::new(pruning, 1);
            let outcome = solve(&cohort, &candidates, &settings, &quiet, Reuse::Nothing).unwrap();
            assert!(!outcome.warm_rejected, "seed {seed}");
            assert!(outcome.info.certified);
            assert!(
                outcome.state.is_none(),
                "a bottleneck plan keeps no warm state"
            );
            warm += usize::from(outcome.warm);
        }
        assert!(warm >= 8, "{warm} of 12 searches started a threshold warm");
    }

    #[test]
    fn rounds_that_re_add_keep_the_unpruned_optimum() {
        let mut split = 0;
        let mut reinserted = 0;
        for seed in 1..=8 {
            // More urgent recipients than slots: the tiers are split.
            let options = SynthOptions {
                recipients: 1_500,
                mentors: 100,
                seed,
                homogeneous: seed % 2 == 0,
            };
            let cohort = synth::generate(&options).expect("a valid synthetic cohort");
            let objective = cohort.policy().objective;
            let (full, _) = solved(&cohort, &Settings::new(Pruning::Off, 1));
            for k in [1, 2, 4] {
                let settings = Settings {
                    always_reinsert: true,
                    ..Settings::new(Pruning::TopK(k), 1)
                };
                let (pruned, re_added) = solved(&cohort, &settings);
                assert_eq!(
                    pruned.objective_value().key(objective),
                    full.objective_value().key(objective),
                    "seed {seed}, k {k}"
                );
                assert!(pruned.solve.certified);
                reinserted += re_added;
            }
            let (cands, room) = candidates_and_room(&cohort);
            let quiet = Reporter::default();
            let network = network_of(&cohort, &cands, &room, 1, objective, &quiet);
            split += usize::from(network.split.is_some());
        }
        assert!(
            split >= 6 && reinserted >= 10,
            "split {split}, re-added rounds {reinserted}"
        );
    }

    #[test]
    fn packed_and_lexicographic_encodings_agree() {
        let mut next = crate::testdata::xorshift(12345);
        for round in 0..200 {
            let (mentors, recipients) = crate::testdata::small_people(&mut next);
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
            let objective = cohort.policy().objective;
            let (packed, _) = solved(&cohort, &Settings::new(Pruning::Off, 1));
            let lexicographic = Settings {
                lexicographic: true,
                ..Settings::new(Pruning::Off, 2)
            };
            let (lex, _) = solved(&cohort, &lexicographic);
            assert_eq!(
                packed.objective_value().key(objective),
                lex.objective_value().key(objective),
                "round {round}"
            );
            // Both encodings again with pruning: certified, same optimum.
            for lexicographic in [false, true] {
                let settings = Settings {
                    lexicographic,
                    ..Settings::new(Pruning::TopK(1), 2)
                };
                let (pruned, _) = solved(&cohort, &settings);
                assert!(pruned.solve.certified, "round {round}");
                assert_eq!(
                    pruned.objective_value().key(objective),
                    packed.objective_value().key(objective),
                    "round {round}, lexicographic {lexicographic}"
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

    #[test]
    fn first_round_pairs_are_the_best_per_recipient_and_per_mentor() {
        for seed in 0..12 {
            for objective in [Objective::Participation, Objective::Quality] {
                let options = SynthOptions {
                    recipients: 400,
                    mentors: 60,
                    seed,
                    homogeneous: seed % 3 == 0,
                };
                let cohort = synth::generate(&options).expect("a valid synthetic cohort");
                let (cands, room) = candidates_and_room(&cohort);
                let quiet = Reporter::default();
                for k in [0u32, 1, 3, 8] {
                    let mut network = network_of(&cohort, &cands, &room, k, objective, &quiet);
                    // With the tiers split, round 1 also leaves out whom no optimum
                    // can match: only ever pairs of the selection below.
                    let split = network.first_round();
                    network.split = None;
                    let selected = network.first_round();
                    assert!((0..cands.len()).all(|i| !split[i] || selected[i]));
                    let selected: Vec<bool> = (0..cands.len()).map(|i| selected[i]).collect();
                    assert_eq!(
                        selected,
                        initial_by_sorting(&network, k as usize),
                        "seed {seed}, {objective:?}, k = {k}"
                    );
                }
            }
        }
    }
}
