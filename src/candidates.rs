//! Candidate pairs: every (mentor, recipient) pair that passes all hard rules, with its score.
//!
//! The matcher only ever sees eligible pairs, so no plan can break a rule. Scores are
//! computed only for pairs that pass the score-free rules (the `min_score` rule needs
//! the score, the others do not). For a recipient left with no eligible mentor at all,
//! a second pass counts, for each rule, how many mentors fail it — the "why is this
//! person unmatched" that a coordinator acts on.
//!
//! For each recipient, the rules that compare tag sets — capacity, language, condition,
//! training, contact, availability, a shared topic, gender, boundaries,
//! confidentiality — are applied to every mentor at once by a
//! [`Screen`](crate::rules::interned::Screen): per-tag bitsets of the mentors, united and
//! intersected 64 mentors to a word. That is blocking by every such rule, not only by
//! the ones that partition a cohort (language, condition, region), so pairs that
//! cannot be eligible are never touched one by one. The rules left (journey,
//! exclusions, self-pairs) and the score are evaluated pair by pair on the mentors the
//! screen lets through, on the interned tag sets of [`interned`](crate::rules::interned).
//! Recipients are split into chunks handed to all cores; chunks are put back in order,
//! so the output is the same at any thread count.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::model::Cohort;
use crate::par;
use crate::progress::{Reporter, Stage};
use crate::rules::HardRule;
use crate::rules::interned::{Interned, Scratch};

/// Eligible pairs grouped by recipient (CSR), mentors in input order within a recipient.
///
/// The arrays are shared: an edit that leaves every row as it was (a capacity change
/// that makes nobody eligible or ineligible) keeps them instead of copying them, and
/// cloning is cheap.
#[derive(Debug, Clone)]
pub(crate) struct Candidates {
    /// `start[r]..start[r + 1]` indexes recipient `r`'s candidates.
    pub(crate) start: Arc<Vec<usize>>,
    /// The mentor of each candidate.
    pub(crate) mentor: Arc<Vec<u32>>,
    /// The score of each candidate, in micro-units, plus its bonus.
    pub(crate) score: Arc<Vec<u32>>,
    /// Per recipient, the highest score in their row (0 for an empty row), kept so
    /// that the solver's order does not read every score again.
    best: Arc<Vec<u32>>,
    /// Candidates whose `score` includes a bonus (a running pair's switching cost), by
    /// index, sorted.
    pub(crate) bonus: Vec<(usize, u32)>,
}

