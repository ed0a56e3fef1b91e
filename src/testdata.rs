//! Seeded test data for the unit tests: one generator, and the small random problems
//! and people the modules' tests draw from it.
//!
//! Integration tests (`tests/`) and benches draw from [`synth`](crate::synth) or
//! proptest instead; these are for the unit tests inside the crate, which need no
//! dependency and must stay reproducible from a seed in the test's source.

use crate::model::{Mentor, Recipient};

/// The one generator of the unit tests (xorshift64): `next(n)` is the next value
/// modulo `n`. A seed must be non-zero.
pub(crate) fn xorshift(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed;
    move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    }
}

/// The shape of a random capacitated problem.
pub(crate) struct Shape {
    /// Columns, at least 1.
    pub(crate) cols: usize,
    /// Rows (may be 0).
    pub(crate) rows: usize,
    /// Per column, its capacity.
    pub(crate) capacity: Vec<u32>,
    /// Per column, by how much each slot costs more than the one before.
    pub(crate) steps: Vec<i64>,
}

impl Shape {
    /// A shape drawn from `next`, in this order: 1 to `max_cols` columns, fewer than
    /// `rows` rows, each column's capacity below `capacity`, each column's slot-cost
    /// step below `step`.
    pub(crate) fn random(
        next: &mut impl FnMut(u64) -> u64,
        max_cols: u64,
        rows: u64,
        capacity: u64,
        step: u64,
    ) -> Shape {
        let cols = next(max_cols) as usize + 1;
        let rows = next(rows) as usize;
        let capacity = (0..cols).map(|_| next(capacity) as u32).collect();
        let steps = (0..cols).map(|_| next(step) as i64).collect();
        Shape {
            cols,
            rows,
            capacity,
            steps,
        }
    }
}

/// Random arcs: each of `cols` columns with probability 2/3, at a cost in [−30, 10].
pub(crate) fn random_arcs(next: &mut impl FnMut(u64) -> u64, cols: usize) -> Vec<(usize, i64)> {
    let mut arcs = Vec::new();
    for c in 0..cols {
        if next(3) > 0 {
            arcs.push((c, next(41) as i64 - 30));
        }
    }
    arcs
}

/// The tags of `pool` whose bit is set in `bits`.
pub(crate) fn tags(bits: u64, pool: &[&str]) -> Vec<String> {
    pool.iter()
        .enumerate()
        .filter(|(i, _)| (bits >> i) & 1 == 1)
        .map(|(_, t)| t.to_string())
        .collect()
}

/// A small random cohort's people: up to 4 English-speaking COPD mentors with
/// capacity 1 to 3 and some load already, up to 5 recipients of every urgency, with
/// experiences and interests from a pool of five tags.
pub(crate) fn small_people(next: &mut impl FnMut(u64) -> u64) -> (Vec<Mentor>, Vec<Recipient>) {
    let pool = ["walking", "chess", "carer", "rural", "parent"];
    let mentors = (0..next(4) + 1)
        .map(|i| {
            let capacity = next(3) as u32 + 1;
            Mentor {
                id: format!("m{i}").into(),
                languages: vec!["en".into()],
                conditions: vec!["copd".into()],
                experiences: tags(next(32), &pool),
                interests: tags(next(32), &pool),
                capacity,
                current_load: next(u64::from(capacity)) as u32,
                ..Mentor::default()
            }
        })
        .collect();
    let recipients = (0..next(6))
        .map(|i| Recipient {
            id: format!("r{i}").into(),
            languages: vec!["en".into()],
            conditions: vec!["copd".into()],
            experiences: tags(next(32), &pool),
            urgency: next(4) as u8,
            ..Recipient::default()
        })
        .collect();
    (mentors, recipients)
}
