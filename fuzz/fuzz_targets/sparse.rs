//! Sparse capacitated problems (up to 7 rows, 4 columns) with convex or falling slot
//! costs → `solve` and `min_cost_max_flow` → `verify` and brute force; falling slot
//! costs must be the typed error, never a hang or a wrong answer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peermatch::assign::Error;
use peermatch::assign::{CapacitatedProblem, min_cost_max_flow, solve, verify, verify_max_flow};

/// Least cost over every capacity-respecting assignment (`None` when a mandatory row
/// cannot be placed), and least (unassigned rows, cost) when every row may stay
/// unassigned at cost 0 (the max-flow problem).
fn brute(
    p: &CapacitatedProblem<i64>,
    slot: &dyn Fn(usize, u32) -> i64,
) -> (Option<i128>, (i128, i128)) {
    /// Every assignment from row `r` on; `flow`: the max-flow problem's options.
    #[allow(clippy::too_many_arguments)]
    fn go(
        p: &CapacitatedProblem<i64>,
        slot: &dyn Fn(usize, u32) -> i64,
        flow: bool,
        r: usize,
        given: &mut [u32],
        left: i128,
        acc: i128,
        best: &mut Option<(i128, i128)>,
    ) {
        if r == p.rows() {
            let key = if flow { (left, acc) } else { (0, acc) };
            if best.is_none_or(|b| key < b) {
                *best = Some(key);
            }
            return;
        }
        let stay = if flow { Some(0) } else { p.unassigned_cost(r) };
        if let Some(u) = stay {
            go(
                p,
                slot,
                flow,
                r + 1,
                given,
                left + 1,
                acc + i128::from(u),
                best,
            );
        }
        for (c, cost) in p.arcs(r) {
            if given[c] < p.capacity(c) {
                let s = slot(c, given[c]);
                given[c] += 1;
                let acc = acc + i128::from(cost) + i128::from(s);
                go(p, slot, flow, r + 1, given, left, acc, best);
                given[c] -= 1;
            }
        }
    }
    let (mut cheapest, mut most) = (None, None);
    go(
        p,
        slot,
        false,
        0,
        &mut vec![0; p.cols()],
        0,
        0,
        &mut cheapest,
    );
    go(p, slot, true, 0, &mut vec![0; p.cols()], 0, 0, &mut most);
    (
        cheapest.map(|(_, c)| c),
        most.expect("leaving everyone out is a plan"),
    )
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
