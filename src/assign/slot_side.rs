//! Solving a capacitated problem from the slots' side.
//!
//! Successive shortest paths adds one unit of supply at a time. Adding the *rows* one by
//! one is natural, but when slots are scarce — a few thousand mentors with a few slots
//! each, for a hundred thousand recipients — most rows cannot be placed, and each of
//! them searches every alternating path before it settles for staying unassigned. The
//! same flow can be built from the other side: each usable slot (column `c`'s `k`-th
//! slot) is a supply unit that either takes a row or stays empty, and rows become
//! capacity-1 sinks. Every slot then finds a free row within a few steps, because free
//! rows are plentiful, and there are only as many searches as slots.
//!
//! Adding supply units in any order by shortest paths gives a min-cost flow (Ahuja,
//! Magnanti and Orlin, *Network Flows*, 1993, §9.7: each augmentation from a new unit
//! of supply along a shortest residual path keeps the flow optimal for the supplies
//! added so far), so the result is exactly optimal for the original problem.
//!
//! # The transposed network
//! Slot `(c, k)` gets one arc per arc `r → c` of the original, to row `r`, at cost
//! `cost(r, c) + slot_cost(c, k) − unassigned_cost(r)`, and may stay empty at cost 0.
//! The slots of one column share a single arc list (the solver reads a column's
//! arcs; it never copies them per slot). Column `c` gets `min(capacity, arcs + 1)`
//! slots: it can never take more rows than it has arcs, and the one spare slot is
//! what proves its next slot's reduced cost non-negative below.
//!
//! Only problems in which every row may stay unassigned can be turned around (a row
//! that must be assigned would be a sink that must be reached).
//!
//! # Duals back
//! With `g(s)` a slot's potential and `q(r)` a row's, both relative to the transposed
//! sink, the original problem's duals are: row `r`: `−unassigned_cost(r) − q(r)`;
//! column `c`: `−min_k (slot_cost(c, k) + g(c, k))`; sink: 0. Every residual arc of the
//! original then has a non-negative reduced cost (each one is a residual arc of the
//! transposed network, or bounded by one); [`verify`](super::verify) checks this
//! independently, and the tests check it on random problems.

use super::error::Result;
use super::sparse::{Duals, Network, Solution, slots_cost};
use super::{Cost, add, sub};

/// The slots' side of a network (see the module docs). Rows are slots; columns are
/// the original rows, each of capacity 1.
pub(super) struct SlotSide<C> {
    /// Per slot: its column in the original.
    slot_col: Vec<u32>,
    /// Per slot: the slot cost it stands for.
    slot_price: Vec<C>,
    /// Per original column, the start of its arcs in `arc_row` / `arc_cost`.
    col_start: Vec<usize>,
    /// Per transposed arc: the original row.
    arc_row: Vec<u32>,
    /// Per transposed arc: the original cost minus the row's unassigned cost.
    arc_cost: Vec<C>,
    /// Number of original rows.
    rows: usize,
}

impl<C: Cost> SlotSide<C> {
    /// The slots' side of `problem`, or `None` when it should be solved from the rows:
    /// some row must be assigned, there are at least as many slots as rows, or a
    /// transposed cost would not fit `C`.
    pub(super) fn new<N: Network<C>>(
        problem: &N,
        slot_cost: &impl Fn(usize, u32) -> C,
    ) -> Option<Self> {
        Self::build(problem, slot_cost, false)
    }

