//! The sparse capacitated solver: successive shortest augmenting paths with potentials.
//!
//! The problem: rows and columns; each row may be given to one column through one of
//! its arcs, at the arc's cost, or — when it has one — left unassigned at its
//! `unassigned_cost`; column `c` takes at most `capacity[c]` rows, and the `k`-th row it
//! takes (from 0) adds `slot_cost(c, k)`, non-decreasing in `k` (convex slot costs).
//! This is a min-cost flow on a bipartite network: a source gives each row one unit,
//! which reaches the sink through a column and one of its slots, or through the row's
//! unassigned arc.
//!
//! # Algorithm
//! Rows are added one at a time in input order; each addition runs Dijkstra on reduced
//! costs from the new row to the nearest free slot or unassigned option, augments
//! along that path, and lowers the potentials of the settled nodes by their distance
//! short of the path length, which keeps every reduced cost non-negative (Jonker and
//! Volgenant 1987; the rectangular form is the successive-shortest-path min-cost flow of
//! Ahuja, Magnanti and Orlin, *Network Flows*, 1993, §9.7). A column is one node whose
//! arc to the sink costs the next slot's price, so capacities are native; convexity
//! keeps the next slot's reduced cost non-negative once the previous one is used.
//!
//! When there are fewer usable slots than rows and every row may stay unassigned, the
//! same algorithm runs on the transposed network instead, adding slots rather than rows
//! (see the `slots` module); the flow and duals are mapped back, so the solution and
//! its certificate are the same kind either way.
//!
//! `O(U (E + V) log V)` time with a binary heap for `U` units added (rows, or slots),
//! `E` arcs and `V = rows + columns`; `O(E + V)` space.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::certificate::{check_convex, verify_network};
use super::error::{Error, Result};
use super::slot_side::SlotSide;
use super::{Cost, Lexicographic, add, sub};

/// A sparse capacitated assignment problem, stored row by row (CSR).
///
/// ```
/// use peermatch::assign::{solve, CapacitatedProblem};
///
/// // Two columns: column 0 takes up to two rows, column 1 one row.
/// let mut problem = CapacitatedProblem::new(vec![2, 1]);
/// problem.add_row(Some(0), [(0, -5), (1, -4)])?; // may stay unassigned at cost 0
/// problem.add_row(Some(0), [(0, -5)])?;
/// problem.add_row(Some(0), [(0, -3), (1, -1)])?;
/// // The second row a column takes costs 1 more than the first.
/// let solution = solve(&problem, |_col, k| i64::from(k))?;
/// assert_eq!(solution.row_to_col, [Some(1), Some(0), Some(0)]);
/// assert_eq!(solution.cost, -4 - 5 - 3 + 1);
/// # Ok::<(), peermatch::assign::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapacitatedProblem<C> {
    pub(super) capacity: Vec<u32>,
    row_start: Vec<usize>,
    arc_col: Vec<u32>,
    arc_cost: Vec<C>,
    pub(super) unassigned: Vec<Option<C>>,
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

    /// Appends a row that may take any of `arcs` (`(column, cost)`), or stay unassigned
    /// at `unassigned_cost` when that is `Some`, and returns its index. A row with
    /// `None` must be assigned. A column listed twice keeps both arcs; the cheaper one
    /// is the one ever used.
    ///
    /// # Errors
    /// [`Error::ColumnOutOfRange`] when an arc names a column that does not exist; the
    /// problem is then unchanged.
    pub fn add_row(
        &mut self,
        unassigned_cost: Option<C>,
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

    /// Number of arcs.
    pub fn arcs_len(&self) -> usize {
        self.arc_col.len()
    }

    /// Column `col`'s capacity.
    pub fn capacity(&self, col: usize) -> u32 {
        self.capacity[col]
    }

    /// Row `row`'s cost of staying unassigned, `None` when it must be assigned.
    pub fn unassigned_cost(&self, row: usize) -> Option<C> {
        self.unassigned[row]
    }

    /// Row `row`'s arcs as `(column, cost)`, in the order given.
    pub fn arcs(&self, row: usize) -> impl Iterator<Item = (usize, C)> + '_ {
        let range = self.row_start[row]..self.row_start[row + 1];
        self.arc_col[range.clone()]
            .iter()
            .zip(&self.arc_cost[range])
            .map(|(&c, &cost)| (c as usize, cost))
    }

    /// The same problem with every cost mapped through `f` (and unassigned options
    /// through `g`).
    pub(super) fn map<D: Cost>(
        &self,
        f: impl Fn(C) -> D,
        g: impl Fn(Option<C>) -> Option<D>,
    ) -> CapacitatedProblem<D> {
        CapacitatedProblem {
            capacity: self.capacity.clone(),
            row_start: self.row_start.clone(),
            arc_col: self.arc_col.clone(),
            arc_cost: self.arc_cost.iter().map(|&c| f(c)).collect(),
            unassigned: self.unassigned.iter().map(|&u| g(u)).collect(),
        }
    }
}

/// What the solvers need of a problem: rows with arcs, columns with capacities. The
/// public [`CapacitatedProblem`] is one; the cohort matcher has a compact one that
/// computes each arc's cost from its row and a 4-byte key instead of storing it,
/// which keeps the arcs the shortest-path searches stream through small.
pub(crate) trait Network<C: Cost> {
    /// Number of rows.
    fn rows(&self) -> usize;
    /// Number of columns.
    fn cols(&self) -> usize;
    /// Total number of arcs.
    fn arcs_len(&self) -> usize;
    /// Column `col`'s capacity.
    fn capacity(&self, col: usize) -> u32;
    /// Row `row`'s cost of staying unassigned, `None` when it must be assigned.
    fn unassigned_cost(&self, row: usize) -> Option<C>;
    /// The indices of row `row`'s arcs.
    fn arc_range(&self, row: usize) -> std::ops::Range<usize>;
    /// The column of arc `arc`.
    fn arc_col(&self, arc: usize) -> usize;
    /// The cost of arc `arc`, which belongs to row `row`.
    fn arc_cost(&self, row: usize, arc: usize) -> C;
    /// Row `row`'s arcs as `(column, cost)`.
    fn arcs(&self, row: usize) -> impl Iterator<Item = (usize, C)> + '_ {
        self.arc_range(row)
            .map(move |i| (self.arc_col(i), self.arc_cost(row, i)))
    }
    /// Rows that share one arc list, each adding its own constant to every cost on it
    /// (the slots of one column on the slots' side): `Some((group, offset))` when
    /// every row of `group` has the same arcs and `arc_cost(row, i)` is a cost shared
    /// by the group plus `offset`. A shortest-path search that has already scanned one
    /// row of a group at an offset (distance + offset + potential) no greater than
    /// another's can skip the other's arcs: none of them would improve a distance.
    /// `None` (the default) for rows in no same-arcs group.
    fn same_arcs(&self, _row: usize) -> Option<(usize, C)> {
        None
    }
    /// The number of same-arcs groups (`same_arcs` gives groups below it).
    fn same_arcs_groups(&self) -> usize {
        0
    }
    /// The cheapest of row `row`'s arcs into column `col` (the one a row assigned there
    /// uses), or `None` when it has none.
    fn cheapest(&self, row: usize, col: usize) -> Option<C> {
        self.arcs(row)
            .filter(|&(c, _)| c == col)
            .map(|(_, cost)| cost)
            .min()
    }
}

impl<C: Cost> Network<C> for CapacitatedProblem<C> {
    fn rows(&self) -> usize {
        self.unassigned.len()
    }
    fn cols(&self) -> usize {
        self.capacity.len()
    }
    fn arcs_len(&self) -> usize {
        self.arc_col.len()
    }
    fn capacity(&self, col: usize) -> u32 {
        self.capacity[col]
    }
    fn unassigned_cost(&self, row: usize) -> Option<C> {
        self.unassigned[row]
    }
    #[inline]
    fn arc_range(&self, row: usize) -> std::ops::Range<usize> {
        self.row_start[row]..self.row_start[row + 1]
    }
    #[inline]
    fn arc_col(&self, arc: usize) -> usize {
        self.arc_col[arc] as usize
    }
    #[inline]
    fn arc_cost(&self, _row: usize, arc: usize) -> C {
        self.arc_cost[arc]
    }
}

