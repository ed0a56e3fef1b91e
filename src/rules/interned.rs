//! The cohort with its tags interned: dense ids, per-person tag sets as bitsets.
//!
//! Candidate generation evaluates the hard rules and the score on every pair that
//! passes the bitset screen ([`screen`](crate::rules::screen)) — tens of millions for
//! a national programme. On strings, each set
//! operation is a merge of sorted `String`s; here each tag family (languages,
//! conditions, topics — experiences, interests, needs and boundaries share one
//! vocabulary so they can be compared with each other —, availability, groups,
//! genders, regions) is interned once into dense ids, and each person's set becomes a
//! few `u64` words, so "do they share one?" is an `and` and "how many?" a
//! `popcount`. A family whose vocabulary is too large for small bitsets (more than
//! [`MAX_BITSET_TAGS`] distinct tags, e.g. free-text tags) keeps sorted `u32` id lists
//! instead, merged like the strings were but on integers; memory stays proportional
//! to the tags either way.
//!
//! Everything computed here must equal the string path ([`rules::check_static`](crate::rules::check_static),
//! [`scoring::score_micro`]) exactly — the same counts feed the same `f64`
//! arithmetic — and the tests hold it to that on random and synthetic cohorts.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use crate::model::Cohort;
use crate::model::{ContactMode, Mentor};
use crate::rules::{HardRule, RuleSet};
use crate::scoring;

pub(crate) use super::screen::{Scratch, Screen};

/// Largest vocabulary a family stores as bitsets (8 words per person).
pub(crate) const MAX_BITSET_TAGS: usize = 512;

/// Interns strings to dense ids in sorted order (so ids are deterministic). A hash
/// map, not a sorted map: a national cohort looks up millions of tags, from a
/// vocabulary of a few hundred.
pub(super) struct Dictionary<'a> {
    pub(super) ids: HashMap<&'a str, u32, BuildHasherDefault<Fnv>>,
}

/// FNV-1a: tags are short and not chosen by an adversary who could profit from
/// collisions (a slow index is the worst they could cause), and the default SipHash
/// took most of the index's time at national size.
#[derive(Default)]
pub(super) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

impl<'a> Dictionary<'a> {
    fn new(all: impl Iterator<Item = &'a str>) -> Self {
        let unique: HashSet<&'a str, BuildHasherDefault<Fnv>> = all.collect();
        let mut sorted: Vec<&'a str> = unique.into_iter().collect();
        sorted.sort_unstable();
        let ids = sorted.into_iter().zip(0..).collect();
        Dictionary { ids }
    }

    fn id(&self, tag: &str) -> u32 {
        self.ids[tag]
    }

    fn len(&self) -> usize {
        self.ids.len()
    }
}

/// One family's sets for a list of people, all over the same dictionary.
#[derive(Debug, Clone)]
pub(super) enum TagSets {
    /// `width` words per person.
    Bits { width: usize, words: Vec<u64> },
    /// Sorted ids; person `i` has `ids[start[i]..start[i + 1]]`.
    Ids { start: Vec<usize>, ids: Vec<u32> },
}

