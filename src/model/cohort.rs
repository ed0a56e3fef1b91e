//! A validated cohort: the only input the matcher accepts.
//!
//! Validation happens once, at the boundary — [`Cohort::new`] for people built in code,
//! [`Cohort::from_json`] for the JSON format — and returns the first problem as a typed
//! [`Error`] naming the record and the field. Past that point the rest of the crate
//! relies on the invariants established here: ids unique and non-blank, `exclude` lists
//! resolved, every tag list trimmed, lowercased, sorted and deduplicated, loads within
//! capacities, numbers within their ranges.
//!
//! # Order of errors
//! A JSON document is parsed first; a syntax error, a wrong type, or an unknown or
//! missing field stops the parse and is reported with its line and column. The checks
//! that need whole records then run over the top-level sections in the order they appear
//! in the document (records in array order, fields in the order the format lists them),
//! so the error reported is the first one a reader of the file would meet. For cohorts
//! built in code the section order is mentors, recipients, policy.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Record, Result};
use crate::model::Limits;
use crate::model::Policy;
use crate::model::tags;
use crate::model::{Criterion, MAX_WEIGHT, MICRO};
use crate::model::{Mentor, Pair, Recipient};

/// The most people accepted on either side of a cohort (2²⁴ = 16 777 216).
///
/// Far above any national programme; it bounds the solver's integer arithmetic so that
/// its exactness can be proven rather than hoped for.
pub const MAX_PEOPLE: usize = 1 << 24;

/// A validated, normalised set of mentors, recipients and the policy that matches them.
///
/// Build one with [`Cohort::new`] or [`Cohort::from_json`]; both normalise tags (trim,
/// lowercase, drop blanks, deduplicate) and reject bad input with a typed [`Error`].
/// A cohort serialises back to the version-1 JSON format, and reading that text back
/// gives an equal cohort.
///
/// ```
/// use peermatch::Cohort;
///
/// let cohort = Cohort::from_json(r#"{
///     "version": 1,
///     "mentors": [{"id": "m1", "capacity": 2, "languages": ["EN "], "conditions": ["COPD"]}],
///     "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["copd"]}]
/// }"#)?;
/// assert_eq!(cohort.mentors()[0].languages, ["en"]);
/// let again = Cohort::from_json(&cohort.to_json())?;
/// assert_eq!(again, cohort);
/// # Ok::<(), peermatch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Cohort {
    /// Each mentor's record is shared between a plan's cohort and its edited copies
    /// until an edit changes that mentor.
    mentors: Vec<Arc<Mentor>>,
    /// The recipients' side is shared between a plan's cohort and its edited copies
    /// until an edit changes it: a national cohort's recipients are most of its size.
    recipients: Arc<Vec<Recipient>>,
    policy: Policy,
    /// The mentors' ids and tags are shared too: edits change capacities, loads,
    /// exclusions and pairs, never these.
    mentor_index: Arc<BTreeMap<String, usize>>,
    recipient_index: Arc<BTreeMap<String, usize>>,
    /// Per mentor, the sorted indices of recipients either side excluded.
    excluded: Vec<Vec<u32>>,
    /// Per person, experiences ∪ interests: what the `beyond_diagnosis` rule compares.
    mentor_beyond: Arc<Vec<Vec<String>>>,
    recipient_beyond: Arc<Vec<Vec<String>>>,
    min_score_micro: u32,
    /// The pairs that run already or have ended, as given.
    pairs: Vec<Pair>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Version,
    Mentors,
    Recipients,
    Policy,
    Pairs,
}

impl Cohort {
    /// Validates and normalises people built in code, exactly as [`Cohort::from_json`]
    /// does for a file. Errors are checked mentors first, then recipients, then policy.
    ///
    /// # Errors
    /// The first problem found, as an [`Error`] naming the record and field: a blank or
    /// duplicate id, an unknown id in `exclude`, `current_load > capacity`, no
    /// languages, an age above 120 or urgency above 3, a weight or priority that is
    /// negative, not finite or above 10⁹, a `min_score` or `load_penalty` outside
    /// `[0, 1]`, or more than [`MAX_PEOPLE`] on a side.
    ///
    /// ```
    /// use peermatch::{Cohort, Error, Mentor, Policy, Recipient};
    ///
    /// let mentor = Mentor { id: "m1".into(), capacity: 1, languages: vec!["en".into()], ..Mentor::default() };
    /// let recipient = Recipient { id: "r1".into(), languages: vec![" ".into()], ..Recipient::default() };
    /// let err = Cohort::new(vec![mentor], vec![recipient], Policy::default()).unwrap_err();
    /// assert!(matches!(err, Error::NoLanguages { .. }));
    /// ```
    pub fn new(mentors: Vec<Mentor>, recipients: Vec<Recipient>, policy: Policy) -> Result<Cohort> {
        Cohort::new_with_limits(mentors, recipients, policy, &Limits::default())
    }

