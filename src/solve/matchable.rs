//! Who an optimal plan can match at all, found by counting alone.
//!
//! Under the participation objective a plan is ranked first by how many people it
//! matches, then by how many of urgency 3, 2 and 1, and only then by quality. The sets
//! of recipients that can be matched together within the mentors' room form a matroid
//! (a transversal matroid: copy each mentor once per free slot), and the plans that
//! win the first four slots of the ranking are exactly those whose matched set is a
//! maximum-weight basis of it, an urgency tier weighing more than all lower tiers
//! together. Matroid theory then says two useful things:
//! - adding recipients greedily, most urgent tier first, each by an augmenting path
//!   when one exists, gives a maximum-weight basis `B` (no costs involved: breadth-first
//!   searches, not shortest paths);
//! - a recipient outside `B` is in *some* maximum-weight basis exactly when an
//!   alternating path from them reaches a matched recipient of the same tier (whom
//!   they could replace); a recipient with no such path is unmatched in every optimal
//!   plan.
//!
//! When urgent recipients outnumber the slots, the solver uses this to leave such
//! recipients out of its first round (see `solve`'s "Orientation"): on national
//! cohorts nearly every recipient of urgency 0 can never be matched, because the
//! urgent ones fill every slot they can reach, and the slots' side then no longer
//! scans their pairs. Nothing
//! here is trusted for exactness: the pairs of the recipients left out are handed to
//! the dual certificate like any pruned pair, and added back if one could improve the
//! plan. The unit tests check the levels against every plan of small random problems.
//!
//! The augmenting searches keep one fact across searches: the nodes a failed search
//! visited reach no free slot, and no later augmentation changes that (a path into
//! that closed set could never leave it), so they are skipped from then on. Each
//! failed search therefore costs only what it newly closes.

/// No column or row.
const NONE: u32 = u32::MAX;

/// A column's level when no alternating path from it reaches a free slot nor a
/// holder: it can take nobody more.
pub(crate) const UNREACHED: u8 = u8::MAX;

/// The level at or below which a row of tier `tier` finds a column it could be matched
/// through in some maximum-weight basis (see [`levels`]).
pub(crate) fn level_of_tier(tier: u8) -> u8 {
    tier + 1
}

/// Each column's level, after building a maximum-weight basis tier by tier
/// (`tier(r)` from 3 down to 0): 0 when an alternating path from the column reaches a
/// free slot, else 1 + the lowest tier of a matched row it reaches, or
/// [`UNREACHED`]. A row can be matched in some maximum-weight basis exactly when one of
/// its columns has a level at most [`level_of_tier`] of its own tier: a matched row
/// reaches itself, and an unmatched one either reaches a free slot or a holder of its
/// own tier it could replace (a lower tier would contradict the basis's weight).
///
/// `arcs(r)` lists row `r`'s columns; `room[c]` is column `c`'s number of slots.
/// Returns `None` when the searches would scan more than `budget` arcs.
pub(crate) fn levels<'a>(
    rows: usize,
    arcs: impl Fn(usize) -> &'a [u32],
    room: &[u32],
    tier: impl Fn(usize) -> u8,
    budget: u64,
) -> Option<Vec<u8>> {
    let basis = Basis::by_tiers(rows, &arcs, room, &tier, budget)?;
    Some(basis.levels(rows, &arcs, room, &tier))
}

/// A maximum-weight basis: who holds each column's slots.
struct Basis {
    /// Column `c`'s slots are `holder[start[c]..start[c + 1]]`, the first `load[c]`
    /// taken.
    start: Vec<usize>,
    holder: Vec<u32>,
    load: Vec<u32>,
    /// Each row's column, or [`NONE`].
    col_of: Vec<u32>,
}

impl Basis {
    /// The rows holding column `c`.
    fn holders(&self, c: usize) -> &[u32] {
        &self.holder[self.start[c]..self.start[c] + self.load[c] as usize]
    }

