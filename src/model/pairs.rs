//! Pairs that already run: a programme works in rounds, and a new plan starts from the
//! last one.
//!
//! A cohort may list its ongoing pairs. A running pair that passes every hard rule is
//! kept as it is: its recipient is not rematched and it takes one of its mentor's
//! places, before any new recipient (so the mentor's `current_load` counts only the
//! people *not* in this cohort); with the policy's `allow_reassign`, an unpinned one
//! stays in the solve instead, weighing its `switching_cost` more, and moves only when
//! that gains more. A pinned pair that breaks a rule is kept only with
//! `override`, and then reported as a warning with every rule it breaks; without it,
//! and for an unpinned pair that breaks a rule, the pair is not kept, the recipient is
//! matched afresh, and the report says so in a warning. Nothing is dropped or kept
//! silently. An ended pair (`ended: true`) is history: it takes no place, and its
//! mentor and recipient are never proposed to each other again (the `excluded` rule).

use serde::{Deserialize, Serialize};

use super::people::{MentorId, RecipientId};

/// A mentor–recipient pair that runs already, or has ended.
///
/// ```
/// use peermatch::{Cohort, Pair};
///
/// let cohort = Cohort::from_json(r#"{
///   "mentors": [{"id": "m1", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
///                "experiences": ["rehab"]}],
///   "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["copd"],
///                   "experiences": ["rehab"]}],
///   "pairs": [{"mentor": "m1", "recipient": "r1", "pinned": true}]
/// }"#)?;
/// assert_eq!(cohort.pairs(), [Pair { pinned: true, ..Pair::new("m1", "r1") }]);
/// # Ok::<(), peermatch::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    /// The mentor; must be in the cohort.
    pub mentor: MentorId,
    /// The recipient; must be in the cohort, and in at most one running pair.
    pub recipient: RecipientId,
    /// Kept whatever the new plan could gain by moving it. An unpinned running pair is
    /// kept too, unless the policy's `allow_reassign` lets the plan move it when that
    /// gains more than `switching_cost`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
    /// The pair has ended: it takes no place, and the two are not proposed again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ended: bool,
    /// Keep this pinned pair even when it breaks hard rules (each is reported as a
    /// warning). Only for pinned pairs. JSON name `override`.
    #[serde(
        default,
        rename = "override",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub keep_despite_rules: bool,
}

impl Pair {
    /// A running, unpinned pair of `mentor` and `recipient`.
    ///
    /// ```
    /// let pair = peermatch::Pair::new("m1", "r1");
    /// assert!(!pair.pinned && !pair.ended);
    /// ```
    pub fn new(mentor: impl Into<MentorId>, recipient: impl Into<RecipientId>) -> Pair {
        Pair {
            mentor: mentor.into(),
            recipient: recipient.into(),
            ..Pair::default()
        }
    }

    /// Whether the pair runs (has not ended).
    pub fn runs(&self) -> bool {
        !self.ended
    }
}
