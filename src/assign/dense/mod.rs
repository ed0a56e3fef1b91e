//! Dense linear assignment: the Jonker–Volgenant algorithm on a full cost matrix.
//!
//! `rows × cols` costs, minimised or maximised; `min(rows, cols)` pairs are assigned (a
//! row of a wide matrix or a column of a tall one is left over). Entries may be
//! forbidden, and [`solve_dense_with_unassigned`] lets each row stay unassigned at a
//! cost of its own instead of taking a worse entry.
//!
//! # Algorithm
//! R. Jonker and A. Volgenant, *A shortest augmenting path algorithm for dense and
//! sparse linear assignment problems*, Computing 38 (1987) 325–340. On a square matrix:
//! column reduction (each column's minimum becomes its price), reduction transfer
//! (rows assigned once pass their slack to the column), two rounds of augmenting row
//! reduction (free rows bid for their cheapest column, lowering its price by the gap to
//! the second cheapest), then a shortest augmenting path for each row still free,
//! Dijkstra-like over columns, scanning *all* columns at the current minimum distance
//! together so that ties (frequent with small integer ranges) cost one pass instead of
//! many. Wide matrices skip column reduction (prices must stay ≤ 0 on unassigned
//! columns) and start from zero prices; the pass that bounds a wide matrix's entries
//! also records each row's least and second least cost, so that the first round of
//! bids does not read the rows again (a bid stands while neither of its columns has
//! been re-priced); likewise a square matrix solved as it is takes its column minima
//! from the pass that bounds it. Tall matrices are transposed, in tiles, into the
//! narrowest type the bound allows.
//!
//! When every column's minimum is the same value (heavy ties, as with costs in a small
//! integer range), the column reduction gives each column to the first row at its
//! minimum, so a few rows take everything and the rest are free; those free rows are
//! then placed greedily on free columns at reduced cost 0, which are row minima, before
//! any augmenting path is searched. For such tiny ranges the large-matrix `i32` copy is skipped too (see
//! `integer::TINY_RANGE`).
//!
//! Two refinements keep structured matrices off the known cliffs of this family:
//! - when column minima crowd into few rows (strong row effects), rows are reduced
//!   first — every later step compares costs within one row, so a per-row offset only
//!   changes the column reduction;
//! - the augmentation phase counts its column visits; when the visits so far, projected
//!   over the rows still free (by the mean path so far, or by the last 16 paths' mean
//!   for the rows to come), pass `150 n²` (ordered matrices such as Machol–Wien
//!   `c_ij = i·j`, where the `k`-th path scans about `k` rows), it restarts from prices
//!   computed by a forward auction with ε-scaling (D. P. Bertsekas, Annals of Operations
//!   Research 14, 1988) on costs scaled by `n + 1` and read as 32-bit offsets where
//!   they fit, then runs the same exact augmentation. The budget counts operations,
//!   not time, so the route taken — and the result — is the same on every run.
//!
//! # Self-check
//! Every heuristic above must leave each assigned row at its least reduced cost; one
//! that does not gives a wrong answer with no error (the greedy tie placement once
//! trusted the row-offset reduction's prices and returned non-optimal plans for
//! `−i·j`). So before it returns, [`solve_dense`] checks its own certificate with the
//! same checks as [`verify_dense`](super::verify_dense), one `O(rows · cols)` pass over
//! the reduced costs. An answer that fails it is discarded and the matrix solved again
//! by the textbook Hungarian method (module `hungarian`: no heuristics, `O(n³)`, in
//! `i128` for integers), whose answer must pass the same check, or the solve returns
//! [`Error::Uncertified`]. A wrong answer never reaches the caller.
//!
//! Time `O(n³)` in the worst case, far less in practice; space `O(n)` beyond the matrix
//! (plus a copy of it when maximising, transposing, narrowing or widening integers).
//!
//! # Arithmetic
//! Complete integer matrices run in the narrowest exact type a bound proven from the
//! input allows (every price, distance and dual stays below `|c| · (4n + 8)`): `i32`
//! for large square and for tall matrices with moderate costs (half the memory
//! traffic), the caller's own `i64` slice when it can be used as it is (wide matrices,
//! whose few augmenting paths read little of them, whenever they fit), a shifted `i64`
//! copy, or `i128`; every
//! `i64` matrix is solved exactly, and objectives and duals are `i128`. Integer
//! matrices with forbidden entries or unassigned costs are solved by the sparse solver,
//! which handles missing entries natively and reports infeasibility exactly. Float
//! matrices run in `f64`; a forbidden entry becomes a finite cost too large for any
//! optimal assignment to use.