    /// The basis built tier by tier, highest first: each row in turn searches
    /// breadth-first along alternating paths for a free slot. Columns a failed search
    /// reached are closed for good (no later row of a lower tier can open them).
    /// `None` when the searches scan more than `budget` arcs.
    fn by_tiers<'a>(
        rows: usize,
        arcs: &impl Fn(usize) -> &'a [u32],
        room: &[u32],
        tier: &impl Fn(usize) -> u8,
        budget: u64,
    ) -> Option<Basis> {
        let cols = room.len();
        let mut start = Vec::with_capacity(cols + 1);
        start.push(0usize);
        for &n in room {
            start.push(start[start.len() - 1] + n as usize);
        }
        let mut basis = Basis {
            holder: vec![NONE; start[cols]],
            start,
            load: vec![0u32; cols],
            col_of: vec![NONE; rows],
        };
        // Per search: the stamp of the search that last reached a column, and the row
        // it was reached from.
        let mut col_seen = vec![0u32; cols];
        let mut from = vec![NONE; cols];
        let mut closed = vec![false; cols];
        let mut queue: Vec<u32> = Vec::new();
        let mut reached: Vec<u32> = Vec::new();
        let mut stamp = 0u32;
        let mut work = 0u64;
        for t in (0..=3u8).rev() {
            for s in (0..rows).filter(|&r| tier(r) == t) {
                stamp += 1;
                queue.clear();
                reached.clear();
                queue.push(s as u32);
                let mut found = None;
                let mut head = 0;
                'search: while head < queue.len() {
                    let x = queue[head] as usize;
                    head += 1;
                    let list = arcs(x);
                    work += list.len() as u64;
                    for &c in list {
                        let c = c as usize;
                        if closed[c] || col_seen[c] == stamp || room[c] == 0 {
                            continue;
                        }
                        col_seen[c] = stamp;
                        from[c] = x as u32;
                        reached.push(c as u32);
                        if basis.load[c] < room[c] {
                            found = Some((x, c));
                            break 'search;
                        }
                        // A column's holders are reached only through it, so no row is
                        // queued twice.
                        queue.extend_from_slice(basis.holders(c));
                    }
                }
                if work > budget {
                    return None;
                }
                match found {
                    Some((x, c)) => basis.augment(x, c, &from),
                    None => reached.iter().for_each(|&c| closed[c as usize] = true),
                }
            }
        }
        Some(basis)
    }

    /// Moves row `x` into column `c`, and back along the search's path (`from`): the
    /// row that reached `x`'s old column takes `x`'s slot there, and so on.
    fn augment(&mut self, mut x: usize, mut c: usize, from: &[u32]) {
        loop {
            let old = self.col_of[x];
            self.holder[self.start[c] + self.load[c] as usize] = x as u32;
            self.load[c] += 1;
            self.col_of[x] = c as u32;
            if old == NONE {
                break;
            }
            let old = old as usize;
            let held = &mut self.holder[self.start[old]..self.start[old] + self.load[old] as usize];
            let at = held
                .iter()
                .position(|&h| h as usize == x)
                .expect("a row is among its column's holders");
            let last = held.len() - 1;
            held.swap(at, last);
            self.load[old] -= 1;
            c = old;
            x = from[old] as usize;
        }
    }

    /// Each column's level: 0 when an alternating path from it reaches a free slot,
    /// else 1 + the lowest tier of a holder it reaches. Found backwards, lowest level
    /// first, so a column's first level is its least.
    fn levels<'a>(
        &self,
        rows: usize,
        arcs: &impl Fn(usize) -> &'a [u32],
        room: &[u32],
        tier: &impl Fn(usize) -> u8,
    ) -> Vec<u8> {
        let cols = room.len();
        let (into_start, into) = rows_into(rows, cols, arcs);
        let mut level = vec![UNREACHED; cols];
        for l in 0..=4u8 {
            let mut stack: Vec<usize> = (0..cols)
                .filter(|&c| level[c] == UNREACHED && room[c] > 0)
                .filter(|&c| {
                    if l == 0 {
                        self.load[c] < room[c]
                    } else {
                        self.holders(c)
                            .iter()
                            .any(|&h| level_of_tier(tier(h as usize)) == l)
                    }
                })
                .collect();
            for &c in &stack {
                level[c] = l;
            }
            while let Some(c) = stack.pop() {
                for &r in &into[into_start[c]..into_start[c + 1]] {
                    let held = self.col_of[r as usize];
                    if held != NONE && level[held as usize] == UNREACHED {
                        level[held as usize] = l;
                        stack.push(held as usize);
                    }
                }
            }
        }
        level
    }
}

