//! The coordinator's question: "why not with X?".
//!
//! [`explain`] evaluates one mentor–recipient pair on its own, outside any plan: every
//! hard rule it fails (all of them, not just the first, so a coordinator sees everything
//! that would have to change) and its full score breakdown. It agrees with the matcher:
//! a pair is eligible exactly when `failed_rules` is empty.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::Cohort;
use crate::model::{MentorId, RecipientId};
use crate::rules::{self, HardRule};
use crate::scoring::{self, Breakdown};

/// Everything about one pair: eligibility, failed rules, score and breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Explanation {
    /// The mentor.
    pub mentor: MentorId,
    /// The recipient.
    pub recipient: RecipientId,
    /// Whether the pair passes every hard rule (the matcher may use it).
    pub eligible: bool,
    /// Every rule the pair fails, in [`HardRule::ALL`] order.
    pub failed_rules: Vec<HardRule>,
    /// The pair's score and its breakdown over the nine criteria.
    #[serde(flatten)]
    pub breakdown: Breakdown,
}

/// Explains the pair (`mentor`, `recipient`), given by id.
///
/// Capacity is judged on the mentor's `current_load` as given, not on any plan.
///
/// # Errors
/// [`Error::UnknownMentor`] or [`Error::UnknownRecipient`] when an id is not in the cohort.
///
/// ```
/// use peermatch::{Cohort, HardRule, explain};
///
/// let cohort = Cohort::from_json(r#"{
///   "mentors": [{"id": "m1", "capacity": 1, "languages": ["fr"], "conditions": ["ms"],
///                "boundaries": ["bereavement"]}],
///   "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["ms"],
///                   "needs": ["bereavement"]}]
/// }"#)?;
/// let why = explain(&cohort, "m1", "r1")?;
/// assert!(!why.eligible);
/// assert_eq!(
///     why.failed_rules,
///     [HardRule::Language, HardRule::Boundaries, HardRule::BeyondDiagnosis]
/// );
/// assert_eq!(why.breakdown.parts.len(), 9);
/// # Ok::<(), peermatch::Error>(())
/// ```
pub fn explain(
    cohort: &Cohort,
    mentor: impl AsRef<str>,
    recipient: impl AsRef<str>,
) -> Result<Explanation> {
    let (mentor, recipient) = (mentor.as_ref(), recipient.as_ref());
    let m = cohort
        .mentor_position(mentor)
        .ok_or_else(|| Error::UnknownMentor { id: mentor.into() })?;
    let r = cohort
        .recipient_position(recipient)
        .ok_or_else(|| Error::UnknownRecipient {
            id: recipient.into(),
        })?;
    let (mentor, recipient) = (&cohort.mentors()[m], &cohort.recipients()[r]);
    let breakdown = scoring::breakdown(cohort.policy(), mentor, recipient);
    let score = scoring::score_micro(cohort.policy(), mentor, recipient);
    let failed_rules: Vec<HardRule> = rules::check(cohort, m, r, score).iter().collect();
    Ok(Explanation {
        mentor: mentor.id.clone(),
        recipient: recipient.id.clone(),
        eligible: failed_rules.is_empty(),
        failed_rules,
        breakdown,
    })
}