impl TagSets {
    pub(super) fn build<'a, T: AsRef<str> + 'a, L: AsRef<[T]> + ?Sized + 'a>(
        dict: &Dictionary<'_>,
        lists: impl Iterator<Item = &'a L>,
        bitset_limit: usize,
    ) -> TagSets {
        if dict.len() <= bitset_limit {
            let width = dict.len().div_ceil(64).max(1);
            let mut words = Vec::new();
            for list in lists {
                let at = words.len();
                words.resize(at + width, 0u64);
                for tag in list.as_ref() {
                    let id = dict.id(tag.as_ref()) as usize;
                    words[at + id / 64] |= 1 << (id % 64);
                }
            }
            TagSets::Bits { width, words }
        } else {
            let mut start = vec![0];
            let mut ids = Vec::new();
            let mut own: Vec<u32> = Vec::new();
            for list in lists {
                own.clear();
                own.extend(list.as_ref().iter().map(|t| dict.id(t.as_ref())));
                own.sort_unstable();
                own.dedup();
                ids.extend_from_slice(&own);
                start.push(ids.len());
            }
            TagSets::Ids { start, ids }
        }
    }

    /// How many tags person `i` of `self` and person `j` of `other` share. Both must
    /// come from the same dictionary.
    #[inline]
    pub(super) fn shared(&self, i: usize, other: &TagSets, j: usize) -> usize {
        match (self, other) {
            (TagSets::Bits { width: 1, words }, TagSets::Bits { words: theirs, .. }) => {
                (words[i] & theirs[j]).count_ones() as usize
            }
            (TagSets::Bits { width, words }, TagSets::Bits { words: theirs, .. }) => {
                let a = &words[i * width..(i + 1) * width];
                let b = &theirs[j * width..(j + 1) * width];
                a.iter()
                    .zip(b)
                    .map(|(x, y)| (x & y).count_ones() as usize)
                    .sum()
            }
            (TagSets::Ids { start, ids }, TagSets::Ids { start: s2, ids: i2 }) => {
                merge_count(&ids[start[i]..start[i + 1]], &i2[s2[j]..s2[j + 1]], false)
            }
            _ => unreachable!("one dictionary gives one representation"),
        }
    }

    #[inline]
    pub(super) fn intersects(&self, i: usize, other: &TagSets, j: usize) -> bool {
        match (self, other) {
            (TagSets::Bits { width: 1, words }, TagSets::Bits { words: theirs, .. }) => {
                words[i] & theirs[j] != 0
            }
            (TagSets::Bits { width, words }, TagSets::Bits { words: theirs, .. }) => {
                let a = &words[i * width..(i + 1) * width];
                let b = &theirs[j * width..(j + 1) * width];
                a.iter().zip(b).any(|(x, y)| x & y != 0)
            }
            (TagSets::Ids { start, ids }, TagSets::Ids { start: s2, ids: i2 }) => {
                merge_count(&ids[start[i]..start[i + 1]], &i2[s2[j]..s2[j + 1]], true) > 0
            }
            _ => unreachable!("one dictionary gives one representation"),
        }
    }

    /// Calls `f` with each tag id of person `i`, in increasing order.
    pub(super) fn for_each_id(&self, i: usize, mut f: impl FnMut(usize)) {
        match self {
            TagSets::Bits { width, words } => {
                for (w, &word) in words[i * width..(i + 1) * width].iter().enumerate() {
                    let mut rest = word;
                    while rest != 0 {
                        f(w * 64 + rest.trailing_zeros() as usize);
                        rest &= rest - 1;
                    }
                }
            }
            TagSets::Ids { start, ids } => {
                ids[start[i]..start[i + 1]]
                    .iter()
                    .for_each(|&id| f(id as usize));
            }
        }
    }

    #[inline]
    pub(super) fn contains(&self, i: usize, id: u32) -> bool {
        match self {
            TagSets::Bits { width, words } => {
                let id = id as usize;
                words[i * width + id / 64] & (1 << (id % 64)) != 0
            }
            TagSets::Ids { start, ids } => ids[start[i]..start[i + 1]].binary_search(&id).is_ok(),
        }
    }
}

/// Shared elements of two sorted id lists (stopping at the first when `any`).
pub(super) fn merge_count(a: &[u32], b: &[u32], any: bool) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                if any {
                    return n;
                }
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// A family's sets on both sides of the cohort.
#[derive(Debug, Clone)]
pub(super) struct Family {
    pub(super) mentor: TagSets,
    pub(super) recipient: TagSets,
}

impl Family {
    /// Tags mentor `m` and recipient `r` share.
    pub(super) fn shared(&self, m: usize, r: usize) -> usize {
        self.mentor.shared(m, &self.recipient, r)
    }

    /// Whether mentor `m` and recipient `r` share a tag.
    pub(super) fn intersects(&self, m: usize, r: usize) -> bool {
        self.mentor.intersects(m, &self.recipient, r)
    }
}

/// A single optional tag (gender, region) as an id; `u32::MAX` when unknown.
pub(super) const UNKNOWN: u32 = u32::MAX;