/// Dual potentials certifying a [`Solution`].
///
/// With reduced cost `cost(a → b) + potential(a) − potential(b)`, every arc of the
/// residual network — row → column arcs not used, column → row for the arcs used,
/// each column's next free slot and its last used slot, each row's unassigned option
/// — has a non-negative reduced cost. That is the optimality condition of min-cost
/// flow (no negative cycle); [`verify`](super::verify) checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duals<C> {
    /// One potential per row.
    pub row: Vec<C>,
    /// One potential per column.
    pub col: Vec<C>,
    /// The sink's potential: every slot and every unassigned option is an arc into it.
    pub sink: C,
}

/// An optimal assignment with its certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution<C> {
    /// For each row, the column it was given, or `None` when left unassigned.
    pub row_to_col: Vec<Option<usize>>,
    /// Total cost: the arcs used, the unassigned rows' costs, and every slot used.
    pub cost: C,
    /// The dual potentials that prove `cost` optimal.
    pub duals: Duals<C>,
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

/// Solves `problem` exactly: the least total cost over every assignment in which each
/// row takes one of its arcs or (where allowed) stays unassigned, and no column takes
/// more rows than its capacity. The `k`-th row a column takes (from 0) adds
/// `slot_cost(column, k)`, which must be non-decreasing in `k` (a constant 0 is fine);
/// it is only called with `k < capacity`.
///
/// Rows are added one at a time by shortest augmenting paths; when there are fewer
/// usable slots (`min(capacity, arcs + 1)` per column) than rows and every row may stay
/// unassigned, slots are added instead (module docs). Either way the solution is
/// exact and its duals certify it.
///
/// # Complexity
/// `O(U (E + V) log V)` time and `O(E + V)` space, for `U` units added (the rows, or the
/// slots when fewer), `E` arcs and `V` rows plus columns.
///
/// # Certified
/// Before it returns, the solution is checked with [`verify`](super::verify) (one pass
/// over the arcs and slots). One that failed would be a bug; it is never returned:
/// the problem is solved again by adding the rows one by one, and that answer must
/// pass the same check.
///
/// # Errors
/// [`Error::Infeasible`] when the rows that must be assigned cannot all be;
/// [`Error::CostOverflow`] when an intermediate sum leaves the cost type's range
/// (use `i128` costs for such magnitudes); [`Error::NonConvexSlotCosts`] when a
/// column's slot costs fall within the slots it could fill (checked first, `O(arcs)`);
/// [`Error::Uncertified`] if even the second answer failed its check (a bug).
///
/// ```
/// use peermatch::assign::{solve, verify, CapacitatedProblem};
///
/// // A 2 × 2 assignment problem in which both rows must be assigned.
/// let mut problem = CapacitatedProblem::<i64>::new(vec![1, 1]);
/// problem.add_row(None, [(0, 4), (1, 1)])?;
/// problem.add_row(None, [(0, 2), (1, 0)])?;
/// let solution = solve(&problem, |_, _| 0)?;
/// assert_eq!(solution.row_to_col, [Some(1), Some(0)]);
/// assert_eq!(solution.cost, 3);
/// assert_eq!(verify(&problem, |_, _| 0, &solution)?, 3);
/// # Ok::<(), peermatch::assign::Error>(())
/// ```
pub fn solve<C: Cost>(
    problem: &CapacitatedProblem<C>,
    slot_cost: impl Fn(usize, u32) -> C,
) -> Result<Solution<C>> {
    check_convex(problem, &slot_cost)?;
    let (solution, _) = solve_oriented(problem, &slot_cost, &|_, _| {}, Orientation::Auto)?;
    certified(problem, &slot_cost, solution)
}

/// Returns `fast` when [`verify`](super::verify) accepts it; otherwise (a bug) solves
/// again from the rows' side alone, adding every row by a shortest augmenting path
/// (see [`super::certified`]).
fn certified<C: Cost>(
    problem: &CapacitatedProblem<C>,
    slot_cost: &impl Fn(usize, u32) -> C,
    fast: Solution<C>,
) -> Result<Solution<C>> {
    super::certified(
        fast,
        |s| verify_network(problem, slot_cost, s),
        "the rows' side alone",
        || add_rows(problem, slot_cost, &|_, _| {}).map(|(plain, _)| plain),
    )
}

/// Which side of the network [`solve_oriented`] adds one unit at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Orientation {
    /// The slots' side when there are fewer usable slots than rows and every row
    /// may stay unassigned, otherwise the rows.
    Auto,
    /// Always the rows.
    Rows,
}

/// [`solve`] from the side chosen by the caller, calling `progress(units added, units)`
/// every few hundred units (rows, or slots on the slots' side); also returns the work
/// done (nodes settled), a deterministic measure of its cost.
pub(crate) fn solve_oriented<C: Cost, N: Network<C>>(
    problem: &N,
    slot_cost: impl Fn(usize, u32) -> C,
    progress: &dyn Fn(usize, usize),
    orientation: Orientation,
) -> Result<(Solution<C>, u64)> {
    if orientation == Orientation::Auto
        && let Some(places) = SlotSide::new(problem, &slot_cost)
    {
        let (turned, work) = add_rows(&places, |_, _| C::ZERO, progress)?;
        return Ok((places.back(problem, &slot_cost, &turned)?, work));
    }
    add_rows(problem, slot_cost, progress)
}

/// Successive shortest paths, adding `problem`'s rows in order.
pub(super) fn add_rows<C: Cost, N: Network<C>>(
    problem: &N,
    slot_cost: impl Fn(usize, u32) -> C,
    progress: &dyn Fn(usize, usize),
) -> Result<(Solution<C>, u64)> {
    let rows = problem.rows();
    Ssp::new(problem, slot_cost).add_all(0..rows, rows, progress)
}

/// Adds the rows flagged in `late` to `previous`, an optimal solution of the same
/// problem in which those rows had no arcs (so are unassigned in it), one at a time in
/// order, each by a shortest augmenting path from the warm flow and potentials.
///
/// Exact: without the late rows, `previous` is still optimal and its duals feasible,
/// and each insertion is a successive-shortest-path step from there. Returns the
/// solution and the nodes settled.
pub(crate) fn insert_rows<C: Cost, N: Network<C>>(
    problem: &N,
    slot_cost: impl Fn(usize, u32) -> C,
    previous: &Solution<C>,
    late: &[bool],
    progress: &dyn Fn(usize, usize),
) -> Result<(Solution<C>, u64)> {
    debug_assert!(
        (0..problem.rows()).all(|r| !late[r] || previous.row_to_col[r].is_none()),
        "a late row must start unassigned"
    );
    let total = late.iter().filter(|&&l| l).count();
    let order = (0..problem.rows()).filter(|&r| late[r]);
    Ssp::warm(problem, slot_cost, previous).add_all(order, total, progress)
}

/// Rows (or added arcs) between two progress calls.
const PROGRESS_EVERY: usize = 512;

/// Cycle searches after which [`resolve`] projects its total work from their mean.
const PROJECT_AFTER: u64 = 32;

/// Re-solves `problem` from `previous`, an optimal solution of the same problem
/// before the rows flagged in `changed` gained arcs (every other row's arcs, every
/// capacity and every slot cost unchanged; `previous` may carry any feasible duals
/// for it, such as [`solve`]'s, lowered where a column was given nobody).
///
/// Warm start, exact: the previous flow and potentials are kept, and each new arc
/// whose reduced cost is negative is taken in turn. With `δ` = minus its reduced cost,
/// a Dijkstra from the arc's column over the current residual network (the sink a
/// node like any other) looks for a way back to the arc's row shorter than `δ`: a
/// cycle of negative cost through the new arc. If there is one, one unit goes around
/// it; either way the potentials of the nodes settled closer than the bound drop by
/// their distance short of it, which keeps every residual arc's reduced cost
/// non-negative and makes the new arc's non-negative too (a classic primal–dual step;
/// see Ahuja, Magnanti and Orlin, *Network Flows*, 1993, §9.7). When no arc is left
/// negative the flow is optimal. Only the region within `δ` of each new arc is
/// touched, so a few added arcs cost far less than solving again — but each search
/// can cover a whole component, so once `budget` nodes settled in all (compare the
/// work [`solve_oriented`] reports) are spent, or projected to be by the mean of
/// the searches so far, it gives up and returns `None`: solving again is then cheaper. The budget counts nodes, not time, so the choice is
/// deterministic.
pub(crate) fn resolve<C: Cost, N: Network<C>>(
    problem: &N,
    slot_cost: impl Fn(usize, u32) -> C,
    previous: &Solution<C>,
    changed: &[bool],
    progress: &dyn Fn(usize, usize),
    budget: u64,
) -> Result<Option<Solution<C>>> {
    resolve_opening(problem, slot_cost, previous, changed, &[], progress, budget)
}