    /// [`Cohort::new`] under other [`Limits`] than the default ones.
    ///
    /// # Errors
    /// As for [`Cohort::new`], and [`Error::TooManyRecords`], [`Error::TooManyTags`] or
    /// [`Error::TagTooLong`] past the limits.
    pub fn new_with_limits(
        mentors: Vec<Mentor>,
        recipients: Vec<Recipient>,
        policy: Policy,
        limits: &Limits,
    ) -> Result<Cohort> {
        build(
            People {
                mentors,
                recipients,
                pairs: Vec::new(),
            },
            policy,
            &[Section::Mentors, Section::Recipients, Section::Policy],
            None,
            limits,
        )
    }

    /// The same cohort with `pairs` as its ongoing and ended pairs (see [`Pair`]),
    /// validated as the JSON format's `pairs` is.
    ///
    /// ```
    /// use peermatch::{Cohort, Error, Pair};
    ///
    /// let cohort = Cohort::from_json(r#"{
    ///   "mentors": [{"id": "m1", "capacity": 1, "languages": ["en"]}],
    ///   "recipients": [{"id": "r1", "languages": ["en"]}]
    /// }"#)?;
    /// let err = cohort.clone().with_pairs(vec![Pair::new("m9", "r1")]).unwrap_err();
    /// assert_eq!(err.to_string(), "pair 0: field `mentor` names unknown mentor \"m9\"");
    /// let cohort = cohort.with_pairs(vec![Pair::new("m1", "r1")])?;
    /// assert_eq!(cohort.pairs().len(), 1);
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownPairPerson`] for an id not in the cohort,
    /// [`Error::RecipientInTwoPairs`] for a recipient in two running pairs,
    /// [`Error::InvalidPair`] for contradictory flags (`override` on an unpinned pair,
    /// an ended pair that is pinned).
    pub fn with_pairs(mut self, pairs: Vec<Pair>) -> Result<Cohort> {
        check_pairs(&pairs, &self.mentor_index, &self.recipient_index)?;
        for pair in pairs.iter().filter(|p| p.ended) {
            let (m, r) = (
                self.mentor_index[&pair.mentor.0],
                self.recipient_index[&pair.recipient.0],
            );
            if let Err(at) = self.excluded[m].binary_search(&(r as u32)) {
                self.excluded[m].insert(at, r as u32);
            }
        }
        self.pairs = pairs;
        Ok(self)
    }

    /// The cohort left to match once running pairs are kept: without the recipients
    /// `kept[r]`, the recipients `first[r]` at urgency 3, each mentor's `current_load`
    /// raised by `extra_load[m]` (at most to its capacity), and no pairs. Exclusions,
    /// and the ended pairs among them, carry over.
    pub(crate) fn residual(&self, kept: &[bool], first: &[bool], extra_load: &[u32]) -> Cohort {
        let mut new_index = vec![u32::MAX; self.recipients.len()];
        let mut recipients = Vec::new();
        let mut recipient_beyond = Vec::new();
        for (r, recipient) in self.recipients.iter().enumerate() {
            if !kept[r] {
                new_index[r] = recipients.len() as u32;
                let mut recipient = recipient.clone();
                if first[r] {
                    recipient.urgency = 3;
                }
                recipients.push(recipient);
                recipient_beyond.push(self.recipient_beyond[r].clone());
            }
        }
        let mentors = self
            .mentors
            .iter()
            .zip(extra_load)
            .map(|(m, &extra)| {
                let load = m.current_load.saturating_add(extra).min(m.capacity);
                if load == m.current_load {
                    Arc::clone(m)
                } else {
                    Arc::new(Mentor {
                        current_load: load,
                        ..Mentor::clone(m)
                    })
                }
            })
            .collect();
        let excluded = self
            .excluded
            .iter()
            .map(|list| {
                list.iter()
                    .map(|&r| new_index[r as usize])
                    .filter(|&r| r != u32::MAX)
                    .collect()
            })
            .collect();
        let recipient_index = recipients
            .iter()
            .enumerate()
            .map(|(r, p): (usize, &Recipient)| (p.id.0.clone(), r))
            .collect();
        Cohort {
            mentors,
            recipients: Arc::new(recipients),
            policy: self.policy.clone(),
            mentor_index: self.mentor_index.clone(),
            recipient_index: Arc::new(recipient_index),
            excluded,
            mentor_beyond: self.mentor_beyond.clone(),
            recipient_beyond: Arc::new(recipient_beyond),
            min_score_micro: self.min_score_micro,
            pairs: Vec::new(),
        }
    }

    /// Sets mentor `m`'s capacity, as an edit of a plan: the mentor is validated again
    /// ([`Error::LoadAboveCapacity`] below its load).
    pub(crate) fn set_capacity(&mut self, m: usize, capacity: u32) -> Result<()> {
        let mentor = &self.mentors[m];
        if mentor.current_load > capacity {
            return Err(Error::LoadAboveCapacity {
                record: mentor_record(m, mentor),
                current_load: mentor.current_load,
                capacity,
            });
        }
        Arc::make_mut(&mut self.mentors[m]).capacity = capacity;
        Ok(())
    }

    /// Adds recipient `r` to mentor `m`'s `exclude` list, as an edit of a plan.
    pub(crate) fn forbid(&mut self, m: usize, r: usize) {
        let id = &self.recipients[r].id;
        if !self.mentors[m].exclude.contains(id) {
            Arc::make_mut(&mut self.mentors[m]).exclude.push(id.clone());
        }
        let list = &mut self.excluded[m];
        if let Err(at) = list.binary_search(&(r as u32)) {
            list.insert(at, r as u32);
        }
    }

    /// Pins the pair (`m`, `r`) in place of the recipient's own running pair, after the
    /// other pairs, as an edit of a plan; the pairs are validated again.
    pub(crate) fn pin(&mut self, m: usize, r: usize) -> Result<()> {
        let recipient = self.recipients[r].id.clone();
        self.pairs
            .retain(|p| !(p.runs() && p.recipient == recipient));
        self.pairs.push(Pair {
            pinned: true,
            ..Pair::new(self.mentors[m].id.clone(), recipient)
        });
        check_pairs(&self.pairs, &self.mentor_index, &self.recipient_index)
    }

    /// Adds a recipient, validated as in a cohort file (with the default [`Limits`]), as
    /// an edit of a plan.
    pub(crate) fn add_recipient(&mut self, mut recipient: Recipient) -> Result<()> {
        let i = self.recipients.len();
        check_counts(self.mentors.len(), i + 1, &Limits::default())?;
        let mentor_index = &self.mentor_index;
        check_recipient(
            i,
            &mut recipient,
            &Limits::default(),
            Arc::make_mut(&mut self.recipient_index),
            |id| mentor_index.contains_key(id),
        )?;
        for id in &recipient.exclude {
            // Pushing the largest index keeps each list sorted.
            self.excluded[mentor_index[&id.0]].push(i as u32);
        }
        Arc::make_mut(&mut self.recipient_beyond).push(
            tags::union(&recipient.experiences, &recipient.interests)
                .into_iter()
                .map(str::to_owned)
                .collect(),
        );
        Arc::make_mut(&mut self.recipients).push(recipient);
        Ok(())
    }

    /// Removes recipient `r`, their pairs and every mention of them in mentors'
    /// `exclude` lists, as an edit of a plan.
    pub(crate) fn remove_recipient(&mut self, r: usize) {
        let id = Arc::make_mut(&mut self.recipients).remove(r).id;
        Arc::make_mut(&mut self.recipient_beyond).remove(r);
        self.pairs.retain(|p| p.recipient != id);
        for m in &mut self.mentors {
            if m.exclude.contains(&id) {
                Arc::make_mut(m).exclude.retain(|x| *x != id);
            }
        }
        self.recipient_index = Arc::new(
            self.recipients
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.0.clone(), i))
                .collect(),
        );
        self.excluded = exclusions(
            &self.mentors,
            &self.recipients,
            &self.pairs,
            &self.mentor_index,
            &self.recipient_index,
        );
    }

    /// The same people and pairs under another policy, validated as [`Cohort::new`]
    /// validates one.
    ///
    /// ```
    /// use peermatch::{Cohort, Objective, Policy};
    ///
    /// let cohort = Cohort::from_json(r#"{"mentors": [], "recipients": []}"#)?;
    /// let quality = cohort.with_policy(Policy { objective: Objective::Quality, ..Policy::default() })?;
    /// assert_eq!(quality.policy().objective, Objective::Quality);
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::NumberOutOfRange`] for a weight, `min_score`, `load_penalty` or
    /// `switching_cost` outside its range.
    pub fn with_policy(mut self, policy: Policy) -> Result<Cohort> {
        check_policy(&policy)?;
        self.min_score_micro = (policy.min_score * MICRO).round() as u32;
        self.policy = policy;
        Ok(self)
    }

    /// The ongoing and ended pairs, as given (see [`Pair`]).
    pub fn pairs(&self) -> &[Pair] {
        &self.pairs
    }

    /// Parses and validates a cohort in the version-1 JSON format (see the README).
    ///
    /// # Errors
    /// [`Error::Syntax`] with line and column for malformed JSON;
    /// [`Error::InvalidField`], [`Error::UnknownField`] or [`Error::MissingField`] naming
    /// the record, the field, the line and the column for a value of the wrong type or
    /// name, a field the format does not have, or a missing `id` or `capacity`;
    /// [`Error::UnsupportedVersion`]; and everything [`Cohort::new`] checks.
    ///
    /// ```
    /// use peermatch::{Cohort, Error, Record};
    ///
    /// let err = Cohort::from_json(r#"{"mentors": [{"id": "m1", "capacity": 1, "capactiy": 2}]}"#)
    ///     .unwrap_err();
    /// match err {
    ///     Error::UnknownField { record, field, .. } => {
    ///         assert_eq!(record, Record::Mentor { index: 0, id: None });
    ///         assert_eq!(field, "capactiy");
    ///     }
    ///     other => panic!("unexpected {other}"),
    /// }
    /// ```
    pub fn from_json(text: &str) -> Result<Cohort> {
        Cohort::from_json_with_limits(text, &Limits::default())
    }