pub(super) fn mode_mask(modes: &[ContactMode]) -> u8 {
    if modes.is_empty() {
        ContactMode::ALL.iter().fold(0, |m, mode| m | mode.bit())
    } else {
        modes.iter().fold(0, |m, mode| m | mode.bit())
    }
}

/// A mentor's scalars and list sizes, packed so a pair check touches one small record
/// per side instead of two large structs.
#[derive(Debug, Clone, Copy)]
pub(super) struct MentorFacts {
    pub(super) training: u8,
    pub(super) modes: u8,
    pub(super) has_room: bool,
    pub(super) has_exclusions: bool,
    pub(super) months: Option<u32>,
    pub(super) age: Option<u32>,
    pub(super) region: u32,
    pub(super) gender: u32,
    pub(super) conditions: u32,
    pub(super) experiences: u32,
    pub(super) interests: u32,
    pub(super) availability: u32,
}

/// A recipient's scalars and list sizes (see [`MentorFacts`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct RecipientFacts {
    pub(super) required_training: u8,
    pub(super) modes: u8,
    pub(super) months: Option<u32>,
    pub(super) age: Option<u32>,
    pub(super) region: u32,
    pub(super) same_person: u32,
    pub(super) conditions: u32,
    pub(super) experiences: u32,
    pub(super) interests: u32,
    pub(super) availability: u32,
    pub(super) needs: u32,
    pub(super) mentor_gender: u32,
}

/// A list's length as a `u32` (lists longer than that cannot exist: `MAX_PEOPLE` and
/// memory bound them far below).
pub(super) fn len32<T>(list: &[T]) -> u32 {
    u32::try_from(list.len()).unwrap_or(u32::MAX)
}

/// Whether two mentor records agree on everything an index reads from them but room
/// and exclusions ([`Interned::reuse`] reads those again). Every field is named, so
/// a new one must be placed on one side or the other.
fn same_but_room(a: &Mentor, b: &Mentor) -> bool {
    let Mentor {
        id,
        name,
        notes,
        conditions,
        experiences,
        interests,
        languages,
        age,
        gender,
        region,
        modes,
        availability,
        months_since_diagnosis,
        groups,
        training,
        capacity: _,
        current_load: _,
        boundaries,
        exclude: _,
    } = a;
    *id == b.id
        && *name == b.name
        && *notes == b.notes
        && *conditions == b.conditions
        && *experiences == b.experiences
        && *interests == b.interests
        && *languages == b.languages
        && *age == b.age
        && *gender == b.gender
        && *region == b.region
        && *modes == b.modes
        && *availability == b.availability
        && *months_since_diagnosis == b.months_since_diagnosis
        && *groups == b.groups
        && *training == b.training
        && *boundaries == b.boundaries
}

/// The interned cohort: the cohort and its [`Tables`] (reached through `Deref`).
#[derive(Debug)]
pub(crate) struct Interned<'c> {
    pub(super) cohort: &'c Cohort,
    tables: Cow<'c, Tables>,
}

impl std::ops::Deref for Interned<'_> {
    type Target = Tables;
    fn deref(&self) -> &Tables {
        &self.tables
    }
}

/// Everything an [`Interned`] index holds besides the cohort: what a plan keeps to
/// index its edited cohort without interning every tag again ([`Interned::reuse`]).
#[derive(Debug, Clone)]
pub(crate) struct Tables {
    pub(super) languages: Arc<Family>,
    pub(super) conditions: Arc<Family>,
    /// Experiences of both sides.
    pub(super) experiences: Arc<Family>,
    pub(super) interests: Arc<Family>,
    /// Recipients' needs against mentors' experiences (needs criterion).
    pub(super) needs_vs_experiences: Arc<Family>,
    /// Recipients' needs against mentors' boundaries (boundaries rule).
    pub(super) needs_vs_boundaries: Arc<Family>,
    pub(super) beyond: Arc<Family>,
    pub(super) availability: Arc<Family>,
    pub(super) groups: Arc<Family>,
    /// Recipients' acceptable mentor genders.
    pub(super) mentor_gender: TagSets,
    pub(super) mentor: Vec<MentorFacts>,
    pub(super) recipient: Arc<Vec<RecipientFacts>>,
    pub(super) min_months_ahead: u64,
    pub(super) min_shared_beyond: u64,
    pub(super) require_shared_condition: bool,
    /// Per recipient, the effective weight of each criterion.
    pub(super) weights: Arc<Vec<[f64; 9]>>,
    /// The mentors' per-tag bitsets, built from the rest of the index (always `Some`
    /// once [`Interned::new`] returns).
    pub(super) screen: Option<Screen>,
}