impl Candidates {
    /// Recipient `r`'s candidates as `(mentor index, score in micro-units)`.
    pub(crate) fn of(&self, r: usize) -> impl Iterator<Item = (usize, u32)> + '_ {
        let range = self.start[r]..self.start[r + 1];
        self.mentor[range.clone()]
            .iter()
            .zip(&self.score[range])
            .map(|(&m, &s)| (m as usize, s))
    }

    /// Adds `bonus` micro-units to the pair (recipient `r`, mentor `m`) if it is a
    /// candidate; returns whether it is.
    pub(crate) fn add_bonus(&mut self, r: usize, m: usize, bonus: u32) -> bool {
        let Some(i) = self.range(r).find(|&i| self.mentor[i] as usize == m) else {
            return false;
        };
        Arc::make_mut(&mut self.score)[i] += bonus;
        let best = &mut Arc::make_mut(&mut self.best)[r];
        *best = (*best).max(self.score[i]);
        let at = self.bonus.partition_point(|&(j, _)| j < i);
        self.bonus.insert(at, (i, bonus));
        true
    }

    /// Candidate `i`'s own score, without any bonus.
    pub(crate) fn real_score(&self, i: usize) -> u32 {
        match self.bonus.binary_search_by_key(&i, |&(j, _)| j) {
            Ok(at) => self.score[i] - self.bonus[at].1,
            Err(_) => self.score[i],
        }
    }

    /// The highest score of any candidate, bonus included, and at least a full score.
    pub(crate) fn max_score(&self) -> u32 {
        let most = self.bonus.iter().map(|&(i, _)| self.score[i]).max();
        most.unwrap_or(0).max(crate::model::MICRO as u32)
    }

    /// The highest score, bonus included, of recipient `r`'s candidates, if any.
    pub(crate) fn best(&self, r: usize) -> Option<u32> {
        (self.count(r) > 0).then(|| self.best[r])
    }

    /// How many mentors are eligible for recipient `r`.
    pub(crate) fn count(&self, r: usize) -> usize {
        self.start[r + 1] - self.start[r]
    }

    /// The indices of recipient `r`'s candidates.
    pub(crate) fn range(&self, r: usize) -> std::ops::Range<usize> {
        self.start[r]..self.start[r + 1]
    }

    /// The recipient of candidate `i`.
    pub(crate) fn recipient_of(&self, i: usize) -> usize {
        self.start.partition_point(|&s| s <= i) - 1
    }

    /// Number of recipients.
    pub(crate) fn rows(&self) -> usize {
        self.start.len() - 1
    }

    /// Number of eligible pairs.
    pub(crate) fn len(&self) -> usize {
        self.mentor.len()
    }

    /// The candidates `keep` accepts (by index), and for each the index it had here.
    pub(crate) fn filtered(&self, keep: impl Fn(usize) -> bool) -> (Candidates, Vec<usize>) {
        let mut out = Builder::with_capacity(self.rows(), 0);
        let mut index = Vec::new();
        for r in 0..self.rows() {
            for i in self.range(r).filter(|&i| keep(i)) {
                if let Ok(at) = self.bonus.binary_search_by_key(&i, |&(j, _)| j) {
                    out.bonus.push((index.len(), self.bonus[at].1));
                }
                index.push(i);
                out.push(self.mentor[i], self.score[i]);
            }
            out.end_row();
        }
        (out.finish(), index)
    }
}

/// The arrays of candidates no longer used, kept to be written again by the next
/// [`update`]: copying pairs into memory already touched costs a fraction of copying
/// them into fresh pages.
#[derive(Debug, Default)]
pub(crate) struct Spare {
    start: Vec<usize>,
    mentor: Vec<u32>,
    score: Vec<u32>,
    best: Vec<u32>,
}

impl Candidates {
    /// The arrays, to be written again, when nothing else shares them.
    pub(crate) fn into_spare(self) -> Option<Spare> {
        Some(Spare {
            start: Arc::try_unwrap(self.start).ok()?,
            mentor: Arc::try_unwrap(self.mentor).ok()?,
            score: Arc::try_unwrap(self.score).ok()?,
            best: Arc::try_unwrap(self.best).ok()?,
        })
    }
}

/// The [`Spare`] a plan holds between edits. A clone starts without one.
#[derive(Debug, Default)]
pub(crate) struct SpareSlot(std::sync::Mutex<Option<Spare>>);

impl Clone for SpareSlot {
    fn clone(&self) -> Self {
        SpareSlot::default()
    }
}

impl SpareSlot {
    /// The spare arrays, if any, leaving none.
    pub(crate) fn take(&self) -> Option<Spare> {
        self.0.lock().ok()?.take()
    }

    /// Keeps `spare`, if any, for the next update.
    pub(crate) fn put(&self, spare: Option<Spare>) {
        if let (Some(spare), Ok(mut slot)) = (spare, self.0.lock()) {
            *slot = Some(spare);
        }
    }
}

/// Candidates written row by row.
struct Builder {
    start: Vec<usize>,
    mentor: Vec<u32>,
    score: Vec<u32>,
    best: Vec<u32>,
    bonus: Vec<(usize, u32)>,
}

impl Builder {
    fn with_capacity(rows: usize, pairs: usize) -> Builder {
        Builder::reusing(Spare::default(), rows, pairs)
    }

    /// A builder that writes into `spare`'s arrays.
    fn reusing(spare: Spare, rows: usize, pairs: usize) -> Builder {
        let Spare {
            mut start,
            mut mentor,
            mut score,
            mut best,
        } = spare;
        start.clear();
        mentor.clear();
        score.clear();
        best.clear();
        start.reserve(rows + 1);
        best.reserve(rows);
        mentor.reserve(pairs);
        score.reserve(pairs);
        start.push(0);
        Builder {
            start,
            mentor,
            score,
            best,
            bonus: Vec::new(),
        }
    }

