//! Exact capacitated assignment: the solver under the cohort matcher.
//!
//! The problem: rows (recipients) and columns (mentors); each row may be given to one
//! column through one of its arcs, at the arc's cost, or left unassigned at the row's
//! `unassigned_cost`; column `c` takes at most `capacity[c]` rows, and the `k`-th row it
//! takes (from 0) adds `slot_cost(c, k)`, non-decreasing in `k` (convex slot costs).
//! [`solve`] returns an assignment of least total cost. This is a min-cost flow on a
//! bipartite network, and with all unassigned costs at 0 and negated weights it is a
//! maximum-weight capacitated matching of any size.
//!
//! # Algorithm
//! Successive shortest augmenting paths with dual potentials, the Hungarian method in
//! its Jonker–Volgenant form (R. Jonker and A. Volgenant, *A shortest augmenting path
//! algorithm for dense and sparse linear assignment problems*, Computing 38, 1987):
//! rows are added one at a time in input order; each addition runs Dijkstra on reduced
//! costs from the new row to the nearest free slot or unassigned option, then augments
//! along that path and updates the potentials of the settled nodes, which keeps every
//! reduced cost non-negative. Capacities are native: a column is one node whose outgoing
//! "slot" arc costs the next slot's price, so a column of capacity 10⁹ costs no more
//! memory than one of capacity 1. Convexity of slot costs is what keeps the reduced cost
//! of a column's next slot non-negative after its previous slot is used.
//!
//! Each addition costs one Dijkstra, `O((E + V) log V)` with a binary heap, so the
//! whole solve is `O(R (E + V) log V)` time for `R` rows, `E` arcs and `V = rows +
//! columns`, and `O(E + V)` space.
//!
//! # Exactness and determinism
//! Costs are integers ([`Cost`] is implemented for `i64` and `i128`), and every
//! addition and subtraction is checked: the result is either exactly optimal or
//! [`Error::CostOverflow`], never a wrapped number. The heap
//! breaks equal distances by node index, so the same problem always gives the same
//! assignment: among optimal assignments, the one reached by adding rows in input order.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt::Debug;

use crate::error::{Error, Result};

mod sealed {
    pub trait Sealed {}
    impl Sealed for i64 {}
    impl Sealed for i128 {}
}
pub(crate) use sealed::Sealed;

/// An exact integer cost the solver can add, subtract and compare.
///
/// Implemented for `i64` and `i128`; sealed, so the solver's overflow checks cover every
/// implementation.
pub trait Cost: Copy + Ord + Debug + Sealed {
    /// The cost of nothing.
    const ZERO: Self;
    /// `self + rhs`, or `None` on overflow.
    fn checked_add(self, rhs: Self) -> Option<Self>;
    /// `self - rhs`, or `None` on overflow.
    fn checked_sub(self, rhs: Self) -> Option<Self>;
}

macro_rules! int_cost {
    ($($t:ty),*) => {$(
        impl Cost for $t {
            const ZERO: Self = 0;
            fn checked_add(self, rhs: Self) -> Option<Self> {
                <$t>::checked_add(self, rhs)
            }
            fn checked_sub(self, rhs: Self) -> Option<Self> {
                <$t>::checked_sub(self, rhs)
            }
        }
    )*};
}
int_cost!(i64, i128);

/// A sparse capacitated assignment problem, stored row by row (CSR).
///
/// ```
/// use peermatch::assign::{solve, CapacitatedProblem};
///
/// // Two columns: column 0 takes up to two rows, column 1 one row.
/// let mut problem = CapacitatedProblem::new(vec![2, 1]);
/// problem.add_row(0, [(0, -5), (1, -4)])?; // a row may stay unassigned at cost 0
/// problem.add_row(0, [(0, -5)])?;
/// problem.add_row(0, [(0, -3), (1, -1)])?;
/// // The second row a column takes costs 1 more than the first.
/// let solution = solve(&problem, |_col, k| i64::from(k))?;
/// assert_eq!(solution.row_to_col, [Some(1), Some(0), Some(0)]);
/// assert_eq!(solution.cost, -4 - 5 - 3 + 1);
/// # Ok::<(), peermatch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapacitatedProblem<C> {
    capacity: Vec<u32>,
    row_start: Vec<usize>,
    arc_col: Vec<u32>,
    arc_cost: Vec<C>,
    unassigned: Vec<C>,
}