/// [`resolve`], where also each column of `opened` may have its next free slot priced
/// below what a free slot needs: its arc to the sink (the column would take one more
/// row) may have a negative reduced cost, as a new arc would — a column whose capacity
/// grew or that lost rows, or one that holds nobody and is priced so that every arc
/// into it is non-negative. Each such slot is repaired like a new arc, by one cycle
/// search from the column back to the sink (a row moving in, the rows behind it
/// moving up), then the next slot if that is still priced too low: one search per
/// slot, where raising the column's price instead would leave every arc into it to
/// repair.
pub(crate) fn resolve_opening<C: Cost, N: Network<C>>(
    problem: &N,
    slot_cost: impl Fn(usize, u32) -> C,
    previous: &Solution<C>,
    changed: &[bool],
    opened: &[usize],
    progress: &dyn Fn(usize, usize),
    budget: u64,
) -> Result<Option<Solution<C>>> {
    let rows = problem.rows();
    let mut ssp = Ssp::warm(problem, slot_cost, previous);
    // Arcs of changed rows start out pending when their reduced cost is negative;
    // the cycle searches only walk accepted arcs, whose reduced costs are all
    // non-negative.
    let mut accepted = vec![true; problem.arcs_len()];
    let mut pending = Vec::new();
    for r in (0..rows).filter(|&r| changed[r]) {
        for i in problem.arc_range(r) {
            let c = problem.arc_col(i);
            if ssp.row_col[r] == c as u32 {
                continue;
            }
            if ssp.reduced(r, c, problem.arc_cost(r, i))? < C::ZERO {
                accepted[i] = false;
                pending.push((r, i));
            }
        }
    }
    let mut cycle = Cycle::new(ssp.pi.len() + 1);
    // The opened slots are repaired first. Their searches end at the sink, which they
    // never leave, so the arc to the sink of a slot still to repair (negative) is never
    // walked; the pending arcs' searches run once none is left.
    let total = pending.len() + opened.len();
    let mut done = 0u64;
    let past_budget = |done: u64, work: u64| {
        work > budget
            || (done >= PROJECT_AFTER && (work / done).saturating_mul(total as u64) > budget)
    };
    let mut incoming = None;
    for &c in opened {
        while let Some(rc) = ssp.grow_reduced(c)?.filter(|&rc| rc < C::ZERO) {
            let incoming = incoming.get_or_insert_with(|| Incoming::new(problem));
            cycle.open(&mut ssp, &accepted, incoming, c, sub(C::ZERO, rc)?)?;
            done += 1;
            if past_budget(done, cycle.work) {
                return Ok(None);
            }
        }
    }
    for (k, (r, i)) in pending.into_iter().enumerate() {
        if k % PROGRESS_EVERY == 0 {
            progress(k, total);
        }
        let (c, cost) = (problem.arc_col(i), problem.arc_cost(r, i));
        if ssp.row_col[r] != c as u32 {
            let rc = ssp.reduced(r, c, cost)?;
            if rc < C::ZERO {
                let arc = NewArc {
                    r,
                    c,
                    cost,
                    delta: sub(C::ZERO, rc)?,
                };
                cycle.cancel(&mut ssp, &accepted, arc)?;
            }
        }
        accepted[i] = true;
        // Past the budget, or projected past it by the searches so far.
        done += 1;
        if past_budget(done, cycle.work) {
            return Ok(None);
        }
    }
    progress(total, total);
    ssp.finish().map(Some)
}

/// How a node of a cycle search was reached.
#[derive(Clone, Copy)]
enum Step<C> {
    /// Row → column by an unused arc of this cost.
    Arc(u32, C),
    /// Column → one of its rows (the row would leave it).
    Leave,
    /// Row → sink: the row would be left unassigned.
    Drop,
    /// Column → sink: the column would take one more row.
    Grow,
    /// Sink → column: the column would give up its last slot.
    Shrink,
    /// Sink → an unassigned row: the row would be assigned.
    Revive,
}

/// Buffers of [`resolve`]'s cycle searches; nodes are rows, columns, then the sink.
struct Cycle<C> {
    dist: Vec<C>,
    reached: Vec<bool>,
    settled: Vec<bool>,
    pred: Vec<(usize, Step<C>)>,
    touched: Vec<usize>,
    settled_list: Vec<(usize, C)>,
    heap: BinaryHeap<Reverse<(C, usize)>>,
    /// Nodes settled over all searches.
    work: u64,
}