    /// [`Cohort::from_json`] under other [`Limits`] than the default ones.
    ///
    /// # Errors
    /// As for [`Cohort::from_json`], and [`Error::TooManyRecords`],
    /// [`Error::TooManyTags`] or [`Error::TagTooLong`] past the limits.
    pub fn from_json_with_limits(text: &str, limits: &Limits) -> Result<Cohort> {
        let mut de = serde_json::Deserializer::from_str(text);
        let raw: RawCohort = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| parse_error(Some(e.path()), e.inner()))?;
        de.end().map_err(|e| parse_error(None, &e))?;
        raw.validate(limits)
    }

    /// The cohort in the version-1 JSON format, pretty-printed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a cohort always serialises")
    }

    /// The mentors, normalised, in input order. Each record is shared (an [`Arc`])
    /// with the copies a [`Plan`](crate::Plan)'s edits make of the cohort, until an
    /// edit changes that mentor; it reads as a [`Mentor`] wherever one is expected.
    ///
    /// ```
    /// use peermatch::Cohort;
    /// let cohort = Cohort::from_json(r#"{"mentors": [{"id": "m1", "capacity": 2, "languages": ["en"]}]}"#)?;
    /// let mentor = &cohort.mentors()[0];
    /// assert_eq!((mentor.id.as_str(), mentor.capacity), ("m1", 2));
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    pub fn mentors(&self) -> &[Arc<Mentor>] {
        &self.mentors
    }

    /// The recipients, normalised, in input order.
    pub fn recipients(&self) -> &[Recipient] {
        &self.recipients
    }

    /// The matching policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The mentor with this id, if any.
    pub fn mentor(&self, id: &str) -> Option<&Mentor> {
        self.mentor_position(id).map(|i| &*self.mentors[i])
    }

    /// The recipient with this id, if any.
    pub fn recipient(&self, id: &str) -> Option<&Recipient> {
        self.recipient_position(id).map(|i| &self.recipients[i])
    }

    pub(crate) fn mentor_position(&self, id: &str) -> Option<usize> {
        self.mentor_index.get(id).copied()
    }

    pub(crate) fn recipient_position(&self, id: &str) -> Option<usize> {
        self.recipient_index.get(id).copied()
    }

    /// Whether mentor `m` excludes, or is excluded by, anybody.
    pub(crate) fn has_exclusions(&self, m: usize) -> bool {
        !self.excluded[m].is_empty()
    }

    /// The recipients mentor `m` excludes or is excluded by, sorted.
    pub(crate) fn exclusions(&self, m: usize) -> &[u32] {
        &self.excluded[m]
    }

    pub(crate) fn is_excluded(&self, m: usize, r: usize) -> bool {
        self.excluded[m].binary_search(&(r as u32)).is_ok()
    }

    pub(crate) fn mentor_beyond(&self, m: usize) -> &[String] {
        &self.mentor_beyond[m]
    }

    pub(crate) fn recipient_beyond(&self, r: usize) -> &[String] {
        &self.recipient_beyond[r]
    }

    pub(crate) fn min_score_micro(&self) -> u32 {
        self.min_score_micro
    }

    /// Whether `other` has the same recipients, in the same order: at once when an
    /// edited copy still shares them with its original.
    pub(crate) fn same_recipients(&self, other: &Cohort) -> bool {
        Arc::ptr_eq(&self.recipients, &other.recipients) || self.recipients == other.recipients
    }

    /// The same people under another policy (for tests that vary it).
    #[cfg(test)]
    pub(crate) fn under(&self, policy: Policy) -> Cohort {
        let mentors = self.mentors.iter().map(|m| Mentor::clone(m)).collect();
        Cohort::new(mentors, self.recipients.to_vec(), policy)
            .expect("a valid cohort's people are valid under any valid policy")
    }
}

