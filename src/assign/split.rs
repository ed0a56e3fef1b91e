//! Solving in stages: a few valuable rows from the rows' side, the rest from the
//! slots' side.
//!
//! Successive shortest paths is exact whatever the order in which units of supply are
//! added, and a unit can be a row (the rows' side) or a slot (the slots' side,
//! [`slot_side`](super::slot_side)). Which side suits depends on which is scarce at the time:
//! a row searches until it finds a free slot, a slot until it finds a free row. When
//! a few rows are worth far more than the rest (the matcher's urgency tiers) and the
//! rest outnumber the slots, neither side suits the whole solve: from the rows' side
//! the last rows search far for the last free slots, and from the slots' side every
//! slot searches far for a free row of the best tier. So [`solve_split`] does this:
//! 1. adds the valuable rows (`first`) from the rows' side, every slot open: they
//!    find free slots near by;
//! 2. closes the slots still empty (each column's capacity becomes the rows it was
//!    given) and lowers every potential by its distance to the sink ([`tighten`]):
//!    the duals stay feasible, and each column is now priced at its cheapest way of
//!    giving up a row;
//! 3. adds the other rows from the rows' side: against those prices a row that cannot
//!    displace anybody at a profit ends its search at once;
//! 4. turns flow and duals around to the slots' side ([`SlotSide::turn`]), lowers the
//!    potentials to the sink again (the free rows are the sink's side there), and adds
//!    the closed slots back one by one: free rows are now the plentiful side. With
//!    many closed slots, the potentials are lowered again after every batch of them
//!    ([`Retighten`]), since each search uses up the zero-cost paths it follows.
//!
//! [`reinsert_rows`] reuses stages 2–4 to re-solve after some rows gained arcs (the
//! matcher's certified pruning adds pairs back): those rows are taken out of the flow
//! with their slots closed, which leaves an optimal flow, and are added back as the
//! "other rows" of stage 3.
//!
//! Each stage starts from the optimal flow and feasible duals the previous one left,
//! so each is a run of successive-shortest-path steps and the result is exactly
//! optimal; the unit tests compare it with the one-sided solve and verify its
//! certificate on random problems.

use super::error::Result;
use super::slot_side::SlotSide;
use super::sparse::{Incoming, Network, Solution, add_rows, insert_rows, resolve_opening};
use super::{Cost, add, sub};

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A view of a network with some rows' arcs hidden and the capacities replaced.
struct Restricted<'a, N> {
    inner: &'a N,
    /// Rows whose arcs are visible (all when `None`).
    rows: Option<&'a [bool]>,
    /// The capacities (the inner network's when `None`).
    capacity: Option<&'a [u32]>,
}

impl<C: Cost, N: Network<C>> Network<C> for Restricted<'_, N> {
    fn rows(&self) -> usize {
        self.inner.rows()
    }
    fn cols(&self) -> usize {
        self.inner.cols()
    }
    fn arcs_len(&self) -> usize {
        self.inner.arcs_len()
    }
    fn capacity(&self, col: usize) -> u32 {
        self.capacity
            .map_or_else(|| self.inner.capacity(col), |c| c[col])
    }
    fn unassigned_cost(&self, row: usize) -> Option<C> {
        self.inner.unassigned_cost(row)
    }
    #[inline]
    fn arc_range(&self, row: usize) -> std::ops::Range<usize> {
        let range = self.inner.arc_range(row);
        match self.rows {
            Some(visible) if !visible[row] => range.start..range.start,
            _ => range,
        }
    }
    #[inline]
    fn arc_col(&self, arc: usize) -> usize {
        self.inner.arc_col(arc)
    }
    #[inline]
    fn arc_cost(&self, row: usize, arc: usize) -> C {
        self.inner.arc_cost(row, arc)
    }
}