impl<C: Cost> Cycle<C> {
    fn new(nodes: usize) -> Self {
        Cycle {
            work: 0,
            dist: vec![C::ZERO; nodes],
            reached: vec![false; nodes],
            settled: vec![false; nodes],
            pred: vec![(0, Step::Shrink); nodes],
            touched: Vec::new(),
            settled_list: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Records `nd` for `node` when it is shorter than what is known and than `bound`
    /// (nothing at or past the bound is ever settled).
    fn relax(&mut self, node: usize, nd: C, from: usize, step: Step<C>, bound: C) {
        if nd < bound && (!self.reached[node] || nd < self.dist[node]) {
            if !self.reached[node] {
                self.reached[node] = true;
                self.touched.push(node);
            }
            self.dist[node] = nd;
            self.pred[node] = (from, step);
            self.heap.push(Reverse((nd, node)));
        }
    }

    /// Takes the new arc `r → c` of reduced cost `−delta` into the solution: cancels
    /// the cheapest cycle through it if that is negative, and makes the arc's reduced
    /// cost non-negative.
    fn cancel<N: Network<C>, F: Fn(usize, u32) -> C>(
        &mut self,
        ssp: &mut Ssp<'_, C, N, F>,
        accepted: &[bool],
        arc: NewArc<C>,
    ) -> Result<()> {
        let (bound, found) = self.search(ssp, accepted, &arc)?;
        self.shift_potentials(ssp, bound, false)?;
        if found {
            self.push_around(ssp, &arc);
        }
        self.reset();
        Ok(())
    }

    /// Takes column `c`'s next free slot, whose arc to the sink has reduced cost
    /// `−delta`, into the solution: the cheapest path sink ⇝ `c` shorter than `delta`
    /// closes a negative cycle through the slot, as [`Cycle::cancel`] does for a new
    /// arc. The search runs backwards from `c` over `incoming`: forwards from the sink
    /// it would start from every unassigned row at once.
    fn open<N: Network<C>, F: Fn(usize, u32) -> C>(
        &mut self,
        ssp: &mut Ssp<'_, C, N, F>,
        accepted: &[bool],
        incoming: &Incoming,
        c: usize,
        delta: C,
    ) -> Result<()> {
        let sink = ssp.rows + ssp.problem.cols();
        let column = ssp.rows + c;
        let (bound, found) = self.search_back(ssp, accepted, incoming, column, delta)?;
        // Settled nodes rise, the mirror of a forward search's drop: every reduced cost
        // stays non-negative, and the slot's own becomes so or the path tight.
        self.shift_potentials(ssp, bound, true)?;
        if found {
            // Forwards along the path: each row on it moves to the column it leads to.
            let mut moves = Vec::new();
            let mut v = sink;
            while v != column {
                let (next, step) = self.pred[v];
                if let (true, Step::Arc(col, cost)) = (v < ssp.rows, step) {
                    moves.push((v, col as usize, cost));
                }
                v = next;
            }
            for &(y, _, _) in &moves {
                ssp.detach_row(y);
            }
            for &(y, col, cost) in &moves {
                ssp.attach(y, col, Some(cost));
            }
        }
        self.reset();
        Ok(())
    }

    /// Dijkstra backwards from `target` (a column node) over the residual network, for
    /// the sink closer than `delta`; a node's `pred` is then the next node on its way
    /// to the target. Returns the bound the search stopped at and whether the sink was
    /// reached. Never leaves the sink, so no arc into it is walked.
    fn search_back<N: Network<C>, F: Fn(usize, u32) -> C>(
        &mut self,
        ssp: &Ssp<'_, C, N, F>,
        accepted: &[bool],
        incoming: &Incoming,
        target: usize,
        delta: C,
    ) -> Result<(C, bool)> {
        let (rows, problem) = (ssp.rows, ssp.problem);
        let sink = rows + problem.cols();
        self.relax(target, C::ZERO, target, Step::Grow, delta);
        while let Some((x, d)) = self.settle_next(delta) {
            if x == sink {
                return Ok((d, true));
            }
            if x < rows {
                // Into row x: from the column holding it, or from the sink.
                let own = ssp.row_col[x];
                if own != NONE {
                    let v = rows + own as usize;
                    let nd = add(d, sub(sub(ssp.pi[v], ssp.row_cost[x])?, ssp.pi[x])?)?;
                    self.relax(v, nd, x, Step::Leave, delta);
                } else if let Some(u) = problem.unassigned_cost(x) {
                    let nd = add(d, sub(sub(ssp.pi_t, u)?, ssp.pi[x])?)?;
                    self.relax(sink, nd, x, Step::Revive, delta);
                }
                continue;
            }
            // Into column x: by the unused arcs of rows it does not hold, and from the
            // sink when it gives up its last slot.
            let col = x - rows;
            for &(y, i) in incoming.of(col) {
                let (y, i) = (y as usize, i as usize);
                if ssp.row_col[y] == col as u32 || !accepted[i] {
                    continue;
                }
                let cost = problem.arc_cost(y, i);
                let nd = add(d, sub(add(cost, ssp.pi[y])?, ssp.pi[x])?)?;
                self.relax(y, nd, x, Step::Arc(col as u32, cost), delta);
            }
            if ssp.given[col] > 0 {
                let slot = (ssp.slot_cost)(col, ssp.given[col] - 1);
                let nd = add(d, sub(sub(ssp.pi_t, slot)?, ssp.pi[x])?)?;
                self.relax(sink, nd, x, Step::Shrink, delta);
            }
        }
        Ok((delta, false))
    }

    /// Dijkstra from the arc's column, over the residual network, for the arc's row
    /// closer than `delta` (which closes a negative cycle through the arc). Returns the
    /// bound the search stopped at, and whether the row was reached.
    fn search<N: Network<C>, F: Fn(usize, u32) -> C>(
        &mut self,
        ssp: &Ssp<'_, C, N, F>,
        accepted: &[bool],
        arc: &NewArc<C>,
    ) -> Result<(C, bool)> {
        let rows = ssp.rows;
        let sink = rows + ssp.problem.cols();
        let start = rows + arc.c;
        self.relax(start, C::ZERO, start, Step::Shrink, arc.delta);
        let bound = arc.delta;
        while let Some((x, d)) = self.settle_next(bound) {
            if x == arc.r {
                return Ok((d, true));
            }
            if x < rows {
                self.relax_row(ssp, accepted, x, d, bound)?;
            } else if x < sink {
                self.relax_col(ssp, x, d, bound)?;
            } else {
                self.relax_sink(ssp, d, bound)?;
            }
        }
        Ok((bound, false))
    }

    /// Relaxes row `y`'s arcs (settled at `d`): to the columns it is not in, and to the
    /// sink when it may drop out.
    fn relax_row<N: Network<C>, F: Fn(usize, u32) -> C>(
        &mut self,
        ssp: &Ssp<'_, C, N, F>,
        accepted: &[bool],
        y: usize,
        d: C,
        bound: C,
    ) -> Result<()> {
        let problem = ssp.problem;
        let rows = ssp.rows;
        let px = ssp.pi[y];
        let own = ssp.row_col[y];
        for i in problem.arc_range(y) {
            let col = problem.arc_col(i) as u32;
            if col == own || !accepted[i] {
                continue;
            }
            let arc_cost = problem.arc_cost(y, i);
            let v = rows + col as usize;
            let nd = add(d, sub(add(arc_cost, px)?, ssp.pi[v])?)?;
            self.relax(v, nd, y, Step::Arc(col, arc_cost), bound);
        }
        if own != NONE
            && let Some(u) = problem.unassigned_cost(y)
        {
            let nd = add(d, sub(add(u, px)?, ssp.pi_t)?)?;
            self.relax(rows + problem.cols(), nd, y, Step::Drop, bound);
        }
        Ok(())
    }

    /// Relaxes column node `x` (settled at `d`): back to the rows it holds, and to the
    /// sink through its next slot.
    fn relax_col<N: Network<C>, F: Fn(usize, u32) -> C>(
        &mut self,
        ssp: &Ssp<'_, C, N, F>,
        x: usize,
        d: C,
        bound: C,
    ) -> Result<()> {
        let col = x - ssp.rows;
        let px = ssp.pi[x];
        for &y in &ssp.col_rows[col] {
            let y = y as usize;
            let nd = add(d, sub(sub(px, ssp.row_cost[y])?, ssp.pi[y])?)?;
            self.relax(y, nd, x, Step::Leave, bound);
        }
        if ssp.given[col] < ssp.problem.capacity(col) {
            let slot = (ssp.slot_cost)(col, ssp.given[col]);
            let nd = add(d, sub(add(slot, px)?, ssp.pi_t)?)?;
            self.relax(ssp.rows + ssp.problem.cols(), nd, x, Step::Grow, bound);
        }
        Ok(())
    }

    /// Relaxes the sink (settled at `d`): back into every column's last slot taken, and
    /// to every unassigned row that may be assigned.
    fn relax_sink<N: Network<C>, F: Fn(usize, u32) -> C>(
        &mut self,
        ssp: &Ssp<'_, C, N, F>,
        d: C,
        bound: C,
    ) -> Result<()> {
        let rows = ssp.rows;
        let x = rows + ssp.problem.cols();
        let px = ssp.pi_t;
        for col in 0..ssp.problem.cols() {
            if ssp.given[col] > 0 {
                let slot = (ssp.slot_cost)(col, ssp.given[col] - 1);
                let v = rows + col;
                let nd = add(d, sub(sub(px, slot)?, ssp.pi[v])?)?;
                self.relax(v, nd, x, Step::Shrink, bound);
            }
        }
        for y in 0..rows {
            if ssp.row_col[y] == NONE
                && let Some(u) = ssp.problem.unassigned_cost(y)
            {
                let nd = add(d, sub(sub(px, u)?, ssp.pi[y])?)?;
                self.relax(y, nd, x, Step::Revive, bound);
            }
        }
        Ok(())
    }

    /// Potentials: settled nodes drop by their distance short of the bound (after a
    /// search forwards), or rise by it (after a search backwards).
    fn shift_potentials<N: Network<C>, F: Fn(usize, u32) -> C>(
        &self,
        ssp: &mut Ssp<'_, C, N, F>,
        bound: C,
        rise: bool,
    ) -> Result<()> {
        let sink = ssp.rows + ssp.problem.cols();
        for &(v, d) in &self.settled_list {
            let by = sub(bound, d)?;
            let pi = if v == sink {
                &mut ssp.pi_t
            } else {
                &mut ssp.pi[v]
            };
            *pi = if rise { add(*pi, by)? } else { sub(*pi, by)? };
        }
        Ok(())
    }

    /// Pops the nearest node reached, not yet settled and closer than `bound`, and
    /// settles it; `None` when there is none.
    fn settle_next(&mut self, bound: C) -> Option<(usize, C)> {
        while let Some(Reverse((d, x))) = self.heap.pop() {
            if self.settled[x] || d > self.dist[x] {
                continue;
            }
            if d >= bound {
                return None;
            }
            self.settled[x] = true;
            self.settled_list.push((x, d));
            return Some((x, d));
        }
        None
    }

    /// One unit around the cycle r → c ⇝ r: walks the path back from r and moves every
    /// row on it to where its outgoing step sends it.
    fn push_around<N: Network<C>, F: Fn(usize, u32) -> C>(
        &self,
        ssp: &mut Ssp<'_, C, N, F>,
        arc: &NewArc<C>,
    ) {
        let start = ssp.rows + arc.c;
        let mut moves: Vec<(usize, Option<(usize, C)>)> = vec![(arc.r, Some((arc.c, arc.cost)))];
        let mut v = arc.r;
        let mut next_of_row: Option<(usize, C)> = None;
        while v != start {
            let (from, step) = self.pred[v];
            match step {
                Step::Arc(col, arc_cost) => next_of_row = Some((col as usize, arc_cost)),
                Step::Drop => next_of_row = None,
                _ => {}
            }
            if from < ssp.rows {
                moves.push((from, next_of_row));
            }
            v = from;
        }
        for &(y, _) in &moves {
            ssp.detach_row(y);
        }
        for &(y, to) in &moves {
            if let Some((col, arc_cost)) = to {
                ssp.attach(y, col, Some(arc_cost));
            }
        }
    }

    /// Counts the search's work and clears its marks for the next one.
    fn reset(&mut self) {
        self.work += self.settled_list.len() as u64;
        for &x in &self.touched {
            self.reached[x] = false;
            self.settled[x] = false;
        }
        self.touched.clear();
        self.settled_list.clear();
        self.heap.clear();
    }
}

/// Per column, the arcs into it, as `(row, arc)`: the reversed adjacency that the
/// searches running backwards walk (the split solve's lowering of potentials, the
/// repair of [`resolve_opening`]'s slots). Built once for a network and reused by
/// every view of it that hides rows (their arcs are skipped where they are walked).
pub(super) struct Incoming {
    pub(super) start: Vec<usize>,
    pub(super) arcs: Vec<(u32, u32)>,
}

impl Incoming {
    pub(super) fn new<C: Cost, N: Network<C>>(problem: &N) -> Self {
        let (rows, cols) = (problem.rows(), problem.cols());
        let mut start = vec![0usize; cols + 1];
        for r in 0..rows {
            for i in problem.arc_range(r) {
                start[problem.arc_col(i) + 1] += 1;
            }
        }
        for c in 0..cols {
            start[c + 1] += start[c];
        }
        let mut fill = start.clone();
        let mut arcs = vec![(0u32, 0u32); start[cols]];
        for r in 0..rows {
            for i in problem.arc_range(r) {
                let c = problem.arc_col(i);
                arcs[fill[c]] = (r as u32, i as u32);
                fill[c] += 1;
            }
        }
        Incoming { start, arcs }
    }

    /// The arcs into column `c`, as `(row, arc)`.
    fn of(&self, c: usize) -> &[(u32, u32)] {
        &self.arcs[self.start[c]..self.start[c + 1]]
    }
}

/// An arc added back to a solved problem: row `r` to column `c` at `cost`, with
/// reduced cost `−delta`.
struct NewArc<C> {
    r: usize,
    c: usize,
    cost: C,
    delta: C,
}

/// The state of successive shortest paths: the flow of the rows added so far, the
/// potentials, and the Dijkstra buffers reused by every row.
struct Ssp<'p, C, N, F> {
    problem: &'p N,
    slot_cost: F,
    rows: usize,
    /// Potentials: rows, then columns.
    pi: Vec<C>,
    /// The sink's potential: at or below every first slot's cost, so every slot arc
    /// starts with a non-negative reduced cost.
    pi_t: C,
    given: Vec<u32>,
    row_col: Vec<u32>,
    row_cost: Vec<C>,
    /// Rows held by each column, and each row's position in its column's list.
    col_rows: Vec<Vec<u32>>,
    position: Vec<u32>,
    // Dijkstra state, reset through `touched` after each row.
    dist: Vec<C>,
    reached: Vec<bool>,
    settled: Vec<bool>,
    pred_row: Vec<u32>,
    pred_cost: Vec<C>,
    touched: Vec<usize>,
    settled_list: Vec<(usize, C)>,
    heap: BinaryHeap<Reverse<(C, usize)>>,
    /// Per same-arcs group ([`Network::same_arcs`]), the least offset at which the search
    /// scanned one of its rows, and the groups set, reset after each row.
    group_offset: Vec<Option<C>>,
    groups_touched: Vec<usize>,
    /// Nodes settled over all insertions.
    work: u64,
}

impl<'p, C: Cost, N: Network<C>, F: Fn(usize, u32) -> C> Ssp<'p, C, N, F> {
    fn new(problem: &'p N, slot_cost: F) -> Self {
        let rows = problem.rows();
        let cols = problem.cols();
        let node_count = rows + cols;
        let pi_t = (0..cols)
            .filter(|&c| problem.capacity(c) > 0)
            .map(|c| slot_cost(c, 0))
            .min()
            .unwrap_or(C::ZERO);
        Ssp {
            problem,
            slot_cost,
            rows,
            pi: vec![C::ZERO; node_count],
            pi_t,
            given: vec![0u32; cols],
            row_col: vec![NONE; rows],
            row_cost: vec![C::ZERO; rows],
            col_rows: vec![Vec::new(); cols],
            position: vec![0u32; rows],
            dist: vec![C::ZERO; node_count],
            reached: vec![false; node_count],
            settled: vec![false; node_count],
            pred_row: vec![NONE; cols],
            pred_cost: vec![C::ZERO; cols],
            touched: Vec::new(),
            settled_list: Vec::new(),
            heap: BinaryHeap::new(),
            group_offset: vec![None; problem.same_arcs_groups()],
            groups_touched: Vec::new(),
            work: 0,
        }
    }