use std::fmt::Debug;

mod auction;
mod check;
mod float;
mod integer;
mod jv;
mod scan;

use super::error::{Error, Result};
pub(super) use jv::{FREE, Num};

/// Whether to minimise or maximise the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Sense {
    /// Least total cost.
    #[default]
    Minimize,
    /// Greatest total weight.
    Maximize,
}

/// A dense `rows × cols` matrix, stored row by row.
///
/// ```
/// use peermatch::assign::Matrix;
/// let m = Matrix::from_fn(2, 3, |r, c| (r * 3 + c) as i64);
/// assert_eq!(*m.get(1, 2), 5);
/// assert!(Matrix::new(2, 2, vec![1, 2, 3]).is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix<T> {
    rows: usize,
    cols: usize,
    data: Vec<T>,
}

impl<T> Matrix<T> {
    /// A matrix from its entries in row-major order.
    ///
    /// # Errors
    /// [`Error::MatrixShape`] unless `data.len() == rows × cols`.
    pub fn new(rows: usize, cols: usize, data: Vec<T>) -> Result<Self> {
        if rows.checked_mul(cols) != Some(data.len()) {
            return Err(Error::MatrixShape {
                rows,
                cols,
                len: data.len(),
            });
        }
        Ok(Matrix { rows, cols, data })
    }

    /// A matrix whose entry `(r, c)` is `f(r, c)`.
    pub fn from_fn(rows: usize, cols: usize, mut f: impl FnMut(usize, usize) -> T) -> Self {
        let mut data = Vec::with_capacity(rows * cols);
        for r in 0..rows {
            for c in 0..cols {
                data.push(f(r, c));
            }
        }
        Matrix { rows, cols, data }
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Entry `(row, col)`.
    ///
    /// # Panics
    /// When `row` or `col` is out of range.
    pub fn get(&self, row: usize, col: usize) -> &T {
        assert!(row < self.rows && col < self.cols, "entry out of range");
        &self.data[row * self.cols + col]
    }

    /// The entries in row-major order.
    pub fn as_slice(&self) -> &[T] {
        &self.data
    }
}

/// An optimal dense assignment with its LP dual certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct DenseSolution<V> {
    /// For each row, its column, or `None` when left unassigned.
    pub row_to_col: Vec<Option<usize>>,
    /// For each column, its row, or `None`.
    pub col_to_row: Vec<Option<usize>>,
    /// Total of the assigned entries (and of the unassigned rows' costs, when given).
    pub objective: V,
    /// Row duals `u`: with column duals `v`, `u[r] + v[c] ≤ cost[r][c]` for every allowed
    /// entry when minimising (`≥` when maximising), with equality on assigned pairs.
    pub row_duals: Vec<V>,
    /// Column duals `v`.
    pub col_duals: Vec<V>,
}

/// What an entry of a cost matrix means.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Entry<V> {
    Allowed(V),
    Forbidden,
    Invalid(f64),
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for i64 {}
    impl Sealed for f64 {}
    impl Sealed for Option<i64> {}
    impl Sealed for Option<f64> {}
}

/// A cost-matrix entry: `i64`, `f64`, or either wrapped in `Option` (`None` =
/// forbidden). For `f64`, the infinity of the direction being avoided (+∞ when
/// minimising, −∞ when maximising) is forbidden too; NaN and the other infinity are
/// [`Error::InvalidCost`].
pub trait DenseEntry: Copy + sealed::Sealed {
    /// The numeric type of costs, duals and objectives.
    type Value: DenseValue;
    #[doc(hidden)]
    fn entry(self, sense: Sense) -> Entry<Self::Value>;
    /// The entries themselves, when they are plain `i64` (the zero-copy fast path).
    #[doc(hidden)]
    fn plain_i64(_data: &[Self]) -> Option<&[i64]> {
        None
    }
    /// The entries themselves, when they are plain `f64`.
    #[doc(hidden)]
    fn plain_f64(_data: &[Self]) -> Option<&[f64]> {
        None
    }
}

fn float_entry(x: f64, sense: Sense) -> Entry<f64> {
    let avoided = match sense {
        Sense::Minimize => f64::INFINITY,
        Sense::Maximize => f64::NEG_INFINITY,
    };
    if x == avoided {
        Entry::Forbidden
    } else if x.is_finite() {
        Entry::Allowed(x)
    } else {
        Entry::Invalid(x)
    }
}