    fn push(&mut self, mentor: u32, score: u32) {
        self.mentor.push(mentor);
        self.score.push(score);
    }

    /// Ends the row, its best score found from the scores written.
    fn end_row(&mut self) {
        let begin = self.start.last().copied().unwrap_or(0);
        let best = self.score[begin..].iter().max().copied().unwrap_or(0);
        self.end_row_with(best);
    }

    /// Ends the row, whose best score is known to be `best`.
    fn end_row_with(&mut self, best: u32) {
        self.start.push(self.mentor.len());
        self.best.push(best);
    }

    fn finish(self) -> Candidates {
        Candidates {
            start: Arc::new(self.start),
            mentor: Arc::new(self.mentor),
            score: Arc::new(self.score),
            best: Arc::new(self.best),
            bonus: self.bonus,
        }
    }
}

/// Every eligible pair of a cohort and its score, found exactly as the matcher finds
/// them — without solving. For tools that ask "who could this person be matched
/// with?", and for measuring candidate generation on its own.
///
/// Recipients and mentors are indices into [`Cohort::recipients`] and
/// [`Cohort::mentors`]; each recipient's mentors come in input order.
///
/// ```
/// use peermatch::{Cohort, EligiblePairs};
///
/// let cohort = Cohort::from_json(r#"{
///   "mentors": [
///     {"id": "ana", "capacity": 1, "languages": ["en"], "conditions": ["copd"], "experiences": ["oxygen"]},
///     {"id": "bo", "capacity": 1, "languages": ["fr"], "conditions": ["copd"], "experiences": ["oxygen"]}
///   ],
///   "recipients": [{"id": "cy", "languages": ["en"], "conditions": ["copd"], "experiences": ["oxygen"]}]
/// }"#)?;
/// let pairs = EligiblePairs::new(&cohort);
/// assert_eq!(pairs.len(), 1);
/// let (mentor, score) = pairs.of(0).next().unwrap();
/// assert_eq!(cohort.mentors()[mentor].id.as_str(), "ana"); // bo shares no language
/// assert!(score > 0.5);
/// # Ok::<(), peermatch::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct EligiblePairs {
    inner: Candidates,
}

impl EligiblePairs {
    /// Finds every eligible pair of `cohort`, on all cores.
    pub fn new(cohort: &Cohort) -> Self {
        EligiblePairs::with_threads(cohort, 0)
    }

    /// Like [`EligiblePairs::new`] on `threads` threads (0 = one per core); the result
    /// is the same at any number.
    pub fn with_threads(cohort: &Cohort, threads: usize) -> Self {
        EligiblePairs {
            inner: generate(&Interned::new(cohort), threads, &Reporter::default()),
        }
    }

    /// Number of eligible pairs.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether no pair is eligible.
    pub fn is_empty(&self) -> bool {
        self.inner.len() == 0
    }

    /// Recipient `recipient`'s eligible mentors as `(mentor index, score)`, mentors
    /// in input order.
    ///
    /// # Panics
    /// When `recipient` is not an index into the cohort's recipients.
    pub fn of(&self, recipient: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.inner
            .of(recipient)
            .map(|(m, s)| (m, f64::from(s) / crate::model::MICRO))
    }
}

impl EligiblePairs {
    /// [`EligiblePairs::of`] with scores in micro-units, as the matcher compares them.
    pub(crate) fn micro_of(&self, recipient: usize) -> impl Iterator<Item = (usize, u32)> + '_ {
        self.inner.of(recipient)
    }
}

/// Recipients per unit of work handed to a thread.
const CHUNK: usize = 256;