/// Solves `problem` in the four stages of the module docs, the rows flagged in
/// `first` first. Returns the solution and the work done (nodes settled), or `None`
/// when the problem cannot be turned to the slots' side (a row must be assigned, or
/// a transposed cost would overflow): the caller then solves it another way.
pub(crate) fn solve_split<C: Cost, N: Network<C>>(
    problem: &N,
    slot_cost: impl Fn(usize, u32) -> C,
    first: &[bool],
    progress: &dyn Fn(usize, usize),
) -> Result<Option<(Solution<C>, u64)>> {
    staged(problem, slot_cost, first, Retighten::DEFAULT, progress)
}

/// How often stage 4 lowers the potentials to the sink again: every `every` slots
/// added back, when at least `from` slots were closed (below that, the rebuild of
/// the search state per batch costs more than the shorter searches save).
#[derive(Clone, Copy)]
struct Retighten {
    every: usize,
    from: usize,
}

impl Retighten {
    /// The fastest of the batch sizes tried on the national cohorts (`PERFORMANCE.md`).
    const DEFAULT: Retighten = Retighten {
        every: 1000,
        from: 4000,
    };
}

fn staged<C: Cost, N: Network<C>>(
    problem: &N,
    slot_cost: impl Fn(usize, u32) -> C,
    first: &[bool],
    retighten: Retighten,
    progress: &dyn Fn(usize, usize),
) -> Result<Option<(Solution<C>, u64)>> {
    let Some(places) = SlotSide::build(problem, &slot_cost, true) else {
        return Ok(None);
    };
    // 1. The first rows, every slot open.
    let only_first = Restricted {
        inner: problem,
        rows: Some(first),
        capacity: None,
    };
    let (solution, work_first) = add_rows(&only_first, &slot_cost, progress)?;
    let late: Vec<bool> = first.iter().map(|&f| !f).collect();
    let (solution, work_rest) = finish(
        problem, &places, &slot_cost, solution, &late, retighten, progress,
    )?;
    Ok(Some((solution, work_first + work_rest)))
}

/// Re-solves `problem` from `previous`, an optimal solution of the same problem before
/// the rows flagged in `changed` gained arcs (with any feasible duals), by stages 2–4
/// of the module docs: the changed rows are taken out of the flow and the slots they
/// held closed, which leaves an optimal flow of the problem without them (a closed
/// slot has no residual arc), and they are added back like the other rows of a split
/// solve. `None` when the problem cannot be turned to the slots' side.
pub(crate) fn reinsert_rows<C: Cost, N: Network<C>>(
    problem: &N,
    slot_cost: impl Fn(usize, u32) -> C,
    previous: &Solution<C>,
    changed: &[bool],
    progress: &dyn Fn(usize, usize),
) -> Result<Option<(Solution<C>, u64)>> {
    let Some(places) = SlotSide::build(problem, &slot_cost, true) else {
        return Ok(None);
    };
    let mut start = previous.clone();
    for (col, &out) in start.row_to_col.iter_mut().zip(changed) {
        if out {
            *col = None;
        }
    }
    finish(
        problem,
        &places,
        &slot_cost,
        start,
        changed,
        Retighten::DEFAULT,
        progress,
    )
    .map(Some)
}

