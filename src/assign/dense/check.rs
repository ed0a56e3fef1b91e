//! The certificates of dense solutions: the arithmetic of `i64` and `f64` checks, and
//! the fast row scans of complete matrices that give the same verdict in one pass.

use super::scan::fold_differences;
use super::{DenseSolution, Sense};
use crate::assign::certificate;
use crate::assign::error::Result;

/// Exact integer comparisons for [`certificate::check_dense`].
pub(super) const I64_ARITHMETIC: certificate::DenseArithmetic<i64, i128> =
    certificate::DenseArithmetic {
        // Duals of an i64 problem stay far inside i128; saturate rather than panic on a
        // forged certificate.
        cmp: |a, b, c, _| a.saturating_add(b).cmp(&i128::from(c)),
        acc: |a, b| a + i128::from(b),
        acc_abs: |a, _| a,
        floor: 0,
        zero: 0,
        same: |total, stated, _, _| total == stated,
    };

/// [`verify_dense`](crate::assign::verify_dense) on entries given by index (`None` = forbidden).
pub(super) fn check_i64(
    rows: usize,
    cols: usize,
    value: impl Fn(usize) -> Option<i64>,
    sense: Sense,
    unassigned: Option<&[i64]>,
    solution: &DenseSolution<i128>,
) -> Result<i128> {
    let problem = certificate::DenseCheck {
        rows,
        cols,
        value,
        sense,
        unassigned,
        arithmetic: &I64_ARITHMETIC,
        row_scan: None,
    };
    certificate::check_dense(&problem, solution)
}

/// [`check_i64`] on a complete matrix given as its entries: the same checks, with the
/// per-row dual feasibility scan in `i64` when every entry and dual is below 2⁶¹ in
/// magnitude (so no difference can overflow), which is several times faster.
/// `max_abs` bounds the entries' magnitudes when the caller knows it (the solver does);
/// otherwise it is measured.
pub(super) fn check_complete_i64(
    rows: usize,
    cols: usize,
    data: &[i64],
    sense: Sense,
    solution: &DenseSolution<i128>,
    max_abs: Option<u64>,
) -> Result<i128> {
    const LIMIT: i128 = 1 << 61;
    let narrow = |d: &[i128]| -> Option<Vec<i64>> {
        d.iter()
            .map(|&x| (x.unsigned_abs() < LIMIT as u128).then_some(x as i64))
            .collect()
    };
    let small = match max_abs {
        Some(bound) => bound < LIMIT as u64,
        None => data.iter().all(|&x| x.unsigned_abs() < LIMIT as u64),
    };
    let duals = small
        .then(|| Some((narrow(&solution.row_duals)?, narrow(&solution.col_duals)?)))
        .flatten()
        .filter(|(u, v)| u.len() == rows && v.len() == cols && data.len() == rows * cols);
    let Some((u, v)) = duals else {
        return check_i64(rows, cols, |i| Some(data[i]), sense, None, solution);
    };
    // Minimising, `u + v ≤ c` everywhere: `min (c − v) ≥ u`; maximising, the reverse.
    let scan = |r: usize| -> Option<usize> {
        let row = &data[r * cols..(r + 1) * cols];
        // No difference wraps: both terms are below 2⁶¹ in magnitude.
        let ok = match sense {
            Sense::Minimize => {
                fold_differences(row, &v, i64::MAX, i64::wrapping_sub, i64::min) >= u[r]
            }
            Sense::Maximize => {
                fold_differences(row, &v, i64::MIN, i64::wrapping_sub, i64::max) <= u[r]
            }
        };
        if ok {
            return None;
        }
        (0..cols).find(|&c| match sense {
            Sense::Minimize => row[c] - v[c] < u[r],
            Sense::Maximize => row[c] - v[c] > u[r],
        })
    };
    let problem = certificate::DenseCheck {
        rows,
        cols,
        value: |i| Some(data[i]),
        sense,
        unassigned: None,
        arithmetic: &I64_ARITHMETIC,
        row_scan: Some(&scan),
    };
    certificate::check_dense(&problem, solution)
}

/// The relative part of the float certificate's tolerance (see
/// [`verify_dense`](crate::assign::verify_dense)).
pub(super) const FLOAT_RELATIVE: f64 = 1e-9;

