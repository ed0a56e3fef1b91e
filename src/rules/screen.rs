//! Screening: the set-valued hard rules applied to one recipient and every mentor at
//! once, 64 mentors to a word.
//!
//! Most pairs of a cohort fail a hard rule, and most of the rules ask whether two tag
//! sets meet (a shared language, an acceptable gender, a need that is one of the
//! mentor's boundaries). Asked pair by pair, that is one check per mentor for every
//! recipient. Turned around — for each tag, the bitset of the mentors having it — the
//! mentors passing a rule for a recipient are the union of a few of those bitsets (or
//! its complement), and the mentors passing every such rule are their intersection:
//! a few hundred word operations per recipient at national size, instead of ten
//! thousand pair checks. This generalises blocking by language or region: the mentors
//! outside the screen are never touched one by one.
//!
//! Only what a screen cannot do cheaply is left to the pair check
//! ([`Interned::check_except`] with [`Screen::covered`]): the journey rule (numbers),
//! exclusions and self-pairs (a few pairs), a shared-topic minimum above one (a
//! count), and any family whose vocabulary would make the bitsets too large
//! ([`MAX_COLUMN_WORDS`]). Screen and pair check together decide exactly what
//! [`rules::check_static`](crate::rules::check_static) decides; the tests hold them
//! to it.

use super::interned::{Interned, TagSets, UNKNOWN};
use crate::model::ContactMode;
use crate::rules::{HardRule, RuleSet};

/// Largest bitset matrix (tags × words) built for one family; a larger family's rule
/// is left to the pair check. 8 MiB: 6 500 tags at 10 000 mentors.
const MAX_COLUMN_WORDS: usize = 1 << 20;

/// For each tag, the bitset of the mentors having it: tag `t`'s words are
/// `bits[t * words..(t + 1) * words]`.
#[derive(Debug, Clone)]
struct Columns {
    words: usize,
    tags: usize,
    bits: Vec<u64>,
}

impl Columns {
    /// `tags` empty columns.
    fn new(tags: usize, words: usize) -> Self {
        Columns {
            words,
            tags,
            bits: vec![0; tags * words],
        }
    }

    /// `tags` empty columns, or `None` when they would exceed `budget` words.
    fn within(tags: usize, words: usize, budget: usize) -> Option<Self> {
        (tags.saturating_mul(words) <= budget).then(|| Columns::new(tags, words))
    }

    /// Columns from the mentors' side of a family, within `budget` words.
    fn of(mentors: &TagSets, count: usize, words: usize, budget: usize) -> Option<Self> {
        let mut tags = 0;
        for m in 0..count {
            mentors.for_each_id(m, |t| tags = tags.max(t + 1));
        }
        let mut columns = Columns::within(tags, words, budget)?;
        for m in 0..count {
            mentors.for_each_id(m, |t| columns.set(t, m));
        }
        Some(columns)
    }

    fn set(&mut self, tag: usize, m: usize) {
        self.bits[tag * self.words + m / 64] |= 1 << (m % 64);
    }

    fn column(&self, tag: usize) -> &[u64] {
        &self.bits[tag * self.words..(tag + 1) * self.words]
    }

    /// The union of the columns of `tags` (ids past the last column are nobody's).
    fn union(&self, tags: &[usize], into: &mut [u64]) {
        into.fill(0);
        for &t in tags.iter().filter(|&&t| t < self.tags) {
            for (x, &y) in into.iter_mut().zip(self.column(t)) {
                *x |= y;
            }
        }
    }
}

/// Which mentors pass each contact-mode combination, by the recipient's mode mask.
#[derive(Debug, Clone)]
struct Contact {
    /// Mentors sharing a mode other than in person, by recipient mode mask.
    remote: Columns,
    /// Mentors whose only shared mode is in person, by recipient mode mask.
    in_person: Columns,
    /// Mentors by region.
    region: Columns,
}

/// The per-tag mentor bitsets of a cohort, and the rules they apply.
#[derive(Debug, Clone)]
pub(crate) struct Screen {
    words: usize,
    room: Vec<u64>,
    language: Option<Columns>,
    condition: Option<Columns>,
    /// Tag `k`: the mentors trained at rank `k` or above.
    training: Columns,
    contact: Option<Contact>,
    no_availability: Vec<u64>,
    availability: Option<Columns>,
    beyond: Option<Columns>,
    gender: Option<Columns>,
    boundaries: Option<Columns>,
    groups: Option<Columns>,
    covered: RuleSet,
}

/// Reusable buffers for [`Screen::apply`].
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    pass: Vec<u64>,
    union: Vec<u64>,
    tags: Vec<usize>,
}

