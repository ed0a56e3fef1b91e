//! Sparse capacitated problems (up to 7 rows, 4 columns) with convex or falling slot
//! costs → `solve` and `min_cost_max_flow` → `verify` and brute force; falling slot
//! costs must be the typed error, never a hang or a wrong answer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peermatch::Error;
use peermatch::assign::{CapacitatedProblem, min_cost_max_flow, solve, verify, verify_max_flow};

/// Least (unassigned rows, cost) and least cost over every capacity-respecting
/// assignment; `None` for the cost when a mandatory row cannot be placed.
fn brute(
    p: &CapacitatedProblem<i64>,
    slot: &dyn Fn(usize, u32) -> i64,
) -> (Option<i128>, (i128, i128)) {
    fn go(
        p: &CapacitatedProblem<i64>,
        slot: &dyn Fn(usize, u32) -> i64,
        r: usize,
        given: &mut [u32],
        left: i128,
        acc: i128,
        best: &mut (Option<i128>, (i128, i128)),
    ) {
        if r == p.rows() {
            if best.0.is_none_or(|b| acc < b) {
                best.0 = Some(acc);
            }
            return;
        }
        if let Some(u) = p.unassigned_cost(r) {
            go(p, slot, r + 1, given, left + 1, acc + i128::from(u), best);
        }
        for (c, cost) in p.arcs(r) {
            if given[c] < p.capacity(c) {
                let s = slot(c, given[c]);
                given[c] += 1;
                go(
                    p,
                    slot,
                    r + 1,
                    given,
                    left,
                    acc + i128::from(cost) + i128::from(s),
                    best,
                );
                given[c] -= 1;
            }
        }
    }
    // The max-flow problem: every row may stay unassigned (at cost 0 there).
    fn flow(
        p: &CapacitatedProblem<i64>,
        slot: &dyn Fn(usize, u32) -> i64,
        r: usize,
        given: &mut [u32],
        left: i128,
        acc: i128,
        best: &mut (i128, i128),
    ) {
        if r == p.rows() {
            *best = (*best).min((left, acc));
            return;
        }
        flow(p, slot, r + 1, given, left + 1, acc, best);
        for (c, cost) in p.arcs(r) {
            if given[c] < p.capacity(c) {
                let s = slot(c, given[c]);
                given[c] += 1;
                flow(
                    p,
                    slot,
                    r + 1,
                    given,
                    left,
                    acc + i128::from(cost) + i128::from(s),
                    best,
                );
                given[c] -= 1;
            }
        }
    }
    let mut best = (None, (i128::MAX, i128::MAX));
    go(p, slot, 0, &mut vec![0; p.cols()], 0, 0, &mut best);
    let mut most = (i128::MAX, i128::MAX);
    flow(p, slot, 0, &mut vec![0; p.cols()], 0, 0, &mut most);
    (best.0, most)
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.iter().copied().chain(std::iter::repeat(0));
    let mut next = move || bytes.next().unwrap_or(0);
    let cols = usize::from(next() % 4) + 1;
    let rows = usize::from(next() % 8);
    let capacity: Vec<u32> = (0..cols)
        .map(|_| [0, 1, 2, 3, u32::MAX][usize::from(next() % 5)])
        .collect();
    let steps: Vec<i64> = (0..cols).map(|_| i64::from(next() % 7) - 1).collect();
    let mut p = CapacitatedProblem::<i64>::new(capacity);
    for _ in 0..rows {
        let flags = next();
        let unassigned = (flags & 1 != 0).then(|| i64::from(next() % 16) - 4);
        let mut arcs = Vec::new();
        for c in 0..cols {
            if next() % 3 != 0 {
                arcs.push((c, i64::from(next() as i8)));
            }
        }
        p.add_row(unassigned, arcs).unwrap();
    }
    // A step of −1 makes that column's slot costs fall.
    let slot = |c: usize, k: u32| steps[c] * i64::from(k);
    let (cheapest, most) = brute(&p, &slot);
    match solve(&p, slot) {
        Ok(s) => {
            assert_eq!(Some(i128::from(s.cost)), cheapest);
            assert_eq!(verify(&p, slot, &s), Ok(s.cost));
        }
        Err(Error::Infeasible { .. }) => assert_eq!(cheapest, None),
        Err(Error::NonConvexSlotCosts { col, .. }) => assert_eq!(steps[col], -1),
        Err(e) => panic!("unexpected {e:?}"),
    }
    match min_cost_max_flow(&p, slot) {
        Ok(s) => {
            assert_eq!((i128::from(s.cost.major), i128::from(s.cost.minor)), most);
            assert_eq!(verify_max_flow(&p, slot, &s), Ok(s.cost));
        }
        Err(Error::NonConvexSlotCosts { col, .. }) => assert_eq!(steps[col], -1),
        Err(e) => panic!("unexpected {e:?}"),
    }
});