/// The absolute part of the float certificate's tolerance for one matrix:
/// `4 · n · ε · max |entry|` for `n = max(rows, cols)`, the rounding that the sums
/// along an augmenting path can build up when large and small entries mix.
pub(super) fn float_floor(
    rows: usize,
    cols: usize,
    value: impl Fn(usize) -> Option<f64>,
    unassigned: Option<&[f64]>,
) -> f64 {
    let max_abs = (0..rows * cols)
        .filter_map(value)
        .chain(unassigned.into_iter().flatten().copied())
        .fold(0.0f64, |a, x| a.max(x.abs()));
    floor_of(max_abs, rows.max(cols))
}

/// [`float_floor`] from the largest magnitude, when the caller has it already.
pub(super) fn floor_of(max_abs: f64, n: usize) -> f64 {
    4.0 * n as f64 * f64::EPSILON * max_abs
}

/// Float comparisons for [`certificate::check_dense`], within
/// `1e-9 · (1 + |a| + |b| + |c|)` plus the matrix's [`float_floor`].
pub(super) const F64_ARITHMETIC: certificate::DenseArithmetic<f64, f64> =
    certificate::DenseArithmetic {
        cmp: |a, b, c, floor| {
            let tolerance = FLOAT_RELATIVE * (1.0 + c.abs() + a.abs() + b.abs()) + floor;
            let lhs = a + b;
            if (lhs - c).abs() <= tolerance {
                std::cmp::Ordering::Equal
            } else {
                lhs.partial_cmp(&c).unwrap_or(std::cmp::Ordering::Greater)
            }
        },
        acc: |a, b| a + b,
        acc_abs: |a, b| a + b.abs(),
        floor: 0.0,
        zero: 0.0,
        same: |total, stated, magnitude, floor| {
            (total - stated).abs() <= FLOAT_RELATIVE * (1.0 + magnitude) + floor
        },
    };

/// [`verify_dense`](crate::assign::verify_dense) for floats, with the matrix's tolerance floor.
pub(super) fn check_f64(
    rows: usize,
    cols: usize,
    value: impl Fn(usize) -> Option<f64>,
    sense: Sense,
    unassigned: Option<&[f64]>,
    solution: &DenseSolution<f64>,
    floor: f64,
) -> Result<f64> {
    let arithmetic = certificate::DenseArithmetic {
        floor,
        ..F64_ARITHMETIC
    };
    let problem = certificate::DenseCheck {
        rows,
        cols,
        value,
        sense,
        unassigned,
        arithmetic: &arithmetic,
        row_scan: None,
    };
    certificate::check_dense(&problem, solution)
}

/// [`check_f64`] on a complete matrix being minimised, given as its entries: the same
/// checks, with each row's dual feasibility first tested without tolerance (the least
/// `c − v` at least the row's dual: then no entry can be past the tolerance either),
/// and entry by entry, with it, only for a row that fails that test.
pub(super) fn check_complete_f64(
    rows: usize,
    cols: usize,
    data: &[f64],
    solution: &DenseSolution<f64>,
    floor: f64,
) -> Result<f64> {
    let (u, v) = (&solution.row_duals, &solution.col_duals);
    // `f64::min` passes over NaN, so a dual that is not finite gets the general check.
    let finite = u.iter().chain(v).all(|x| x.is_finite());
    if !finite || u.len() != rows || v.len() != cols || data.len() != rows * cols {
        return check_f64(
            rows,
            cols,
            |i| Some(data[i]),
            Sense::Minimize,
            None,
            solution,
            floor,
        );
    }
    let scan = |r: usize| -> Option<usize> {
        let row = &data[r * cols..(r + 1) * cols];
        // Keeps the first of equals and passes over NaN, as `f64::min` does.
        let least = fold_differences(
            row,
            v,
            f64::INFINITY,
            |c, vc| c - vc,
            |a, b| {
                if b < a { b } else { a }
            },
        );
        if least >= u[r] {
            return None;
        }
        (0..cols).find(|&c| {
            (F64_ARITHMETIC.cmp)(u[r], v[c], row[c], floor) == std::cmp::Ordering::Greater
        })
    };
    let arithmetic = certificate::DenseArithmetic {
        floor,
        ..F64_ARITHMETIC
    };
    let problem = certificate::DenseCheck {
        rows,
        cols,
        value: |i| Some(data[i]),
        sense: Sense::Minimize,
        unassigned: None,
        arithmetic: &arithmetic,
        row_scan: Some(&scan),
    };
    certificate::check_dense(&problem, solution)
}