/// Re-solves `problem` after an edit from `previous`, the old plan's flow and duals
/// mapped onto it, by local repairs instead of [`reinsert_rows`]' whole-network stages:
/// the rows flagged in `late` (new ones, changed ones, and those a changed column held)
/// start unassigned, with their arcs hidden; the rows flagged in `gained` keep their
/// place but have new arcs. Every other row's arcs (or fewer of them, none of them
/// the arc it uses), and the slot costs of every column that still holds rows, must be
/// as when `previous` was optimal; capacities may differ.
///
/// 1. A column that holds nobody (one that lost every row, or whose slots reopened)
///    is priced at most as high as every arc into it allows, so its arcs are
///    non-negative; nothing leaves it, so no other reduced cost depends on its price.
/// 2. The free slots priced too low (a column that lost rows or gained slots, or one
///    that holds nobody and that some row would now rather join) and the new arcs of
///    the `gained` rows are repaired by cycle cancelling ([`resolve_opening`]).
/// 3. The late rows are added back by shortest augmenting paths ([`insert_rows`]).
///
/// Each step starts from an optimal flow with feasible duals for what it can see, so the
/// result is exact. Touches only the region around the edit, but a late row that cannot
/// be placed searches far when slots are scarce, so this suits few late rows. `None`
/// when the repairs ran past `budget` nodes settled.
pub(crate) fn reinsert_rows_locally<C: Cost, N: Network<C>>(
    problem: &N,
    slot_cost: impl Fn(usize, u32) -> C,
    previous: &Solution<C>,
    late: &[bool],
    gained: &[bool],
    progress: &dyn Fn(usize, usize),
    budget: u64,
) -> Result<Option<(Solution<C>, u64)>> {
    let (rows, cols) = (problem.rows(), problem.cols());
    let mut start = previous.clone();
    let mut given = vec![0u32; cols];
    for (r, col) in start.row_to_col.iter_mut().enumerate() {
        if late[r] {
            *col = None;
        }
        if let Some(c) = *col {
            given[c] += 1;
        }
    }
    // 1. The highest price each empty column's arcs allow (rows not late).
    let empty = |c: usize| given[c] == 0 && problem.capacity(c) > 0;
    let mut allowed: Vec<Option<C>> = vec![None; cols];
    if (0..cols).any(empty) {
        for r in (0..rows).filter(|&r| !late[r]) {
            for i in problem.arc_range(r) {
                let c = problem.arc_col(i);
                if empty(c) {
                    let most = add(problem.arc_cost(r, i), start.duals.row[r])?;
                    allowed[c] = Some(allowed[c].map_or(most, |a: C| a.min(most)));
                }
            }
        }
    }
    let mut opened = Vec::new();
    for c in 0..cols {
        if given[c] >= problem.capacity(c) {
            continue;
        }
        let floor = sub(start.duals.sink, slot_cost(c, given[c]))?;
        let price = &mut start.duals.col[c];
        if given[c] == 0 {
            // At least the slot's floor, at most what its arcs allow (a price feasible
            // both ways stays as it is).
            let raised = (*price).max(floor);
            *price = allowed[c].map_or(raised, |most| raised.min(most));
        }
        if *price < floor {
            opened.push(c);
        }
    }
    // 2. The slots priced too low and the gained arcs, repaired.
    let visible: Vec<bool> = late.iter().map(|&l| !l).collect();
    let without_late = Restricted {
        inner: problem,
        rows: Some(&visible),
        capacity: None,
    };
    let changed: Vec<bool> = (0..rows).map(|r| !late[r] && gained[r]).collect();
    let repaired = if changed.contains(&true) || !opened.is_empty() {
        match resolve_opening(
            &without_late,
            &slot_cost,
            &start,
            &changed,
            &opened,
            progress,
            budget,
        )? {
            Some(repaired) => repaired,
            None => return Ok(None),
        }
    } else {
        start
    };
    // 3. The late rows, added back.
    insert_rows(problem, &slot_cost, &repaired, late, progress).map(Some)
}