/// Every eligible pair of the cohort, found on `threads` threads (0 = one per core).
/// The result does not depend on the number of threads.
///
/// Each recipient's mentors are screened on bitsets first (see the module docs); the
/// screen and the pair check together decide exactly what the per-pair rules decide,
/// so screening removes no eligible pair.
pub(crate) fn generate(index: &Interned<'_>, threads: usize, progress: &Reporter) -> Candidates {
    let cohort = index.cohort();
    let screen = index.screen();
    let rows = cohort.recipients().len();

    // First the screen alone: how many mentors pass it bounds each chunk's pairs, so
    // every chunk can write straight into one buffer: gathering per-chunk vectors
    // afterwards meant a second copy of every pair, on one thread.
    let bounds = par::map_chunks(rows, CHUNK, threads, |range| {
        let mut scratch = Scratch::default();
        range
            .map(|r| {
                screen.apply(index, r, &mut scratch);
                scratch.count()
            })
            .sum::<usize>()
    });
    let slack: usize = bounds.iter().sum();
    let mut mentor = vec![0u32; slack];
    let mut score = vec![0u32; slack];
    let done = AtomicUsize::new(0);
    let counts = {
        let mut stretches = Vec::with_capacity(bounds.len());
        let (mut mentors_left, mut scores_left) = (&mut mentor[..], &mut score[..]);
        for &bound in &bounds {
            let (m, rest_m) = mentors_left.split_at_mut(bound);
            let (s, rest_s) = scores_left.split_at_mut(bound);
            stretches.push((m, s));
            (mentors_left, scores_left) = (rest_m, rest_s);
        }
        par::map_chunks_with(rows, CHUNK, threads, stretches, |range, (m_out, s_out)| {
            let mut scratch = Scratch::default();
            let mut count = Vec::with_capacity(range.len());
            let mut n = 0;
            let chunk_len = range.len();
            if progress.cancelled() {
                // The run stops after this stage; its pairs are never used.
                return vec![(0, 0); chunk_len];
            }
            for r in range {
                let mut best = 0;
                eligible_of(index, r, &mut scratch, |m, score| {
                    m_out[n] = m;
                    s_out[n] = score;
                    best = best.max(score);
                    n += 1;
                });
                count.push((n, best));
            }
            let so_far = done.fetch_add(chunk_len, Ordering::Relaxed) + chunk_len;
            progress.report(Stage::Candidates, so_far, rows, 0);
            count
        })
    };

    // Close the gaps the screen's bound left between chunks (in place, on memory
    // already touched).
    let mut start = Vec::with_capacity(rows + 1);
    let mut best = Vec::with_capacity(rows);
    start.push(0);
    let (mut read, mut write) = (0, 0);
    for (count, bound) in counts.iter().zip(&bounds) {
        let used = count.last().map_or(0, |&(n, _)| n);
        mentor.copy_within(read..read + used, write);
        score.copy_within(read..read + used, write);
        start.extend(count.iter().map(|&(n, _)| write + n));
        best.extend(count.iter().map(|&(_, b)| b));
        read += bound;
        write += used;
    }
    mentor.truncate(write);
    score.truncate(write);
    mentor.shrink_to_fit();
    score.shrink_to_fit();
    Candidates {
        start: Arc::new(start),
        mentor: Arc::new(mentor),
        score: Arc::new(score),
        best: Arc::new(best),
        bonus: Vec::new(),
    }
}

/// Recipient `r`'s eligible mentors and scores, in mentor order, each handed to `emit`:
/// the screen first, then the rules it does not cover and the score pair by pair.
#[inline]
fn eligible_of(
    index: &Interned<'_>,
    r: usize,
    scratch: &mut Scratch,
    mut emit: impl FnMut(u32, u32),
) {
    let (cohort, screen) = (index.cohort(), index.screen());
    screen.apply(index, r, scratch);
    for m in scratch.mentors() {
        if !index.check_except(m, r, true, screen.covered()).is_empty() {
            continue;
        }
        let score = index.score_micro(m, r);
        if score >= cohort.min_score_micro() {
            emit(m as u32, score);
        }
    }
}

/// The mentors of `cohort` whose pairs may differ from `before`'s (a cohort with as many
/// mentors): those whose record differs, and those whose exclusions do — an ended pair
/// excludes without changing either person's record.
pub(crate) fn changed_mentors(cohort: &Cohort, before: &Cohort) -> Vec<usize> {
    let (mentors, old) = (cohort.mentors(), before.mentors());
    (0..mentors.len())
        .filter(|&m| {
            let same = Arc::ptr_eq(&mentors[m], &old[m]) || mentors[m] == old[m];
            !same || cohort.exclusions(m) != before.exclusions(m)
        })
        .collect()
}

