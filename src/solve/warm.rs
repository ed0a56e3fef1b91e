//! Warm re-solves: a solve that starts from the flow and duals of the previous plan.
//!
//! A coordinator edits a solved plan (pins a pair, forbids one, changes a mentor's
//! capacity, adds or removes a recipient) and wants the new optimum. Most of the old
//! flow is still optimal around the edit, so the new solve starts from it:
//!
//! 1. **Costs that stay comparable.** The objective's packing radices grow with the
//!    cohort (see the parent module); a plan that will be re-solved packs with
//!    [`Bounds`] above the cohort's own (larger radices are still exact), so an arc that
//!    did not change keeps its cost, and the old duals stay meaningful. An edit that
//!    outgrows the bounds is solved cold with new ones.
//! 2. **What changed, found by comparison, not by trusting the edit.** A recipient's
//!    row keeps its place when its id and urgency are the same as before, every pair
//!    it had still has its score, and the pair it holds still exists; its pairs may
//!    have become fewer (an arc gone keeps the duals feasible) or more (the new arcs
//!    are *gained*, to be repaired). A mentor whose load changed prices its slots
//!    differently, so the rows it held leave; one whose room shrank keeps as many as
//!    fit. Every row that does not keep its place is *late*: new and changed rows, and
//!    those their mentor could not keep.
//! 3. **Taken out and added back.** The late rows leave the old flow. With few of
//!    them, the repair stays local (`assign::reinsert_rows_locally`): a mentor who
//!    holds nobody is priced so that every pair with them is feasible; each free slot
//!    then priced too low (a mentor who lost rows or gained room) is filled by one
//!    cycle search backwards from the mentor, the gained pairs are repaired by cycle
//!    cancelling, and the late rows are added back by shortest augmenting paths. With
//!    many, they and the gained rows leave with their slots closed and come back by
//!    the split solve's last stages (`assign::reinsert_rows`). Both are successive
//!    shortest paths from a warm start, so the result is exact; when very many rows
//!    move (pairs gained with a mentor who holds nobody cost nothing and do not count)
//!    a cold solve is cheaper and runs instead.
//! 4. **Certified like any solve.** The round's duals are checked by
//!    [`assign::verify`](crate::assign::verify) on the network solved, and the pruning certificate runs over
//!    every eligible pair; pairs that fail come back in further rounds, exactly as in a
//!    cold solve. A warm start that were wrong (a bug) would fail that check and be
//!    solved again from the recipients' side: the answer never depends on step 2
//!    being right, only its speed does.

use crate::assign::{Duals, Solution};
use crate::candidates::Candidates;
use crate::model::{Cohort, MICRO, Objective};

use super::{Flags, Lex};

/// A warm start serves while at most one row in `LATE_MAX_PER` is added back or gained
/// pairs: past that, re-adding them costs more than a cold solve (`pipeline/replan`;
/// `PERFORMANCE.md`).
const LATE_MAX_PER: usize = 8;

/// The sizes the packing radices are computed from: at least the cohort's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bounds {
    /// Recipients.
    pub(crate) rows: usize,
    /// The most expensive slot, in micro-units.
    pub(crate) max_slot: i64,
    /// The best pair's score with its bonus, in micro-units.
    pub(crate) max_score: u32,
}

impl Bounds {
    /// Bounds with room to grow above a cohort's own `exact` ones, so that a few
    /// edits keep the same packing.
    pub(crate) fn above(exact: Bounds) -> Bounds {
        Bounds {
            rows: exact
                .rows
                .saturating_mul(2)
                .saturating_add(64)
                .min(2 * crate::MAX_PEOPLE),
            max_slot: exact
                .max_slot
                .saturating_mul(2)
                .saturating_add(MICRO as i64),
            // A score with a switching-cost bonus is below two full scores.
            max_score: exact.max_score.max(2 * MICRO as u32),
        }
    }

    /// Whether these bounds cover `exact`.
    pub(crate) fn cover(&self, exact: &Bounds) -> bool {
        self.rows >= exact.rows
            && self.max_slot >= exact.max_slot
            && self.max_score >= exact.max_score
    }
}

/// A solution in whichever cost type the solve used.
#[derive(Clone)]
pub(crate) enum Stored {
    /// One packed `i128`.
    Packed(Solution<i128>),
    /// Pairs of `i128`, when the packing did not fit.
    Lex(Solution<Lex>),
}

/// A cost type whose solutions can be kept for a warm start.
pub(crate) trait Storable: crate::assign::Cost {
    fn store(solution: Solution<Self>) -> Stored;
    fn stored(stored: &Stored) -> Option<&Solution<Self>>;
}

impl Storable for i128 {
    fn store(solution: Solution<i128>) -> Stored {
        Stored::Packed(solution)
    }
    fn stored(stored: &Stored) -> Option<&Solution<i128>> {
        match stored {
            Stored::Packed(s) => Some(s),
            Stored::Lex(_) => None,
        }
    }
}