    /// The state of `previous`, a solution of `problem` with feasible duals: its flow and
    /// its potentials (a warm start).
    fn warm(problem: &'p N, slot_cost: F, previous: &Solution<C>) -> Self {
        let mut ssp = Ssp::new(problem, slot_cost);
        let rows = ssp.rows;
        ssp.pi[..rows].copy_from_slice(&previous.duals.row);
        ssp.pi[rows..].copy_from_slice(&previous.duals.col);
        ssp.pi_t = previous.duals.sink;
        for (r, &col) in previous.row_to_col.iter().enumerate() {
            if let Some(c) = col {
                ssp.attach(r, c, None);
            }
        }
        ssp
    }

    /// Adds the rows of `order` (`total` of them) one by one, reporting progress, and
    /// returns the solution with the nodes settled.
    fn add_all(
        mut self,
        order: impl Iterator<Item = usize>,
        total: usize,
        progress: &dyn Fn(usize, usize),
    ) -> Result<(Solution<C>, u64)> {
        for (k, r) in order.enumerate() {
            if k % PROGRESS_EVERY == 0 {
                progress(k, total);
            }
            self.insert(r)?;
        }
        progress(total, total);
        let work = self.work;
        Ok((self.finish()?, work))
    }

    /// Puts row `r` in column `c` by the arc of cost `cost`, or by its cheapest arc
    /// there (warm start).
    fn attach(&mut self, r: usize, c: usize, cost: Option<C>) {
        let cost = cost.unwrap_or_else(|| {
            self.problem
                .cheapest(r, c)
                .expect("a warm start only uses existing arcs")
        });
        self.row_col[r] = c as u32;
        self.row_cost[r] = cost;
        self.position[r] = self.col_rows[c].len() as u32;
        self.col_rows[c].push(r as u32);
        self.given[c] += 1;
    }

    /// Takes row `r` out of the flow; returns the column it left, if any.
    fn detach_row(&mut self, r: usize) -> Option<usize> {
        let c = self.row_col[r];
        self.row_col[r] = NONE;
        if c == NONE {
            return None;
        }
        let c = c as usize;
        detach(&mut self.col_rows[c], &mut self.position, r);
        self.given[c] -= 1;
        Some(c)
    }

    /// The reduced cost of row `r`'s arc of cost `cost` into column `c`.
    fn reduced(&self, r: usize, c: usize, cost: C) -> Result<C> {
        sub(add(cost, self.pi[r])?, self.pi[self.rows + c])
    }

    /// The reduced cost of column `c`'s arc to the sink through its next free slot,
    /// `None` when it has none.
    fn grow_reduced(&self, c: usize) -> Result<Option<C>> {
        if self.given[c] >= self.problem.capacity(c) {
            return Ok(None);
        }
        let slot = (self.slot_cost)(c, self.given[c]);
        sub(add(slot, self.pi[self.rows + c])?, self.pi_t).map(Some)
    }