impl DenseEntry for i64 {
    type Value = i64;
    fn entry(self, _: Sense) -> Entry<i64> {
        Entry::Allowed(self)
    }
    fn plain_i64(data: &[i64]) -> Option<&[i64]> {
        Some(data)
    }
}

impl DenseEntry for Option<i64> {
    type Value = i64;
    fn entry(self, _: Sense) -> Entry<i64> {
        self.map_or(Entry::Forbidden, Entry::Allowed)
    }
}

impl DenseEntry for f64 {
    type Value = f64;
    fn entry(self, sense: Sense) -> Entry<f64> {
        float_entry(self, sense)
    }
    fn plain_f64(data: &[f64]) -> Option<&[f64]> {
        Some(data)
    }
}

impl DenseEntry for Option<f64> {
    type Value = f64;
    fn entry(self, sense: Sense) -> Entry<f64> {
        self.map_or(Entry::Forbidden, |x| float_entry(x, sense))
    }
}

/// The numeric type of a dense problem: `i64` (solved exactly) or `f64`.
pub trait DenseValue: Copy + PartialOrd + Debug + sealed::Sealed {
    /// The type of objectives and duals: `i128` for `i64` costs, so that no sum of
    /// `i64` costs and no dual can overflow; `f64` for `f64`.
    type Wide: Copy + PartialOrd + Debug;
    #[doc(hidden)]
    fn solve<E: DenseEntry<Value = Self>>(
        m: &Matrix<E>,
        sense: Sense,
        unassigned: Option<&[Self]>,
    ) -> Result<DenseSolution<Self::Wide>>;
    #[doc(hidden)]
    fn verify<E: DenseEntry<Value = Self>>(
        m: &Matrix<E>,
        sense: Sense,
        unassigned: Option<&[Self]>,
        solution: &DenseSolution<Self::Wide>,
    ) -> Result<Self::Wide>;
}

/// The solution type of a matrix of `E`.
pub type DenseSolutionOf<E> = DenseSolution<<<E as DenseEntry>::Value as DenseValue>::Wide>;

/// Solves the dense assignment problem: `min(rows, cols)` pairs of least (or greatest)
/// total, avoiding forbidden entries.
///
/// # Complexity
/// `O(n³)` time in the worst case for `n = max(rows, cols)`, typically much less; `O(n)`
/// extra space on the fast path (complete matrix, minimising, `rows ≤ cols`, `i64`
/// within range or `f64`), one matrix copy otherwise.
///
/// # Certified
/// The answer is checked against its own dual certificate before it is returned (the
/// checks of [`verify_dense`](super::verify_dense), one more pass over the matrix); an
/// answer that fails is replaced by the plain Hungarian method's (module docs,
/// "Self-check").
///
/// # Errors
/// [`Error::Infeasible`] when forbidden entries leave no full assignment;
/// [`Error::InvalidCost`] for NaN or the wrong infinity; [`Error::CostOverflow`] for
/// float costs so large (near `f64::MAX`) that their sums would not be finite;
/// [`Error::Uncertified`] if even the fallback's answer failed its check (a bug).
///
/// ```
/// use peermatch::assign::{solve_dense, Matrix, Sense};
///
/// // Three workers (rows), two jobs: the cheapest pair of workers is chosen,
/// // worker 0 on job 1 (1) and worker 1 on job 0 (2).
/// let costs = Matrix::new(3, 2, vec![4, 1, 2, 0, 3, 3])?;
/// let solution = solve_dense(&costs, Sense::Minimize)?;
/// assert_eq!(solution.row_to_col, [Some(1), Some(0), None]);
/// assert_eq!(solution.objective, 3); // i128: sums of i64 costs cannot overflow
///
/// // Forbidden entries, maximising.
/// let weights = Matrix::new(2, 2, vec![Some(5.0), None, Some(4.0), Some(1.0)])?;
/// let best = solve_dense(&weights, Sense::Maximize)?;
/// assert_eq!(best.row_to_col, [Some(0), Some(1)]);
/// assert_eq!(best.objective, 6.0);
/// # Ok::<(), peermatch::assign::Error>(())
/// ```
pub fn solve_dense<E: DenseEntry>(costs: &Matrix<E>, sense: Sense) -> Result<DenseSolutionOf<E>> {
    E::Value::solve(costs, sense, None)
}