/// Stages 2–4 from `solution`, optimal with feasible duals for `problem` with the
/// `late` rows' arcs hidden and each column capped at the rows it holds: prices the
/// columns, adds the late rows, and adds the closed slots back from their side.
fn finish<C: Cost, N: Network<C>>(
    problem: &N,
    places: &SlotSide<C>,
    slot_cost: &impl Fn(usize, u32) -> C,
    mut solution: Solution<C>,
    late: &[bool],
    retighten: Retighten,
    progress: &dyn Fn(usize, usize),
) -> Result<(Solution<C>, u64)> {
    // 2. Close the empty slots; price every column.
    let mut given = vec![0u32; problem.cols()];
    for &c in solution.row_to_col.iter().flatten() {
        given[c] += 1;
    }
    let early: Vec<bool> = late.iter().map(|&l| !l).collect();
    let closed_early = Restricted {
        inner: problem,
        rows: Some(&early),
        capacity: Some(&given),
    };
    tighten(&closed_early, slot_cost, &mut solution)?;
    // 3. The late rows, against those prices.
    let closed = Restricted {
        inner: problem,
        rows: None,
        capacity: Some(&given),
    };
    let (solution, work_rows) = insert_rows(&closed, slot_cost, &solution, late, progress)?;
    // 4. The closed slots back, from their side.
    let (mut turned, occupied) = places.turn(problem, slot_cost, &solution)?;
    let open = Restricted {
        inner: places,
        rows: Some(&occupied),
        capacity: None,
    };
    debug_assert!(
        super::verify_network(&open, |_, _| C::ZERO, &turned).is_ok(),
        "the turned view is a valid warm start"
    );
    // The transposed network's reversed adjacency, built once for every lowering.
    let incoming = Incoming::new(places);
    tighten_with(&open, &|_, _| C::ZERO, &mut turned, &incoming)?;
    // Add the closed slots back in batches, lowering the potentials to the sink again
    // between batches (the searches of one batch use up the zero-cost paths the last
    // lowering made).
    let closed: Vec<usize> = (0..occupied.len()).filter(|&p| !occupied[p]).collect();
    let batch = if closed.len() >= retighten.from {
        retighten.every.max(1)
    } else {
        closed.len().max(1)
    };
    let mut opened = occupied;
    let mut work_slots = 0;
    for (k, chunk) in closed.chunks(batch).enumerate() {
        if k > 0 {
            let open = Restricted {
                inner: places,
                rows: Some(&opened),
                capacity: None,
            };
            tighten_with(&open, &|_, _| C::ZERO, &mut turned, &incoming)?;
        }
        let mut late = vec![false; opened.len()];
        for &p in chunk {
            late[p] = true;
            opened[p] = true;
        }
        let (next, work) = insert_rows(places, |_, _| C::ZERO, &turned, &late, progress)?;
        turned = next;
        work_slots += work;
    }
    let solution = places.back(problem, slot_cost, &turned)?;
    Ok((solution, work_rows + work_slots))
}

/// Lowers every potential of `solution` (optimal for `problem`, with feasible duals)
/// by its node's reduced distance to the sink in the residual network, nodes that
/// cannot reach the sink by the greatest such distance. For a residual arc `a → b`,
/// `d(a) ≤ reduced(a, b) + d(b)`, so the new reduced cost `reduced(a, b) − d(a) + d(b)`
/// stays non-negative; and every node that reaches the sink now does so at reduced
/// distance 0, which prices each column at its cheapest way of giving up a row.
fn tighten<C: Cost, N: Network<C>>(
    problem: &N,
    slot_cost: &impl Fn(usize, u32) -> C,
    solution: &mut Solution<C>,
) -> Result<()> {
    tighten_with(problem, slot_cost, solution, &Incoming::new(problem))
}