impl Scratch {
    /// How many mentors passed the last [`Screen::apply`].
    pub(crate) fn count(&self) -> usize {
        self.pass.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The mentors that passed the last [`Screen::apply`], in increasing order.
    pub(crate) fn mentors(&self) -> impl Iterator<Item = usize> + '_ {
        self.pass.iter().enumerate().flat_map(|(w, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    w * 64 + bit
                })
            })
        })
    }
}

impl Screen {
    /// The bitsets of `index`'s mentors.
    pub(crate) fn new(index: &Interned<'_>) -> Self {
        Screen::with_budget(index, MAX_COLUMN_WORDS)
    }

    /// Like [`Screen::new`], building a family's columns only within `budget` words.
    fn with_budget(index: &Interned<'_>, budget: usize) -> Self {
        let count = index.mentor.len();
        let words = count.div_ceil(64);
        let mut covered = RuleSet::default();
        let bitset = |keep: &dyn Fn(usize) -> bool| {
            let mut bits = vec![0u64; words];
            for m in (0..count).filter(|&m| keep(m)) {
                bits[m / 64] |= 1 << (m % 64);
            }
            bits
        };
        let room = bitset(&|m| index.mentor[m].has_room);
        let no_availability = bitset(&|m| index.mentor[m].availability == 0);
        covered.insert(HardRule::Capacity);

        let mut family = |rule: HardRule, tags: &TagSets| {
            let columns = Columns::of(tags, count, words, budget);
            if columns.is_some() {
                covered.insert(rule);
            }
            columns
        };
        let language = family(HardRule::Language, &index.languages.mentor);
        let condition = if index.require_shared_condition {
            family(HardRule::Condition, &index.conditions.mentor)
        } else {
            None
        };
        let availability = family(HardRule::Availability, &index.availability.mentor);
        let beyond = if index.min_shared_beyond == 1 {
            family(HardRule::BeyondDiagnosis, &index.beyond.mentor)
        } else {
            None
        };
        let boundaries = family(HardRule::Boundaries, &index.needs_vs_boundaries.mentor);
        let groups = family(HardRule::Confidentiality, &index.groups.mentor);
        if !index.require_shared_condition {
            covered.insert(HardRule::Condition); // never fails
        }
        if index.min_shared_beyond == 0 {
            covered.insert(HardRule::BeyondDiagnosis); // never fails
        }

        // Scalars with few values: one column per value.
        let single = |value: &dyn Fn(usize) -> u32| {
            let known = (0..count).map(value).filter(|&v| v != UNKNOWN);
            let tags = known.max().map_or(0, |v| v as usize + 1);
            let mut columns = Columns::within(tags, words, budget)?;
            for m in 0..count {
                let v = value(m);
                if v != UNKNOWN {
                    columns.set(v as usize, m);
                }
            }
            Some(columns)
        };
        let gender = single(&|m| index.mentor[m].gender);
        if gender.is_some() {
            covered.insert(HardRule::Gender);
        }
        let contact = single(&|m| index.mentor[m].region).map(|region| {
            let in_person = ContactMode::InPerson.bit();
            let mut remote = Columns::new(16, words);
            let mut only_in_person = Columns::new(16, words);
            for m in 0..count {
                for mask in 0..16u8 {
                    match index.mentor[m].modes & mask {
                        0 => {}
                        shared if shared == in_person => only_in_person.set(mask.into(), m),
                        _ => remote.set(mask.into(), m),
                    }
                }
            }
            covered.insert(HardRule::Contact);
            Contact {
                remote,
                in_person: only_in_person,
                region,
            }
        });
        let mut training = Columns::new(4, words);
        for m in 0..count {
            for rank in 0..=index.mentor[m].training.min(3) {
                training.set(rank.into(), m);
            }
        }
        covered.insert(HardRule::Training);

        Screen {
            words,
            room,
            language,
            condition,
            training,
            contact,
            no_availability,
            availability,
            beyond,
            gender,
            boundaries,
            groups,
            covered,
        }
    }

    /// The rules [`Screen::apply`] decides; the pair check need not repeat them.
    pub(crate) fn covered(&self) -> RuleSet {
        self.covered
    }

    /// Leaves in `scratch` the mentors passing every rule in [`Screen::covered`] for
    /// recipient `r`.
    pub(crate) fn apply(&self, index: &Interned<'_>, r: usize, scratch: &mut Scratch) {
        let Scratch { pass, union, tags } = scratch;
        pass.clear();
        pass.extend_from_slice(&self.room);
        self.each_rule(index, r, union, tags, |rule, passing| {
            if rule != HardRule::Capacity {
                pass.iter_mut().zip(passing).for_each(|(p, &q)| *p &= q);
            }
        });
    }

