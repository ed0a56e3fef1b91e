//! `i64` matrices, solved exactly: in the narrowest type the input's range allows,
//! by the sparse solver when entries are missing, and by the Hungarian fallback
//! when an answer fails its check.

use super::check::{check_complete_i64, check_i64};
use super::jv::{
    ColumnMinima, Num, Oriented, Solver, jv_oriented, jv_prices, jv_square, jv_wide, oriented,
    row_tops, transposed, upright,
};
use super::scan::{min_max, transpose_map};
use super::{DenseEntry, DenseSolution, DenseValue, Matrix, Sense, classify, col_to_row};
use crate::assign::error::{Error, Result};
use crate::assign::hungarian::hungarian;
use crate::assign::sparse::{self, CapacitatedProblem};

impl DenseValue for i64 {
    type Wide = i128;

    fn solve<E: DenseEntry<Value = i64>>(
        m: &Matrix<E>,
        sense: Sense,
        unassigned: Option<&[i64]>,
    ) -> Result<DenseSolution<i128>> {
        let (rows, cols) = (m.rows, m.cols);
        if unassigned.is_none()
            && let Some(plain) = E::plain_i64(&m.data)
        {
            let (fast, max_abs) = complete_i64(rows, cols, plain, sense)?;
            return crate::assign::certified(
                fast,
                |s| check_complete_i64(rows, cols, plain, sense, s, Some(max_abs)),
                HUNGARIAN,
                || plain_i64(rows, cols, |i| Some(plain[i]), sense, None),
            );
        }
        let (values, forbidden) = classify(m, sense)?;
        let fast = if !forbidden && unassigned.is_none() {
            let plain: Vec<i64> = values.iter().map(|v| v.expect("complete")).collect();
            complete_i64(rows, cols, &plain, sense)?.0
        } else {
            let sign: i128 = if sense == Sense::Minimize { 1 } else { -1 };
            let o = sparse_dense(rows, cols, &values, sign, unassigned)?;
            let objective = objective_i64(cols, &o.row_to_col, |i| values[i], unassigned);
            finish_i64(cols, o.row_to_col, objective, o.row_duals, o.col_duals)?
        };
        let value = |i: usize| values[i];
        crate::assign::certified(
            fast,
            |s| check_i64(rows, cols, value, sense, unassigned, s),
            HUNGARIAN,
            || plain_i64(rows, cols, value, sense, unassigned),
        )
    }

    fn verify<E: DenseEntry<Value = i64>>(
        m: &Matrix<E>,
        sense: Sense,
        unassigned: Option<&[i64]>,
        solution: &DenseSolution<i128>,
    ) -> Result<i128> {
        if unassigned.is_none()
            && let Some(plain) = E::plain_i64(&m.data)
        {
            return check_complete_i64(m.rows, m.cols, plain, sense, solution, None);
        }
        let (values, _) = classify(m, sense)?;
        check_i64(m.rows, m.cols, |i| values[i], sense, unassigned, solution)
    }
}

/// The objective of an integer assignment: its entries, and the unassigned rows' costs.
pub(super) fn objective_i64(
    cols: usize,
    row_to_col: &[Option<usize>],
    value: impl Fn(usize) -> Option<i64>,
    unassigned: Option<&[i64]>,
) -> i128 {
    row_to_col
        .iter()
        .enumerate()
        .map(|(r, c)| match c {
            Some(c) => value(r * cols + c).map_or(0, i128::from),
            None => unassigned.map_or(0, |u| i128::from(u[r])),
        })
        .sum()
}

/// The fallback's name in [`Error::Uncertified`].
pub(super) const HUNGARIAN: &str = "the Hungarian fallback";

