//! Independent optimality certificates.
//!
//! A solver's answer is only as trustworthy as its code; a certificate is checkable by
//! anyone. For a min-cost flow, an assignment is optimal exactly when some potentials
//! make every residual arc's reduced cost non-negative (no negative cycle can then
//! exist). These functions check that condition, and the primal side — every assigned
//! pair is an allowed arc or entry, no column over capacity, every mandatory row
//! assigned — in exact arithmetic, and return the recomputed objective. They share no
//! code with the solvers.

use std::cmp::Ordering;

use super::dense::{DenseEntry, DenseSolution, DenseSolutionOf, DenseValue, Matrix, Sense};
use super::error::{Error, Result};
use super::sparse::{CapacitatedProblem, Network, Solution, max_flow_problem};
use super::{Cost, Lexicographic, add, sub};

fn reject<T>(reason: String) -> Result<T> {
    Err(Error::CertificateRejected { reason })
}

/// `cost + from − to`, the reduced cost of an arc.
fn reduced<C: Cost>(cost: C, from: C, to: C) -> Result<C> {
    sub(add(cost, from)?, to)
}

/// Checks that `solution` is an optimal solution of `problem` with the given slot costs,
/// using only its assignment and dual potentials, and returns the recomputed cost.
///
/// # Errors
/// [`Error::CertificateRejected`] naming the first violated condition: a shape
/// mismatch, an assigned pair with no arc, a column over capacity, a mandatory row left
/// unassigned, a residual arc with negative reduced cost, or a stated cost that differs
/// from the recomputed one. [`Error::NonConvexSlotCosts`] when a column's slot costs
/// fall anywhere within the slots it could fill (no certificate of this kind can prove
/// such a problem's optimum). [`Error::CostOverflow`] if the check itself overflows.
///
/// ```
/// use peermatch::assign::{solve, verify, CapacitatedProblem};
///
/// let mut problem = CapacitatedProblem::<i64>::new(vec![1]);
/// problem.add_row(Some(0), [(0, -3)])?;
/// problem.add_row(Some(0), [(0, -5)])?;
/// let mut solution = solve(&problem, |_, _| 0)?;
/// assert_eq!(verify(&problem, |_, _| 0, &solution)?, -5);
///
/// // A tampered certificate fails: the assigned row's arc is no longer tight.
/// solution.duals.row[1] += 1;
/// assert!(verify(&problem, |_, _| 0, &solution).is_err());
/// # Ok::<(), peermatch::assign::Error>(())
/// ```
pub fn verify<C: Cost>(
    problem: &CapacitatedProblem<C>,
    slot_cost: impl Fn(usize, u32) -> C,
    solution: &Solution<C>,
) -> Result<C> {
    verify_network(problem, slot_cost, solution)
}

/// Checks that every column's slot costs are non-decreasing over the slots it could
/// ever fill: `slot_cost(c, k − 1) ≤ slot_cost(c, k)` for `0 < k < min(capacity, arcs
/// into c)`. Slots past the arcs into a column can never be used, so a column of
/// capacity 10⁹ costs no more to check than its arcs; `O(arcs)` calls in all.
///
/// # Errors
/// [`Error::NonConvexSlotCosts`] naming the first column and slot where the cost
/// falls.
pub(crate) fn check_convex<C: Cost, N: Network<C>>(
    problem: &N,
    slot_cost: impl Fn(usize, u32) -> C,
) -> Result<()> {
    usable_slots(problem, slot_cost).map(|_| ())
}

/// [`check_convex`], returning each column's usable slots: `min(capacity, arcs into
/// it)`.
fn usable_slots<C: Cost, N: Network<C>>(
    problem: &N,
    slot_cost: impl Fn(usize, u32) -> C,
) -> Result<Vec<u32>> {
    let mut arcs_into = vec![0u32; problem.cols()];
    for arc in 0..problem.arcs_len() {
        let c = problem.arc_col(arc);
        arcs_into[c] = arcs_into[c].saturating_add(1);
    }
    for (col, arcs) in arcs_into.iter_mut().enumerate() {
        let usable = problem.capacity(col).min(*arcs);
        *arcs = usable;
        let mut previous: Option<C> = None;
        for slot in 0..usable {
            let s = slot_cost(col, slot);
            if previous.is_some_and(|p| s < p) {
                return Err(Error::NonConvexSlotCosts { col, slot });
            }
            previous = Some(s);
        }
    }
    Ok(arcs_into)
}