impl Serialize for Cohort {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Format<'a> {
            version: u32,
            mentors: &'a [Arc<Mentor>],
            recipients: &'a [Recipient],
            policy: &'a Policy,
            #[serde(skip_serializing_if = "<[Pair]>::is_empty")]
            pairs: &'a [Pair],
        }
        Format {
            version: 1,
            mentors: &self.mentors,
            recipients: &self.recipients,
            policy: &self.policy,
            pairs: &self.pairs,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Cohort {
    /// Deserialises the version-1 format and validates it; errors become the
    /// deserialiser's own error with the message of the [`Error`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        RawCohort::deserialize(deserializer)?
            .validate(&Limits::default())
            .map_err(de::Error::custom)
    }
}

/// The top-level object as written, with the order of its sections.
struct RawCohort {
    version: Option<serde_json::Value>,
    mentors: Vec<Mentor>,
    recipients: Vec<Recipient>,
    policy: Policy,
    pairs: Vec<Pair>,
    order: Vec<Section>,
}

impl RawCohort {
    fn validate(self, limits: &Limits) -> Result<Cohort> {
        let mut order = self.order;
        for section in [Section::Mentors, Section::Recipients, Section::Policy] {
            if !order.contains(&section) {
                order.push(section);
            }
        }
        build(
            People {
                mentors: self.mentors,
                recipients: self.recipients,
                pairs: self.pairs,
            },
            self.policy,
            &order,
            self.version.as_ref(),
            limits,
        )
    }
}