    /// The slots' side of `problem`, however many slots there are (`always`), or
    /// only when there are fewer than rows; `None` when some row must be assigned or
    /// a transposed cost would not fit `C`.
    pub(super) fn build<N: Network<C>>(
        problem: &N,
        slot_cost: &impl Fn(usize, u32) -> C,
        always: bool,
    ) -> Option<Self> {
        let (rows, cols) = (problem.rows(), problem.cols());
        let mut unassigned = Vec::with_capacity(rows);
        for r in 0..rows {
            unassigned.push(problem.unassigned_cost(r)?);
        }
        let mut indegree = vec![0usize; cols];
        for r in 0..rows {
            for i in problem.arc_range(r) {
                indegree[problem.arc_col(i)] += 1;
            }
        }
        let slots_of = |c: usize| {
            let cap = problem.capacity(c) as usize;
            if cap == 0 || indegree[c] == 0 {
                0
            } else {
                cap.min(indegree[c] + 1)
            }
        };
        let total: usize = (0..cols).map(slots_of).sum();
        if (total >= rows && !always) || rows > u32::MAX as usize {
            return None;
        }

        let mut col_start = Vec::with_capacity(cols + 1);
        col_start.push(0);
        for &d in &indegree {
            col_start.push(col_start.last().copied().unwrap_or(0) + d);
        }
        let arcs = col_start[cols];
        let mut next = col_start.clone();
        let mut arc_row = vec![0u32; arcs];
        let mut arc_cost = vec![C::ZERO; arcs];
        // Per column, the least and greatest transposed arc cost, for the range check.
        let mut range: Vec<Option<(C, C)>> = vec![None; cols];
        for (r, &u) in unassigned.iter().enumerate() {
            for i in problem.arc_range(r) {
                let c = problem.arc_col(i);
                let cost = problem.arc_cost(r, i).checked_sub(u)?;
                let slot = &mut next[c];
                arc_row[*slot] = r as u32;
                arc_cost[*slot] = cost;
                *slot += 1;
                range[c] = Some(match range[c] {
                    Some((lo, hi)) => (lo.min(cost), hi.max(cost)),
                    None => (cost, cost),
                });
            }
        }
        let mut slot_col = Vec::with_capacity(total);
        let mut slot_price = Vec::with_capacity(total);
        for (c, extremes) in range.iter().enumerate() {
            for k in 0..slots_of(c) as u32 {
                let slot = slot_cost(c, k);
                // The solver adds a slot's cost to each of its arcs: the sums at
                // the extremes fit, so every sum does.
                if let Some((lo, hi)) = *extremes {
                    lo.checked_add(slot)?;
                    hi.checked_add(slot)?;
                }
                slot_col.push(c as u32);
                slot_price.push(slot);
            }
        }
        Some(SlotSide {
            slot_col,
            slot_price,
            col_start,
            arc_row,
            arc_cost,
            rows,
        })
    }

    /// The transposed view of `solution`, an optimal solution of `problem` with each
    /// column `c` capped at the rows it was given (its first slots occupied, the
    /// others not yet added), and which slots it occupies: the slots' side can then
    /// add the others one by one (`insert_rows`). The inverse of [`SlotSide::back`],
    /// with `R`, `P` the original duals relative to its sink:
    /// - an assigned row's `R` is first raised until the arc it uses is tight
    ///   (`R = P(c) − cost`; that only raises reduced costs of arcs out of it, and no
    ///   residual arc enters an assigned row but the one it uses), so that the rows of
    ///   one column stand level and may trade slots;
    /// - a row's potential is then `q(r) = −unassigned_cost(r) − R(r)`, an occupied
    ///   slot's `g = −P(c) − slot_cost(c, k)`, the transposed sink 0.
    ///
    /// Each reduced cost of the transposed network among the occupied slots is then
    /// one of the original's: slot `(c, k)` to row `r` is `cost(r, c) + R(r) − P(c)`,
    /// staying empty is `−(slot_cost(c, k) + P(c))`, a row's slot is its
    /// unassigned option. So the view is a valid warm start.
    pub(super) fn turn<N: Network<C>>(
        &self,
        problem: &N,
        slot_cost: &impl Fn(usize, u32) -> C,
        solution: &Solution<C>,
    ) -> Result<(Solution<C>, Vec<bool>)> {
        let (rows, cols) = (problem.rows(), problem.cols());
        let sink = solution.duals.sink;
        let mut holders: Vec<Vec<usize>> = vec![Vec::new(); cols];
        for (r, &c) in solution.row_to_col.iter().enumerate() {
            if let Some(c) = c {
                holders[c].push(r);
            }
        }
        let places = self.slot_col.len();
        let mut row_to_col = vec![None; places];
        let mut slot_dual = vec![C::ZERO; places];
        let mut occupied = vec![false; places];
        let mut cost = C::ZERO;
        let mut k_of = vec![0u32; cols];
        // Assigned rows' `R`, raised to make the arc they use tight.
        let mut level: Vec<Option<C>> = vec![None; rows];
        for (place, &c) in self.slot_col.iter().enumerate() {
            let c = c as usize;
            let k = k_of[c];
            k_of[c] += 1;
            let Some(&h) = holders[c].get(k as usize) else {
                continue;
            };
            let used = problem
                .cheapest(h, c)
                .expect("a row is only given a column it has an arc to");
            let p_c = sub(solution.duals.col[c], sink)?;
            slot_dual[place] = sub(sub(C::ZERO, p_c)?, slot_cost(c, k))?;
            level[h] = Some(sub(p_c, used)?);
            row_to_col[place] = Some(h);
            occupied[place] = true;
            let u = problem.unassigned_cost(h).expect("turned problems only");
            cost = add(cost, add(sub(used, u)?, slot_cost(c, k))?)?;
        }
        // A column has a slot for each row it can take (`min(capacity, arcs + 1)`).
        debug_assert!((0..cols).all(|c| holders[c].len() <= k_of[c] as usize));
        let mut row_dual = Vec::with_capacity(rows);
        for (r, raised) in level.into_iter().enumerate() {
            let u = problem.unassigned_cost(r).expect("turned problems only");
            let r_r = match raised {
                Some(raised) => raised,
                None => sub(solution.duals.row[r], sink)?,
            };
            row_dual.push(sub(sub(C::ZERO, u)?, r_r)?);
        }
        let turned = Solution {
            row_to_col,
            cost,
            duals: Duals {
                row: slot_dual,
                col: row_dual,
                sink: C::ZERO,
            },
        };
        Ok((turned, occupied))
    }