/// [`verify`] on any [`Network`].
pub(crate) fn verify_network<C: Cost, N: Network<C>>(
    problem: &N,
    slot_cost: impl Fn(usize, u32) -> C,
    solution: &Solution<C>,
) -> Result<C> {
    let usable = usable_slots(problem, &slot_cost)?;
    check_shape(problem, solution)?;
    let (total, used) = check_rows(problem, solution, 0..problem.rows())?;
    check_columns(problem, slot_cost, solution, &usable, total, &used)
}

/// [`verify_network`] with the rows checked in chunks on `threads` threads (0 = one per
/// core), the first failing row reported as the sequential check reports it.
pub(crate) fn verify_network_on<C, N>(
    problem: &N,
    slot_cost: impl Fn(usize, u32) -> C,
    solution: &Solution<C>,
    threads: usize,
) -> Result<C>
where
    C: Cost + Send + Sync,
    N: Network<C> + Sync,
{
    let usable = usable_slots(problem, &slot_cost)?;
    check_shape(problem, solution)?;
    let parts = crate::par::map_chunks(problem.rows(), VERIFY_CHUNK, threads, |rows| {
        check_rows(problem, solution, rows)
    });
    let mut total = C::ZERO;
    let mut used = vec![0u32; problem.cols()];
    for part in parts {
        let (part_total, part_used) = part?;
        total = add(total, part_total)?;
        for (u, p) in used.iter_mut().zip(part_used) {
            *u += p;
        }
    }
    check_columns(problem, slot_cost, solution, &usable, total, &used)
}

/// Rows [`verify_network_on`] checks on one thread at a time (few in the unit tests,
/// so that their problems take several chunks).
const VERIFY_CHUNK: usize = if cfg!(test) { 2 } else { 8192 };

/// The solution has a column for every row and a dual for every row and column.
fn check_shape<C: Cost, N: Network<C>>(problem: &N, solution: &Solution<C>) -> Result<()> {
    let (rows, cols) = (problem.rows(), problem.cols());
    let duals = &solution.duals;
    if solution.row_to_col.len() != rows || duals.row.len() != rows || duals.col.len() != cols {
        return reject(format!(
            "shape: the problem has {rows} rows and {cols} columns, the solution {} rows, \
             duals for {} rows and {} columns",
            solution.row_to_col.len(),
            duals.row.len(),
            duals.col.len()
        ));
    }
    Ok(())
}

/// The rows' part of the certificate, for `rows`: every arc's reduced cost, the used
/// arcs tight, staying unassigned; returns the rows' cost and each column's rows.
fn check_rows<C: Cost, N: Network<C>>(
    problem: &N,
    solution: &Solution<C>,
    rows: std::ops::Range<usize>,
) -> Result<(C, Vec<u32>)> {
    let duals = &solution.duals;
    let sink = duals.sink;
    let mut used = vec![0u32; problem.cols()];
    let mut total = C::ZERO;
    for r in rows {
        let pr = duals.row[r];
        let assigned = solution.row_to_col[r];
        // The arc actually used is the cheapest arc to the assigned column.
        let used_cost = match assigned {
            Some(c) => {
                let Some(cost) = problem.cheapest(r, c) else {
                    return reject(format!(
                        "row {r} is assigned to column {c} but has no arc to it"
                    ));
                };
                used[c] += 1;
                total = add(total, cost)?;
                // Reverse of the used arc: column → row with cost −cost.
                if reduced(C::ZERO, duals.col[c], add(pr, cost)?)? < C::ZERO {
                    return reject(format!("row {r}: the used arc to column {c} is not tight"));
                }
                Some((c, cost))
            }
            None => None,
        };
        let mut skipped_used = false;
        for (c, cost) in problem.arcs(r) {
            if !skipped_used && used_cost == Some((c, cost)) {
                skipped_used = true;
                continue;
            }
            if reduced(cost, pr, duals.col[c])? < C::ZERO {
                return reject(format!(
                    "row {r}: arc to column {c} has negative reduced cost"
                ));
            }
        }
        match (problem.unassigned_cost(r), assigned) {
            (None, None) => return reject(format!("row {r} must be assigned but is not")),
            (None, Some(_)) => {}
            (Some(u), Some(_)) => {
                if reduced(u, pr, sink)? < C::ZERO {
                    return reject(format!(
                        "row {r}: staying unassigned has negative reduced cost"
                    ));
                }
            }
            (Some(u), None) => {
                total = add(total, u)?;
                if reduced(C::ZERO, sink, add(pr, u)?)? < C::ZERO {
                    return reject(format!("row {r}: leaving it unassigned is not tight"));
                }
            }
        }
    }
    Ok((total, used))
}