const FIELDS: &[&str] = &["version", "mentors", "recipients", "policy", "pairs"];

impl<'de> Deserialize<'de> for RawCohort {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct RawVisitor;

        impl<'de> Visitor<'de> for RawVisitor {
            type Value = RawCohort;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a cohort object with `mentors`, `recipients` and `policy`")
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<RawCohort, A::Error> {
                let mut raw = RawCohort {
                    version: None,
                    mentors: Vec::new(),
                    recipients: Vec::new(),
                    policy: Policy::default(),
                    pairs: Vec::new(),
                    order: Vec::new(),
                };
                while let Some(key) = map.next_key::<String>()? {
                    let section = match key.as_str() {
                        "version" => Section::Version,
                        "mentors" => Section::Mentors,
                        "recipients" => Section::Recipients,
                        "policy" => Section::Policy,
                        "pairs" => Section::Pairs,
                        other => return Err(de::Error::unknown_field(other, FIELDS)),
                    };
                    if raw.order.contains(&section) {
                        return Err(de::Error::duplicate_field(FIELDS[section as usize]));
                    }
                    raw.order.push(section);
                    match section {
                        Section::Version => raw.version = Some(map.next_value()?),
                        Section::Mentors => {
                            raw.mentors = map.next_value::<Option<_>>()?.unwrap_or_default()
                        }
                        Section::Recipients => {
                            raw.recipients = map.next_value::<Option<_>>()?.unwrap_or_default()
                        }
                        Section::Policy => {
                            raw.policy = map.next_value::<Option<_>>()?.unwrap_or_default()
                        }
                        Section::Pairs => {
                            raw.pairs = map.next_value::<Option<_>>()?.unwrap_or_default()
                        }
                    }
                }
                Ok(raw)
            }
        }

        deserializer.deserialize_map(RawVisitor)
    }
}

/// Turns a located serde error into this crate's typed error.
fn parse_error(path: Option<&serde_path_to_error::Path>, inner: &serde_json::Error) -> Error {
    use serde_path_to_error::Segment;

    let (line, column) = (inner.line(), inner.column());
    let text = inner.to_string();
    let suffix = format!(" at line {line} column {column}");
    let message = text.strip_suffix(&suffix).unwrap_or(&text).to_owned();
    if !inner.is_data() {
        return Error::Syntax {
            line,
            column,
            message,
        };
    }

    let segments: Vec<&Segment> = path.map(|p| p.iter().collect()).unwrap_or_default();
    let key = |s: &Segment| match s {
        Segment::Map { key } => Some(key.clone()),
        Segment::Seq { index } => Some(index.to_string()),
        Segment::Enum { variant } => Some(variant.clone()),
        Segment::Unknown => None,
    };
    let (record, rest) = match segments.as_slice() {
        [Segment::Map { key }, Segment::Seq { index }, rest @ ..] if key == "mentors" => (
            Record::Mentor {
                index: *index,
                id: None,
            },
            rest,
        ),
        [Segment::Map { key }, Segment::Seq { index }, rest @ ..] if key == "recipients" => (
            Record::Recipient {
                index: *index,
                id: None,
            },
            rest,
        ),
        [Segment::Map { key }, rest @ ..] if key == "policy" => (Record::Policy, rest),
        [Segment::Map { key }, Segment::Seq { index }, rest @ ..] if key == "pairs" => {
            (Record::Pair { index: *index }, rest)
        }
        _ => (Record::Cohort, segments.as_slice()),
    };
    let mut field: Vec<String> = rest.iter().filter_map(|s| key(s)).collect();

    // serde reports unknown and missing fields with the name in backticks.
    let quoted = message
        .split('`')
        .nth(1)
        .map(str::to_owned)
        .unwrap_or_default();
    if message.starts_with("unknown field") {
        // The unknown key may or may not have been pushed onto the path already.
        if field.last() == Some(&quoted) {
            field.pop();
        }
        field.push(quoted);
        return Error::UnknownField {
            record,
            field: field.join("."),
            line,
            column,
        };
    }
    if message.starts_with("missing field") {
        field.push(quoted);
        return Error::MissingField {
            record,
            field: field.join("."),
            line,
            column,
        };
    }
    Error::InvalidField {
        record,
        field: field.join("."),
        line,
        column,
        message,
    }
}