    /// The original problem's solution from the transposed one's.
    pub(super) fn back<N: Network<C>>(
        &self,
        problem: &N,
        slot_cost: &impl Fn(usize, u32) -> C,
        turned: &Solution<C>,
    ) -> Result<Solution<C>> {
        let (rows, cols) = (problem.rows(), problem.cols());
        let sink = turned.duals.sink;
        let mut row_to_col = vec![None; rows];
        for (place, &row) in turned.row_to_col.iter().enumerate() {
            if let Some(r) = row {
                row_to_col[r] = Some(self.slot_col[place] as usize);
            }
        }
        // Rows: −unassigned − q(r).
        let mut row_dual = Vec::with_capacity(rows);
        for r in 0..rows {
            let u = problem
                .unassigned_cost(r)
                .expect("only problems whose rows may all stay unassigned are turned");
            let q = sub(turned.duals.col[r], sink)?;
            row_dual.push(sub(sub(C::ZERO, u)?, q)?);
        }
        // Columns with slots: −min over them of slot cost + g.
        let mut col_dual: Vec<Option<C>> = vec![None; cols];
        for (place, &c) in self.slot_col.iter().enumerate() {
            let g = sub(turned.duals.row[place], sink)?;
            let h = add(self.slot_price[place], g)?;
            let c = c as usize;
            col_dual[c] = Some(col_dual[c].map_or(h, |m: C| m.min(h)));
        }
        let mut col = Vec::with_capacity(cols);
        for (c, h) in col_dual.into_iter().enumerate() {
            col.push(match h {
                Some(h) => sub(C::ZERO, h)?,
                // No slots: with capacity (and so no arcs), the lowest potential the
                // first slot allows; without, low enough for every arc into it.
                None if problem.capacity(c) > 0 => sub(C::ZERO, slot_cost(c, 0))?,
                None => {
                    let mut low: Option<C> = None;
                    for t in self.col_start[c]..self.col_start[c + 1] {
                        let r = self.arc_row[t] as usize;
                        let u = problem.unassigned_cost(r).expect("turned problems only");
                        let cost = add(self.arc_cost[t], u)?;
                        let p = add(cost, row_dual[r])?;
                        low = Some(low.map_or(p, |m| m.min(p)));
                    }
                    low.unwrap_or(C::ZERO)
                }
            });
        }
        // The cost, recomputed in the original's terms.
        let mut cost = C::ZERO;
        let mut given = vec![0u32; cols];
        for (r, &assigned) in row_to_col.iter().enumerate() {
            let part = match assigned {
                Some(c) => {
                    given[c] += 1;
                    problem
                        .cheapest(r, c)
                        .expect("a place only takes a row through one of its arcs")
                }
                None => problem.unassigned_cost(r).expect("turned problems only"),
            };
            cost = add(cost, part)?;
        }
        let cost = add(cost, slots_cost(&given, slot_cost)?)?;
        Ok(Solution {
            row_to_col,
            cost,
            duals: Duals {
                row: row_dual,
                col,
                sink: C::ZERO,
            },
        })
    }
}