/// The columns' part of the certificate, given the rows' cost `total` and each
/// column's rows `used`: capacities, slot costs, the sink; returns the cost.
fn check_columns<C: Cost, N: Network<C>>(
    problem: &N,
    slot_cost: impl Fn(usize, u32) -> C,
    solution: &Solution<C>,
    usable: &[u32],
    mut total: C,
    used: &[u32],
) -> Result<C> {
    let duals = &solution.duals;
    let sink = duals.sink;
    for (c, &k) in used.iter().enumerate() {
        let capacity = problem.capacity(c);
        if k > capacity {
            return reject(format!("column {c} takes {k} rows, capacity {capacity}"));
        }
        let mut previous: Option<C> = None;
        for j in 0..k {
            let s = slot_cost(c, j);
            previous = Some(s);
            total = add(total, s)?;
        }
        if let Some(last) = previous
            && reduced(C::ZERO, sink, add(duals.col[c], last)?)? < C::ZERO
        {
            return reject(format!("column {c}: its last used slot is not tight"));
        }
        // A column that took every row with an arc to it can take no more: no
        // residual path enters it, so its next slot's cost does not matter.
        if k < usable[c] {
            let next = slot_cost(c, k);
            if reduced(next, duals.col[c], sink)? < C::ZERO {
                return reject(format!(
                    "column {c}: its next free slot has negative reduced cost"
                ));
            }
        }
    }
    if total != solution.cost {
        return reject(format!(
            "stated cost {:?} differs from the recomputed {total:?}",
            solution.cost
        ));
    }
    Ok(total)
}

/// [`verify`] for a [`min_cost_max_flow`](super::min_cost_max_flow) solution: checks it
/// against the (unassigned rows, cost) problem that function solves.
///
/// # Errors
/// As for [`verify`].
pub fn verify_max_flow<C: Cost>(
    problem: &CapacitatedProblem<C>,
    slot_cost: impl Fn(usize, u32) -> C,
    solution: &Solution<Lexicographic<C>>,
) -> Result<Lexicographic<C>> {
    verify(
        &max_flow_problem(problem),
        |c, k| Lexicographic {
            major: C::ZERO,
            minor: slot_cost(c, k),
        },
        solution,
    )
}

