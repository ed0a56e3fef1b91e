//! Resource limits on a cohort, checked at the boundary.
//!
//! The matcher's work grows with what a person lists, not only with how many people
//! there are: a person with a million distinct tags makes every pair check on the other
//! side scan them. A service that accepts cohorts from outside should be able to refuse
//! such input cheaply, with an error that names the record and field, before any
//! matching starts. The defaults are far above any real programme's records and can be
//! lowered (or raised, up to [`MAX_PEOPLE`] people) with [`Cohort::new_with_limits`]
//! and [`Cohort::from_json_with_limits`].

#[cfg(doc)]
use crate::model::Cohort;
use crate::model::MAX_PEOPLE;

/// How much a cohort may hold.
///
/// ```
/// use peermatch::{Cohort, Error, Limits};
///
/// let strict = Limits::default().with_tags_per_list(2);
/// let err = Cohort::from_json_with_limits(r#"{
///   "mentors": [{"id": "m", "capacity": 1, "languages": ["en"], "interests": ["a", "b", "c"]}]
/// }"#, &strict).unwrap_err();
/// assert!(matches!(err, Error::TooManyTags { count: 3, limit: 2, .. }));
/// # Ok::<(), peermatch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The most people on either side. Default and maximum [`MAX_PEOPLE`].
    pub people: usize,
    /// The most distinct tags in one list field of one person (after normalisation:
    /// trimmed, lowercased, deduplicated), and the most ids in one `exclude` list.
    /// Default 1 024.
    pub tags_per_list: usize,
    /// The longest id or tag, in bytes of UTF-8 (tags after trimming, ids as given).
    /// Default 256.
    pub tag_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            people: MAX_PEOPLE,
            tags_per_list: 1024,
            tag_bytes: 256,
        }
    }
}

impl Limits {
    /// These limits with at most `people` on either side (capped at [`MAX_PEOPLE`],
    /// which bounds the solver's exact arithmetic).
    pub fn with_people(mut self, people: usize) -> Self {
        self.people = people.min(MAX_PEOPLE);
        self
    }

    /// These limits with at most `tags` distinct tags per list.
    pub fn with_tags_per_list(mut self, tags: usize) -> Self {
        self.tags_per_list = tags;
        self
    }

    /// These limits with ids and tags of at most `bytes` bytes.
    pub fn with_tag_bytes(mut self, bytes: usize) -> Self {
        self.tag_bytes = bytes;
        self
    }
}