    /// Adds row `r0` along a shortest augmenting path.
    fn insert(&mut self, r0: usize) -> Result<()> {
        if self.enter(r0)? {
            return Ok(());
        }
        let (delta, end) = self.shortest_path(r0)?;
        // Potential update: settled nodes move by their distance minus the path length,
        // which keeps every reduced cost non-negative and the path tight.
        for &(x, d) in self.settled_list.iter() {
            self.pi[x] = add(self.pi[x], sub(d, delta)?)?;
        }
        self.augment(r0, end);
        self.reset_search();
        Ok(())
    }

    /// Gives row `r0` the potential that makes its outgoing reduced costs non-negative.
    /// Returns `true` when the row was placed directly: staying unassigned is strictly
    /// worse and its tight arc's column has a free slot at reduced cost 0, so the search
    /// would end there with nothing to update (every settled distance is 0). Common on
    /// the slots' side, where free rows are plentiful.
    fn enter(&mut self, r0: usize) -> Result<bool> {
        let problem = self.problem;
        let rows = self.rows;
        let col_node = |c: usize| rows + c;
        let pi_t = self.pi_t;
        // The new row's potential makes its outgoing reduced costs non-negative.
        let mut p0: Option<C> = match problem.unassigned_cost(r0) {
            Some(u) => Some(sub(pi_t, u)?),
            None => None,
        };
        let stay = p0;
        // The tight arc the search would settle first: least column, then cheapest.
        let mut tight: Option<(usize, C)> = None;
        for (c, cost) in problem.arcs(r0) {
            let need = sub(self.pi[col_node(c)], cost)?;
            let better = p0.is_none_or(|p| need > p);
            let tie = p0 == Some(need) && tight.is_some_and(|(t, x)| (c, cost) < (t, x));
            if better || tie {
                tight = Some((c, cost));
            }
            p0 = Some(p0.map_or(need, |p| p.max(need)));
        }
        let Some(p0) = p0 else {
            return Err(Error::Infeasible { row: r0 });
        };
        self.pi[r0] = p0;
        if let Some((c, cost)) = tight
            && stay != Some(p0)
            && self.given[c] < problem.capacity(c)
            && sub(
                add((self.slot_cost)(c, self.given[c]), self.pi[col_node(c)])?,
                pi_t,
            )? == C::ZERO
        {
            self.attach(r0, c, Some(cost));
            return Ok(true);
        }
        Ok(false)
    }

    /// Dijkstra from row `r0` (already given its potential) to the cheapest end: a free
    /// slot, or a row that may stay unassigned. Returns the path's length and its end;
    /// the settled nodes are in `settled_list`, each node's predecessor in `pred_row`.
    fn shortest_path(&mut self, r0: usize) -> Result<(C, End)> {
        let problem = self.problem;
        let rows = self.rows;
        let col_node = |c: usize| rows + c;
        let pi_t = self.pi_t;

        let Ssp {
            slot_cost,
            pi,
            given,
            row_col,
            row_cost,
            col_rows,
            dist,
            reached,
            settled,
            pred_row,
            pred_cost,
            touched,
            settled_list,
            heap,
            group_offset,
            groups_touched,
            ..
        } = self;

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
                if let Some(u) = problem.unassigned_cost(x) {
                    let end = add(d, sub(add(u, pi[x])?, pi_t)?)?;
                    if best.is_none_or(|(delta, _)| end < delta) {
                        best = Some((end, End::Unassigned(x)));
                    }
                }
                // A row of the same group scanned at no greater an offset already offered every
                // distance this row's arcs could (`Network::same_arcs`). On the slots'
                // side that is every row of a group after the first (a column's later slots).
                if let Some((group, offset)) = problem.same_arcs(x) {
                    let at = add(add(d, offset)?, pi[x])?;
                    match group_offset[group] {
                        Some(best) if best <= at => continue,
                        Some(_) => {}
                        None => groups_touched.push(group),
                    }
                    group_offset[group] = Some(at);
                }
                let own = row_col[x];
                for (c, cost) in problem.arcs(x) {
                    if c as u32 == own {
                        continue;
                    }
                    let v = col_node(c);
                    let nd = add(d, sub(add(cost, pi[x])?, pi[v])?)?;
                    // Nothing at or past the best end found so far will be settled.
                    if best.is_some_and(|(delta, _)| nd >= delta) {
                        continue;
                    }
                    if relax(v, nd, heap) {
                        pred_row[c] = x as u32;
                        pred_cost[c] = cost;
                        // A free slot's end is known as soon as the column is reached;
                        // recording it now keeps worse nodes out of the heap.
                        if given[c] < problem.capacity(c) {
                            let slot = slot_cost(c, given[c]);
                            let end = add(nd, sub(add(slot, pi[v])?, pi_t)?)?;
                            if best.is_none_or(|(delta, _)| end < delta) {
                                best = Some((end, End::Slot(c)));
                            }
                        }
                    }
                }
            } else {
                // Column c: take a free slot, or push one of its rows elsewhere.
                let c = x - rows;
                if given[c] < problem.capacity(c) {
                    let slot = slot_cost(c, given[c]);
                    let end = add(d, sub(add(slot, pi[x])?, pi_t)?)?;
                    if best.is_none_or(|(delta, _)| end < delta) {
                        best = Some((end, End::Slot(c)));
                    }
                }
                for &r in &col_rows[c] {
                    let r = r as usize;
                    let nd = add(d, sub(sub(pi[x], row_cost[r])?, pi[r])?)?;
                    if best.is_none_or(|(delta, _)| nd < delta) {
                        relax(r, nd, heap);
                    }
                }
            }
        }
        best.ok_or(Error::Infeasible { row: r0 })
    }

    /// Moves the flow along the path found, walking back from its end.
    fn augment(&mut self, r0: usize, end: End) {
        let Ssp {
            given,
            row_col,
            row_cost,
            col_rows,
            position,
            pred_row,
            pred_cost,
            ..
        } = self;
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
                    detach(&mut col_rows[old as usize], position, x);
                    Some(old as usize)
                }
            }
        };
        while let Some(c) = col {
            let r = pred_row[c] as usize;
            let old = row_col[r];
            if r != r0 {
                detach(&mut col_rows[old as usize], position, r);
            }
            row_col[r] = c as u32;
            row_cost[r] = pred_cost[c];
            position[r] = col_rows[c].len() as u32;
            col_rows[c].push(r as u32);
            col = (r != r0).then_some(old as usize);
        }
    }

    /// Clears the search's marks and buffers for the next row, and counts its work.
    fn reset_search(&mut self) {
        let Ssp {
            reached,
            settled,
            touched,
            settled_list,
            heap,
            group_offset,
            groups_touched,
            work,
            ..
        } = self;
        for &x in touched.iter() {
            reached[x] = false;
            settled[x] = false;
        }
        for &group in groups_touched.iter() {
            group_offset[group] = None;
        }
        groups_touched.clear();
        *work += settled_list.len() as u64;
        touched.clear();
        settled_list.clear();
        heap.clear();
    }

    /// The solution: assignment, total cost and duals.
    fn finish(self) -> Result<Solution<C>> {
        let Ssp {
            problem,
            slot_cost,
            rows,
            mut pi,
            pi_t,
            given,
            row_col,
            row_cost,
            ..
        } = self;
        let mut cost = C::ZERO;
        for r in 0..rows {
            let part = if row_col[r] == NONE {
                problem
                    .unassigned_cost(r)
                    .ok_or(Error::Infeasible { row: r })?
            } else {
                row_cost[r]
            };
            cost = add(cost, part)?;
        }
        let cost = add(cost, slots_cost(&given, slot_cost)?)?;
        let col_pi = pi.split_off(rows);
        Ok(Solution {
            row_to_col: row_col
                .into_iter()
                .map(|c| (c != NONE).then_some(c as usize))
                .collect(),
            cost,
            duals: Duals {
                row: pi,
                col: col_pi,
                sink: pi_t,
            },
        })
    }
}

/// What the slots cost when column `c` has given `given[c]` rows: the sum of
/// `slot_cost(c, k)` for `k < given[c]`.
pub(super) fn slots_cost<C: Cost>(given: &[u32], slot_cost: impl Fn(usize, u32) -> C) -> Result<C> {
    let mut cost = C::ZERO;
    for (c, &n) in given.iter().enumerate() {
        for k in 0..n {
            cost = add(cost, slot_cost(c, k))?;
        }
    }
    Ok(cost)
}