impl Storable for Lex {
    fn store(solution: Solution<Lex>) -> Stored {
        Stored::Lex(solution)
    }
    fn stored(stored: &Stored) -> Option<&Solution<Lex>> {
        match stored {
            Stored::Lex(s) => Some(s),
            Stored::Packed(_) => None,
        }
    }
}

/// What a solve leaves for the next one to start from.
#[derive(Clone)]
pub(crate) struct State {
    /// The packing's bounds.
    pub(crate) bounds: Bounds,
    /// The objective solved (participation or quality).
    pub(crate) objective: Objective,
    /// Solver row → recipient.
    pub(crate) order: Vec<u32>,
    /// The last round's solution, over the considered pairs.
    pub(crate) solution: Stored,
    /// Nodes the last cold solve settled: the budget of a warm round's repairs.
    pub(crate) work: u64,
}

/// The previous solve, for a warm start.
pub(crate) struct Previous<'a> {
    /// The cohort it solved (a residual cohort, when pairs were kept).
    pub(crate) cohort: &'a Cohort,
    /// Its eligible pairs.
    pub(crate) candidates: &'a Candidates,
    /// The pairs its last round considered.
    pub(crate) considered: &'a Flags,
    /// Per recipient, whether the new candidates' row is the old one of the recipient
    /// at the same position, copied (empty when not known): such a row is not compared.
    pub(crate) unchanged_rows: &'a [bool],
    /// Its solver state.
    pub(crate) state: &'a State,
}

/// The new solve's view, for mapping the previous one onto it.
pub(crate) struct Current<'a> {
    pub(crate) cohort: &'a Cohort,
    pub(crate) candidates: &'a Candidates,
    /// Solver row → recipient.
    pub(crate) order: &'a [u32],
    pub(crate) urgency: &'a [u8],
    pub(crate) room: &'a [u32],
    /// The `k` of pruning, if any: a changed row starts with its best `k` pairs.
    pub(crate) top_k: Option<u32>,
}

/// A warm start mapped onto the new network.
pub(crate) struct Mapped<C> {
    /// The old flow and duals over the new solver rows, late rows unassigned.
    pub(crate) solution: Solution<C>,
    /// Per solver row, whether it is added back (new, changed, or held by a changed
    /// column).
    pub(crate) late: Vec<bool>,
    /// Per solver row, whether it kept its place but gained pairs (a mentor became
    /// eligible): their arcs are repaired like a pruning round's.
    pub(crate) gained: Vec<bool>,
    /// The first round's considered pairs: the old ones of unchanged rows, and each
    /// changed row's best pairs.
    pub(crate) considered: Flags,
}

/// Maps `previous` onto `current` (module docs, step 2), or `None` when it cannot
/// serve: another cost type, other mentors, or nothing in common.
pub(crate) fn map<C: Storable>(
    current: &Current<'_>,
    previous: &Previous<'_>,
) -> Option<Mapped<C>> {
    let old = C::stored(&previous.state.solution)?;
    let (new_cohort, old_cohort) = (current.cohort, previous.cohort);
    let same_mentors = new_cohort.mentors().len() == old_cohort.mentors().len()
        && new_cohort
            .mentors()
            .iter()
            .zip(old_cohort.mentors())
            .all(|(a, b)| a.id == b.id);
    if !same_mentors {
        return None;
    }
    // A column whose load changed prices its slots differently: its rows are added
    // back. One whose room changed keeps as many rows as it has room for.
    let repriced: Vec<bool> = (0..new_cohort.mentors().len())
        .map(|m| new_cohort.mentors()[m].current_load != old_cohort.mentors()[m].current_load)
        .collect();
    let mut room_left: Vec<u32> = current.room.to_vec();
    let mut old_row = vec![0u32; previous.state.order.len()];
    for (row, &r) in previous.state.order.iter().enumerate() {
        old_row[r as usize] = row as u32;
    }
    let new_c = current.candidates;
    let rows = current.order.len();
    let mut current_row = vec![0u32; rows];
    for (row, &r) in current.order.iter().enumerate() {
        current_row[r as usize] = row as u32;
    }
    let sink = old.duals.sink;
    let mut row_to_col = vec![None; rows];
    let mut row_dual = vec![sink; rows];
    let mut late = vec![false; rows];
    let mut gained = vec![false; rows];
    let mut considered = Flags::new(new_c.len());
    // The gained rows' new pairs (candidate indices).
    let mut new_pairs = Vec::new();
    let mut kept_any = false;
    let same_recipients = new_cohort.same_recipients(old_cohort);
    // In recipient order, so that the candidates and flags are read front to back (a
    // mentor whose room shrank keeps the rows that come first).
    for (r, &row) in current_row.iter().enumerate() {
        let row = row as usize;
        // The same recipients have the same records: no record is read.
        let before = if same_recipients {
            Some(r)
        } else {
            let id = &new_cohort.recipients()[r].id;
            if old_cohort.recipients().get(r).is_some_and(|p| &p.id == id) {
                Some(r)
            } else {
                old_cohort.recipient_position(id.as_str())
            }
        };
        let same_urgency = |o: usize| {
            same_recipients
                || old_cohort.recipients()[o].urgency.min(3) == current.urgency[r].min(3)
        };
        let Some(o) = before.filter(|&o| same_urgency(o)) else {
            late[row] = true;
            consider_best(new_c, r, current.top_k, &mut considered);
            continue;
        };
        let old_row = old_row[o] as usize;
        let held = old.row_to_col[old_row].filter(|&c| !repriced[c] && room_left[c] > 0);
        let held_gone = old.row_to_col[old_row].is_some() && held.is_none();
        let change = if o == r && previous.unchanged_rows.get(r) == Some(&true) {
            let (a, b) = (new_c.range(r), previous.candidates.range(o));
            considered.copy_from(previous.considered, b, a.start);
            Some(PairChange::Kept)
        } else {
            compare_pairs(new_c, r, previous, o, held, &mut considered, &mut new_pairs)
        };
        match change {
            Some(change) if !held_gone => {
                if let Some(c) = held {
                    room_left[c] -= 1;
                }
                row_to_col[row] = held;
                row_dual[row] = old.duals.row[old_row];
                gained[row] = change == PairChange::Gained;
                kept_any = true;
            }
            _ => {
                late[row] = true;
                considered.fill(new_c.range(r), false);
                consider_best(new_c, r, current.top_k, &mut considered);
            }
        }
    }
    // Past this many rows to add back or repair, a cold solve is cheaper. A pair gained
    // with a mentor who holds nobody costs no search of its own: the mentor is priced
    // so that the pair is feasible (`assign::reinsert_rows_locally`).
    let mut holds = vec![false; current.room.len()];
    for &c in row_to_col.iter().flatten() {
        holds[c] = true;
    }
    let mut repaired = late.clone();
    for &i in &new_pairs {
        if holds[new_c.mentor[i] as usize] {
            repaired[current_row[new_c.recipient_of(i)] as usize] = true;
        }
    }
    let moved = repaired.iter().filter(|&&m| m).count();
    if !kept_any || moved * LATE_MAX_PER > rows {
        return None;
    }
    Some(Mapped {
        solution: Solution {
            row_to_col,
            cost: C::ZERO,
            duals: Duals {
                row: row_dual,
                col: old.duals.col.clone(),
                sink,
            },
        },
        late,
        gained,
        considered,
    })
}