fn mentor_record(index: usize, m: &Mentor) -> Record {
    Record::Mentor {
        index,
        id: Some(m.id.0.clone()),
    }
}

fn recipient_record(index: usize, r: &Recipient) -> Record {
    Record::Recipient {
        index,
        id: Some(r.id.0.clone()),
    }
}

fn check_number(
    record: impl Fn() -> Record,
    field: impl Fn() -> String,
    value: f64,
    max: f64,
    expected: &'static str,
) -> Result<()> {
    if value.is_finite() && (0.0..=max).contains(&value) {
        Ok(())
    } else {
        Err(Error::NumberOutOfRange {
            record: record(),
            field: field(),
            value,
            expected,
        })
    }
}

const WEIGHT_RANGE: &str = "a finite number in [0, 1e9]";

fn check_weights(
    record: impl Fn() -> Record,
    field: &str,
    weights: &BTreeMap<Criterion, f64>,
) -> Result<()> {
    for (criterion, &w) in weights {
        check_number(
            &record,
            || format!("{field}.{}", criterion.name()),
            w,
            MAX_WEIGHT,
            WEIGHT_RANGE,
        )?;
    }
    Ok(())
}

/// Normalises and validates in the given section order, then indexes the cohort.
/// The people of a cohort being built, and their pairs.
struct People {
    mentors: Vec<Mentor>,
    recipients: Vec<Recipient>,
    pairs: Vec<Pair>,
}

fn build(
    people: People,
    policy: Policy,
    order: &[Section],
    version: Option<&serde_json::Value>,
    limits: &Limits,
) -> Result<Cohort> {
    let People {
        mut mentors,
        mut recipients,
        pairs,
    } = people;
    check_counts(mentors.len(), recipients.len(), limits)?;
    let mentor_ids: BTreeSet<String> = mentors.iter().map(|m| m.id.0.clone()).collect();
    let recipient_ids: BTreeSet<String> = recipients.iter().map(|r| r.id.0.clone()).collect();
    let mut mentor_index = BTreeMap::new();
    let mut recipient_index = BTreeMap::new();
    for section in order {
        match section {
            Section::Version => check_version(version)?,
            Section::Mentors => {
                for (i, m) in mentors.iter_mut().enumerate() {
                    check_mentor(i, m, limits, &mut mentor_index, |id| {
                        recipient_ids.contains(id)
                    })?;
                }
            }
            Section::Recipients => {
                for (i, r) in recipients.iter_mut().enumerate() {
                    check_recipient(i, r, limits, &mut recipient_index, |id| {
                        mentor_ids.contains(id)
                    })?;
                }
            }
            Section::Policy => check_policy(&policy)?,
            Section::Pairs => {}
        }
    }
    check_pairs(&pairs, &mentor_index, &recipient_index)?;
    let excluded = exclusions(
        &mentors,
        &recipients,
        &pairs,
        &mentor_index,
        &recipient_index,
    );
    let beyond = |e: &[String], i: &[String]| -> Vec<String> {
        tags::union(e, i).into_iter().map(str::to_owned).collect()
    };
    Ok(Cohort {
        mentor_beyond: Arc::new(
            mentors
                .iter()
                .map(|m| beyond(&m.experiences, &m.interests))
                .collect(),
        ),
        recipient_beyond: Arc::new(
            recipients
                .iter()
                .map(|r| beyond(&r.experiences, &r.interests))
                .collect(),
        ),
        min_score_micro: (policy.min_score * MICRO).round() as u32,
        mentors: mentors.into_iter().map(Arc::new).collect(),
        recipients: Arc::new(recipients),
        policy,
        mentor_index: Arc::new(mentor_index),
        recipient_index: Arc::new(recipient_index),
        excluded,
        pairs,
    })
}

/// Every pair names people of the cohort, no recipient is in two running pairs, and
/// the flags agree.
fn check_pairs(
    pairs: &[Pair],
    mentor_index: &BTreeMap<String, usize>,
    recipient_index: &BTreeMap<String, usize>,
) -> Result<()> {
    let mut running: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, pair) in pairs.iter().enumerate() {
        let record = || Record::Pair { index };
        for (field, id, known) in [
            (
                "mentor",
                &pair.mentor.0,
                mentor_index.contains_key(&pair.mentor.0),
            ),
            (
                "recipient",
                &pair.recipient.0,
                recipient_index.contains_key(&pair.recipient.0),
            ),
        ] {
            if !known {
                return Err(Error::UnknownPairPerson {
                    record: record(),
                    field,
                    id: id.clone(),
                });
            }
        }
        if pair.keep_despite_rules && !pair.pinned {
            return Err(Error::InvalidPair {
                record: record(),
                reason: "`override` applies to pinned pairs only",
            });
        }
        if pair.ended && pair.pinned {
            return Err(Error::InvalidPair {
                record: record(),
                reason: "an ended pair cannot be pinned",
            });
        }
        if pair.runs()
            && let Some(&first) = running.get(pair.recipient.0.as_str())
        {
            return Err(Error::RecipientInTwoPairs {
                record: record(),
                recipient: pair.recipient.0.clone(),
                first_index: first,
            });
        }
        if pair.runs() {
            running.insert(&pair.recipient.0, index);
        }
    }
    Ok(())
}

