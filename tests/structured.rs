//! The dense solver on structured matrices, not only uniform noise.
//!
//! Uniform random costs are the easy case for Jonker–Volgenant's start-up heuristics:
//! the bug behind `-(i·j)` (a greedy tie placement that trusted a row-offset reduction's
//! prices) never showed on them. So every family here has structure a heuristic can
//! trip on — products, sums `a_i + b_j` (every assignment ties), low rank, heavy ties,
//! all-equal, one huge entry, mixed signs, values near the `i64` limits, Machol–Wien,
//! floats of mixed magnitude — in both senses and in every shape.
//!
//! Oracles: brute force for `n ≤ 7`; for larger matrices (up to 300) an exact `i128`
//! Hungarian method written here from the textbook, independent of the crate, and
//! `pathfinding::kuhn_munkres`; closed-form optima where one is known. Every answer
//! must also pass `verify_dense`.

use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix as PfMatrix;
use peermatch::assign::{Matrix, Sense, solve_dense, verify_dense};
use proptest::prelude::*;

/// The structured families. Each is a function of (row, column, rows, cols) and a
/// stream of random numbers.
#[derive(Debug, Clone, Copy)]
enum Family {
    /// `i·j` from 0.
    Product,
    /// `−i·j` from 0: the rearrangement inequality makes the identity optimal.
    NegatedProduct,
    /// `(i + 1)(j + 1)`: the reversal is optimal when minimising.
    ShiftedProduct,
    /// `a_i + b_j`: on a square matrix every assignment costs the same.
    Sums,
    /// `a_i + b_j` plus noise in {0, 1}.
    NoisySums,
    /// Rank two: `a_i·b_j + c_i·d_j`.
    LowRank,
    /// Entries in {0, 1}.
    Ties,
    /// Every entry the same (negative).
    AllEqual,
    /// Small entries and one near `i64::MAX / 4`.
    OneHuge,
    /// Uniform in [−10⁶, 10⁶].
    MixedSigns,
    /// Near `i64::MIN` and `i64::MAX`.
    NearLimits,
    /// Machol–Wien, randomised: uniform in `1..=(i + 1)(j + 1)`.
    RandomMacholWien,
    /// Geometric row and column effects with ties.
    RowEffects,
}

const FAMILIES: [Family; 13] = [
    Family::Product,
    Family::NegatedProduct,
    Family::ShiftedProduct,
    Family::Sums,
    Family::NoisySums,
    Family::LowRank,
    Family::Ties,
    Family::AllEqual,
    Family::OneHuge,
    Family::MixedSigns,
    Family::NearLimits,
    Family::RandomMacholWien,
    Family::RowEffects,
];

/// A small deterministic generator (xorshift64).
fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed | 1;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

fn matrix(family: Family, rows: usize, cols: usize, seed: u64) -> Matrix<i64> {
    let mut next = xorshift(seed);
    let mut draw = |n: u64| (next() % n) as i64;
    let a: Vec<i64> = (0..rows).map(|_| draw(1000) - 500).collect();
    let b: Vec<i64> = (0..cols).map(|_| draw(1000) - 500).collect();
    let c: Vec<i64> = (0..rows).map(|_| draw(40) - 20).collect();
    let d: Vec<i64> = (0..cols).map(|_| draw(40) - 20).collect();
    let huge = (
        draw(rows.max(1) as u64) as usize,
        draw(cols.max(1) as u64) as usize,
    );
    let constant = -draw(1 << 30);
    Matrix::from_fn(rows, cols, |i, j| {
        let (ii, jj) = (i as i64, j as i64);
        match family {
            Family::Product => ii * jj,
            Family::NegatedProduct => -(ii * jj),
            Family::ShiftedProduct => (ii + 1) * (jj + 1),
            Family::Sums => a[i] + b[j],
            Family::NoisySums => a[i] + b[j] + draw(2),
            Family::LowRank => a[i] * b[j] + c[i] * d[j],
            Family::Ties => draw(2),
            Family::AllEqual => constant,
            Family::OneHuge => {
                if (i, j) == huge {
                    i64::MAX / 4
                } else {
                    draw(10)
                }
            }
            Family::MixedSigns => draw(2_000_001) - 1_000_000,
            Family::NearLimits => {
                if draw(2) == 0 {
                    i64::MIN + draw(1000)
                } else {
                    i64::MAX - draw(1000)
                }
            }
            Family::RandomMacholWien => 1 + draw(((ii + 1) * (jj + 1)) as u64),
            Family::RowEffects => (1i64 << (i % 20)) + (1i64 << (j % 20)) * draw(3),
        }
    })
}