/// The arcs turned round: the rows with an arc into column `c` are
/// `into[into_start[c]..into_start[c + 1]]`.
fn rows_into<'a>(
    rows: usize,
    cols: usize,
    arcs: &impl Fn(usize) -> &'a [u32],
) -> (Vec<usize>, Vec<u32>) {
    let mut into_start = vec![0usize; cols + 1];
    for r in 0..rows {
        for &c in arcs(r) {
            into_start[c as usize + 1] += 1;
        }
    }
    for c in 0..cols {
        into_start[c + 1] += into_start[c];
    }
    let mut fill = into_start.clone();
    let mut into = vec![0u32; into_start[cols]];
    for r in 0..rows {
        for &c in arcs(r) {
            into[fill[c as usize]] = r as u32;
            fill[c as usize] += 1;
        }
    }
    (into_start, into)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every plan (each row unmatched or at one of its columns, within room), by
    /// recursion: for each, the matched rows and its (count, tier 3, 2, 1) key.
    fn plans(
        arcs: &[Vec<u32>],
        room: &mut [u32],
        tier: &[u8],
        r: usize,
        matched: &mut Vec<bool>,
        out: &mut Vec<([usize; 4], Vec<bool>)>,
    ) {
        if r == arcs.len() {
            let mut key = [0usize; 4];
            for (x, &m) in matched.iter().enumerate() {
                if m {
                    key[0] += 1;
                    if tier[x] > 0 {
                        key[4 - tier[x] as usize] += 1;
                    }
                }
            }
            out.push((key, matched.clone()));
            return;
        }
        plans(arcs, room, tier, r + 1, matched, out);
        for &c in &arcs[r] {
            if room[c as usize] > 0 {
                room[c as usize] -= 1;
                matched[r] = true;
                plans(arcs, room, tier, r + 1, matched, out);
                matched[r] = false;
                room[c as usize] += 1;
            }
        }
    }

    #[test]
    fn rows_some_optimum_matches_are_exactly_those_the_levels_admit() {
        let mut next = crate::testdata::xorshift(0x3c6e_f372_fe94_f82bu64);
        let (mut left_out, mut kept_unmatched) = (0, 0);
        for round in 0..3000 {
            let cols = next(4) as usize + 1;
            let rows = next(7) as usize;
            let room: Vec<u32> = (0..cols).map(|_| next(3) as u32).collect();
            let tier: Vec<u8> = (0..rows).map(|_| next(4) as u8).collect();
            let arcs: Vec<Vec<u32>> = (0..rows)
                .map(|_| (0..cols as u32).filter(|_| next(2) == 0).collect())
                .collect();
            let level =
                levels(rows, |r| &arcs[r], &room, |r| tier[r], u64::MAX).expect("no budget");
            let mut all = Vec::new();
            let mut spare = room.clone();
            plans(
                &arcs,
                &mut spare,
                &tier,
                0,
                &mut vec![false; rows],
                &mut all,
            );
            let best = all
                .iter()
                .map(|(key, _)| *key)
                .max()
                .expect("the empty plan");
            for r in 0..rows {
                let some_optimum = all.iter().any(|(key, m)| *key == best && m[r]);
                let admitted = arcs[r]
                    .iter()
                    .any(|&c| level[c as usize] <= level_of_tier(tier[r]));
                assert_eq!(
                    admitted, some_optimum,
                    "round {round}, row {r}: {arcs:?} {room:?} {tier:?}"
                );
                left_out += usize::from(!admitted && !arcs[r].is_empty());
                kept_unmatched +=
                    usize::from(admitted && !all.iter().all(|(key, m)| *key != best || m[r]));
            }
        }
        assert!(
            left_out > 500 && kept_unmatched > 300,
            "{left_out} {kept_unmatched}"
        );
    }

    #[test]
    fn a_budget_too_small_gives_up() {
        let arcs = [vec![0u32], vec![0]];
        assert_eq!(levels(2, |r| &arcs[r], &[1], |_| 0, 0), None);
        assert!(levels(2, |r| &arcs[r], &[1], |_| 0, 10).is_some());
    }
}