/// At most `limits.people` (and [`MAX_PEOPLE`]) a side.
fn check_counts(mentors: usize, recipients: usize, limits: &Limits) -> Result<()> {
    let most = limits.people.min(MAX_PEOPLE);
    for (side, count) in [("mentors", mentors), ("recipients", recipients)] {
        if count > most {
            return Err(Error::TooManyRecords {
                side,
                count,
                limit: most,
            });
        }
    }
    Ok(())
}

/// Absent or null means version 1; any other value is refused.
fn check_version(version: Option<&serde_json::Value>) -> Result<()> {
    match version.filter(|v| !v.is_null() && v.as_u64() != Some(1)) {
        Some(value) => Err(Error::UnsupportedVersion {
            found: value.to_string(),
        }),
        None => Ok(()),
    }
}

/// Normalises mentor `i` and checks it; records its id in `index`.
fn check_mentor(
    i: usize,
    m: &mut Mentor,
    limits: &Limits,
    index: &mut BTreeMap<String, usize>,
    recipient_known: impl Fn(&str) -> bool,
) -> Result<()> {
    normalize_mentor(m);
    let record = || mentor_record(i, m);
    check_sizes(&mentor_texts(m), limits, record)?;
    check_id(&m.id.0, i, index, record)?;
    if m.languages.is_empty() {
        return Err(Error::NoLanguages { record: record() });
    }
    if let Some(age) = m.age.filter(|&a| a > 120) {
        return Err(Error::AgeOutOfRange {
            record: record(),
            age,
        });
    }
    if m.current_load > m.capacity {
        return Err(Error::LoadAboveCapacity {
            record: record(),
            current_load: m.current_load,
            capacity: m.capacity,
        });
    }
    if let Some(id) = m.exclude.iter().find(|id| !recipient_known(&id.0)) {
        return Err(Error::UnknownExclude {
            record: record(),
            id: id.0.clone(),
        });
    }
    Ok(())
}

/// Normalises recipient `i` and checks it; records its id in `index`.
fn check_recipient(
    i: usize,
    r: &mut Recipient,
    limits: &Limits,
    index: &mut BTreeMap<String, usize>,
    mentor_known: impl Fn(&str) -> bool,
) -> Result<()> {
    normalize_recipient(r);
    let record = || recipient_record(i, r);
    check_sizes(&recipient_texts(r), limits, record)?;
    check_id(&r.id.0, i, index, record)?;
    if r.languages.is_empty() {
        return Err(Error::NoLanguages { record: record() });
    }
    if let Some(age) = r.age.filter(|&a| a > 120) {
        return Err(Error::AgeOutOfRange {
            record: record(),
            age,
        });
    }
    if r.urgency > 3 {
        return Err(Error::UrgencyOutOfRange {
            record: record(),
            urgency: r.urgency,
        });
    }
    check_weights(record, "priorities", &r.priorities)?;
    if let Some(id) = r.exclude.iter().find(|id| !mentor_known(&id.0)) {
        return Err(Error::UnknownExclude {
            record: record(),
            id: id.0.clone(),
        });
    }
    Ok(())
}

fn check_policy(policy: &Policy) -> Result<()> {
    check_weights(|| Record::Policy, "weights", &policy.weights)?;
    for (field, value) in [
        ("min_score", policy.min_score),
        ("load_penalty", policy.load_penalty),
        ("switching_cost", policy.switching_cost),
    ] {
        check_number(
            || Record::Policy,
            || field.into(),
            value,
            1.0,
            "a finite number in [0, 1]",
        )?;
    }
    Ok(())
}

/// Per mentor, the recipients excluded from it by either side or by an ended pair,
/// sorted, once each.
fn exclusions(
    mentors: &[impl std::borrow::Borrow<Mentor>],
    recipients: &[Recipient],
    pairs: &[Pair],
    mentor_index: &BTreeMap<String, usize>,
    recipient_index: &BTreeMap<String, usize>,
) -> Vec<Vec<u32>> {
    let mut excluded: Vec<Vec<u32>> = vec![Vec::new(); mentors.len()];
    for (m, mentor) in mentors.iter().enumerate() {
        let mentor: &Mentor = mentor.borrow();
        excluded[m].extend(
            mentor
                .exclude
                .iter()
                .map(|id| recipient_index[&id.0] as u32),
        );
    }
    for (r, recipient) in recipients.iter().enumerate() {
        for id in &recipient.exclude {
            excluded[mentor_index[&id.0]].push(r as u32);
        }
    }
    // An ended pair is never proposed again.
    for pair in pairs.iter().filter(|p| p.ended) {
        excluded[mentor_index[&pair.mentor.0]].push(recipient_index[&pair.recipient.0] as u32);
    }
    for list in &mut excluded {
        list.sort_unstable();
        list.dedup();
    }
    excluded
}