/// Changed mentors up to which [`update`] finds their pairs in a row by binary search
/// rather than by reading the row.
const SEARCH_MAX_MENTORS: usize = 8;

/// Changed mentors above which [`update`] gives up: checking each of them against
/// every recipient then costs about as much as generating afresh.
const UPDATE_MAX_MENTORS_PER: usize = 64;

/// The eligible pairs of `index`'s cohort, updated from `old`, the pairs of `before`
/// (the same cohort before an edit), instead of generated afresh: a recipient whose
/// record is unchanged keeps their row, with the pairs of the mentors whose record or
/// exclusions changed ([`changed_mentors`]) checked again one by one; a new or changed
/// recipient is screened against every mentor as [`generate`] does. Exact, because a
/// pair's eligibility and score depend only on the two records, their exclusions and
/// the policy. `None` (generate afresh) when the
/// policy or the mentors' ids differ, or more than one mentor in
/// [`UPDATE_MAX_MENTORS_PER`] changed. Bonuses are not carried over. With the pairs,
/// per recipient, whether their row is the old row of the recipient at the same
/// position, copied whole. A copy is written into the arrays `spare` holds, if any
/// (they are taken only then).
pub(crate) fn update(
    index: &Interned<'_>,
    before: &Interned<'_>,
    old: &Candidates,
    spare: &SpareSlot,
    threads: usize,
) -> Option<(Candidates, Vec<bool>)> {
    let cohort = index.cohort();
    let (before_index, before) = (before, before.cohort());
    let (mentors, old_mentors) = (cohort.mentors(), before.mentors());
    if cohort.policy() != before.policy()
        || mentors.len() != old_mentors.len()
        || mentors.iter().zip(old_mentors).any(|(a, b)| a.id != b.id)
    {
        return None;
    }
    let changed = changed_mentors(cohort, before);
    if changed.len() * UPDATE_MAX_MENTORS_PER > mentors.len().max(UPDATE_MAX_MENTORS_PER) {
        return None;
    }
    let mut is_changed = vec![false; mentors.len()];
    for &m in &changed {
        is_changed[m] = true;
    }
    let rows = cohort.recipients().len();
    let same_recipients = cohort.same_recipients(before);
    // Each row decided on all cores: the old row as it is, or new pairs.
    let parts = par::map_chunks(rows, UPDATE_CHUNK, threads, |range| {
        let mut part = RowsPart::default();
        let mut scratch = Scratch::default();
        let (mut again, mut found) = (Vec::new(), Vec::new());
        for r in range {
            let row = match before_of(cohort, before, same_recipients, r) {
                Some(o) => updated_row(
                    (index, before_index),
                    old,
                    &changed,
                    &is_changed,
                    (r, o),
                    (&mut again, &mut found),
                    &mut part,
                ),
                None => {
                    let begin = part.mentor.len();
                    eligible_of(index, r, &mut scratch, |m, score| {
                        part.mentor.push(m);
                        part.score.push(score);
                    });
                    part.new_row(begin)
                }
            };
            part.rows.push(row);
        }
        part
    });
    let copied: Vec<bool> = (parts.iter().flat_map(|p| &p.rows).enumerate())
        .map(|(r, row)| *row == Row::Old(r))
        .collect();
    // Every row the old row at the same place: the old arrays are shared.
    if same_recipients && old.bonus.is_empty() && copied.iter().all(|&c| c) {
        let pairs = Candidates {
            start: Arc::clone(&old.start),
            mentor: Arc::clone(&old.mentor),
            score: Arc::clone(&old.score),
            best: Arc::clone(&old.best),
            bonus: Vec::new(),
        };
        return Some((pairs, copied));
    }
    // Otherwise the rows are written into the spare arrays: the mentors on one thread
    // and the scores on another (a copy this size is bound by memory, and one thread
    // does not use all of it), runs of old rows in one piece.
    let Spare {
        mut start,
        mut mentor,
        mut score,
        mut best,
    } = spare.take().unwrap_or_default();
    start.clear();
    best.clear();
    start.reserve(rows + 1);
    best.reserve(rows);
    start.push(0);
    let mut len = 0;
    for part in &parts {
        for row in &part.rows {
            let (n, b) = match *row {
                Row::Old(o) => (old.range(o).len(), old.best[o]),
                Row::New { begin, end, best } => (end - begin, best),
            };
            len += n;
            start.push(len);
            best.push(b);
        }
    }
    let fill = |out: &mut Vec<u32>, of_old: &[u32], of_part: fn(&RowsPart) -> &[u32]| {
        out.clear();
        out.reserve(len);
        // The pending run of old pairs.
        let mut run = 0..0;
        for part in &parts {
            for row in &part.rows {
                match *row {
                    Row::Old(o) => {
                        let range = old.range(o);
                        if range.start == run.end {
                            run.end = range.end;
                        } else {
                            out.extend_from_slice(&of_old[run]);
                            run = range;
                        }
                    }
                    Row::New { begin, end, .. } => {
                        out.extend_from_slice(&of_old[std::mem::replace(&mut run, 0..0)]);
                        out.extend_from_slice(&of_part(part)[begin..end]);
                    }
                }
            }
        }
        out.extend_from_slice(&of_old[run]);
    };
    par::join(
        threads,
        || fill(&mut mentor, &old.mentor, |p| &p.mentor),
        || fill(&mut score, &old.score, |p| &p.score),
    );
    let pairs = Candidates {
        start: Arc::new(start),
        mentor: Arc::new(mentor),
        score: Arc::new(score),
        best: Arc::new(best),
        bonus: Vec::new(),
    };
    Some((pairs, copied))
}

