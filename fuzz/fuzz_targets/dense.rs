//! Dense matrices (up to 6 × 6, every shape) → `solve_dense` (and with unassigned
//! costs) → the answer passes `verify_dense` and equals brute force. Entries come from
//! structured picks: small values, ties, products, the `i64` limits, forbidden ones.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peermatch::assign::Error;
use peermatch::assign::{Matrix, Sense, solve_dense, solve_dense_with_unassigned, verify_dense};

/// The best total over every assignment, by enumeration: `min(rows, cols)` pairs, or,
/// with `unassigned`, any number, each left-out row paying its cost. `None` if none.
fn brute(
    rows: usize,
    cols: usize,
    at: &dyn Fn(usize, usize) -> Option<i128>,
    unassigned: Option<&[i128]>,
    maximize: bool,
) -> Option<i128> {
    let mut best: Option<i128> = None;
    let mut used = vec![false; cols];
    fn go(
        r: usize,
        skipped: usize,
        acc: i128,
        ctx: &mut (
            usize,
            usize,
            &dyn Fn(usize, usize) -> Option<i128>,
            Option<&[i128]>,
            bool,
        ),
        used: &mut [bool],
        best: &mut Option<i128>,
    ) {
        let (rows, cols, at, unassigned, maximize) = *ctx;
        if r == rows {
            if unassigned.is_some() || rows - skipped == rows.min(cols) {
                let better = best.is_none_or(|b| if maximize { acc > b } else { acc < b });
                if better {
                    *best = Some(acc);
                }
            }
            return;
        }
        match unassigned {
            Some(u) => go(r + 1, skipped + 1, acc + u[r], ctx, used, best),
            None if skipped < rows.saturating_sub(cols) => {
                go(r + 1, skipped + 1, acc, ctx, used, best)
            }
            None => {}
        }
        for c in 0..cols {
            if !used[c]
                && let Some(x) = at(r, c)
            {
                used[c] = true;
                go(r + 1, skipped, acc + x, ctx, used, best);
                used[c] = false;
            }
        }
    }
    go(
        0,
        0,
        0,
        &mut (rows, cols, at, unassigned, maximize),
        &mut used,
        &mut best,
    );
    best
}

fn entry(byte: u8, r: usize, c: usize) -> Option<i64> {
    let (i, j) = (r as i64, c as i64);
    Some(match byte % 16 {
        0 => return None,
        1 => i64::MIN,
        2 => i64::MAX,
        3 => i64::MIN + 1 + i64::from(byte >> 4),
        4 => i64::MAX - i64::from(byte >> 4),
        5 => i * j,
        6 => -(i * j),
        7 => (i + 1) * (j + 1),
        8 => 0,
        9 => 1,
        10 => i64::from(byte >> 4) * (1 << 40),
        _ => i64::from(byte >> 4) - 8,
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&head, body)) = data.split_first() else {
        return;
    };
    let rows = usize::from(head % 7);
    let cols = usize::from((head / 7) % 7);
    let maximize = head & 0x80 != 0;
    let sense = if maximize {
        Sense::Maximize
    } else {
        Sense::Minimize
    };
    let byte = |k: usize| body.get(k).copied().unwrap_or(0);
    let values: Vec<Option<i64>> = (0..rows * cols)
        .map(|k| entry(byte(k), k / cols.max(1), k % cols.max(1)))
        .collect();
    let at = |r: usize, c: usize| values[r * cols + c].map(i128::from);
    let flags = byte(rows * cols);

    // Complete i64 matrices (forbidden entries read as 0), and floats of the same.
    let complete: Vec<i64> = values.iter().map(|v| v.unwrap_or(0)).collect();
    let m = Matrix::new(rows, cols, complete.clone()).unwrap();
    let s = solve_dense(&m, sense).expect("complete i64 matrices always solve");
    let want = brute(
        rows,
        cols,
        &|r, c| Some(i128::from(complete[r * cols + c])),
        None,
        maximize,
    );
    assert_eq!(Some(s.objective), want);
    assert_eq!(verify_dense(&m, sense, None, &s), Ok(s.objective));
    if complete.iter().all(|x| x.unsigned_abs() < 1 << 50) {
        let f = Matrix::new(rows, cols, complete.iter().map(|&x| x as f64).collect()).unwrap();
        let s = solve_dense(&f, sense).unwrap();
        verify_dense(&f, sense, None, &s).unwrap();
        assert_eq!(s.objective, want.unwrap() as f64);
    }

    // With forbidden entries, and with unassigned costs.
    let m = Matrix::new(rows, cols, values.clone()).unwrap();
    let unassigned: Vec<i64> = (0..rows)
        .map(|r| entry(byte(rows * cols + 1 + r) | 1, r, 0).unwrap_or(0))
        .collect();
    let wide: Vec<i128> = unassigned.iter().map(|&x| i128::from(x)).collect();
    let with = flags & 1 != 0;
    let got = if with {
        solve_dense_with_unassigned(&m, sense, &unassigned)
    } else {
        solve_dense(&m, sense)
    };
    let want = brute(rows, cols, &at, with.then_some(&wide[..]), maximize);
    match (got, want) {
        (Ok(s), Some(w)) => {
            assert_eq!(s.objective, w);
            let u = with.then_some(&unassigned[..]);
            assert_eq!(verify_dense(&m, sense, u, &s), Ok(w));
        }
        (Err(Error::Infeasible { .. }), None) => {}
        (got, want) => panic!("solver {got:?}, brute force {want:?}"),
    }
});