    /// For recipient `r`, how many mentors fail each covered rule (a mentor counted
    /// under every rule it fails), added to `counts`, indexed by `HardRule as usize`.
    pub(crate) fn count_failures(
        &self,
        index: &Interned<'_>,
        r: usize,
        scratch: &mut Scratch,
        counts: &mut [u32],
    ) {
        let mentors = index.mentor.len() as u32;
        let Scratch { union, tags, .. } = scratch;
        self.each_rule(index, r, union, tags, |rule, passing| {
            let passed: u32 = passing.iter().map(|w| w.count_ones()).sum();
            counts[rule as usize] += mentors - passed;
        });
    }

    /// Calls `each(rule, passing)` with the mentors passing each covered rule that
    /// can fail for recipient `r` (no bit set past the last mentor).
    fn each_rule(
        &self,
        index: &Interned<'_>,
        r: usize,
        union: &mut Vec<u64>,
        tags: &mut Vec<usize>,
        mut each: impl FnMut(HardRule, &[u64]),
    ) {
        use HardRule::{
            Availability, BeyondDiagnosis, Boundaries, Condition, Confidentiality, Gender, Language,
        };
        union.resize(self.words, 0);
        let rf = &index.recipient[r];
        let last = match index.mentor.len() % 64 {
            0 => u64::MAX,
            bits => (1 << bits) - 1,
        };
        each(HardRule::Capacity, &self.room);

        // A tag family's rule: the mentors having one of the recipient's tags
        // (`keep`) or none of them, with the mentors of `extra` added. `None` columns:
        // the rule is not screened, or cannot fail for this recipient.
        let mut family = |rule: HardRule,
                          (columns, sets): (Option<&Columns>, &TagSets),
                          keep: bool,
                          extra: Option<&[u64]>| {
            let Some(columns) = columns else {
                return;
            };
            tags.clear();
            sets.for_each_id(r, |t| tags.push(t));
            columns.union(tags, union);
            if let Some(extra) = extra {
                union.iter_mut().zip(extra).for_each(|(x, &y)| *x |= y);
            }
            if !keep {
                union.iter_mut().for_each(|x| *x = !*x);
                if let Some(end) = union.last_mut() {
                    *end &= last;
                }
            }
            each(rule, union);
        };
        let language = (self.language.as_ref(), &index.languages.recipient);
        let condition = (self.condition.as_ref(), &index.conditions.recipient);
        let slots = self.availability.as_ref().filter(|_| rf.availability > 0);
        let slots = (slots, &index.availability.recipient);
        let topics = (self.beyond.as_ref(), &index.beyond.recipient);
        let preference = self.gender.as_ref().filter(|_| rf.mentor_gender > 0);
        let preference = (preference, &index.mentor_gender);
        let needs = (
            self.boundaries.as_ref(),
            &index.needs_vs_boundaries.recipient,
        );
        let groups = (self.groups.as_ref(), &index.groups.recipient);
        let no_slots = Some(&self.no_availability[..]);
        family(Language, language, true, None);
        family(Condition, condition, true, None);
        family(Availability, slots, true, no_slots);
        family(BeyondDiagnosis, topics, true, None);
        family(Gender, preference, true, None);
        family(Boundaries, needs, false, None);
        family(Confidentiality, groups, false, None);
        let rank = rf.required_training.min(3).into();
        each(HardRule::Training, self.training.column(rank));
        if let Some(contact) = &self.contact {
            let mask = usize::from(rf.modes);
            let remote = contact.remote.column(mask);
            let in_person = contact.in_person.column(mask);
            let region = rf.region as usize;
            if rf.region != UNKNOWN && region < contact.region.tags {
                let here = contact.region.column(region);
                for (i, u) in union.iter_mut().enumerate() {
                    *u = remote[i] | (in_person[i] & here[i]);
                }
                each(HardRule::Contact, union);
            } else {
                each(HardRule::Contact, remote);
            }
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn columns_past_the_budget_are_not_built() {
        assert!(Columns::within(8, 2, 16).is_some());
        assert!(Columns::within(9, 2, 16).is_none());
        assert!(Columns::within(usize::MAX, 2, 16).is_none());
    }

    /// The screen's mentors for `r` followed by the pair check without the covered
    /// rules, at several budgets (so some families are left to the pair check).
    pub(crate) fn screened(index: &Interned<'_>) -> Vec<Vec<Vec<usize>>> {
        [MAX_COLUMN_WORDS, 40, 0]
            .into_iter()
            .map(|budget| {
                let screen = Screen::with_budget(index, budget);
                let mut scratch = Scratch::default();
                (0..index.recipient.len())
                    .map(|r| {
                        screen.apply(index, r, &mut scratch);
                        scratch
                            .mentors()
                            .filter(|&m| {
                                index.check_except(m, r, true, screen.covered()).is_empty()
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect()
    }
}