fn check_id(
    id: &str,
    index: usize,
    seen: &mut BTreeMap<String, usize>,
    record: impl Fn() -> Record,
) -> Result<()> {
    if id.trim().is_empty() {
        return Err(Error::BlankId { record: record() });
    }
    if let Some(&first_index) = seen.get(id) {
        return Err(Error::DuplicateId {
            record: record(),
            id: id.to_owned(),
            first_index,
        });
    }
    seen.insert(id.to_owned(), index);
    Ok(())
}

/// A person's text fields for [`check_sizes`]: the tag lists, then the single tags
/// (id first).
struct Texts<'a> {
    lists: Vec<(&'static str, &'a [String])>,
    singles: [(&'static str, Option<&'a str>); 3],
    exclude: (usize, Option<&'a str>),
}

fn mentor_texts(m: &Mentor) -> Texts<'_> {
    Texts {
        lists: vec![
            ("conditions", &m.conditions),
            ("experiences", &m.experiences),
            ("interests", &m.interests),
            ("languages", &m.languages),
            ("availability", &m.availability),
            ("groups", &m.groups),
            ("boundaries", &m.boundaries),
        ],
        singles: [
            ("id", Some(m.id.as_str())),
            ("gender", m.gender.as_deref()),
            ("region", m.region.as_deref()),
        ],
        exclude: longest(m.exclude.iter().map(|id| id.as_str()), m.exclude.len()),
    }
}

fn recipient_texts(r: &Recipient) -> Texts<'_> {
    Texts {
        lists: vec![
            ("conditions", &r.conditions),
            ("experiences", &r.experiences),
            ("interests", &r.interests),
            ("languages", &r.languages),
            ("availability", &r.availability),
            ("groups", &r.groups),
            ("needs", &r.needs),
            ("mentor_gender", &r.mentor_gender),
        ],
        singles: [
            ("id", Some(r.id.as_str())),
            ("gender", r.gender.as_deref()),
            ("region", r.region.as_deref()),
        ],
        exclude: longest(r.exclude.iter().map(|id| id.as_str()), r.exclude.len()),
    }
}

/// The number of entries and the longest one.
fn longest<'a>(entries: impl Iterator<Item = &'a str>, count: usize) -> (usize, Option<&'a str>) {
    (count, entries.max_by_key(|e| e.len()))
}

/// Every list within [`Limits::tags_per_list`] entries, every id and tag within
/// [`Limits::tag_bytes`] bytes.
fn check_sizes(texts: &Texts<'_>, limits: &Limits, record: impl Fn() -> Record) -> Result<()> {
    let too_long = |field: &str, text: &str| {
        (text.len() > limits.tag_bytes).then(|| Error::TagTooLong {
            record: record(),
            field: field.to_owned(),
            bytes: text.len(),
            limit: limits.tag_bytes,
        })
    };
    let too_many = |field: &str, count: usize| {
        (count > limits.tags_per_list).then(|| Error::TooManyTags {
            record: record(),
            field: field.to_owned(),
            count,
            limit: limits.tags_per_list,
        })
    };
    for (field, text) in texts.singles {
        if let Some(e) = text.and_then(|t| too_long(field, t)) {
            return Err(e);
        }
    }
    for &(field, list) in &texts.lists {
        if let Some(e) = too_many(field, list.len()) {
            return Err(e);
        }
        if let Some(e) = list.iter().find_map(|t| too_long(field, t)) {
            return Err(e);
        }
    }
    let (count, long) = texts.exclude;
    if let Some(e) =
        too_many("exclude", count).or_else(|| long.and_then(|t| too_long("exclude", t)))
    {
        return Err(e);
    }
    Ok(())
}

fn normalize_mentor(m: &mut Mentor) {
    for list in [
        &mut m.conditions,
        &mut m.experiences,
        &mut m.interests,
        &mut m.languages,
        &mut m.availability,
        &mut m.groups,
        &mut m.boundaries,
    ] {
        tags::normalize(list);
    }
    tags::normalize_one(&mut m.gender);
    tags::normalize_one(&mut m.region);
    m.modes.sort_unstable();
    m.modes.dedup();
}

fn normalize_recipient(r: &mut Recipient) {
    for list in [
        &mut r.conditions,
        &mut r.experiences,
        &mut r.interests,
        &mut r.languages,
        &mut r.availability,
        &mut r.groups,
        &mut r.needs,
        &mut r.mentor_gender,
    ] {
        tags::normalize(list);
    }
    tags::normalize_one(&mut r.gender);
    tags::normalize_one(&mut r.region);
    r.modes.sort_unstable();
    r.modes.dedup();
}