/// Recipients whose rows [`update`] decides by one thread at a time (few in the unit
/// tests, so that their cohorts take several).
const UPDATE_CHUNK: usize = if cfg!(test) { 3 } else { 2048 };

/// How [`update`] writes a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    /// As old row `o`.
    Old(usize),
    /// The pairs `begin..end` of the part's own arrays, whose best score is `best`.
    New { begin: usize, end: usize, best: u32 },
}

/// The rows of a chunk of recipients, and the new pairs they write.
#[derive(Default)]
struct RowsPart {
    rows: Vec<Row>,
    mentor: Vec<u32>,
    score: Vec<u32>,
}

impl RowsPart {
    /// The new row of the pairs pushed since `begin`.
    fn new_row(&self, begin: usize) -> Row {
        let best = self.score[begin..].iter().max().copied().unwrap_or(0);
        Row::New {
            begin,
            end: self.mentor.len(),
            best,
        }
    }
}

/// Recipient `r`'s position in `before` when their record there is the same.
fn before_of(cohort: &Cohort, before: &Cohort, same_recipients: bool, r: usize) -> Option<usize> {
    if same_recipients {
        return Some(r);
    }
    let recipient = &cohort.recipients()[r];
    let before_r = if before
        .recipients()
        .get(r)
        .is_some_and(|p| p.id == recipient.id)
    {
        Some(r)
    } else {
        before.recipient_position(recipient.id.as_str())
    };
    before_r.filter(|&o| &before.recipients()[o] == recipient)
}