/// An integer problem solved by the Hungarian fallback, exactly in `i128`.
pub(super) fn plain_i64(
    rows: usize,
    cols: usize,
    value: impl Fn(usize) -> Option<i64>,
    sense: Sense,
    unassigned: Option<&[i64]>,
) -> Result<DenseSolution<i128>> {
    let sign: i128 = if sense == Sense::Minimize { 1 } else { -1 };
    let max_abs = (0..rows * cols)
        .filter_map(&value)
        .chain(unassigned.into_iter().flatten().copied())
        .map(|x| i128::from(x.unsigned_abs()))
        .max()
        .unwrap_or(0);
    // More than any assignment of allowed entries can differ by: an optimal plan uses
    // no entry at this cost while one without it exists.
    let big = (max_abs + 1) * (2 * (rows + cols) as i128 + 2);
    let min_form: Vec<Option<i128>> = (0..rows * cols)
        .map(|i| value(i).map(|x| sign * i128::from(x)))
        .collect();
    let own: Option<Vec<i128>> =
        unassigned.map(|u| u.iter().map(|&x| sign * i128::from(x)).collect());
    let o = widened(rows, cols, &min_form, own.as_deref(), big, hungarian)?;
    let objective = objective_i64(cols, &o.row_to_col, &value, unassigned);
    let signed = |d: Vec<i128>| d.into_iter().map(|x| sign * x).collect::<Vec<_>>();
    finish_i64(
        cols,
        o.row_to_col,
        objective,
        signed(o.row_duals),
        signed(o.col_duals),
    )
}

/// A min-form problem with forbidden entries (`None`) and optional per-row costs of
/// staying unassigned, as a complete one: a forbidden entry costs `big`, and row `r`'s
/// unassigned option is a private column `cols + r` (every other row's entry there is
/// `big`). Solved by `solver` in any orientation; returns the assignment without the
/// private columns, with each one's dual folded into its row's, or
/// [`Error::Infeasible`] when the optimum needs a forbidden entry.
pub(super) fn widened<T: Num>(
    rows: usize,
    cols: usize,
    values: &[Option<T>],
    unassigned: Option<&[T]>,
    big: T,
    solver: Solver<T>,
) -> Result<Oriented<T>> {
    let width = cols + unassigned.map_or(0, |_| rows);
    let mut c = Vec::with_capacity(rows * width);
    for r in 0..rows {
        c.extend(
            values[r * cols..(r + 1) * cols]
                .iter()
                .map(|v| v.unwrap_or(big)),
        );
        if let Some(u) = unassigned {
            c.extend((0..rows).map(|k| if k == r { u[r] } else { big }));
        }
    }
    let o = oriented(rows, width, &c, solver);
    let mut row_to_col = o.row_to_col;
    let mut row_duals = o.row_duals;
    for r in 0..rows {
        match row_to_col[r] {
            Some(j) if j < cols && values[r * cols + j].is_none() => {
                return Err(Error::Infeasible { row: r });
            }
            Some(j) if j < cols => {}
            Some(j) => {
                if j != cols + r {
                    return Err(Error::Infeasible { row: r });
                }
                row_to_col[r] = None;
            }
            None => {}
        }
        if unassigned.is_some() {
            // Fold row r's private column into its dual (see the module docs of
            // `certificate`): α'_r = α_r + β_dummy.
            row_duals[r] = row_duals[r] + o.col_duals[cols + r];
        }
    }
    let mut col_duals = o.col_duals;
    col_duals.truncate(cols);
    Ok(Oriented {
        row_to_col,
        row_duals,
        col_duals,
    })
}

/// Whether JV on an `n`-sided problem with costs in `[0, range]` (or `|c| ≤ range`)
/// stays below `2^(bits − 2)`: every price, distance and dual is bounded by a few times
/// `n × range`, and `4n + 8` covers them with room to spare.
pub(super) fn fits(range: u64, n: usize, bits: u32) -> bool {
    let factor = (n as u128) * 4 + 8;
    u128::from(range) * factor < (1u128 << (bits - 2))
}

/// A JV result with its duals widened to `i128`.
pub(super) fn widen<T: Copy + Into<i128>>(o: Oriented<T>) -> Oriented<i128> {
    Oriented {
        row_to_col: o.row_to_col,
        row_duals: o.row_duals.into_iter().map(Into::into).collect(),
        col_duals: o.col_duals.into_iter().map(Into::into).collect(),
    }
}

