//! `f64` matrices: JV in `f64`, forbidden entries as large finite costs, and the
//! certificate's tolerance.

use super::check::{check_complete_f64, check_f64, float_floor, floor_of};
use super::integer::{HUNGARIAN, widened};
use super::jv::{Oriented, Solver, jv_oriented, jv_prices, oriented};
use super::{DenseEntry, DenseSolution, DenseValue, Matrix, Sense, classify, col_to_row};
use crate::assign::error::{Error, Result};
use crate::assign::hungarian::hungarian;

/// Whether sums of a few times `n × max_abs` stay finite, so no infinity or NaN can
/// arise inside JV (costs near `f64::MAX` would overflow).
pub(super) fn float_in_range(max_abs: f64, n: usize) -> bool {
    (max_abs * (4.0 * n as f64 + 8.0)).is_finite()
}

impl DenseValue for f64 {
    type Wide = f64;

    fn solve<E: DenseEntry<Value = f64>>(
        m: &Matrix<E>,
        sense: Sense,
        unassigned: Option<&[f64]>,
    ) -> Result<DenseSolution<f64>> {
        let (rows, cols) = (m.rows, m.cols);
        let n = rows.max(cols);
        if unassigned.is_none()
            && sense == Sense::Minimize
            && rows <= cols
            && let Some(plain) = E::plain_f64(&m.data)
            && plain.iter().all(|x| x.is_finite())
        {
            let max_abs = plain.iter().fold(0.0f64, |a, &x| a.max(x.abs()));
            if float_in_range(max_abs, n) {
                // The fast path: the caller's own complete matrix, no copy.
                let value = |i: usize| Some(plain[i]);
                let fast = finish_f64(cols, jv_oriented(rows, cols, plain), value, None, 1.0);
                let floor = floor_of(max_abs, n);
                return crate::assign::certified(
                    fast,
                    |s| check_complete_f64(rows, cols, plain, s, floor),
                    HUNGARIAN,
                    || {
                        let o = oriented(rows, cols, plain, hungarian);
                        Ok(finish_f64(cols, o, value, None, 1.0))
                    },
                );
            }
        }
        let (values, _) = classify(m, sense)?;
        if let Some((r, &x)) = unassigned
            .into_iter()
            .flatten()
            .enumerate()
            .find(|(_, x)| !x.is_finite())
        {
            return Err(Error::InvalidCost {
                row: r,
                col: cols,
                value: x,
            });
        }
        let sign = if sense == Sense::Minimize { 1.0 } else { -1.0 };
        // A forbidden entry costs more than any assignment of allowed ones.
        let max_abs = values
            .iter()
            .flatten()
            .chain(unassigned.into_iter().flatten())
            .fold(0.0f64, |a, &x| a.max(x.abs()));
        let big = (max_abs + 1.0) * (2.0 * (rows + cols) as f64 + 2.0);
        if !float_in_range(big, rows + cols) {
            return Err(Error::CostOverflow);
        }
        let min_form: Vec<Option<f64>> = values.iter().map(|v| v.map(|x| sign * x)).collect();
        let own: Option<Vec<f64>> = unassigned.map(|u| u.iter().map(|&x| sign * x).collect());
        let value = |i: usize| values[i];
        let floor = floor_of(max_abs, n);
        let solve_with = |solver: Solver<f64>| {
            widened(rows, cols, &min_form, own.as_deref(), big, solver)
                .map(|o| finish_f64(cols, o, value, unassigned, sign))
        };
        crate::assign::certified(
            solve_with(jv_prices)?,
            |s| check_f64(rows, cols, value, sense, unassigned, s, floor),
            HUNGARIAN,
            || solve_with(hungarian),
        )
    }

    fn verify<E: DenseEntry<Value = f64>>(
        m: &Matrix<E>,
        sense: Sense,
        unassigned: Option<&[f64]>,
        solution: &DenseSolution<f64>,
    ) -> Result<f64> {
        let (values, _) = classify(m, sense)?;
        let value = |i: usize| values[i];
        let floor = float_floor(m.rows, m.cols, value, unassigned);
        check_f64(m.rows, m.cols, value, sense, unassigned, solution, floor)
    }
}

/// A float solution from a min-form result: the objective from the caller's values
/// (and unassigned costs), the duals signed back for the sense.
pub(super) fn finish_f64(
    cols: usize,
    o: Oriented<f64>,
    value: impl Fn(usize) -> Option<f64>,
    unassigned: Option<&[f64]>,
    sign: f64,
) -> DenseSolution<f64> {
    let objective = o
        .row_to_col
        .iter()
        .enumerate()
        .map(|(r, c)| match c {
            Some(c) => value(r * cols + c).unwrap_or(0.0),
            None => unassigned.map_or(0.0, |u| u[r]),
        })
        .sum();
    DenseSolution {
        col_to_row: col_to_row(cols, &o.row_to_col),
        row_to_col: o.row_to_col,
        objective,
        row_duals: o.row_duals.iter().map(|&u| sign * u).collect(),
        col_duals: o.col_duals.iter().map(|&v| sign * v).collect(),
    }
}