/// Like [`solve_dense`], but each row may instead stay unassigned at
/// `unassigned_cost[row]`: the plan of least (greatest) total, of any size.
///
/// # Errors
/// As for [`solve_dense`], and [`Error::MatrixShape`] when `unassigned_cost` does not
/// have one entry per row.
///
/// ```
/// use peermatch::assign::{solve_dense_with_unassigned, Matrix, Sense};
///
/// // Row 1's only options are worse than staying unassigned at 5.
/// let costs = Matrix::new(2, 2, vec![1, 9, 8, 7])?;
/// let solution = solve_dense_with_unassigned(&costs, Sense::Minimize, &[5, 5])?;
/// assert_eq!(solution.row_to_col, [Some(0), None]);
/// assert_eq!(solution.objective, 1 + 5);
/// # Ok::<(), peermatch::assign::Error>(())
/// ```
pub fn solve_dense_with_unassigned<E: DenseEntry>(
    costs: &Matrix<E>,
    sense: Sense,
    unassigned_cost: &[E::Value],
) -> Result<DenseSolutionOf<E>> {
    if unassigned_cost.len() != costs.rows() {
        return Err(Error::MatrixShape {
            rows: costs.rows(),
            cols: 1,
            len: unassigned_cost.len(),
        });
    }
    E::Value::solve(costs, sense, Some(unassigned_cost))
}

/// Validates every entry; returns the allowed values in row-major order (`None` for
/// forbidden) and whether any entry is forbidden.
fn classify<E: DenseEntry>(m: &Matrix<E>, sense: Sense) -> Result<(Vec<Option<E::Value>>, bool)> {
    let mut out = Vec::with_capacity(m.data.len());
    let mut forbidden = false;
    for (i, e) in m.data.iter().enumerate() {
        match e.entry(sense) {
            Entry::Allowed(v) => out.push(Some(v)),
            Entry::Forbidden => {
                forbidden = true;
                out.push(None);
            }
            Entry::Invalid(value) => {
                return Err(Error::InvalidCost {
                    row: i / m.cols,
                    col: i % m.cols,
                    value,
                });
            }
        }
    }
    Ok((out, forbidden))
}

