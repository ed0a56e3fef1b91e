//! The dense solver's fallback: the textbook Hungarian method, with no start-up
//! heuristics.
//!
//! [`solve_dense`](super::solve_dense) checks its own certificate before it returns. The
//! Jonker–Volgenant route in `dense` is fast because of its start-up heuristics (column
//! reduction, reduction transfer, greedy tie placement, augmenting row reduction, the
//! auction restart); each of them must leave every assigned row at its least reduced
//! cost, and a heuristic that does not is exactly the kind of bug the check is there to
//! catch. When it does, the matrix is solved again here: rows are added one at a time in
//! input order, each by a Dijkstra-like shortest augmenting path over the columns from
//! zero potentials (H. W. Kuhn, *The Hungarian method for the assignment problem*, Naval
//! Research Logistics Quarterly 2, 1955, in its `O(n²m)` shortest-path form). Nothing is
//! guessed, so there is nothing to get wrong beyond the method itself, and the result is
//! checked again.
//!
//! Shares no code with `dense`'s JV core beyond the arithmetic trait, so one bug cannot
//! sit in both.

use super::dense::{FREE, Num};

/// Solves the `rows × cols` problem `c` (row-major, minimising, `rows ≤ cols`) and
/// returns row → column and the column prices `v`, in the shape the JV core returns
/// them: every column's price is at most 0 and is 0 on an unassigned column, the row
/// duals are `c[i][x[i]] − v[x[i]]`, and `u[i] + v[j] ≤ c[i][j]` everywhere.
///
/// `O(rows² · cols)` time, `O(cols)` space beyond the matrix.
pub(super) fn hungarian<T: Num>(rows: usize, cols: usize, c: &[T]) -> (Vec<u32>, Vec<T>) {
    debug_assert!(rows <= cols && c.len() == rows * cols);
    // Column `cols` is a virtual start column that holds the row being added.
    let start = cols;
    let mut u = vec![T::ZERO; rows];
    let mut v = vec![T::ZERO; cols + 1];
    let mut owner = vec![FREE; cols + 1];
    let mut way = vec![start; cols + 1];
    let mut min_to = vec![T::HUGE; cols + 1];
    let mut used = vec![false; cols + 1];
    for i in 0..rows {
        owner[start] = i as u32;
        min_to.fill(T::HUGE);
        used.fill(false);
        let mut j0 = start;
        loop {
            used[j0] = true;
            let i0 = owner[j0] as usize;
            let row = &c[i0 * cols..(i0 + 1) * cols];
            let mut delta = T::HUGE;
            let mut j1 = start;
            for j in 0..cols {
                if used[j] {
                    continue;
                }
                let reduced = row[j] - u[i0] - v[j];
                if reduced < min_to[j] {
                    min_to[j] = reduced;
                    way[j] = j0;
                }
                if min_to[j] < delta {
                    delta = min_to[j];
                    j1 = j;
                }
            }
            for j in 0..=cols {
                if used[j] {
                    let r = owner[j] as usize;
                    u[r] = u[r] + delta;
                    if j != start {
                        v[j] = v[j] - delta;
                    }
                } else {
                    min_to[j] = min_to[j] - delta;
                }
            }
            j0 = j1;
            if owner[j0] == FREE {
                break;
            }
        }
        // Flip the alternating path back to the start column.
        while j0 != start {
            let j1 = way[j0];
            owner[j0] = owner[j1];
            j0 = j1;
        }
    }
    let mut x = vec![FREE; rows];
    for (j, &i) in owner[..cols].iter().enumerate() {
        if i != FREE {
            x[i as usize] = j as u32;
        }
    }
    v.truncate(cols);
    (x, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Least total over every injection of rows into columns, by enumeration.
    fn brute(rows: usize, cols: usize, c: &[i64]) -> i64 {
        fn go(r: usize, rows: usize, cols: usize, c: &[i64], used: &mut [bool]) -> i64 {
            if r == rows {
                return 0;
            }
            let mut best = i64::MAX;
            for j in 0..cols {
                if !used[j] {
                    used[j] = true;
                    best = best.min(c[r * cols + j] + go(r + 1, rows, cols, c, used));
                    used[j] = false;
                }
            }
            best
        }
        go(0, rows, cols, c, &mut vec![false; cols])
    }

    #[test]
    fn matches_brute_force_with_a_valid_certificate() {
        let mut next = crate::testdata::xorshift(0x5eed_0f4a_1100);
        for round in 0..400 {
            let rows = next(6) as usize + 1;
            let cols = rows + next(3) as usize;
            let c: Vec<i64> = (0..rows * cols)
                .map(|k| {
                    let (i, j) = ((k / cols) as i64, (k % cols) as i64);
                    match round % 4 {
                        0 => -(i * j),
                        1 => next(5) as i64 - 2,
                        2 => i * 7 + j * 3,
                        _ => next(1 << 40) as i64 - (1 << 39),
                    }
                })
                .collect();
            let wide: Vec<i128> = c.iter().map(|&x| i128::from(x)).collect();
            let (x, v) = hungarian(rows, cols, &wide);
            let mut seen = vec![false; cols];
            let mut total = 0i128;
            for i in 0..rows {
                let j = x[i] as usize;
                assert!(!std::mem::replace(&mut seen[j], true), "round {round}");
                total += wide[i * cols + j];
                let u = wide[i * cols + j] - v[j];
                for k in 0..cols {
                    assert!(wide[i * cols + k] - v[k] >= u, "round {round}: ({i}, {k})");
                }
            }
            for j in 0..cols {
                assert!(
                    v[j] <= 0 && (seen[j] || v[j] == 0),
                    "round {round}: column {j}"
                );
            }
            assert_eq!(total, i128::from(brute(rows, cols, &c)), "round {round}");
        }
    }
}