/// Checks a [`solve_dense`](super::solve_dense) (or, with `unassigned_cost`,
/// [`solve_dense_with_unassigned`](super::solve_dense_with_unassigned)) solution
/// against its matrix using the LP duals, and returns the recomputed objective.
///
/// Written for minimising (flip every inequality when maximising): the assignment
/// uses allowed entries, each column at most once, and covers the shorter side (when
/// there are no unassigned costs); `row_dual[r] + col_dual[c] ≤ cost[r][c]` for every
/// allowed entry, with equality on assigned pairs; every column dual is ≤ 0 and is 0
/// on unused columns (for a tall matrix without unassigned costs, the same holds for
/// rows instead); with unassigned costs, `row_dual[r] ≤ unassigned_cost[r]`, with
/// equality for rows left unassigned. Integer matrices are checked exactly.
///
/// Float matrices are checked within a tolerance: `a + b` is taken as equal to `c`
/// when they differ by at most `1e-9 · (1 + |a| + |b| + |c|) + 4 · n · ε · M`, where
/// `n = max(rows, cols)`, `ε = f64::EPSILON` and `M` the largest magnitude of an
/// allowed entry (or unassigned cost); the objective within `1e-9 · (1 + Σ |terms|)`
/// plus the same `4 · n · ε · M`. The second term is the rounding an augmenting path's
/// sums can build up when entries near 2⁵³ mix with small ones; [`solve_dense`](super::solve_dense)
/// checks its own answers with exactly this tolerance.
///
/// # Errors
/// [`Error::CertificateRejected`] naming the first violated condition;
/// [`Error::InvalidCost`] for an invalid matrix entry.
///
/// ```
/// use peermatch::assign::{solve_dense, verify_dense, Matrix, Sense};
///
/// let costs = Matrix::new(2, 3, vec![4, 1, 3, 2, 0, 5])?;
/// let mut solution = solve_dense(&costs, Sense::Minimize)?;
/// assert_eq!(verify_dense(&costs, Sense::Minimize, None, &solution)?, 3);
/// solution.row_duals[0] += 1;
/// assert!(verify_dense(&costs, Sense::Minimize, None, &solution).is_err());
/// # Ok::<(), peermatch::assign::Error>(())
/// ```
pub fn verify_dense<E: DenseEntry>(
    costs: &Matrix<E>,
    sense: Sense,
    unassigned_cost: Option<&[E::Value]>,
    solution: &DenseSolutionOf<E>,
) -> Result<<E::Value as DenseValue>::Wide> {
    E::Value::verify(costs, sense, unassigned_cost, solution)
}

/// A dense problem as [`check_dense`] sees it.
pub(super) struct DenseCheck<'a, V, W, F> {
    /// Number of rows.
    pub(super) rows: usize,
    /// Number of columns.
    pub(super) cols: usize,
    /// Entry `r · cols + c`, `None` when forbidden.
    pub(super) value: F,
    /// Minimising or maximising.
    pub(super) sense: Sense,
    /// Each row's cost of staying unassigned, when it may.
    pub(super) unassigned: Option<&'a [V]>,
    /// How values compare and add.
    pub(super) arithmetic: &'a DenseArithmetic<V, W>,
    /// A faster equivalent of one row's dual feasibility scan (see [`check_dense`]).
    pub(super) row_scan: Option<&'a dyn Fn(usize) -> Option<usize>>,
}

/// How [`check_dense`] compares and adds one value type.
pub(super) struct DenseArithmetic<V, W> {
    /// Compares `a + b` with `c`, exactly or within the documented tolerance, whose
    /// absolute part is the last argument.
    pub(super) cmp: fn(W, W, V, W) -> Ordering,
    /// The tolerance's absolute part for this matrix (0 for integers).
    pub(super) floor: W,
    /// Adds a value to a total.
    pub(super) acc: fn(W, V) -> W,
    /// Adds a value's magnitude to a total of magnitudes (the float tolerance's scale).
    pub(super) acc_abs: fn(W, V) -> W,
    /// The total of nothing.
    pub(super) zero: W,
    /// Whether a recomputed total equals the stated one, given the terms' magnitude
    /// and the tolerance's absolute part.
    pub(super) same: fn(W, W, W, W) -> bool,
}

