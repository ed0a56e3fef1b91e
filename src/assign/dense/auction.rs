//! Auction prices: the restart of the augmentation on ordered matrices, where every
//! shortest augmenting path is long.

use super::jv::{FREE, Num};

/// Column prices from a forward auction with ε-scaling (D. P. Bertsekas, *The auction
/// algorithm: a distributed relaxation method for the assignment problem*, Annals of
/// Operations Research 14, 1988), on costs scaled by `n + 1` (at ε = 1 the auction
/// would be optimal for the integer costs; it stops at 8 cost units, close enough for
/// the exact augmentation that follows). Returned in the input's units, as JV prices
/// (`v_j = −p_j / (n + 1)`, rounded down). `None` when the scaled costs might not fit in
/// `i64` or the costs are not integers.
pub(super) fn auction_prices<T: Num>(n: usize, c: &[T]) -> Option<Vec<i64>> {
    let scale = n as i64 + 1;
    let mut lo = i64::MAX;
    let mut hi = i64::MIN;
    for &x in c {
        let x = x.to_i64()?;
        lo = lo.min(x);
        hi = hi.max(x);
    }
    let range = u128::try_from(i128::from(hi) - i128::from(lo)).ok()?;
    // Prices rise by at most the cost range plus n·ε per phase; keep 2^8 headroom.
    if range.checked_mul(scale as u128)?.checked_mul(1 << 8)? >= (1u128 << 62) {
        return None;
    }
    // The costs shifted to start at 0, in 32 bits when they fit (half the memory
    // each bid streams through); each is multiplied by `scale` as it is read.
    let shifted = c.iter().map(|&x| x.to_i64().expect("checked above") - lo);
    if range <= u128::from(u32::MAX) {
        let narrow: Vec<u32> = shifted.map(|x| x as u32).collect();
        Some(auction_phases(n, &narrow, scale, range as i64))
    } else {
        let wide: Vec<i64> = shifted.collect();
        Some(auction_phases(n, &wide, scale, range as i64))
    }
}

/// The ε-scaling phases of [`auction_prices`] on costs `c` (from 0 to `range`), each
/// multiplied by `scale`.
pub(super) fn auction_phases<U: Copy + Into<i64>>(
    n: usize,
    c: &[U],
    scale: i64,
    range: i64,
) -> Vec<i64> {
    let range = range * scale;
    let mut price = vec![0i64; n];
    let mut owner = vec![FREE; n];
    let mut queue: Vec<u32> = Vec::with_capacity(n);
    let mut eps = (range / 8).max(1);
    loop {
        owner.fill(FREE);
        queue.clear();
        queue.extend((0..n as u32).rev());
        while let Some(i) = queue.pop() {
            let r = &c[i as usize * n..(i as usize + 1) * n];
            // Best and second-best in one branch-free pass (ties: the second equals the
            // best), then the first column at the best.
            let (mut best, mut second) = (i64::MAX, i64::MAX);
            for (&cij, &pj) in r.iter().zip(&price) {
                let t = cij.into() * scale + pj;
                second = second.min(best.max(t));
                best = best.min(t);
            }
            let j1 = r
                .iter()
                .zip(&price)
                .position(|(&cij, &pj)| cij.into() * scale + pj == best)
                .expect("the best is attained");
            price[j1] += second - best + eps;
            let previous = std::mem::replace(&mut owner[j1], i);
            if previous != FREE {
                queue.push(previous);
            }
        }
        // Prices within a few cost units of optimal are all the exact augmentation
        // needs: the last phases (ε below 8 units) cost more than they save.
        if eps <= 8 * scale {
            break;
        }
        eps = (eps / 6).max(1);
    }
    price.iter().map(|&p| (-p).div_euclid(scale)).collect()
}
