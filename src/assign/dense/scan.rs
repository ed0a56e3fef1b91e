//! Whole-row scans and copies, written so that the compiler can keep several
//! operations in flight.
//!
//! A fold such as `row.iter().map(..).fold(MAX, min)` is one chain of dependent
//! compares: each waits for the one before. For `f64` and for `i64` on the baseline
//! x86-64 target (which has no 64-bit vector compare) the compiler cannot split the
//! chain itself, so these scans keep eight independent accumulators and combine them
//! at the end. A transpose that walks the source column by column misses the cache on
//! every read; [`transpose_map`] copies in square tiles instead.

/// Independent accumulators per scan.
const LANES: usize = 8;

/// The best of `pick(c[j] - v[j])` over a row (`row` and `v` of equal length), where
/// `pick(a, b)` keeps the better of two values and `diff(c, v)` is the difference.
#[inline]
pub(super) fn fold_differences<T: Copy>(
    row: &[T],
    v: &[T],
    init: T,
    diff: impl Fn(T, T) -> T,
    pick: impl Fn(T, T) -> T,
) -> T {
    debug_assert_eq!(row.len(), v.len());
    let mut acc = [init; LANES];
    let rows = row.chunks_exact(LANES);
    let vs = v.chunks_exact(LANES);
    let (row_tail, v_tail) = (rows.remainder(), vs.remainder());
    for (r, p) in rows.zip(vs) {
        for k in 0..LANES {
            acc[k] = pick(acc[k], diff(r[k], p[k]));
        }
    }
    let mut best = acc.into_iter().fold(init, &pick);
    for (&r, &p) in row_tail.iter().zip(v_tail) {
        best = pick(best, diff(r, p));
    }
    best
}

/// The least and greatest entry of `c` (`None` when empty).
pub(super) fn min_max(c: &[i64]) -> Option<(i64, i64)> {
    if c.is_empty() {
        return None;
    }
    let mut lo = [i64::MAX; LANES];
    let mut hi = [i64::MIN; LANES];
    let chunks = c.chunks_exact(LANES);
    let tail = chunks.remainder();
    for x in chunks {
        for k in 0..LANES {
            lo[k] = lo[k].min(x[k]);
            hi[k] = hi[k].max(x[k]);
        }
    }
    let lo = tail.iter().chain(&lo).fold(i64::MAX, |a, &x| a.min(x));
    let hi = tail.iter().chain(&hi).fold(i64::MIN, |a, &x| a.max(x));
    Some((lo, hi))
}

/// Side of the square tiles [`transpose_map`] copies: a source and a destination tile
/// of `i64` fit in a first-level cache together.
const TILE: usize = 32;

/// The `cols × rows` transpose of the row-major `rows × cols` matrix `data`, each
/// entry passed through `f` on the way (`fill` is any value of the output type).
pub(super) fn transpose_map<T: Copy, U: Copy>(
    rows: usize,
    cols: usize,
    data: &[T],
    fill: U,
    mut f: impl FnMut(T) -> U,
) -> Vec<U> {
    debug_assert_eq!(data.len(), rows * cols);
    let mut out = vec![fill; data.len()];
    for r0 in (0..rows).step_by(TILE) {
        let r1 = (r0 + TILE).min(rows);
        for c0 in (0..cols).step_by(TILE) {
            let c1 = (c0 + TILE).min(cols);
            // Contiguous writes; the reads stay within the tile's rows, in cache.
            for c in c0..c1 {
                let dst = &mut out[c * rows + r0..c * rows + r1];
                for (d, r) in dst.iter_mut().zip(r0..r1) {
                    *d = f(data[r * cols + c]);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scans_agree_with_plain_folds() {
        for n in [0usize, 1, 7, 8, 9, 33, 100] {
            let row: Vec<i64> = (0..n as i64).map(|i| (i * 7919) % 101 - 50).collect();
            let v: Vec<i64> = (0..n as i64).map(|i| (i * 31) % 17 - 8).collect();
            let plain = row.iter().zip(&v).map(|(a, b)| a - b);
            let least = fold_differences(&row, &v, i64::MAX, |a, b| a - b, i64::min);
            let most = fold_differences(&row, &v, i64::MIN, |a, b| a - b, i64::max);
            assert_eq!(least, plain.clone().fold(i64::MAX, i64::min));
            assert_eq!(most, plain.fold(i64::MIN, i64::max));
            let expected = row.iter().copied().min().zip(row.iter().copied().max());
            assert_eq!(min_max(&row), expected);
        }
    }

    #[test]
    fn the_tiled_transpose_is_a_transpose() {
        for (rows, cols) in [(0, 3), (1, 1), (3, 70), (70, 3), (65, 33), (33, 65)] {
            let data: Vec<i64> = (0..(rows * cols) as i64).collect();
            let t = transpose_map(rows, cols, &data, 0, |x| x * 2);
            for r in 0..rows {
                for c in 0..cols {
                    assert_eq!(t[c * rows + r], 2 * data[r * cols + c]);
                }
            }
        }
    }
}