/// The checks behind [`verify_dense`] and the dense solver's own check before it
/// returns, for any value type; `value(r · cols + c)` is entry `(r, c)`, `None` when
/// forbidden. `row_scan(r)`, when given, replaces the one `O(cols)` check per row —
/// the first column whose entry violates dual feasibility with row `r`'s dual, if
/// any — by an equivalent faster one (complete integer matrices whose duals fit in
/// `i64`).
pub(super) fn check_dense<V, W, F>(
    problem: &DenseCheck<'_, V, W, F>,
    solution: &DenseSolution<W>,
) -> Result<W>
where
    V: Copy + Default + PartialEq + std::fmt::Debug,
    W: Copy + PartialEq + std::fmt::Debug,
    F: Fn(usize) -> Option<V>,
{
    let DenseCheck {
        rows,
        cols,
        ref value,
        sense,
        unassigned,
        arithmetic,
        row_scan,
    } = *problem;
    if solution.row_to_col.len() != rows
        || solution.col_to_row.len() != cols
        || solution.row_duals.len() != rows
        || solution.col_duals.len() != cols
        || unassigned.is_some_and(|u| u.len() != rows)
    {
        return reject("shape: the solution does not match the matrix".into());
    }
    // `worse` is the side of an inequality a dual must not be on.
    let worse = match sense {
        Sense::Minimize => Ordering::Greater,
        Sense::Maximize => Ordering::Less,
    };
    let DenseArithmetic {
        cmp,
        acc,
        acc_abs,
        floor,
        zero,
        same,
    } = *arithmetic;
    let cmp = |a, b, c| cmp(a, b, c, floor);
    let nil = V::default();
    let none = zero;
    let mut used = vec![false; cols];
    let mut total = zero;
    let mut magnitude = zero;
    let mut assigned = 0usize;
    for r in 0..rows {
        let u = solution.row_duals[r];
        match solution.row_to_col[r] {
            Some(c) => {
                if c >= cols || std::mem::replace(&mut used[c], true) {
                    return reject(format!("row {r}: column {c} is out of range or used twice"));
                }
                if solution.col_to_row[c] != Some(r) {
                    return reject(format!("row {r} and column {c} disagree about their pair"));
                }
                let Some(cost) = value(r * cols + c) else {
                    return reject(format!("row {r} is assigned to forbidden column {c}"));
                };
                if cmp(u, solution.col_duals[c], cost) != Ordering::Equal {
                    return reject(format!("assigned entry ({r}, {c}) is not tight"));
                }
                total = acc(total, cost);
                magnitude = acc_abs(magnitude, cost);
                assigned += 1;
            }
            None => {
                if let Some(un) = unassigned {
                    total = acc(total, un[r]);
                    magnitude = acc_abs(magnitude, un[r]);
                    if cmp(u, none, un[r]) != Ordering::Equal {
                        return reject(format!(
                            "unassigned row {r}: its dual is not its unassigned cost"
                        ));
                    }
                }
            }
        }
        if let Some(un) = unassigned
            && cmp(u, none, un[r]) == worse
        {
            return reject(format!("row {r}: its dual is past its unassigned cost"));
        }
        let violation = match row_scan {
            Some(scan) => scan(r),
            None => (0..cols).find(|&c| {
                value(r * cols + c).is_some_and(|cost| cmp(u, solution.col_duals[c], cost) == worse)
            }),
        };
        if let Some(c) = violation {
            return reject(format!("entry ({r}, {c}) violates dual feasibility"));
        }
    }
    for (c, &u) in used.iter().enumerate() {
        if solution.col_to_row[c].is_some() != u {
            return reject(format!("column {c} and the rows disagree about its pair"));
        }
    }
    // Free duals: the side that must be covered; signed, zero when unused: the other.
    let tall = unassigned.is_none() && rows > cols;
    let (duals, in_use): (&[W], Vec<bool>) = if tall {
        (
            &solution.row_duals,
            solution.row_to_col.iter().map(Option::is_some).collect(),
        )
    } else {
        (&solution.col_duals, used)
    };
    let side = if tall { "row" } else { "column" };
    // A square matrix without unassigned costs uses every row and column: its LP can be
    // written with equalities on both sides, whose duals are free.
    let square = unassigned.is_none() && rows == cols;
    for (k, (&d, &u)) in duals.iter().zip(&in_use).enumerate().filter(|_| !square) {
        if cmp(d, none, nil) == worse {
            return reject(format!("{side} {k}: its dual has the wrong sign"));
        }
        if !u && cmp(d, none, nil) != Ordering::Equal {
            return reject(format!("unused {side} {k} has a nonzero dual"));
        }
    }
    if unassigned.is_none() && assigned != rows.min(cols) {
        return reject(format!(
            "only {assigned} pairs assigned, {} required",
            rows.min(cols)
        ));
    }
    if !same(total, solution.objective, magnitude, floor) {
        return reject(format!(
            "stated objective {:?} differs from the recomputed {total:?}",
            solution.objective
        ));
    }
    Ok(total)
}