/// Recipient `r`'s row, whose record is old recipient `o`'s: the old row when the
/// changed mentors' pairs in it are as they are now, else the old row without them
/// merged, in mentor order, with their pairs as they are now (in `part`). Whether a
/// changed mentor's pair was in the old row is found from the index of the old cohort
/// (`old` holds exactly its eligible pairs): the old row is read only when it
/// changed.
fn updated_row(
    (index, before): (&Interned<'_>, &Interned<'_>),
    old: &Candidates,
    changed: &[usize],
    is_changed: &[bool],
    (r, o): (usize, usize),
    (again, found): (&mut Vec<(u32, u32)>, &mut Vec<usize>),
    part: &mut RowsPart,
) -> Row {
    let eligible = |index: &Interned<'_>, m: usize, r: usize| -> Option<u32> {
        if !index
            .check_except(m, r, true, Default::default())
            .is_empty()
        {
            return None;
        }
        let score = index.score_micro(m, r);
        (score >= index.cohort().min_score_micro()).then_some(score)
    };
    // The changed mentors' pairs as they are now.
    again.clear();
    again.extend(
        changed
            .iter()
            .filter_map(|&m| eligible(index, m, r).map(|s| (m as u32, s))),
    );
    let unchanged = old.bonus.is_empty() && {
        let mut now = again.iter().peekable();
        changed.iter().all(|&m| {
            let was = eligible(before, m, o);
            let is = now.next_if(|&&(n, _)| n as usize == m).map(|&(_, s)| s);
            was == is
        })
    };
    // Where the changed mentors' pairs were in the old row: by binary search (a row is
    // in mentor order) when few mentors changed.
    let row = old.range(o);
    found.clear();
    if unchanged && !cfg!(debug_assertions) {
        return Row::Old(o);
    }
    if changed.len() <= SEARCH_MAX_MENTORS {
        let mentors = &old.mentor[row.clone()];
        found.extend(
            changed
                .iter()
                .filter_map(|&m| mentors.binary_search(&(m as u32)).ok())
                .map(|k| row.start + k),
        );
    } else {
        found.extend(row.clone().filter(|&i| is_changed[old.mentor[i] as usize]));
    }
    // Bonuses are not carried over: a row with one is written again.
    let as_it_was = old.bonus.is_empty()
        && again.len() == found.len()
        && again
            .iter()
            .zip(found.iter())
            .all(|(&(m, s), &i)| old.mentor[i] == m && old.score[i] == s);
    debug_assert_eq!(
        as_it_was, unchanged,
        "recipient {r}: the old row is not the old index's"
    );
    if as_it_was {
        return Row::Old(o);
    }
    let begin = part.mentor.len();
    let mut again = again.iter().copied().peekable();
    for i in row {
        let m = old.mentor[i];
        while let Some(&(n, s)) = again.peek().filter(|&&(n, _)| n < m) {
            part.mentor.push(n);
            part.score.push(s);
            again.next();
        }
        if !is_changed[m as usize] {
            part.mentor.push(m);
            part.score.push(old.real_score(i));
        }
    }
    for (n, s) in again {
        part.mentor.push(n);
        part.score.push(s);
    }
    part.new_row(begin)
}

/// Per hard rule (indexed by `HardRule as usize`), how many mentors fail it for one
/// recipient.
pub(crate) type RuleCounts = [u32; HardRule::ALL.len()];

/// For recipient `r`, how many mentors fail each rule (a mentor counted under each rule
/// it fails): the rules the screen covers by counting bits, the others mentor by
/// mentor. Scores are only computed when the policy has a `min_score` (no score is
/// below zero). `scratch` is reused from call to call.
pub(crate) fn failed_rule_counts(
    index: &Interned<'_>,
    r: usize,
    scratch: &mut Scratch,
) -> RuleCounts {
    let screen = index.screen();
    let mut counts = [0u32; HardRule::ALL.len()];
    screen.count_failures(index, r, scratch, &mut counts);
    for m in 0..index.cohort().mentors().len() {
        count_pair(index, m, r, &mut counts, screen.covered(), true);
    }
    counts
}

/// `counts` of recipient `r` as they were for `before`, an index of an earlier cohort
/// with the same recipients and as many mentors, made `index`'s: the failures of each
/// mentor of `changed` (those whose record or exclusions differ) taken out as they
/// were and added as they are. Exact, because a pair's failures depend only on the two
/// records, the exclusions and the policy.
pub(crate) fn updated_rule_counts(
    index: &Interned<'_>,
    before: &Interned<'_>,
    r: usize,
    mut counts: RuleCounts,
    changed: &[usize],
) -> RuleCounts {
    for &m in changed {
        count_pair(before, m, r, &mut counts, Default::default(), false);
        count_pair(index, m, r, &mut counts, Default::default(), true);
    }
    counts
}