impl<C: Cost> CapacitatedProblem<C> {
    /// A problem with no rows and one column per capacity.
    pub fn new(capacity: Vec<u32>) -> Self {
        CapacitatedProblem {
            capacity,
            row_start: vec![0],
            arc_col: Vec::new(),
            arc_cost: Vec::new(),
            unassigned: Vec::new(),
        }
    }

    /// Appends a row that may take any of `arcs` (`(column, cost)`) or stay unassigned at
    /// `unassigned_cost`, and returns its index. A column listed twice keeps both arcs;
    /// the cheaper one is the one ever used.
    ///
    /// # Errors
    /// [`Error::ColumnOutOfRange`] when an arc names a column that does not exist.
    pub fn add_row(
        &mut self,
        unassigned_cost: C,
        arcs: impl IntoIterator<Item = (usize, C)>,
    ) -> Result<usize> {
        let row = self.unassigned.len();
        let start = self.arc_col.len();
        for (col, cost) in arcs {
            if col >= self.capacity.len() {
                self.arc_col.truncate(start);
                self.arc_cost.truncate(start);
                return Err(Error::ColumnOutOfRange {
                    row,
                    col,
                    cols: self.capacity.len(),
                });
            }
            self.arc_col.push(col as u32);
            self.arc_cost.push(cost);
        }
        self.unassigned.push(unassigned_cost);
        self.row_start.push(self.arc_col.len());
        Ok(row)
    }

    /// Number of rows added so far.
    pub fn rows(&self) -> usize {
        self.unassigned.len()
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.capacity.len()
    }

    fn arcs(&self, row: usize) -> impl Iterator<Item = (usize, C)> + '_ {
        let range = self.row_start[row]..self.row_start[row + 1];
        self.arc_col[range.clone()]
            .iter()
            .zip(&self.arc_cost[range])
            .map(|(&c, &cost)| (c as usize, cost))
    }
}

/// An optimal assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution<C> {
    /// For each row, the column it was given, or `None` when left unassigned.
    pub row_to_col: Vec<Option<usize>>,
    /// Total cost: the arcs used, the unassigned rows' costs, and every slot used.
    pub cost: C,
}

const NONE: u32 = u32::MAX;

/// How the shortest augmenting path of one row addition ends.
#[derive(Clone, Copy)]
enum End {
    /// In the next free slot of this column.
    Slot(usize),
    /// By leaving this row unassigned.
    Unassigned(usize),
}

fn add<C: Cost>(a: C, b: C) -> Result<C> {
    a.checked_add(b).ok_or(Error::CostOverflow)
}

fn sub<C: Cost>(a: C, b: C) -> Result<C> {
    a.checked_sub(b).ok_or(Error::CostOverflow)
}