/// How a row's pairs changed while everything it keeps is as before.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PairChange {
    /// The same pairs, or fewer (an arc gone keeps the duals feasible).
    Kept,
    /// New pairs too, whose reduced costs may be negative.
    Gained,
}

/// Compares new recipient `r`'s pairs with the previous solve's recipient `o`'s, mentor
/// by mentor (both lists are in mentor order), copying the old `considered` flags to
/// the pairs kept and considering every new pair, listed in `new_pairs`. `None` when a
/// kept pair's score changed or the pair in column `held` (the row's place in the plan)
/// is gone: then the row must be re-added (its new pairs may have been listed already).
fn compare_pairs(
    new: &Candidates,
    r: usize,
    previous: &Previous<'_>,
    o: usize,
    held: Option<usize>,
    considered: &mut Flags,
    new_pairs: &mut Vec<usize>,
) -> Option<PairChange> {
    let (old, old_considered) = (previous.candidates, previous.considered);
    let (a, b) = (new.range(r), old.range(o));
    if new.mentor[a.clone()] == old.mentor[b.clone()] {
        if new.score[a.clone()] != old.score[b.clone()] {
            return None;
        }
        considered.copy_from(old_considered, b, a.start);
        return Some(PairChange::Kept);
    }
    let (mut i, mut j) = (a.start, b.start);
    let mut change = PairChange::Kept;
    while i < a.end || j < b.end {
        let (m_new, m_old) = (
            new.mentor.get(i).filter(|_| i < a.end),
            old.mentor.get(j).filter(|_| j < b.end),
        );
        match (m_new, m_old) {
            (Some(x), Some(y)) if x == y => {
                if new.score[i] != old.score[j] {
                    return None;
                }
                considered.set(i, old_considered[j]);
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                considered.set(i, true);
                new_pairs.push(i);
                change = PairChange::Gained;
                i += 1;
            }
            (Some(_), None) => {
                considered.set(i, true);
                new_pairs.push(i);
                change = PairChange::Gained;
                i += 1;
            }
            (_, Some(&y)) => {
                if held == Some(y as usize) {
                    return None;
                }
                j += 1;
            }
            (None, None) => unreachable!("the loop runs while either list has pairs"),
        }
    }
    Some(change)
}

/// Marks recipient `r`'s best `k` pairs (all of them without pruning), by score, ties
/// to the earlier mentor.
fn consider_best(cands: &Candidates, r: usize, top_k: Option<u32>, considered: &mut Flags) {
    let range = cands.range(r);
    let k = top_k.map_or(range.len(), |k| k as usize);
    if range.len() <= k {
        considered.fill(range, true);
        return;
    }
    let mut mine: Vec<usize> = range.collect();
    mine.sort_by_key(|&i| (std::cmp::Reverse(cands.score[i]), cands.mentor[i]));
    for &i in &mine[..k] {
        considered.set(i, true);
    }
}