/// Removes `row` from its column's list in O(1), keeping `position` in step.
fn detach(list: &mut Vec<u32>, position: &mut [u32], row: usize) {
    let i = position[row] as usize;
    list.swap_remove(i);
    if let Some(&moved) = list.get(i) {
        position[moved as usize] = i as u32;
    }
}

/// Solves `problem` as a min-cost **maximum** flow: as many rows assigned as possible,
/// then the least cost (arcs and slots) among those assignments. Rows' unassigned costs
/// are ignored: every row may stay unassigned, and each one that does counts once.
///
/// The objective is the exact pair (rows left unassigned, cost), compared
/// lexicographically — no big-M constant that could overflow or be too small.
///
/// # Errors
/// [`Error::CostOverflow`] as for [`solve`].
///
/// ```
/// use peermatch::assign::{min_cost_max_flow, verify_max_flow, CapacitatedProblem};
///
/// // Cheapest would be row 0 → column 0 alone (cost −10); the maximum flow assigns both.
/// let mut problem = CapacitatedProblem::<i64>::new(vec![1, 1]);
/// problem.add_row(Some(0), [(0, -10), (1, 5)])?;
/// problem.add_row(Some(0), [(0, 1)])?;
/// let solution = min_cost_max_flow(&problem, |_, _| 0)?;
/// assert_eq!(solution.row_to_col, [Some(1), Some(0)]);
/// assert_eq!((solution.cost.major, solution.cost.minor), (0, 6));
/// verify_max_flow(&problem, |_, _| 0, &solution)?;
/// # Ok::<(), peermatch::assign::Error>(())
/// ```
pub fn min_cost_max_flow<C: Cost>(
    problem: &CapacitatedProblem<C>,
    slot_cost: impl Fn(usize, u32) -> C,
) -> Result<Solution<Lexicographic<C>>> {
    solve(&max_flow_problem(problem), |c, k| Lexicographic {
        major: C::ZERO,
        minor: slot_cost(c, k),
    })
}