/// For large square matrices, the min-form costs as `i32` in one pass that checks the
/// bound on the raw magnitudes (typical cost ranges pass, and no separate min/max pass
/// is needed); `None` when the matrix is small or the bound fails. A wide matrix is
/// left alone: its few augmenting paths read little of it, so the copy would cost more
/// than it saves (a tall one is copied by [`narrow_transposed`] instead).
pub(super) fn narrow_unshifted(
    rows: usize,
    cols: usize,
    c: &[i64],
    sense: Sense,
) -> Option<Vec<i32>> {
    let n = rows.max(cols);
    if c.len() < I32_MIN_ENTRIES || rows != cols {
        return None;
    }
    // A first row spanning a tiny range hints at a tiny range overall: let
    // `solve_by_range` measure it and decide.
    let first = &c[..n.min(c.len())];
    let (lo, hi) = first
        .iter()
        .fold((i64::MAX, i64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    if sense == Sense::Minimize && (i128::from(hi) - i128::from(lo)) <= TINY_RANGE as i128 {
        return None;
    }
    let limit = narrow_limit(n);
    let mut narrow = vec![0i32; c.len()];
    let mut out_of_range = false;
    for (d, &x) in narrow.iter_mut().zip(c) {
        let y = min_form(x, sense);
        out_of_range |= y.unsigned_abs() >= limit;
        *d = y as i32;
    }
    (!out_of_range).then_some(narrow)
}

/// A tall matrix must be transposed for JV anyway: its min-form costs transposed, as
/// `i32` when every magnitude is within the bound of [`narrow_unshifted`] (else `None`).
pub(super) fn narrow_transposed(
    rows: usize,
    cols: usize,
    c: &[i64],
    sense: Sense,
) -> Option<Vec<i32>> {
    let limit = narrow_limit(rows.max(cols));
    let mut out_of_range = false;
    let t = transpose_map(rows, cols, c, 0i32, |x| {
        let y = min_form(x, sense);
        out_of_range |= y.unsigned_abs() >= limit;
        y as i32
    });
    (!out_of_range).then_some(t)
}

/// The least and greatest entry of a square matrix with at least two rows, and its
/// [`ColumnMinima`], in one pass that only compares.
fn square_scan(cols: usize, c: &[i64]) -> (i64, i64, ColumnMinima<i64>) {
    let mut rows = c.chunks_exact(cols);
    let first = rows.next().expect("at least two rows");
    let mut minima = ColumnMinima::new(first);
    let (mut lo, mut hi) = min_max(first).expect("a column");
    for (i, r) in rows.enumerate() {
        minima.add(i + 1, r);
        let (l, h) = min_max(r).expect("a column");
        (lo, hi) = (lo.min(l), hi.max(h));
    }
    (lo, hi, minima)
}

/// Magnitudes below this keep JV on an `n`-sided problem within `i32`.
fn narrow_limit(n: usize) -> u64 {
    (1u64 << 30) / (4 * n as u64 + 8)
}

/// An entry in min-form: itself when minimising, negated (wrapping: the bound check
/// that follows rejects `i64::MIN`) when maximising.
fn min_form(x: i64, sense: Sense) -> i64 {
    if sense == Sense::Minimize {
        x
    } else {
        x.wrapping_neg()
    }
}

/// JV in the narrowest type the cost range allows, on min-form costs shifted to start
/// at 0 where a copy is made anyway. Returns the result, the shift, and the largest
/// magnitude of an entry.
pub(super) fn solve_by_range(
    rows: usize,
    cols: usize,
    c: &[i64],
    sense: Sense,
) -> (Oriented<i128>, i128, u64) {
    let n = rows.max(cols);
    let sign: i128 = if sense == Sense::Minimize { 1 } else { -1 };
    // A square matrix solved as it is gets its column minima from this pass.
    let square = rows == cols && rows > 1 && sense == Sense::Minimize;
    let (lo, hi, minima) = if square {
        let (lo, hi, minima) = square_scan(cols, c);
        (lo, hi, Some(minima))
    } else {
        let (lo, hi) = min_max(c).unwrap_or((0, 0));
        (lo, hi, None)
    };
    // In min-form (sign · c) the costs span [low, low + range].
    let low: i128 = if sense == Sense::Minimize {
        i128::from(lo)
    } else {
        -i128::from(hi)
    };
    let range = u64::try_from(i128::from(hi) - i128::from(lo)).unwrap_or(u64::MAX);
    let max_abs = lo.unsigned_abs().max(hi.unsigned_abs());
    let plain = sense == Sense::Minimize && fits(max_abs, n, 64);
    // Wide matrices stay as they are when they can (see `narrow_unshifted`).
    let copy_pays = c.len() >= I32_MIN_ENTRIES && rows >= cols && range > TINY_RANGE;
    if fits(range, n, 32) && (copy_pays || !plain) {
        // The range fits in i32, so these i64 differences cannot overflow.
        let narrow: Vec<i32> = if sense == Sense::Minimize {
            c.iter().map(|&x| (x - lo) as i32).collect()
        } else {
            c.iter().map(|&x| (hi - x) as i32).collect()
        };
        (widen(jv_oriented(rows, cols, &narrow)), low, max_abs)
    } else if plain {
        let o = match minima {
            Some(minima) => {
                let (x, v) = jv_square(rows, c, minima);
                upright(cols, c, &x, v)
            }
            None => jv_oriented(rows, cols, c),
        };
        (widen(o), 0, max_abs)
    } else if fits(range, n, 64) {
        let shifted: Vec<i64> = c
            .iter()
            .map(|&x| (sign * i128::from(x) - low) as i64)
            .collect();
        (widen(jv_oriented(rows, cols, &shifted)), low, max_abs)
    } else {
        let wide: Vec<i128> = c.iter().map(|&x| sign * i128::from(x)).collect();
        (jv_oriented(rows, cols, &wide), 0, max_abs)
    }
}

/// Minimising matrices whose costs span at most this range are solved on the caller's
/// slice even when large: their ties are so heavy that the greedy start slots nearly
/// every row and the augmentation is short, so the `i32` copy would cost more than it
/// saves.
pub(super) const TINY_RANGE: u64 = 15;

/// Matrices with at least this many entries are copied to `i32` when the bound allows:
/// memory traffic dominates the augmentation of large matrices, and below this size
/// the copy costs more than it saves.
pub(super) const I32_MIN_ENTRIES: usize = 2000 * 2000;

/// A complete integer matrix. JV runs on the caller's own `i64` slice when it can be
/// used as it is (minimising, magnitudes within the bound), on an `i32` copy shifted to
/// start at 0 for large matrices (half the memory traffic), on a shifted `i64` copy, or
/// in `i128`. Shifting every cost by the same amount changes no assignment; the shift
/// is added back to the duals of the side that is always fully assigned.
///
/// Also returns a bound on the entries' magnitudes, known from the route taken, for
/// the certificate check.
pub(super) fn complete_i64(
    rows: usize,
    cols: usize,
    c: &[i64],
    sense: Sense,
) -> Result<(DenseSolution<i128>, u64)> {
    let sign: i128 = if sense == Sense::Minimize { 1 } else { -1 };
    // Every entry of an `i32` copy passed `|x| < 2^30 / (4n + 8)` on the way.
    let fast = if rows > cols {
        narrow_transposed(rows, cols, c, sense)
            .map(|t| (widen(transposed(rows, cols, &t, jv_prices::<i32>)), 1 << 30))
    } else if rows < cols && rows > 0 && sense == Sense::Minimize {
        // A wide matrix is solved as it is; the pass that bounds its entries also
        // finds each row's first bid.
        let (tops, max_abs) = row_tops(cols, c);
        fits(max_abs, rows.max(cols), 64).then(|| {
            let (x, v) = jv_wide(rows, cols, c, &tops);
            (widen(upright(cols, c, &x, v)), max_abs)
        })
    } else {
        narrow_unshifted(rows, cols, c, sense)
            .map(|m| (widen(jv_oriented(rows, cols, &m)), 1 << 30))
    };
    let (mut o, shift, max_abs) = match fast {
        Some((o, max_abs)) => (o, 0, max_abs),
        None => solve_by_range(rows, cols, c, sense),
    };
    // The shift belongs to the duals of the fully assigned side.
    if rows <= cols {
        o.row_duals.iter_mut().for_each(|u| *u += shift);
    } else {
        o.col_duals.iter_mut().for_each(|v| *v += shift);
    }
    let objective: i128 = o
        .row_to_col
        .iter()
        .enumerate()
        .filter_map(|(r, col)| col.map(|col| i128::from(c[r * cols + col])))
        .sum();
    let signed = |d: Vec<i128>| d.into_iter().map(|x| sign * x).collect::<Vec<_>>();
    let solution = finish_i64(
        cols,
        o.row_to_col,
        objective,
        signed(o.row_duals),
        signed(o.col_duals),
    )?;
    Ok((solution, max_abs))
}

pub(super) fn finish_i64(
    cols: usize,
    row_to_col: Vec<Option<usize>>,
    objective: i128,
    row_duals: Vec<i128>,
    col_duals: Vec<i128>,
) -> Result<DenseSolution<i128>> {
    Ok(DenseSolution {
        col_to_row: col_to_row(cols, &row_to_col),
        row_to_col,
        objective,
        row_duals,
        col_duals,
    })
}

/// Integer problems with forbidden entries or unassigned costs: the sparse solver in
/// `i128`, its potentials turned into LP duals (min-form, then signed for the sense).
pub(super) fn sparse_dense(
    rows: usize,
    cols: usize,
    values: &[Option<i64>],
    sign: i128,
    unassigned: Option<&[i64]>,
) -> Result<Oriented<i128>> {
    // Without unassigned costs the shorter side must be fully assigned: put it on rows.
    let transposed = unassigned.is_none() && rows > cols;
    let (r_n, c_n) = if transposed {
        (cols, rows)
    } else {
        (rows, cols)
    };
    let at = |r: usize, c: usize| {
        if transposed {
            values[c * cols + r]
        } else {
            values[r * cols + c]
        }
    };
    let mut problem = CapacitatedProblem::<i128>::new(vec![1; c_n]);
    for r in 0..r_n {
        let arcs = (0..c_n).filter_map(|c| at(r, c).map(|v| (c, sign * i128::from(v))));
        let u = unassigned.map(|u| sign * i128::from(u[r]));
        problem.add_row(u, arcs)?;
    }
    let solution = sparse::solve(&problem, |_, _| 0)?;
    // Reduced cost c + π(r) − π(c) ≥ 0  ⇔  (π_t − π(r)) + (π(c) − π_t) ≤ c.
    let t = solution.duals.sink;
    let mut alpha: Vec<i128> = solution.duals.row.iter().map(|&p| t - p).collect();
    let mut beta: Vec<i128> = solution.duals.col.iter().map(|&p| p - t).collect();
    let mut used = vec![false; c_n];
    for c in solution.row_to_col.iter().flatten() {
        used[*c] = true;
    }
    // An unused column's slot arc only bounds its dual from below; zero is feasible
    // and is what complementary slackness asks for.
    for (b, &u) in beta.iter_mut().zip(&used) {
        if !u {
            *b = 0;
        }
    }
    for a in alpha.iter_mut() {
        *a *= sign;
    }
    for b in beta.iter_mut() {
        *b *= sign;
    }
    if transposed {
        Ok(Oriented {
            row_to_col: col_to_row(rows, &solution.row_to_col),
            row_duals: beta,
            col_duals: alpha,
        })
    } else {
        Ok(Oriented {
            row_to_col: solution.row_to_col,
            row_duals: alpha,
            col_duals: beta,
        })
    }
}