impl<'c> Interned<'c> {
    pub(crate) fn new(cohort: &'c Cohort) -> Self {
        Interned::with_bitset_limit(cohort, MAX_BITSET_TAGS)
    }

    /// Like [`Interned::new`], with bitsets only for vocabularies of at most `limit` tags.
    fn with_bitset_limit(cohort: &'c Cohort, limit: usize) -> Self {
        let (mentors, recipients) = (cohort.mentors(), cohort.recipients());
        let family = |dict: &Dictionary<'_>,
                      m: &dyn Fn(usize) -> &'c [String],
                      r: &dyn Fn(usize) -> &'c [String]| {
            Arc::new(Family {
                mentor: TagSets::build(dict, (0..mentors.len()).map(m), limit),
                recipient: TagSets::build(dict, (0..recipients.len()).map(r), limit),
            })
        };
        let strings = |m: &dyn Fn(usize) -> &'c [String], r: &dyn Fn(usize) -> &'c [String]| {
            let from_m = (0..mentors.len()).flat_map(m).map(String::as_str);
            let from_r = (0..recipients.len()).flat_map(r).map(String::as_str);
            Dictionary::new(from_m.chain(from_r))
        };

        let lang = strings(&|i| &mentors[i].languages, &|i| &recipients[i].languages);
        let cond = strings(&|i| &mentors[i].conditions, &|i| &recipients[i].conditions);
        let avail = strings(&|i| &mentors[i].availability, &|i| {
            &recipients[i].availability
        });
        let grp = strings(&|i| &mentors[i].groups, &|i| &recipients[i].groups);
        // Topics: every free-text topic of both sides, so any two lists compare.
        let topics = Dictionary::new(
            mentors
                .iter()
                .flat_map(|m| [&m.experiences, &m.interests, &m.boundaries])
                .chain(
                    recipients
                        .iter()
                        .flat_map(|r| [&r.experiences, &r.interests, &r.needs]),
                )
                .flatten()
                .map(String::as_str),
        );
        let beyond = {
            let m = TagSets::build(
                &topics,
                (0..mentors.len()).map(|i| cohort.mentor_beyond(i)),
                limit,
            );
            let r = TagSets::build(
                &topics,
                (0..recipients.len()).map(|i| cohort.recipient_beyond(i)),
                limit,
            );
            Arc::new(Family {
                mentor: m,
                recipient: r,
            })
        };
        let genders = Dictionary::new(
            mentors.iter().filter_map(|m| m.gender.as_deref()).chain(
                recipients
                    .iter()
                    .flat_map(|r| r.mentor_gender.iter().map(String::as_str)),
            ),
        );
        let regions = Dictionary::new(
            mentors
                .iter()
                .filter_map(|m| m.region.as_deref())
                .chain(recipients.iter().filter_map(|r| r.region.as_deref())),
        );
        let by_id: BTreeMap<&str, u32> = mentors
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i as u32))
            .collect();

        let tables = Tables {
            languages: family(&lang, &|i| &mentors[i].languages, &|i| {
                &recipients[i].languages
            }),
            conditions: family(&cond, &|i| &mentors[i].conditions, &|i| {
                &recipients[i].conditions
            }),
            experiences: family(&topics, &|i| &mentors[i].experiences, &|i| {
                &recipients[i].experiences
            }),
            interests: family(&topics, &|i| &mentors[i].interests, &|i| {
                &recipients[i].interests
            }),
            needs_vs_experiences: family(&topics, &|i| &mentors[i].experiences, &|i| {
                &recipients[i].needs
            }),
            needs_vs_boundaries: family(&topics, &|i| &mentors[i].boundaries, &|i| {
                &recipients[i].needs
            }),
            beyond,
            availability: family(&avail, &|i| &mentors[i].availability, &|i| {
                &recipients[i].availability
            }),
            groups: family(&grp, &|i| &mentors[i].groups, &|i| &recipients[i].groups),
            mentor_gender: TagSets::build(
                &genders,
                recipients.iter().map(|r| &r.mentor_gender),
                limit,
            ),
            mentor: mentors
                .iter()
                .enumerate()
                .map(|(m, x)| MentorFacts {
                    training: x.training.rank(),
                    modes: mode_mask(&x.modes),
                    has_room: x.current_load < x.capacity,
                    has_exclusions: cohort.has_exclusions(m),
                    months: x.months_since_diagnosis,
                    age: x.age,
                    region: x.region.as_deref().map_or(UNKNOWN, |g| regions.id(g)),
                    gender: x.gender.as_deref().map_or(UNKNOWN, |g| genders.id(g)),
                    conditions: len32(&x.conditions),
                    experiences: len32(&x.experiences),
                    interests: len32(&x.interests),
                    availability: len32(&x.availability),
                })
                .collect(),
            recipient: recipients
                .iter()
                .map(|x| RecipientFacts {
                    required_training: x.required_training.rank(),
                    modes: mode_mask(&x.modes),
                    months: x.months_since_diagnosis,
                    age: x.age,
                    region: x.region.as_deref().map_or(UNKNOWN, |g| regions.id(g)),
                    same_person: by_id.get(x.id.as_str()).copied().unwrap_or(UNKNOWN),
                    conditions: len32(&x.conditions),
                    experiences: len32(&x.experiences),
                    interests: len32(&x.interests),
                    availability: len32(&x.availability),
                    needs: len32(&x.needs),
                    mentor_gender: len32(&x.mentor_gender),
                })
                .collect::<Vec<_>>()
                .into(),
            min_months_ahead: u64::from(cohort.policy().min_months_ahead),
            min_shared_beyond: u64::from(cohort.policy().min_shared_beyond_diagnosis),
            require_shared_condition: cohort.policy().require_shared_condition,
            weights: recipients
                .iter()
                .map(|r| scoring::recipient_weights(cohort.policy(), r))
                .collect::<Vec<_>>()
                .into(),
            screen: None,
        };
        let mut index = Interned {
            cohort,
            tables: Cow::Owned(tables),
        };
        index.tables.to_mut().screen = Some(Screen::new(&index));
        index
    }

    /// The index of `cohort` from `tables`, an index of `before`, when it serves: the
    /// same policy and the same people in the same order, every record the same but
    /// for mentors' capacities, loads and exclusions, which are read again here (a
    /// plan's edit of a mentor's capacity, a pair ruled out). `None` otherwise: the
    /// index is then built afresh.
    pub(crate) fn reuse(cohort: &'c Cohort, before: &Cohort, tables: &Tables) -> Option<Self> {
        let mentors = cohort.mentors();
        let serves = cohort.policy() == before.policy()
            && mentors.len() == before.mentors().len()
            && cohort.same_recipients(before)
            && mentors
                .iter()
                .zip(before.mentors())
                .all(|(a, b)| std::sync::Arc::ptr_eq(a, b) || same_but_room(a, b));
        if !serves {
            return None;
        }
        let mut tables = tables.clone();
        for (m, (facts, mentor)) in tables.mentor.iter_mut().zip(mentors).enumerate() {
            facts.has_room = mentor.current_load < mentor.capacity;
            facts.has_exclusions = cohort.has_exclusions(m);
        }
        let mut index = Interned {
            cohort,
            tables: Cow::Owned(tables),
        };
        index.tables.to_mut().screen = Some(Screen::new(&index));
        Some(index)
    }

    /// The index of `cohort` from `tables`, which [`Interned::into_tables`] gave for
    /// an index of this very cohort (an earlier run's, kept by a plan).
    pub(crate) fn with_tables(cohort: &'c Cohort, tables: &'c Tables) -> Self {
        Interned {
            cohort,
            tables: Cow::Borrowed(tables),
        }
    }

    /// The tables, for [`Interned::reuse`] and [`Interned::with_tables`].
    pub(crate) fn into_tables(self) -> Tables {
        self.tables.into_owned()
    }

    /// The mentors' per-tag bitsets, for screening a recipient's mentors.
    pub(crate) fn screen(&self) -> &Screen {
        self.screen
            .as_ref()
            .expect("Interned::with_bitset_limit builds the screen")
    }

    /// The cohort this index was built from.
    pub(crate) fn cohort(&self) -> &'c Cohort {
        self.cohort
    }

    /// Whether mentor `m` and recipient `r` share a language.
    pub(crate) fn share_language(&self, m: usize, r: usize) -> bool {
        self.languages.intersects(m, r)
    }

    /// Whether mentor `m` and recipient `r` share a condition.
    pub(crate) fn share_condition(&self, m: usize, r: usize) -> bool {
        self.conditions.intersects(m, r)
    }

    /// [`Interned::check_except`] leaving out nothing (the tests compare it with the
    /// string path).
    #[cfg(test)]
    pub(crate) fn check_static(&self, m: usize, r: usize, first_only: bool) -> RuleSet {
        self.check_except(m, r, first_only, RuleSet::default())
    }

    /// The rules other than `min_score` and those in `skip` (the ones a [`Screen`]
    /// already applied) that the pair fails, as
    /// [`rules::check_static`](crate::rules::check_static) finds them; with
    /// `first_only`, stops at the first failure (enough to rule a pair out).
    #[inline]
    pub(crate) fn check_except(
        &self,
        m: usize,
        r: usize,
        first_only: bool,
        skip: RuleSet,
    ) -> RuleSet {
        let (mf, rf) = (&self.mentor[m], &self.recipient[r]);
        let mut failed = RuleSet::default();
        macro_rules! fail_if {
            ($broken:expr, $rule:expr) => {
                if !skip.contains($rule) && $broken {
                    failed.insert($rule);
                    if first_only {
                        return failed;
                    }
                }
            };
        }
        // Cheapest and most often failed first: with `first_only` most pairs stop early.
        fail_if!(!mf.has_room, HardRule::Capacity);
        fail_if!(!self.share_language(m, r), HardRule::Language);
        fail_if!(
            self.require_shared_condition && !self.share_condition(m, r),
            HardRule::Condition
        );
        fail_if!(mf.training < rf.required_training, HardRule::Training);
        fail_if!(
            match (mf.months, rf.months) {
                (Some(mm), Some(rm)) => u64::from(mm) < u64::from(rm) + self.min_months_ahead,
                _ => false,
            },
            HardRule::Journey
        );
        let shared_modes = mf.modes & rf.modes;
        let same_region = mf.region != UNKNOWN && mf.region == rf.region;
        fail_if!(
            shared_modes == 0 || (shared_modes == ContactMode::InPerson.bit() && !same_region),
            HardRule::Contact
        );
        fail_if!(
            mf.availability > 0 && rf.availability > 0 && !self.availability.intersects(m, r),
            HardRule::Availability
        );
        fail_if!(
            (self.beyond.shared(m, r) as u64) < self.min_shared_beyond,
            HardRule::BeyondDiagnosis
        );
        fail_if!(
            !(rf.mentor_gender == 0
                || (mf.gender != UNKNOWN && self.mentor_gender.contains(r, mf.gender))),
            HardRule::Gender
        );
        fail_if!(
            self.needs_vs_boundaries.intersects(m, r),
            HardRule::Boundaries
        );
        fail_if!(self.groups.intersects(m, r), HardRule::Confidentiality);
        fail_if!(
            mf.has_exclusions && self.cohort.is_excluded(m, r),
            HardRule::Excluded
        );
        fail_if!(rf.same_person == m as u32, HardRule::SelfPair);
        failed
    }

    /// The pair's score in micro-units, equal to
    /// [`scoring::score_micro`].
    pub(crate) fn score_micro(&self, m: usize, r: usize) -> u32 {
        let (mf, rf) = (&self.mentor[m], &self.recipient[r]);
        let n = |x: u32| x as usize;
        let condition = if mf.conditions == 0 {
            None
        } else {
            scoring::ratio(self.conditions.shared(m, r), n(rf.conditions))
        };
        let experiences = scoring::overlap_of(
            self.experiences.shared(m, r),
            n(rf.experiences),
            n(mf.experiences),
        );
        let needs = if mf.experiences == 0 {
            None
        } else {
            scoring::ratio(self.needs_vs_experiences.shared(m, r), n(rf.needs))
        };
        let interests = scoring::overlap_of(
            self.interests.shared(m, r),
            n(rf.interests),
            n(mf.interests),
        );
        let age = match (mf.age, rf.age) {
            (Some(a), Some(b)) => Some(scoring::age_similarity(a, b)),
            _ => None,
        };
        let journey = match (mf.months, rf.months) {
            (Some(a), Some(b)) => Some(scoring::journey_similarity(a, b)),
            _ => None,
        };
        let training = Some(scoring::training_similarity(
            mf.training,
            rf.required_training,
        ));
        let availability = scoring::overlap_of(
            self.availability.shared(m, r),
            n(rf.availability),
            n(mf.availability),
        );
        let region = (mf.region != UNKNOWN && rf.region != UNKNOWN)
            .then_some(if mf.region == rf.region { 1.0 } else { 0.0 });
        scoring::combine(
            [
                condition,
                experiences,
                needs,
                interests,
                age,
                journey,
                training,
                availability,
                region,
            ],
            &self.weights[r],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules;
    use crate::synth::{self, SynthOptions};
    use crate::{Cohort, Mentor, Recipient};

    /// Every pair: the interned rules and score equal the string path's, with bitsets
    /// and with sorted id lists.
    fn agree(cohort: &Cohort) -> usize {
        [MAX_BITSET_TAGS, 0]
            .into_iter()
            .map(|limit| agree_on(&Interned::with_bitset_limit(cohort, limit)))
            .sum()
    }

    /// [`agree`] for one index of its cohort.
    fn agree_on(index: &Interned<'_>) -> usize {
        let cohort = index.cohort();
        let mut eligible = 0;
        let expected: Vec<Vec<usize>> = (0..cohort.recipients().len())
            .map(|r| {
                (0..cohort.mentors().len())
                    .filter(|&m| rules::check_static(cohort, m, r).is_empty())
                    .collect()
            })
            .collect();
        for by_screen in super::super::screen::tests::screened(index) {
            assert_eq!(by_screen, expected, "screened eligible mentors");
        }
        let (screen, mut scratch) = (index.screen(), Scratch::default());
        for (r, expected) in expected.iter().enumerate() {
            screen.apply(index, r, &mut scratch);
            let own: Vec<usize> = scratch
                .mentors()
                .filter(|&m| index.check_except(m, r, true, screen.covered()).is_empty())
                .collect();
            assert_eq!(&own, expected, "the index's own screen, recipient {r}");
        }
        for m in 0..cohort.mentors().len() {
            for r in 0..cohort.recipients().len() {
                let expected = rules::check_static(cohort, m, r);
                assert_eq!(index.check_static(m, r, false), expected, "m {m} r {r}");
                let first = index.check_static(m, r, true);
                assert_eq!(first.is_empty(), expected.is_empty());
                assert_eq!(
                    index.score_micro(m, r),
                    scoring::score_micro(
                        cohort.policy(),
                        &cohort.mentors()[m],
                        &cohort.recipients()[r]
                    ),
                    "m {m} r {r}"
                );
                eligible += usize::from(expected.is_empty());
            }
        }
        eligible
    }

    #[test]
    fn a_reused_index_equals_the_string_path_after_edits_of_room_and_exclusions() {
        use crate::Edit;
        let cohort = synth::generate(&SynthOptions {
            recipients: 90,
            mentors: 30,
            seed: 5,
            homogeneous: false,
        })
        .unwrap();
        let (m, r) = (&cohort.mentors()[3], &cohort.recipients()[7]);
        let full = Edit::SetCapacity {
            mentor: m.id.clone(),
            capacity: m.current_load,
        };
        let forbid = Edit::Forbid {
            mentor: m.id.clone(),
            recipient: r.id.clone(),
        };
        let mut changed_tags = cohort.recipients()[7].clone();
        changed_tags.id = "late referral".into();
        let added = Edit::AddRecipient {
            recipient: Box::new(changed_tags),
        };
        for limit in [MAX_BITSET_TAGS, 0] {
            let tables = Interned::with_bitset_limit(&cohort, limit).into_tables();
            for (edits, serves) in [
                (vec![full.clone()], true),
                (vec![forbid.clone()], true),
                (vec![full.clone(), forbid.clone()], true),
                (vec![added.clone()], false),
            ] {
                let edited = crate::plan::edited(&cohort, &edits).unwrap();
                match Interned::reuse(&edited, &cohort, &tables) {
                    Some(index) => {
                        assert!(serves, "{edits:?}");
                        assert!(agree_on(&index) > 0);
                    }
                    None => assert!(!serves, "{edits:?}"),
                }
            }
            // Room and exclusions really changed, and the string path saw it.
            let edited = crate::plan::edited(&cohort, &[full.clone(), forbid.clone()]).unwrap();
            let index = Interned::reuse(&edited, &cohort, &tables).unwrap();
            assert!(!index.check_static(3, 0, false).is_empty());
            assert!(index.check_static(3, 7, false).contains(HardRule::Excluded));
        }
    }

    #[test]
    fn interned_rules_and_scores_equal_the_string_path_on_synthetic_cohorts() {
        for seed in 1..=3 {
            for homogeneous in [false, true] {
                let cohort = synth::generate(&SynthOptions {
                    recipients: 120,
                    mentors: 40,
                    seed,
                    homogeneous,
                })
                .unwrap();
                assert!(agree(&cohort) > 0);
            }
        }
    }

    #[test]
    fn rules_agree_under_every_policy_switch_the_screen_depends_on() {
        let base = synth::generate(&SynthOptions {
            recipients: 150,
            mentors: 70,
            seed: 7,
            homogeneous: false,
        })
        .unwrap();
        for (beyond, condition, months) in
            [(0, false, 0), (1, true, 6), (2, false, 0), (3, true, 0)]
        {
            let policy = crate::Policy {
                min_shared_beyond_diagnosis: beyond,
                require_shared_condition: condition,
                min_months_ahead: months,
                ..base.policy().clone()
            };
            let cohort = base.under(policy);
            assert!(agree(&cohort) > 0, "beyond {beyond} condition {condition}");
        }
    }

    #[test]
    fn large_vocabularies_use_id_lists_and_still_agree() {
        // 600 distinct topics: past the bitset limit, so topics are id lists.
        let topic = |i: usize| format!("topic {i}");
        let mentors: Vec<Mentor> = (0..30)
            .map(|i| Mentor {
                id: format!("m{i}").into(),
                capacity: 2,
                languages: vec!["en".into()],
                conditions: vec!["copd".into()],
                experiences: (0..20).map(|k| topic(i * 20 + k)).collect(),
                interests: (0..5).map(|k| topic((i * 11 + k) % 600)).collect(),
                boundaries: vec![topic(i * 19 % 600)],
                ..Mentor::default()
            })
            .collect();
        let recipients: Vec<Recipient> = (0..40)
            .map(|i| Recipient {
                id: format!("r{i}").into(),
                languages: vec!["en".into()],
                conditions: vec!["copd".into()],
                experiences: (0..15).map(|k| topic((i * 37 + k * 2) % 600)).collect(),
                needs: (0..3).map(|k| topic((i * 13 + k * 40) % 600)).collect(),
                interests: (0..8).map(|k| topic((i * 3 + k * 17) % 600)).collect(),
                ..Recipient::default()
            })
            .collect();
        let cohort = Cohort::new(mentors, recipients, Default::default()).unwrap();
        let index = Interned::new(&cohort);
        assert!(matches!(index.experiences.mentor, TagSets::Ids { .. }));
        assert!(matches!(index.languages.mentor, TagSets::Bits { .. }));
        assert!(agree(&cohort) > 0);
    }
}