/// The best total over every assignment of `min(rows, cols)` pairs, by enumeration.
fn brute(m: &Matrix<i64>, maximize: bool) -> i128 {
    let (rows, cols) = (m.rows(), m.cols());
    let tall = rows > cols;
    let (short, long) = if tall { (cols, rows) } else { (rows, cols) };
    let at = |s: usize, l: usize| i128::from(if tall { *m.get(l, s) } else { *m.get(s, l) });
    fn go(
        s: usize,
        short: usize,
        long: usize,
        at: &dyn Fn(usize, usize) -> i128,
        used: &mut [bool],
        maximize: bool,
    ) -> i128 {
        if s == short {
            return 0;
        }
        let mut best: Option<i128> = None;
        for l in 0..long {
            if !used[l] {
                used[l] = true;
                let total = at(s, l) + go(s + 1, short, long, at, used, maximize);
                used[l] = false;
                best = Some(match best {
                    None => total,
                    Some(b) if maximize => b.max(total),
                    Some(b) => b.min(total),
                });
            }
        }
        best.expect("long ≥ short")
    }
    go(0, short, long, &at, &mut vec![false; long], maximize)
}

/// The least total, by the textbook Hungarian method (shortest augmenting paths with
/// potentials, rows added one at a time) in `i128`, for `rows ≤ cols`.
fn textbook_min(rows: usize, cols: usize, cost: &dyn Fn(usize, usize) -> i128) -> i128 {
    const INF: i128 = i128::MAX / 4;
    // 1-based, column 0 virtual.
    let mut u = vec![0i128; rows + 1];
    let mut v = vec![0i128; cols + 1];
    let mut p = vec![0usize; cols + 1];
    let mut way = vec![0usize; cols + 1];
    for i in 1..=rows {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![INF; cols + 1];
        let mut used = vec![false; cols + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = INF;
            let mut j1 = 0;
            for j in 1..=cols {
                if !used[j] {
                    let cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=cols {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    (1..=cols)
        .filter(|&j| p[j] != 0)
        .map(|j| cost(p[j] - 1, j - 1))
        .sum()
}

/// The optimum of `m` by the textbook method, in either sense and shape.
fn textbook(m: &Matrix<i64>, maximize: bool) -> i128 {
    let sign = if maximize { -1 } else { 1 };
    let (rows, cols) = (m.rows(), m.cols());
    let total = if rows <= cols {
        textbook_min(rows, cols, &|i, j| sign * i128::from(*m.get(i, j)))
    } else {
        textbook_min(cols, rows, &|i, j| sign * i128::from(*m.get(j, i)))
    };
    sign * total
}

/// `pathfinding::kuhn_munkres` (maximising, `rows ≤ cols`), in `i128`.
fn pathfinding_optimum(m: &Matrix<i64>, maximize: bool) -> i128 {
    let sign = if maximize { 1 } else { -1 };
    let (rows, cols) = (m.rows(), m.cols());
    let weights = if rows <= cols {
        PfMatrix::from_fn(rows, cols, |(i, j)| sign * i128::from(*m.get(i, j)))
    } else {
        PfMatrix::from_fn(cols, rows, |(i, j)| sign * i128::from(*m.get(j, i)))
    };
    let (total, _) = kuhn_munkres(&weights);
    sign * total
}

fn check(m: &Matrix<i64>, maximize: bool, expected: i128, what: &str) -> Result<(), TestCaseError> {
    let sense = if maximize {
        Sense::Maximize
    } else {
        Sense::Minimize
    };
    let s = solve_dense(m, sense).map_err(|e| TestCaseError::fail(format!("{what}: {e}")))?;
    prop_assert_eq!(s.objective, expected, "{}", what);
    let verified = verify_dense(m, sense, None, &s);
    prop_assert_eq!(verified, Ok(expected), "{}", what);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Every family, both senses, every shape up to 7 × 7, against brute force.
    #[test]
    fn structured_small_matrices_match_brute_force(
        family in prop::sample::select(FAMILIES.to_vec()),
        rows in 0usize..8,
        cols in 0usize..8,
        maximize in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let m = matrix(family, rows, cols, seed);
        let expected = brute(&m, maximize);
        check(&m, maximize, expected, &format!("{family:?} {rows}x{cols} max={maximize}"))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every family up to 300 on a side against the textbook method, and against
    /// `pathfinding` where its arithmetic has room: square, nearly square, and one side
    /// up to four times the other (wide and tall matrices take routes of their own).
    #[test]
    fn structured_large_matrices_match_two_oracles(
        family in prop::sample::select(FAMILIES.to_vec()),
        n in 8usize..300,
        shape in prop::sample::select(vec![0usize, 0, 1, 17, 3]),
        tall in any::<bool>(),
        maximize in any::<bool>(),
        seed in any::<u64>(),
    ) {
        // Shape 3: three times as many again, on at most 100 to keep the oracles quick.
        let (n, extra) = if shape == 3 { (n.min(100), 3 * n.min(100)) } else { (n, shape) };
        let (rows, cols) = if tall { (n + extra, n) } else { (n, n + extra) };
        let m = matrix(family, rows, cols, seed);
        let expected = textbook(&m, maximize);
        if !matches!(family, Family::NearLimits | Family::OneHuge) {
            prop_assert_eq!(pathfinding_optimum(&m, maximize), expected);
        }
        check(&m, maximize, expected, &format!("{family:?} {rows}x{cols} max={maximize}"))?;
    }
}

/// Closed forms: `−i·j` and `i·j` have the identity as optimum (minimising and
/// maximising respectively); `(i + 1)(j + 1)` minimised pairs `i` with `n − 1 − i`;
/// `a_i + b_j` on a square matrix costs `Σa + Σb` whatever the assignment.
#[test]
fn closed_form_optima_of_products_and_sums() {
    for n in (1..=40).chain([64, 100, 257, 300]) {
        let squares: i128 = (0..n as i128).map(|i| i * i).sum();
        let neg = Matrix::from_fn(n, n, |i, j| -((i * j) as i64));
        let pos = Matrix::from_fn(n, n, |i, j| (i * j) as i64);
        // Σ i·σ(i) is least for the reversal and greatest for the identity.
        let reversal: i128 = (0..n as i128).map(|i| i * (n as i128 - 1 - i)).sum();
        for (m, sense, want) in [
            (&neg, Sense::Minimize, -squares),
            (&pos, Sense::Maximize, squares),
            (&neg, Sense::Maximize, -reversal),
            (&pos, Sense::Minimize, reversal),
        ] {
            let s = solve_dense(m, sense).unwrap();
            assert_eq!(s.objective, want, "n = {n}, {sense:?}");
            assert_eq!(
                verify_dense(m, sense, None, &s),
                Ok(want),
                "n = {n}, {sense:?}"
            );
        }
        let shifted = Matrix::from_fn(n, n, |i, j| ((i + 1) * (j + 1)) as i64);
        let shifted_reversal: i128 = (1..=n as i128).map(|i| i * (n as i128 + 1 - i)).sum();
        assert_eq!(
            solve_dense(&shifted, Sense::Minimize).unwrap().objective,
            shifted_reversal
        );
        let sums = matrix(Family::Sums, n, n, n as u64);
        let total: i128 = (0..n)
            .map(|i| {
                i128::from(*sums.get(i, 0)) + i128::from(*sums.get(0, i))
                    - i128::from(*sums.get(0, 0))
            })
            .sum();
        assert_eq!(
            solve_dense(&sums, Sense::Minimize).unwrap().objective,
            total
        );
        assert_eq!(
            solve_dense(&sums, Sense::Maximize).unwrap().objective,
            total
        );
    }
}

/// The same families as floats (integers, so exact in `f64`), plus the reported 3 × 3
/// case, against brute force; and floats of mixed magnitude (near 2⁵³ with fractions)
/// certified by `verify_dense` within its documented tolerance.
#[test]
fn float_matrices_of_every_family() {
    let m = Matrix::new(3, 3, vec![-1.0, -1.0, -1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0]).unwrap();
    assert_eq!(solve_dense(&m, Sense::Maximize).unwrap().objective, 1.0);
    for (k, family) in FAMILIES.iter().enumerate() {
        if matches!(family, Family::NearLimits | Family::OneHuge) {
            continue;
        }
        for n in 1..=7 {
            for cols in [n, n + 2] {
                let ints = matrix(*family, n, cols, 31 * k as u64 + n as u64);
                let floats = Matrix::from_fn(n, cols, |i, j| *ints.get(i, j) as f64);
                for maximize in [false, true] {
                    let sense = if maximize {
                        Sense::Maximize
                    } else {
                        Sense::Minimize
                    };
                    let s = solve_dense(&floats, sense).unwrap();
                    assert_eq!(
                        s.objective,
                        brute(&ints, maximize) as f64,
                        "{family:?} {n}x{cols}"
                    );
                    verify_dense(&floats, sense, None, &s).unwrap();
                }
            }
        }
    }
    let mut next = xorshift(99);
    for round in 0..200 {
        let n = 2 + (next() % 30) as usize;
        let m = Matrix::from_fn(n, n + round % 3, |_, _| match next() % 4 {
            0 => 9.007e15 + (next() % 100) as f64,
            1 => (next() % 1000) as f64 / 7.0,
            2 => -((next() % 1000) as f64) * 1e-3,
            _ => (next() % (1 << 40)) as f64,
        });
        for sense in [Sense::Minimize, Sense::Maximize] {
            let s = solve_dense(&m, sense).unwrap();
            verify_dense(&m, sense, None, &s).unwrap();
        }
    }
}