/// The (unassigned count, cost) problem behind [`min_cost_max_flow`].
pub(super) fn max_flow_problem<C: Cost>(
    problem: &CapacitatedProblem<C>,
) -> CapacitatedProblem<Lexicographic<C>> {
    problem.map(
        |c| Lexicographic {
            major: C::ZERO,
            minor: c,
        },
        |_| {
            Some(Lexicographic {
                major: C::ONE,
                minor: C::ZERO,
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::Shape;

    /// A random problem of up to `max_cols` columns and 8 rows, every row free to stay
    /// unassigned at no cost, and each column's slot cost step.
    fn optional_rows(
        next: &mut impl FnMut(u64) -> u64,
        max_cols: u64,
    ) -> (CapacitatedProblem<i64>, Vec<i64>) {
        let Shape {
            cols,
            rows,
            capacity,
            steps,
        } = Shape::random(next, max_cols, 8, 3, 4);
        let mut p = CapacitatedProblem::<i64>::new(capacity);
        for _ in 0..rows {
            let arcs = crate::testdata::random_arcs(next, cols);
            p.add_row(Some(0), arcs).unwrap();
        }
        (p, steps)
    }

    /// A wrong answer that fails its certificate is replaced by the rows' side's,
    /// which is optimal (tampered by hand: the solver has no known fault left).
    #[test]
    fn a_rejected_answer_is_replaced_by_a_certified_one() {
        let mut next = crate::testdata::xorshift(0xbad5_01ce);
        for _ in 0..200 {
            let (p, steps) = optional_rows(&mut next, 5);
            let slot = |c: usize, k: u32| steps[c] * i64::from(k);
            let good = solve(&p, slot).unwrap();
            let mut bad = good.clone();
            bad.cost = add(bad.cost, 1).unwrap();
            let fixed = certified(&p, &slot, bad).unwrap();
            assert_eq!(fixed.cost, good.cost);
            assert_eq!(verify_network(&p, slot, &fixed), Ok(good.cost));
        }
    }

    /// The certificate checked on several threads gives the sequential check's answer,
    /// on optimal solutions and on solutions spoiled in each part it checks.
    #[test]
    fn the_certificate_on_threads_is_the_sequential_one() {
        use crate::assign::certificate::verify_network_on;
        let mut next = crate::testdata::xorshift(0x7e51_f00d);
        let (mut accepted, mut rejected) = (0, 0);
        for _ in 0..300 {
            let (p, steps) = optional_rows(&mut next, 9);
            let (rows, cols) = (p.rows(), p.cols());
            let slot = |c: usize, k: u32| steps[c] * i64::from(k);
            let good = solve(&p, slot).unwrap();
            let mut spoiled = good.clone();
            match next(5) {
                0 => {}
                1 if rows > 0 => spoiled.duals.row[next(rows as u64) as usize] += 1,
                2 if cols > 0 => spoiled.duals.col[next(cols as u64) as usize] -= 1,
                3 if rows > 0 => spoiled.row_to_col[next(rows as u64) as usize] = None,
                _ => spoiled.cost += 1,
            }
            let expected = verify_network(&p, slot, &spoiled);
            for threads in 1..=3 {
                assert_eq!(verify_network_on(&p, slot, &spoiled, threads), expected);
            }
            if expected.is_ok() {
                accepted += 1;
            } else {
                rejected += 1;
            }
        }
        assert!(
            accepted > 30 && rejected > 30,
            "{accepted} accepted, {rejected} rejected"
        );
    }

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
            if let Some(u) = p.unassigned[row] {
                go(p, slot, row + 1, given, acc + u, best);
            }
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
        p.add_row(Some(7), []).unwrap();
        let s = solve(&p, |_, _| 0).unwrap();
        assert_eq!(s.row_to_col, [None]);
        assert_eq!(s.cost, 7);
    }

    #[test]
    fn column_out_of_range_is_an_error_and_leaves_the_problem_unchanged() {
        let mut p = CapacitatedProblem::<i64>::new(vec![1]);
        let err = p.add_row(Some(0), [(0, 1), (3, 1)]).unwrap_err();
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
        p.add_row(Some(i64::MAX), [(0, i64::MIN)]).unwrap();
        assert_eq!(solve(&p, |_, _| 0), Err(Error::CostOverflow));
    }

    #[test]
    fn a_transposed_cost_that_would_overflow_keeps_the_rows_side() {
        // Fewer slots than rows, but cost − unassigned cost leaves i64: the slots'
        // side is not built, and the rows' side reports the overflow.
        let mut p = CapacitatedProblem::<i64>::new(vec![1]);
        p.add_row(Some(i64::MAX), [(0, i64::MIN)]).unwrap();
        p.add_row(Some(0), [(0, 0)]).unwrap();
        assert!(SlotSide::new(&p, &|_, _| 0).is_none());
        assert_eq!(solve(&p, |_, _| 0), Err(Error::CostOverflow));
        // The same when only a slot cost pushes an arc past the range.
        let mut p = CapacitatedProblem::<i64>::new(vec![1]);
        p.add_row(Some(0), [(0, i64::MAX - 1)]).unwrap();
        p.add_row(Some(0), [(0, 0)]).unwrap();
        assert!(SlotSide::new(&p, &|_, _| 2).is_none());
        let rows_side = solve_oriented(&p, |_, _| 2, &|_, _| {}, Orientation::Rows);
        assert_eq!(solve(&p, |_, _| 2), rows_side.map(|(s, _)| s));
    }

    #[test]
    fn rerouting_through_a_full_column() {
        // Row 0 prefers column 0; row 1 can only use column 0 and values it more, so
        // row 0 must move to column 1 along an augmenting path through column 0.
        let mut p = CapacitatedProblem::<i64>::new(vec![1, 1]);
        p.add_row(Some(0), [(0, -10), (1, -9)]).unwrap();
        p.add_row(Some(0), [(0, -10)]).unwrap();
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
            p.add_row(Some(0), [(0, -5)]).unwrap();
        }
        let s = solve(&p, |_, k| 4 * i64::from(k)).unwrap();
        assert_eq!(s.row_to_col.iter().flatten().count(), 2);
        assert_eq!(s.cost, -5 - 5 + 4);
    }

    #[test]
    fn huge_capacity_costs_nothing_extra() {
        let mut p = CapacitatedProblem::<i64>::new(vec![u32::MAX]);
        for _ in 0..4 {
            p.add_row(Some(0), [(0, -1)]).unwrap();
        }
        let s = solve(&p, |_, _| 0).unwrap();
        assert_eq!(s.row_to_col, [Some(0); 4]);
    }

    #[test]
    fn warm_resolve_after_rows_gain_arcs_equals_a_cold_solve() {
        let mut next = crate::testdata::xorshift(0x2545_f491_4f6c_dd1du64);
        let (mut moved, mut solved) = (0, 0);
        for round in 0..2000 {
            let Shape {
                cols,
                rows,
                capacity,
                steps,
            } = Shape::random(&mut next, 5, 9, 3, 4);
            let slot = |c: usize, k: u32| steps[c] * i64::from(k);
            // Each row's full arc list; the first problem sees only some of it.
            let full: Vec<Vec<(usize, i64)>> = (0..rows)
                .map(|_| crate::testdata::random_arcs(&mut next, cols))
                .collect();
            // Now and then a row that must be assigned.
            let unassigned: Vec<Option<i64>> = (0..rows)
                .map(|_| (next(8) > 0).then(|| next(7) as i64 - 3))
                .collect();
            let changed: Vec<bool> = (0..rows).map(|_| next(3) == 0).collect();
            let mut before = CapacitatedProblem::new(capacity.clone());
            let mut after = CapacitatedProblem::new(capacity.clone());
            for r in 0..rows {
                let kept: Vec<(usize, i64)> = if changed[r] {
                    full[r].iter().copied().filter(|_| next(2) == 0).collect()
                } else {
                    full[r].clone()
                };
                before.add_row(unassigned[r], kept).unwrap();
                after.add_row(unassigned[r], full[r].clone()).unwrap();
            }
            let Ok(mut previous) = solve(&before, slot) else {
                continue;
            };
            if round % 2 == 0 {
                // Lower the potential of columns given nobody, as the matcher does.
                for (c, &cap) in capacity.iter().enumerate() {
                    if cap > 0 && !previous.row_to_col.contains(&Some(c)) {
                        previous.duals.col[c] = previous.duals.sink - slot(c, 0);
                    }
                }
            }
            let warm = resolve(&after, slot, &previous, &changed, &|_, _| {}, u64::MAX)
                .unwrap()
                .unwrap();
            let cold = solve(&after, slot).unwrap();
            assert_eq!(warm.cost, cold.cost, "round {round}");
            assert_eq!(
                crate::assign::verify(&after, slot, &warm),
                Ok(cold.cost),
                "round {round}"
            );
            moved += usize::from(warm.row_to_col != previous.row_to_col);
            solved += 1;
        }
        // The cycle-cancelling path must really run, not only the potential shifts.
        assert!(moved * 5 > solved, "{moved} of {solved}");
    }

    #[test]
    fn slots_side_matches_rows_side_and_brute_force() {
        let mut next = crate::testdata::xorshift(0x51_7cc1_b727_220au64);
        let mut turned = 0;
        for round in 0..3000 {
            let cols = next(3) as usize + 1;
            let rows = next(8) as usize;
            let capacity: Vec<u32> = (0..cols).map(|_| next(3) as u32).collect();
            let mut p = CapacitatedProblem::new(capacity.clone());
            for _ in 0..rows {
                let mut arcs: Vec<(usize, i64)> = Vec::new();
                for c in 0..cols {
                    // Now and then no arc, now and then the same column twice.
                    for _ in 0..next(4).saturating_sub(1) {
                        arcs.push((c, next(41) as i64 - 30));
                    }
                }
                p.add_row(Some(next(11) as i64 - 5), arcs).unwrap();
            }
            let steps: Vec<i64> = (0..cols).map(|_| next(3) as i64).collect();
            let slot = |c: usize, k: u32| steps[c] * i64::from(k) + steps[c] / 2;
            turned += usize::from(SlotSide::new(&p, &slot).is_some());
            let quiet = &|_: usize, _: usize| {};
            let (auto, _) = solve_oriented(&p, slot, quiet, Orientation::Auto).unwrap();
            let (by_rows, _) = solve_oriented(&p, slot, quiet, Orientation::Rows).unwrap();
            assert_eq!(auto.cost, by_rows.cost, "round {round}: {p:?}");
            assert_eq!(auto.cost, brute_force(&p, &slot), "round {round}");
            assert_eq!(
                crate::assign::verify(&p, slot, &auto),
                Ok(auto.cost),
                "round {round}: {p:?} {auto:?}"
            );
            // The same as a min-cost maximum flow, in lexicographic costs.
            let flow = max_flow_problem(&p);
            let lex = |c: usize, k: u32| Lexicographic {
                major: 0,
                minor: slot(c, k),
            };
            let (auto, _) = solve_oriented(&flow, lex, quiet, Orientation::Auto).unwrap();
            let (by_rows, _) = solve_oriented(&flow, lex, quiet, Orientation::Rows).unwrap();
            assert_eq!(auto.cost, by_rows.cost, "round {round}");
            assert_eq!(crate::assign::verify(&flow, lex, &auto), Ok(auto.cost));
        }
        // Most of these problems have fewer slots than rows.
        assert!(turned > 1500, "{turned}");
    }

    #[test]
    fn late_rows_inserted_warm_equal_a_cold_solve() {
        let mut next = crate::testdata::xorshift(0x1d8e_4e27_c47d_124fu64);
        let mut placed_late = 0;
        for round in 0..2000 {
            let Shape {
                cols,
                rows,
                capacity,
                steps,
            } = Shape::random(&mut next, 3, 8, 3, 3);
            let slot = |c: usize, k: u32| steps[c] * i64::from(k);
            let late: Vec<bool> = (0..rows).map(|_| next(3) == 0).collect();
            let mut early = CapacitatedProblem::new(capacity.clone());
            let mut full = CapacitatedProblem::new(capacity.clone());
            for &is_late in &late {
                let arcs = crate::testdata::random_arcs(&mut next, cols);
                let unassigned = Some(next(11) as i64 - 5);
                early
                    .add_row(unassigned, if is_late { Vec::new() } else { arcs.clone() })
                    .unwrap();
                full.add_row(unassigned, arcs).unwrap();
            }
            let quiet = &|_: usize, _: usize| {};
            // The early solution from either side: both give feasible duals.
            let orientation = if round % 2 == 0 {
                Orientation::Auto
            } else {
                Orientation::Rows
            };
            let (previous, _) = solve_oriented(&early, slot, quiet, orientation).unwrap();
            let (warm, _) = insert_rows(&full, slot, &previous, &late, quiet).unwrap();
            let cold = solve(&full, slot).unwrap();
            assert_eq!(warm.cost, cold.cost, "round {round}");
            assert_eq!(crate::assign::verify(&full, slot, &warm), Ok(cold.cost));
            placed_late += (0..rows)
                .filter(|&r| late[r] && warm.row_to_col[r].is_some())
                .count();
        }
        assert!(placed_late > 500, "{placed_late}");
    }

    #[test]
    fn matches_brute_force_on_small_random_problems() {
        // A small deterministic generator keeps this unit test free of dependencies;
        // the proptest suite in tests/ covers the cohort-level solver more widely.
        let mut next = crate::testdata::xorshift(0x9e37_79b9_7f4a_7c15u64);
        for _ in 0..400 {
            let cols = next(4) as usize + 1;
            let rows = next(6) as usize;
            let capacity: Vec<u32> = (0..cols).map(|_| next(3) as u32).collect();
            let mut p = CapacitatedProblem::new(capacity);
            for _ in 0..rows {
                let arcs = crate::testdata::random_arcs(&mut next, cols);
                p.add_row(Some(next(11) as i64 - 5), arcs).unwrap();
            }
            let steps: Vec<i64> = (0..cols).map(|_| next(4) as i64).collect();
            let slot = |c: usize, k: u32| steps[c] * i64::from(k) + steps[c] / 2;
            let s = solve(&p, slot).unwrap();
            assert_eq!(s.cost, brute_force(&p, &slot), "problem {p:?}");
            let mut used = vec![0; cols];
            let mut recomputed = 0;
            for (r, col) in s.row_to_col.iter().enumerate() {
                match col {
                    None => recomputed += p.unassigned[r].unwrap(),
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