/// Solves `problem` exactly with per-slot costs `slot_cost(column, k)` for the `k`-th row
/// (from 0) a column takes.
///
/// `slot_cost` must be non-decreasing in `k` for every column (convex slot costs; a
/// constant 0 is fine); the solver calls it only with `k < capacity`.
///
/// # Complexity
/// `O(R (E + V) log V)` time and `O(E + V)` space, for `R` rows, `E` arcs and
/// `V` rows plus columns.
///
/// # Errors
/// [`Error::CostOverflow`] when an intermediate sum leaves the cost type's range;
/// use `i128` costs for such magnitudes.
///
/// ```
/// use peermatch::assign::{solve, CapacitatedProblem};
///
/// // A 2 × 2 assignment problem; unassigned rows would cost 100, so both are assigned.
/// let mut problem = CapacitatedProblem::<i64>::new(vec![1, 1]);
/// problem.add_row(100, [(0, 4), (1, 1)])?;
/// problem.add_row(100, [(0, 2), (1, 0)])?;
/// let solution = solve(&problem, |_, _| 0)?;
/// assert_eq!(solution.row_to_col, [Some(1), Some(0)]);
/// assert_eq!(solution.cost, 3);
/// # Ok::<(), peermatch::Error>(())
/// ```
pub fn solve<C: Cost>(
    problem: &CapacitatedProblem<C>,
    slot_cost: impl Fn(usize, u32) -> C,
) -> Result<Solution<C>> {
    let rows = problem.rows();
    let cols = problem.cols();
    let node_count = rows + cols;
    let col_node = |c: usize| rows + c;

    // Potentials: rows, then columns; `pi_t` is the sink's (every slot and every
    // unassigned option is an arc into the sink).
    let mut pi = vec![C::ZERO; node_count];
    let mut pi_t = C::ZERO;
    let mut first = true;
    for c in 0..cols {
        if problem.capacity[c] > 0 {
            let s = slot_cost(c, 0);
            if first || s < pi_t {
                pi_t = s;
                first = false;
            }
        }
    }

    let mut given = vec![0u32; cols];
    let mut row_col = vec![NONE; rows];
    let mut row_cost = vec![C::ZERO; rows];
    let mut col_rows: Vec<Vec<u32>> = vec![Vec::new(); cols];

    // Dijkstra state, reset through `touched` after each row.
    let mut dist = vec![C::ZERO; node_count];
    let mut reached = vec![false; node_count];
    let mut settled = vec![false; node_count];
    let mut pred_row = vec![NONE; cols];
    let mut pred_cost = vec![C::ZERO; cols];
    let mut touched: Vec<usize> = Vec::new();
    let mut settled_list: Vec<(usize, C)> = Vec::new();
    let mut heap: BinaryHeap<Reverse<(C, usize)>> = BinaryHeap::new();

    for r0 in 0..rows {
        // The new row's potential makes its outgoing reduced costs non-negative.
        let mut p0 = sub(pi_t, problem.unassigned[r0])?;
        for (c, cost) in problem.arcs(r0) {
            let need = sub(pi[col_node(c)], cost)?;
            p0 = p0.max(need);
        }
        pi[r0] = p0;

        let mut best: Option<(C, End)> = None;
        dist[r0] = C::ZERO;
        reached[r0] = true;
        touched.push(r0);
        heap.push(Reverse((C::ZERO, r0)));
        while let Some(Reverse((d, x))) = heap.pop() {
            if settled[x] || d > dist[x] {
                continue;
            }
            if best.is_some_and(|(delta, _)| d >= delta) {
                break;
            }
            settled[x] = true;
            settled_list.push((x, d));
            let mut relax = |node: usize, nd: C, heap: &mut BinaryHeap<Reverse<(C, usize)>>| {
                if !reached[node] || nd < dist[node] {
                    if !reached[node] {
                        reached[node] = true;
                        touched.push(node);
                    }
                    dist[node] = nd;
                    heap.push(Reverse((nd, node)));
                    true
                } else {
                    false
                }
            };
            if x < rows {
                // Row x: leave it unassigned, or move it to another column.
                let end = add(d, sub(add(problem.unassigned[x], pi[x])?, pi_t)?)?;
                if best.is_none_or(|(delta, _)| end < delta) {
                    best = Some((end, End::Unassigned(x)));
                }
                let own = row_col[x];
                for (c, cost) in problem.arcs(x) {
                    if c as u32 == own {
                        continue;
                    }
                    let v = col_node(c);
                    let nd = add(d, sub(add(cost, pi[x])?, pi[v])?)?;
                    if relax(v, nd, &mut heap) {
                        pred_row[c] = x as u32;
                        pred_cost[c] = cost;
                    }
                }
            } else {
                // Column c: take a free slot, or push one of its rows elsewhere.
                let c = x - rows;
                if given[c] < problem.capacity[c] {
                    let slot = slot_cost(c, given[c]);
                    let end = add(d, sub(add(slot, pi[x])?, pi_t)?)?;
                    if best.is_none_or(|(delta, _)| end < delta) {
                        best = Some((end, End::Slot(c)));
                    }
                }
                for &r in &col_rows[c] {
                    let r = r as usize;
                    let nd = add(d, sub(sub(pi[x], row_cost[r])?, pi[r])?)?;
                    relax(r, nd, &mut heap);
                }
            }
        }
        let (delta, end) = best.expect("the new row's unassigned option is always a path end");

        // Potential update: settled nodes move by their distance minus the path length,
        // which keeps every reduced cost non-negative and the path tight.
        for &(x, d) in &settled_list {
            pi[x] = add(pi[x], sub(d, delta)?)?;
        }

        // Augment along the path, walking back from its end.
        let mut col = match end {
            End::Slot(c) => {
                given[c] += 1;
                Some(c)
            }
            End::Unassigned(x) => {
                let old = row_col[x];
                row_col[x] = NONE;
                if x == r0 {
                    None
                } else {
                    remove(&mut col_rows[old as usize], x);
                    Some(old as usize)
                }
            }
        };
        while let Some(c) = col {
            let r = pred_row[c] as usize;
            let old = row_col[r];
            row_col[r] = c as u32;
            row_cost[r] = pred_cost[c];
            col_rows[c].push(r as u32);
            if r == r0 {
                col = None;
            } else {
                remove(&mut col_rows[old as usize], r);
                col = Some(old as usize);
            }
        }

        for &x in &touched {
            reached[x] = false;
            settled[x] = false;
        }
        touched.clear();
        settled_list.clear();
        heap.clear();
    }

    let mut cost = C::ZERO;
    for r in 0..rows {
        let part = if row_col[r] == NONE {
            problem.unassigned[r]
        } else {
            row_cost[r]
        };
        cost = add(cost, part)?;
    }
    for (c, &n) in given.iter().enumerate() {
        for k in 0..n {
            cost = add(cost, slot_cost(c, k))?;
        }
    }
    Ok(Solution {
        row_to_col: row_col
            .into_iter()
            .map(|c| (c != NONE).then_some(c as usize))
            .collect(),
        cost,
    })
}

