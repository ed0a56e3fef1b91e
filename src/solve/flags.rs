//! Which eligible pairs the solver considers: one bit per pair.
//!
//! A national cohort has tens of millions of eligible pairs and the solver considers a
//! few in a hundred. Each round reads the flags of every pair (the network is built
//! from the considered ones, the pruning certificate checks the others), and a warm
//! re-solve copies them row by row: as bits they are an eighth of the memory of
//! `bool`s, and the considered pairs of a row are found a word at a time.

use std::ops::Range;

const BITS: usize = u64::BITS as usize;

/// A fixed number of flags, all false at first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Flags {
    words: Vec<u64>,
    len: usize,
}

impl Flags {
    /// `len` flags, all false.
    pub(crate) fn new(len: usize) -> Flags {
        Flags {
            words: vec![0; len.div_ceil(BITS)],
            len,
        }
    }

    /// `len` flags, all true.
    pub(crate) fn all(len: usize) -> Flags {
        let mut flags = Flags::new(len);
        flags.fill(0..len, true);
        flags
    }

    /// Flag `i`.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> bool {
        debug_assert!(i < self.len);
        self.words[i / BITS] >> (i % BITS) & 1 == 1
    }

    /// Sets flag `i` to `value`.
    #[inline]
    pub(crate) fn set(&mut self, i: usize, value: bool) {
        debug_assert!(i < self.len);
        let (word, bit) = (&mut self.words[i / BITS], 1u64 << (i % BITS));
        if value {
            *word |= bit;
        } else {
            *word &= !bit;
        }
    }

    /// Sets every flag of `range` to `value`.
    pub(crate) fn fill(&mut self, range: Range<usize>, value: bool) {
        debug_assert!(range.end <= self.len);
        let mut i = range.start;
        while i < range.end {
            let (w, bit) = (i / BITS, i % BITS);
            let n = (BITS - bit).min(range.end - i);
            let mask = if n == BITS {
                u64::MAX
            } else {
                ((1u64 << n) - 1) << bit
            };
            if value {
                self.words[w] |= mask;
            } else {
                self.words[w] &= !mask;
            }
            i += n;
        }
    }

    /// The 64 flags from `i` on as a word, flag `i + j` in bit `j` (flags past the
    /// end read false).
    #[inline]
    pub(crate) fn word_at(&self, i: usize) -> u64 {
        let (w, bit) = (i / BITS, i % BITS);
        let word = |w: usize| self.words.get(w).copied().unwrap_or(0);
        if bit == 0 {
            word(w)
        } else {
            word(w) >> bit | word(w + 1) << (BITS - bit)
        }
    }

    /// The true flags of `range`, in order.
    pub(crate) fn ones(&self, range: Range<usize>) -> impl Iterator<Item = usize> + '_ {
        debug_assert!(range.end <= self.len);
        let (first, end) = (range.start / BITS, range.end.div_ceil(BITS));
        (first..end).flat_map(move |w| {
            let mut word = self.words[w];
            let base = w * BITS;
            if base < range.start {
                word &= u64::MAX << (range.start - base);
            }
            if range.end - base < BITS {
                word &= (1u64 << (range.end - base)) - 1;
            }
            std::iter::from_fn(move || {
                (word != 0).then(|| {
                    let bit = word.trailing_zeros() as usize;
                    word &= word - 1;
                    base + bit
                })
            })
        })
    }

    /// How many flags are true.
    pub(crate) fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Copies the flags of `from[range]` to `self[at..]`.
    pub(crate) fn copy_from(&mut self, from: &Flags, range: Range<usize>, at: usize) {
        debug_assert!(range.end <= from.len && at + range.len() <= self.len);
        // Destination word by destination word, each from (at most) two source words.
        let (mut i, end) = (at, at + range.len());
        while i < end {
            let (w, bit) = (i / BITS, i % BITS);
            let n = (BITS - bit).min(end - i);
            let mask = if n == BITS {
                u64::MAX
            } else {
                ((1u64 << n) - 1) << bit
            };
            let source = from.word_at(range.start + (i - at)) << bit;
            self.words[w] = self.words[w] & !mask | source & mask;
            i += n;
        }
    }
}

impl std::ops::Index<usize> for Flags {
    type Output = bool;

    #[inline]
    fn index(&self, i: usize) -> &bool {
        if self.get(i) { &true } else { &false }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_behave_like_a_vector_of_bools() {
        let mut next = crate::testdata::xorshift(5);
        for _ in 0..300 {
            let len = next(300) as usize;
            let mut flags = Flags::new(len);
            let mut plain = vec![false; len];
            for _ in 0..20 {
                let (a, b) = (next(len as u64 + 1) as usize, next(len as u64 + 1) as usize);
                let range = a.min(b)..a.max(b);
                let value = next(2) == 1;
                match next(4) {
                    0 => {
                        flags.fill(range.clone(), value);
                        plain[range.clone()].fill(value);
                    }
                    1 if len > 0 => {
                        let i = next(len as u64) as usize;
                        flags.set(i, value);
                        plain[i] = value;
                    }
                    2 => {
                        // A copy from other flags, to any place the range fits.
                        let other: Vec<bool> = (0..len).map(|_| next(3) == 0).collect();
                        let mut from = Flags::new(len);
                        for (i, &v) in other.iter().enumerate() {
                            from.set(i, v);
                        }
                        let at = next((len - range.len()) as u64 + 1) as usize;
                        flags.copy_from(&from, range.clone(), at);
                        plain[at..at + range.len()].copy_from_slice(&other[range.clone()]);
                    }
                    _ => {}
                }
                let ones: Vec<usize> = flags.ones(range.clone()).collect();
                let expected: Vec<usize> = range.clone().filter(|&i| plain[i]).collect();
                assert_eq!(ones, expected);
                assert_eq!(flags.count(), plain.iter().filter(|&&v| v).count());
                assert!((0..len).all(|i| flags[i] == plain[i]));
                for i in (0..len).step_by(7) {
                    let word = flags.word_at(i);
                    let bits = (0..64).filter(|&j| plain.get(i + j) == Some(&true));
                    assert_eq!(word, bits.fold(0, |w, j| w | 1 << j));
                }
            }
        }
        assert_eq!(Flags::all(130).count(), 130);
    }
}