impl<C: Cost> Network<C> for SlotSide<C> {
    fn rows(&self) -> usize {
        self.slot_col.len()
    }
    fn cols(&self) -> usize {
        self.rows
    }
    fn arcs_len(&self) -> usize {
        self.arc_row.len()
    }
    fn capacity(&self, _col: usize) -> u32 {
        1
    }
    fn unassigned_cost(&self, _row: usize) -> Option<C> {
        Some(C::ZERO)
    }
    #[inline]
    fn arc_range(&self, place: usize) -> std::ops::Range<usize> {
        let c = self.slot_col[place] as usize;
        self.col_start[c]..self.col_start[c + 1]
    }
    #[inline]
    fn arc_col(&self, arc: usize) -> usize {
        self.arc_row[arc] as usize
    }
    #[inline]
    fn arc_cost(&self, place: usize, arc: usize) -> C {
        self.arc_cost[arc]
            .checked_add(self.slot_price[place])
            .expect("checked against the column's extreme arc costs when built")
    }
    /// The slots of one column share its arc list, each adding its slot cost.
    #[inline]
    fn same_arcs(&self, place: usize) -> Option<(usize, C)> {
        Some((self.slot_col[place] as usize, self.slot_price[place]))
    }
    fn same_arcs_groups(&self) -> usize {
        self.col_start.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assign::CapacitatedProblem;
    use crate::assign::sparse::add_rows;
    use crate::testdata::Shape;

    /// A network as given, without its same-arcs groups: every row's arcs are scanned.
    struct NoSameArcs<'a, N>(&'a N);

    impl<C: Cost, N: Network<C>> Network<C> for NoSameArcs<'_, N> {
        fn rows(&self) -> usize {
            self.0.rows()
        }
        fn cols(&self) -> usize {
            self.0.cols()
        }
        fn arcs_len(&self) -> usize {
            self.0.arcs_len()
        }
        fn capacity(&self, col: usize) -> u32 {
            self.0.capacity(col)
        }
        fn unassigned_cost(&self, row: usize) -> Option<C> {
            self.0.unassigned_cost(row)
        }
        fn arc_range(&self, row: usize) -> std::ops::Range<usize> {
            self.0.arc_range(row)
        }
        fn arc_col(&self, arc: usize) -> usize {
            self.0.arc_col(arc)
        }
        fn arc_cost(&self, row: usize, arc: usize) -> C {
            self.0.arc_cost(row, arc)
        }
    }

    /// The same flow, duals and nodes settled with same-arcs rows skipped as without. (On
    /// the slots' side the first row of a group a search scans always has the least offset: a
    /// later one at a lower offset would close a negative cycle through the two, which
    /// an optimal flow has none of. So only the skip itself is exercised here, not the
    /// offset comparison, which guards networks where that does not hold.)
    #[test]
    fn skipping_same_arcs_rows_changes_nothing() {
        let mut next = crate::testdata::xorshift(0x3c6e_f372_fe94_f82bu64);
        let mut slots_added = 0;
        for round in 0..3000 {
            let Shape {
                cols,
                rows,
                capacity,
                steps,
            } = Shape::random(&mut next, 5, 12, 5, 6);
            let slot = |c: usize, k: u32| steps[c] * i64::from(k) * i64::from(k);
            let mut problem = CapacitatedProblem::new(capacity);
            for _ in 0..rows {
                let arcs = crate::testdata::random_arcs(&mut next, cols);
                problem.add_row(Some(next(21) as i64 - 10), arcs).unwrap();
            }
            let places = SlotSide::build(&problem, &slot, true).expect("every row may stay out");
            let with = add_rows(&places, |_, _| 0, &|_, _| {}).unwrap();
            let without = add_rows(&NoSameArcs(&places), |_, _| 0, &|_, _| {}).unwrap();
            assert_eq!(with.0.row_to_col, without.0.row_to_col, "round {round}");
            assert_eq!(with.0.duals, without.0.duals, "round {round}");
            assert_eq!(with.1, without.1, "round {round}: nodes settled");
            slots_added += places.rows();
        }
        assert!(slots_added > 5000, "{slots_added}");
    }
}