pub(super) fn col_to_row(cols: usize, row_to_col: &[Option<usize>]) -> Vec<Option<usize>> {
    let mut out = vec![None; cols];
    for (r, c) in row_to_col.iter().enumerate() {
        if let Some(c) = *c {
            out[c] = Some(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::check::{check_complete_f64, check_complete_i64, check_f64, check_i64, float_floor};
    use super::integer::{HUNGARIAN, plain_i64};
    use super::jv::{
        AUCTION_BUDGET, AUCTION_MIN_N, ColumnMinima, jv, jv_square, jv_tuned, jv_wide, row_tops,
    };
    use super::*;
    use crate::assign::hungarian::hungarian;

    fn total<T: Num>(cols: usize, c: &[T], x: &[u32]) -> T {
        x.iter()
            .enumerate()
            .fold(T::ZERO, |acc, (i, &j)| acc + c[i * cols + j as usize])
    }

    /// Dual feasibility and tightness of a JV result, checked directly.
    fn check<T: Num>(n: usize, c: &[T], x: &[u32], v: &[T]) {
        for i in 0..n {
            let u = c[i * n + x[i] as usize] - v[x[i] as usize];
            for j in 0..n {
                assert!(c[i * n + j] - v[j] >= u, "row {i} column {j}");
            }
        }
    }

    /// The JV route by itself, without the certificate check and fallback that
    /// `solve_dense` adds (which would hide a faulty heuristic from the public tests):
    /// dual-feasible, and optimal against the Hungarian fallback, on structured square
    /// and wide matrices up to 59 × 236 (each also by the route that knows its first
    /// phase's input) — products, sums, ties, strong row effects — with and without
    /// the auction route.
    #[test]
    fn the_jv_route_alone_is_optimal_on_structured_matrices() {
        let mut next = crate::testdata::xorshift(0x0dd5_eed5_0f1c);
        for round in 0..1500 {
            // Every 25th round a larger one, four times as wide (or square).
            let large = round % 25 == 24;
            let rows = if large { 20 + next(40) } else { 1 + next(12) } as usize;
            let cols = if large {
                rows * [1, 4][round / 25 % 2]
            } else {
                rows + [0, 0, 1, 3, 29][round % 5]
            };
            let a: Vec<i64> = (0..rows).map(|_| next(100) as i64 - 50).collect();
            let b: Vec<i64> = (0..cols).map(|_| next(100) as i64 - 50).collect();
            let family = round % 9;
            let c: Vec<i64> = (0..rows * cols)
                .map(|k| {
                    let (i, j) = (k / cols, k % cols);
                    let (ii, jj) = (i as i64, j as i64);
                    match family {
                        0 => -(ii * jj),
                        1 => ii * jj,
                        2 => (ii + 1) * (jj + 1),
                        3 => -((ii + 1) * (jj + 1)),
                        4 => a[i] + b[j],
                        5 => a[i] + b[j] + next(2) as i64,
                        6 => next(2) as i64,
                        7 => a[i] * 1000 + next(3) as i64,
                        _ => a[i] * b[j],
                    }
                })
                .collect();
            let (budget_n, budget) = if round % 2 == 0 {
                (AUCTION_MIN_N, AUCTION_BUDGET)
            } else {
                (0, 0)
            };
            let (x, _, v) = jv_tuned(rows, cols, &c, budget_n, budget);
            let mut answers = vec![(x, v)];
            if rows < cols {
                // The wide route, whose first bids come from the bounding pass.
                let (tops, _) = row_tops(cols, &c);
                answers.push(jv_wide(rows, cols, &c, &tops));
            }
            if rows == cols && rows > 1 {
                // The square route, whose column minima come from the bounding pass.
                let mut minima = ColumnMinima::new(&c[..cols]);
                for i in 1..rows {
                    minima.add(i, &c[i * cols..(i + 1) * cols]);
                }
                answers.push(jv_square(rows, &c, minima));
            }
            for (x, v) in answers {
                let mut seen = vec![false; cols];
                for i in 0..rows {
                    let j = x[i] as usize;
                    assert!(
                        j < cols && !std::mem::replace(&mut seen[j], true),
                        "round {round}"
                    );
                    let u = c[i * cols + j] - v[j];
                    for k in 0..cols {
                        assert!(
                            c[i * cols + k] - v[k] >= u,
                            "round {round}, family {family}: ({i}, {k})"
                        );
                    }
                }
                for j in 0..cols {
                    assert!(
                        v[j] <= 0 && (seen[j] || v[j] == 0) || rows == cols,
                        "round {round}: column {j}"
                    );
                }
                let wide: Vec<i128> = c.iter().map(|&x| i128::from(x)).collect();
                let (xh, _) = hungarian(rows, cols, &wide);
                let total_h: i128 = (0..rows).map(|i| wide[i * cols + xh[i] as usize]).sum();
                let total: i128 = (0..rows).map(|i| wide[i * cols + x[i] as usize]).sum();
                assert_eq!(total, total_h, "round {round}, family {family}");
            }
        }
    }

    /// The fast complete-matrix check says exactly what the general one says, on
    /// optimal answers and on answers tampered in every way the check looks at.
    #[test]
    fn the_fast_check_agrees_with_the_general_one() {
        let mut next = crate::testdata::xorshift(0xc4ec_4a11);
        for round in 0..3000 {
            let rows = next(7) as usize;
            let cols = next(7) as usize;
            let big = [10, 1 << 40, 1 << 62][round % 3];
            let data: Vec<i64> = (0..rows * cols)
                .map(|_| next(big) as i64 - (big / 2) as i64)
                .collect();
            let m = Matrix::new(rows, cols, data.clone()).unwrap();
            let sense = if round % 2 == 0 {
                Sense::Minimize
            } else {
                Sense::Maximize
            };
            let mut s = solve_dense(&m, sense).unwrap();
            match next(6) {
                0 => {}
                1 if rows > 0 => s.row_duals[next(rows as u64) as usize] += 1,
                2 if cols > 0 => s.col_duals[next(cols as u64) as usize] -= 1,
                3 => s.objective += 1,
                4 if rows > 0 => s.row_duals[next(rows as u64) as usize] = i128::MIN,
                _ if rows > 1 => {
                    s.row_to_col.swap(0, 1);
                    s.col_to_row = col_to_row(cols, &s.row_to_col);
                }
                _ => {}
            }
            let max_abs = data.iter().map(|x| x.unsigned_abs()).max();
            let fast = check_complete_i64(rows, cols, &data, sense, &s, max_abs);
            assert_eq!(fast, check_complete_i64(rows, cols, &data, sense, &s, None));
            let general = check_i64(rows, cols, |i| Some(data[i]), sense, None, &s);
            assert_eq!(fast, general, "round {round}");
        }
    }

    /// The same for floats: the fast scan, exact first and with tolerance only for a
    /// row that fails it exactly, gives the general check's verdict, also on answers
    /// nudged by less and by more than the tolerance.
    #[test]
    fn the_fast_float_check_agrees_with_the_general_one() {
        let mut next = crate::testdata::xorshift(0xf10a_7c4e);
        for round in 0..3000 {
            let rows = next(6) as usize;
            let cols = rows + next(3) as usize;
            let scale = [1.0, 1e-3, 9.007e15][round % 3];
            let data: Vec<f64> = (0..rows * cols)
                .map(|_| next(1000) as f64 * scale)
                .collect();
            let m = Matrix::new(rows, cols, data.clone()).unwrap();
            let mut s = solve_dense(&m, Sense::Minimize).unwrap();
            let nudge = [0.0, 1e-12, 1e-3, 1.0, f64::NAN][next(5) as usize] * scale;
            match next(3) {
                0 if rows > 0 => s.row_duals[next(rows as u64) as usize] += nudge,
                1 if cols > 0 => s.col_duals[next(cols as u64) as usize] += nudge,
                _ => {}
            }
            let value = |i: usize| Some(data[i]);
            let floor = float_floor(rows, cols, value, None);
            let fast = check_complete_f64(rows, cols, &data, &s, floor);
            let general = check_f64(rows, cols, value, Sense::Minimize, None, &s, floor);
            assert_eq!(fast.is_ok(), general.is_ok(), "round {round}");
            if let (Err(a), Err(b)) = (fast, general) {
                assert_eq!(a, b, "round {round}");
            }
        }
    }

    /// A fast answer that fails the check is never returned: the fallback's is, and it
    /// is optimal. Tampered here by hand, since the fast route has no known fault left.
    #[test]
    fn a_rejected_fast_answer_is_replaced_by_the_fallback() {
        for sense in [Sense::Minimize, Sense::Maximize] {
            let m = Matrix::from_fn(6, 8, |r, c| -((r * c) as i64) + (c as i64 % 3));
            let good = solve_dense(&m, sense).unwrap();
            let mut bad = good.clone();
            bad.row_to_col.swap(0, 1);
            bad.col_to_row = col_to_row(8, &bad.row_to_col);
            let value = |i: usize| Some(m.as_slice()[i]);
            let fixed = crate::assign::certified(
                bad,
                |s| check_i64(6, 8, value, sense, None, s),
                HUNGARIAN,
                || plain_i64(6, 8, value, sense, None),
            )
            .unwrap();
            assert_eq!(fixed.objective, good.objective);
            assert!(check_i64(6, 8, value, sense, None, &fixed).is_ok());
            let floats = Matrix::from_fn(6, 8, |r, c| *m.get(r, c) as f64);
            assert_eq!(
                solve_dense(&floats, sense).unwrap().objective,
                good.objective as f64
            );
        }
    }

    #[test]
    fn the_auction_route_is_exact_on_random_and_ordered_matrices() {
        let mut next = crate::testdata::xorshift(0x1234_5678_9abc_def1u64);
        for round in 0..300 {
            let n = 2 + next(30) as usize;
            let range = [3, 100, 1 << 20, 1 << 40][round % 4];
            let c: Vec<i64> = (0..n * n)
                .map(|k| {
                    let (i, j) = ((k / n) as i64, (k % n) as i64);
                    if round % 5 == 0 {
                        (i + 1) * (j + 1)
                    } else {
                        next(range) as i64
                    }
                })
                .collect();
            let (x0, _, _) = jv(n, n, &c);
            let (x1, y1, v1) = jv_tuned(n, n, &c, 0, 0);
            assert_eq!(total(n, &c, &x0), total(n, &c, &x1), "round {round}");
            check(n, &c, &x1, &v1);
            for (j, &i) in y1.iter().enumerate() {
                assert_eq!(x1[i as usize] as usize, j);
            }
            let narrow: Vec<i32> = c.iter().map(|&x| x as i32).collect();
            if c.iter().all(|&x| x < 1 << 20) {
                let (x2, _, v2) = jv_tuned(n, n, &narrow, 0, 0);
                assert_eq!(total(n, &narrow, &x2), total(n, &narrow, &x0));
                check(n, &narrow, &x2, &v2);
            }
        }
    }
}