/// [`tighten`] with the reversed adjacency of `problem`'s network, or of a network
/// `problem` is a view of (arcs the view hides are skipped).
fn tighten_with<C: Cost, N: Network<C>>(
    problem: &N,
    slot_cost: &impl Fn(usize, u32) -> C,
    solution: &mut Solution<C>,
    incoming: &Incoming,
) -> Result<()> {
    let (rows, cols) = (problem.rows(), problem.cols());
    let duals = &mut solution.duals;
    let pi_t = duals.sink;
    let mut given = vec![0u32; cols];
    let mut used: Vec<Option<C>> = vec![None; rows];
    for (r, &c) in solution.row_to_col.iter().enumerate() {
        if let Some(c) = c {
            given[c] += 1;
            used[r] = problem.cheapest(r, c);
        }
    }
    let (start, into) = (&incoming.start, &incoming.arcs);
    // Dijkstra towards the sink, over reversed residual arcs. Nodes: rows, then
    // columns.
    let mut dist: Vec<Option<C>> = vec![None; rows + cols];
    let mut done = vec![false; rows + cols];
    let mut heap = BinaryHeap::new();
    let offer = |v: usize, d: C, dist: &mut Vec<Option<C>>, heap: &mut BinaryHeap<_>| {
        if dist[v].is_none_or(|old| d < old) {
            dist[v] = Some(d);
            heap.push(Reverse((d, v)));
        }
    };
    for (r, used) in used.iter().enumerate() {
        // An assigned row may leave for the sink (stay unassigned).
        if used.is_some()
            && let Some(u) = problem.unassigned_cost(r)
        {
            offer(r, sub(add(u, duals.row[r])?, pi_t)?, &mut dist, &mut heap);
        }
    }
    for (c, &given) in given.iter().enumerate() {
        if given < problem.capacity(c) {
            let slot = slot_cost(c, given);
            let d = sub(add(slot, duals.col[c])?, pi_t)?;
            offer(rows + c, d, &mut dist, &mut heap);
        }
    }
    while let Some(Reverse((d, v))) = heap.pop() {
        if done[v] || dist[v] != Some(d) {
            continue;
        }
        done[v] = true;
        if v < rows {
            // Its column reaches it along the reverse of the arc it uses.
            if let (Some(c), Some(cost)) = (solution.row_to_col[v], used[v]) {
                let reduced = sub(duals.col[c], add(cost, duals.row[v])?)?;
                offer(rows + c, add(d, reduced)?, &mut dist, &mut heap);
            }
        } else {
            let c = v - rows;
            // A row assigned here uses one of its arcs into `c` (the cheapest), which
            // has no forward residual; any other arc into `c` does.
            let mut skipped = usize::MAX;
            for &(r, i) in &into[start[c]..start[c + 1]] {
                let (r, i) = (r as usize, i as usize);
                if !problem.arc_range(r).contains(&i) {
                    continue;
                }
                let cost = problem.arc_cost(r, i);
                if solution.row_to_col[r] == Some(c) && skipped != r && used[r] == Some(cost) {
                    skipped = r;
                    continue;
                }
                let reduced = sub(add(cost, duals.row[r])?, duals.col[c])?;
                offer(r, add(d, reduced)?, &mut dist, &mut heap);
            }
        }
    }
    let Some(far) = dist.iter().flatten().copied().max() else {
        return Ok(());
    };
    for (v, d) in dist.iter().enumerate() {
        let d = d.unwrap_or(far);
        let pi = if v < rows {
            &mut duals.row[v]
        } else {
            &mut duals.col[v - rows]
        };
        *pi = sub(*pi, d)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assign::{CapacitatedProblem, solve, verify, verify_network};
    use crate::testdata::Shape;

    #[test]
    fn tightened_duals_stay_feasible() {
        let mut next = crate::testdata::xorshift(0xbb67_ae85_84ca_a73bu64);
        let mut lowered = 0;
        for round in 0..3000 {
            let Shape {
                cols,
                rows,
                capacity,
                steps,
            } = Shape::random(&mut next, 4, 8, 3, 3);
            let slot = |c: usize, k: u32| steps[c] * i64::from(k);
            let mut problem = CapacitatedProblem::new(capacity.clone());
            for _ in 0..rows {
                let arcs = crate::testdata::random_arcs(&mut next, cols);
                // Now and then a row that must be assigned (so reaches the sink only
                // through another row), when it can be.
                let must = next(6) == 0 && arcs.iter().any(|&(c, _)| capacity[c] > 0);
                let unassigned = (!must).then(|| next(11) as i64 - 5);
                problem.add_row(unassigned, arcs).unwrap();
            }
            let Ok(mut solution) = solve(&problem, slot) else {
                continue;
            };
            // Half the time, close the slots left empty.
            let mut given = vec![0u32; cols];
            for &c in solution.row_to_col.iter().flatten() {
                given[c] += 1;
            }
            let closed = Restricted {
                inner: &problem,
                rows: None,
                capacity: (round % 2 == 0).then_some(given.as_slice()),
            };
            let before = solution.duals.clone();
            tighten(&closed, &slot, &mut solution).unwrap();
            assert!(
                verify_network(&closed, slot, &solution).is_ok(),
                "round {round}: {problem:?}"
            );
            lowered += usize::from(before != solution.duals);
        }
        assert!(lowered > 1000, "{lowered}");
    }

    #[test]
    fn rows_reinserted_after_gaining_arcs_equal_a_cold_solve() {
        let mut next = crate::testdata::xorshift(0xa54f_f53a_5f1d_36f1u64);
        let mut moved = 0;
        for round in 0..3000 {
            let Shape {
                cols,
                rows,
                capacity,
                steps,
            } = Shape::random(&mut next, 4, 9, 3, 3);
            let slot = |c: usize, k: u32| steps[c] * i64::from(k);
            let changed: Vec<bool> = (0..rows).map(|_| next(3) == 0).collect();
            let mut before = CapacitatedProblem::new(capacity.clone());
            let mut after = CapacitatedProblem::new(capacity.clone());
            for &gains in &changed {
                let mut arcs: Vec<(usize, i64)> = Vec::new();
                for c in 0..cols {
                    if next(3) > 0 {
                        arcs.push((c, next(41) as i64 - 30 - if next(4) == 0 { 60 } else { 0 }));
                    }
                }
                // A changed row saw only some of its arcs before.
                let kept: Vec<(usize, i64)> = if gains {
                    arcs.iter().copied().filter(|_| next(2) == 0).collect()
                } else {
                    arcs.clone()
                };
                let unassigned = Some(next(11) as i64 - 5);
                before.add_row(unassigned, kept).unwrap();
                after.add_row(unassigned, arcs).unwrap();
            }
            let previous = solve(&before, slot).unwrap();
            let quiet = &|_: usize, _: usize| {};
            let (warm, _) = reinsert_rows(&after, slot, &previous, &changed, quiet)
                .unwrap()
                .expect("every row may stay unassigned");
            let cold = solve(&after, slot).unwrap();
            assert_eq!(warm.cost, cold.cost, "round {round}: {after:?}");
            assert_eq!(verify(&after, slot, &warm), Ok(cold.cost), "round {round}");
            moved += usize::from(warm.row_to_col != previous.row_to_col);
        }
        assert!(moved > 500, "{moved}");
    }

    #[test]
    fn local_repairs_after_edits_equal_a_cold_solve() {
        // Columns reopened (no slots before), shrunk (their rows late) or unchanged;
        // rows that gained arcs; a few rows late besides.
        let mut next = crate::testdata::xorshift(0x3c6e_f372_fe94_f82bu64);
        let (mut solved, mut moved_in) = (0, 0);
        for round in 0..4000 {
            let Shape {
                cols,
                rows,
                capacity,
                steps,
            } = Shape::random(&mut next, 5, 10, 4, 3);
            let slot = |c: usize, k: u32| steps[c] * i64::from(k);
            let old_capacity: Vec<u32> = capacity
                .iter()
                .map(|&n| match next(4) {
                    0 => 0,
                    1 => n + 1,
                    _ => n,
                })
                .collect();
            let gained: Vec<bool> = (0..rows).map(|_| next(4) == 0).collect();
            let mut before = CapacitatedProblem::new(old_capacity.clone());
            let mut after = CapacitatedProblem::new(capacity.clone());
            for &gains in &gained {
                let arcs = crate::testdata::random_arcs(&mut next, cols);
                let kept: Vec<(usize, i64)> = if gains {
                    arcs.iter().copied().filter(|_| next(2) == 0).collect()
                } else {
                    arcs.clone()
                };
                let unassigned = Some(next(11) as i64 - 5);
                before.add_row(unassigned, kept).unwrap();
                after.add_row(unassigned, arcs).unwrap();
            }
            let mut previous = solve(&before, slot).unwrap();
            if round % 2 == 0 {
                // Columns given nobody priced at their first slot, as the matcher does.
                for (c, &cap) in old_capacity.iter().enumerate() {
                    if cap > 0 && !previous.row_to_col.contains(&Some(c)) {
                        previous.duals.col[c] = previous.duals.sink - slot(c, 0);
                    }
                }
            }
            // The rows of a shrunk column leave it, and now and then a row besides.
            let late: Vec<bool> = (0..rows)
                .map(|r| {
                    previous.row_to_col[r].is_some_and(|c| capacity[c] < old_capacity[c])
                        || next(10) == 0
                })
                .collect();
            let quiet = &|_: usize, _: usize| {};
            // A budget far above what problems this small need: a repair that loops
            // runs out of it instead of hanging the test.
            let (warm, _) =
                reinsert_rows_locally(&after, slot, &previous, &late, &gained, quiet, 1 << 20)
                    .unwrap()
                    .expect("within the budget");
            let cold = solve(&after, slot).unwrap();
            assert_eq!(warm.cost, cold.cost, "round {round}: {after:?}");
            assert_eq!(verify(&after, slot, &warm), Ok(cold.cost), "round {round}");
            solved += 1;
            // A row that was placed before moved into a reopened column: the repair of
            // its slots ran, not only the late rows' insertion.
            moved_in += usize::from((0..rows).any(|r| {
                !late[r]
                    && previous.row_to_col[r].is_some()
                    && warm.row_to_col[r].is_some_and(|c| old_capacity[c] == 0)
            }));
        }
        assert!(moved_in * 20 > solved, "{moved_in} of {solved}");
    }

    #[test]
    fn staged_solves_equal_a_one_sided_solve() {
        let mut next = crate::testdata::xorshift(0x6a09_e667_f3bc_c908u64);
        let (mut solved, mut moved_late) = (0, 0);
        for round in 0..3000 {
            let Shape {
                cols,
                rows,
                capacity,
                steps,
            } = Shape::random(&mut next, 4, 9, 3, 3);
            let slot = |c: usize, k: u32| steps[c] * i64::from(k);
            let mut problem = CapacitatedProblem::new(capacity.clone());
            // First rows are worth more (a tier), as in the matcher, but not always.
            let first: Vec<bool> = (0..rows).map(|_| next(3) == 0).collect();
            for &is_first in &first {
                let bonus = if is_first && round % 4 != 0 { 100 } else { 0 };
                let mut arcs: Vec<(usize, i64)> = Vec::new();
                for c in 0..cols {
                    // Now and then a second arc to the same column.
                    let copies = usize::from(next(3) > 0) + usize::from(next(5) == 0);
                    for _ in 0..copies {
                        arcs.push((c, next(41) as i64 - 30 - bonus));
                    }
                }
                problem.add_row(Some(next(11) as i64 - 5), arcs).unwrap();
            }
            let quiet = &|_: usize, _: usize| {};
            // Half the time, the closed slots come back in batches of one or two.
            let retighten = match round % 3 {
                0 => Retighten::DEFAULT,
                k => Retighten { every: k, from: 0 },
            };
            let (solution, _) = staged(&problem, slot, &first, retighten, quiet)
                .unwrap()
                .expect("every row may stay unassigned");
            let cold = solve(&problem, slot).unwrap();
            assert_eq!(solution.cost, cold.cost, "round {round}: {problem:?}");
            assert_eq!(
                verify(&problem, slot, &solution),
                Ok(cold.cost),
                "round {round}"
            );
            solved += 1;
            moved_late += (0..rows)
                .filter(|&r| !first[r] && solution.row_to_col[r].is_some())
                .count();
        }
        assert_eq!(solved, 3000);
        assert!(moved_late > 500, "{moved_late}");
    }
}