fn remove(list: &mut Vec<u32>, row: usize) {
    if let Some(i) = list.iter().position(|&r| r as usize == row) {
        list.swap_remove(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every assignment of rows to columns (or none) that respects capacities.
    fn brute_force(problem: &CapacitatedProblem<i64>, slot: &dyn Fn(usize, u32) -> i64) -> i64 {
        fn go(
            p: &CapacitatedProblem<i64>,
            slot: &dyn Fn(usize, u32) -> i64,
            row: usize,
            given: &mut Vec<u32>,
            acc: i64,
            best: &mut i64,
        ) {
            if row == p.rows() {
                *best = (*best).min(acc);
                return;
            }
            go(p, slot, row + 1, given, acc + p.unassigned[row], best);
            for (c, cost) in p.arcs(row) {
                if given[c] < p.capacity[c] {
                    let s = slot(c, given[c]);
                    given[c] += 1;
                    go(p, slot, row + 1, given, acc + cost + s, best);
                    given[c] -= 1;
                }
            }
        }
        let mut best = i64::MAX;
        go(problem, slot, 0, &mut vec![0; problem.cols()], 0, &mut best);
        best
    }

    #[test]
    fn empty_problems() {
        let p = CapacitatedProblem::<i64>::new(vec![]);
        let s = solve(&p, |_, _| 0).unwrap();
        assert!(s.row_to_col.is_empty());
        assert_eq!(s.cost, 0);

        let mut p = CapacitatedProblem::<i64>::new(vec![]);
        p.add_row(7, []).unwrap();
        let s = solve(&p, |_, _| 0).unwrap();
        assert_eq!(s.row_to_col, [None]);
        assert_eq!(s.cost, 7);
    }

    #[test]
    fn column_out_of_range_is_an_error_and_leaves_the_problem_unchanged() {
        let mut p = CapacitatedProblem::<i64>::new(vec![1]);
        let err = p.add_row(0, [(0, 1), (3, 1)]).unwrap_err();
        assert_eq!(
            err,
            Error::ColumnOutOfRange {
                row: 0,
                col: 3,
                cols: 1
            }
        );
        assert_eq!(p.rows(), 0);
        assert_eq!(p, CapacitatedProblem::new(vec![1]));
    }

    #[test]
    fn overflow_is_reported_not_wrapped() {
        let mut p = CapacitatedProblem::<i64>::new(vec![1]);
        p.add_row(i64::MAX, [(0, i64::MIN)]).unwrap();
        assert_eq!(solve(&p, |_, _| 0), Err(Error::CostOverflow));
    }

    #[test]
    fn rerouting_through_a_full_column() {
        // Row 0 prefers column 0; row 1 can only use column 0 and values it more, so
        // row 0 must move to column 1 along an augmenting path through column 0.
        let mut p = CapacitatedProblem::<i64>::new(vec![1, 1]);
        p.add_row(0, [(0, -10), (1, -9)]).unwrap();
        p.add_row(0, [(0, -10)]).unwrap();
        let s = solve(&p, |_, _| 0).unwrap();
        assert_eq!(s.row_to_col, [Some(1), Some(0)]);
        assert_eq!(s.cost, -19);
    }

    #[test]
    fn convex_slot_costs_spread_rows() {
        // One column of capacity 3 whose k-th slot costs 4k: the third row is worth
        // only 5, less than its slot cost 8, so it stays unassigned.
        let mut p = CapacitatedProblem::<i64>::new(vec![3]);
        for _ in 0..3 {
            p.add_row(0, [(0, -5)]).unwrap();
        }
        let s = solve(&p, |_, k| 4 * i64::from(k)).unwrap();
        assert_eq!(s.row_to_col.iter().flatten().count(), 2);
        assert_eq!(s.cost, -5 - 5 + 4);
    }

    #[test]
    fn huge_capacity_costs_nothing_extra() {
        let mut p = CapacitatedProblem::<i64>::new(vec![u32::MAX]);
        for _ in 0..4 {
            p.add_row(0, [(0, -1)]).unwrap();
        }
        let s = solve(&p, |_, _| 0).unwrap();
        assert_eq!(s.row_to_col, [Some(0); 4]);
    }

    #[test]
    fn matches_brute_force_on_small_random_problems() {
        // A small deterministic generator keeps this unit test free of dependencies;
        // the proptest suite in tests/ covers the cohort-level solver more widely.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for _ in 0..400 {
            let cols = next(4) as usize + 1;
            let rows = next(6) as usize;
            let capacity: Vec<u32> = (0..cols).map(|_| next(3) as u32).collect();
            let mut p = CapacitatedProblem::new(capacity);
            for _ in 0..rows {
                let mut arcs: Vec<(usize, i64)> = Vec::new();
                for c in 0..cols {
                    if next(3) > 0 {
                        arcs.push((c, next(41) as i64 - 30));
                    }
                }
                p.add_row(next(11) as i64 - 5, arcs).unwrap();
            }
            let steps: Vec<i64> = (0..cols).map(|_| next(4) as i64).collect();
            let slot = |c: usize, k: u32| steps[c] * i64::from(k) + steps[c] / 2;
            let s = solve(&p, slot).unwrap();
            assert_eq!(s.cost, brute_force(&p, &slot), "problem {p:?}");
            let mut used = vec![0; cols];
            let mut recomputed = 0;
            for (r, col) in s.row_to_col.iter().enumerate() {
                match col {
                    None => recomputed += p.unassigned[r],
                    Some(c) => {
                        recomputed += p.arcs(r).filter(|a| a.0 == *c).map(|a| a.1).min().unwrap();
                        recomputed += slot(*c, used[*c]);
                        used[*c] += 1;
                    }
                }
            }
            assert_eq!(recomputed, s.cost);
            assert!(used.iter().zip(&p.capacity).all(|(u, cap)| u <= cap));
        }
    }
}