/// Adds to `counts` (or takes out of them) the rules other than those in `skip` that
/// the pair (`m`, `r`) fails.
fn count_pair(
    index: &Interned<'_>,
    m: usize,
    r: usize,
    counts: &mut RuleCounts,
    skip: crate::rules::RuleSet,
    add: bool,
) {
    let min_score = index.cohort().min_score_micro();
    let mut change = |rule: HardRule| {
        let count = &mut counts[rule as usize];
        *count = if add { *count + 1 } else { *count - 1 };
    };
    for rule in index.check_except(m, r, false, skip).iter() {
        change(rule);
    }
    if min_score > 0 && index.score_micro(m, r) < min_score {
        change(HardRule::MinScore);
    }
}

/// `counts` as a map, every rule listed.
pub(crate) fn rule_map(counts: &RuleCounts) -> BTreeMap<HardRule, u32> {
    HardRule::ALL
        .into_iter()
        .map(|rule| (rule, counts[rule as usize]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules;
    use crate::synth::{self, SynthOptions};
    use crate::{Policy, scoring};

    #[test]
    fn generated_pairs_equal_the_string_rules_at_any_thread_count() {
        // 700 recipients: three chunks, the last one short. A `min_score` and a
        // journey gap reject pairs the screen lets through, so chunks leave gaps to
        // close.
        let base = synth::generate(&SynthOptions {
            recipients: 700,
            mentors: 70,
            seed: 11,
            homogeneous: false,
        })
        .unwrap();
        for (min_score, months) in [(0.0, 0), (0.5, 12)] {
            let policy = Policy {
                min_score,
                min_months_ahead: months,
                ..base.policy().clone()
            };
            let cohort = base.under(policy);
            let mut expected = Vec::new();
            for (r, recipient) in cohort.recipients().iter().enumerate() {
                for (m, mentor) in cohort.mentors().iter().enumerate() {
                    let score = scoring::score_micro(cohort.policy(), mentor, recipient);
                    if rules::check(&cohort, m, r, score).is_empty() {
                        expected.push((r, m, score));
                    }
                }
            }
            assert!(!expected.is_empty());
            let index = Interned::new(&cohort);
            for threads in [1, 2, 3] {
                let got = generate(&index, threads, &Reporter::default());
                let pairs: Vec<_> = (0..got.rows())
                    .flat_map(|r| got.of(r).map(move |(m, s)| (r, m, s)))
                    .collect();
                assert_eq!(pairs, expected, "min_score {min_score}, {threads} threads");
                assert_eq!(got.start.len(), cohort.recipients().len() + 1);
                for r in 0..got.rows() {
                    assert_eq!(got.best(r), got.of(r).map(|(_, s)| s).max());
                }
            }
        }
    }

    #[test]
    fn failed_rule_counts_equal_the_string_rules_for_every_recipient() {
        // 64 mentors fill the last bitset word exactly; 90 leave it part empty.
        for (mentors, min_score, beyond) in [(90, 0.0, 1), (90, 0.45, 0), (64, 0.6, 2)] {
            let base = synth::generate(&SynthOptions {
                recipients: 120,
                mentors,
                seed: 3,
                homogeneous: false,
            })
            .unwrap();
            let policy = Policy {
                min_score,
                min_shared_beyond_diagnosis: beyond,
                ..base.policy().clone()
            };
            let cohort = base.under(policy);
            let index = Interned::new(&cohort);
            for r in 0..cohort.recipients().len() {
                let mut expected: BTreeMap<HardRule, u32> =
                    HardRule::ALL.into_iter().map(|rule| (rule, 0)).collect();
                for (m, mentor) in cohort.mentors().iter().enumerate() {
                    let recipient = &cohort.recipients()[r];
                    let score = scoring::score_micro(cohort.policy(), mentor, recipient);
                    for rule in rules::check(&cohort, m, r, score).iter() {
                        *expected.get_mut(&rule).unwrap() += 1;
                    }
                }
                let got = rule_map(&failed_rule_counts(&index, r, &mut Scratch::default()));
                assert_eq!(got, expected, "recipient {r}");
            }
        }
    }
}
