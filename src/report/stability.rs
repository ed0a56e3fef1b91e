//! The stability diagnostic: which pairs would rather be together than in the plan.
//!
//! A *blocking pair* is an eligible mentor and recipient, not matched to each other,
//! who would both score higher together: the recipient is unmatched or scores their
//! mentor lower, and the mentor has a place left or holds a recipient it scores lower.
//!
//! An optimal plan can have blocking pairs, and that is by design: the objective puts
//! reaching people (and the urgent first) and the plan's total quality above any one
//! pair's preference. Satisfying a blocking pair often means displacing someone who then
//! has nobody, or lowering two other pairs by more than it gains. A programme that wants
//! a stable plan can compare with one (the `compare` example runs deferred acceptance);
//! the count here tells a reviewer how many pairs might ask "why not us?", and
//! [`Matcher::why_not`](crate::Matcher::why_not) answers each of them.

use serde::{Deserialize, Serialize};

use super::MatchReport;
use crate::candidates::EligiblePairs;
use crate::model::{Cohort, MentorId, RecipientId};

/// A mentor and recipient who would both rather be together (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BlockingPair {
    /// The mentor.
    pub mentor: MentorId,
    /// The recipient.
    pub recipient: RecipientId,
    /// The pair's score.
    pub score: f64,
    /// The recipient's score with their mentor in the plan (`None`: unmatched).
    pub recipient_now: Option<f64>,
    /// The lowest score among the mentor's recipients in the plan (`None`: the mentor
    /// has a place left).
    pub mentor_worst: Option<f64>,
}

/// Every blocking pair of `report`, a plan of `cohort`, in recipient then mentor order.
///
/// ```
/// use peermatch::{Cohort, blocking_pairs, match_cohort};
///
/// let cohort = Cohort::from_json(r#"{
///   "mentors": [{"id": "m1", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
///                "experiences": ["rehab", "carer"]},
///               {"id": "m2", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
///                "experiences": ["rehab", "walking"]}],
///   "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["copd"],
///                   "experiences": ["rehab", "carer"]},
///                  {"id": "r2", "languages": ["en"], "conditions": ["copd"],
///                   "experiences": ["carer", "chess", "gardening"]}]
/// }"#)?;
/// let report = match_cohort(&cohort);
/// // r2 can only have m1, so r1 gets m2 although r1 and m1 would score higher together.
/// let blocking = blocking_pairs(&cohort, &report);
/// assert_eq!(blocking.len(), 1);
/// assert_eq!((blocking[0].mentor.as_str(), blocking[0].recipient.as_str()), ("m1", "r1"));
/// # Ok::<(), peermatch::Error>(())
/// ```
pub fn blocking_pairs(cohort: &Cohort, report: &MatchReport) -> Vec<BlockingPair> {
    let (mentors, recipients) = (cohort.mentors(), cohort.recipients());
    let eligible = EligiblePairs::new(cohort);
    let index = report.index();
    let mentor_of: Vec<Option<usize>> = recipients
        .iter()
        .map(|r| {
            index
                .match_of(r.id.as_str())
                .and_then(|m| cohort.mentor_position(m.mentor.as_str()))
        })
        .collect();
    // Each matched pair's score as the report has it (a kept pair may be ineligible).
    let score_now: Vec<Option<f64>> = recipients
        .iter()
        .map(|r| index.match_of(r.id.as_str()).map(|m| m.score))
        .collect();
    let mut held = vec![0u64; mentors.len()];
    let mut worst: Vec<Option<f64>> = vec![None; mentors.len()];
    for (r, m) in mentor_of.iter().enumerate() {
        if let (Some(m), Some(s)) = (*m, score_now[r]) {
            held[m] += 1;
            worst[m] = Some(worst[m].map_or(s, |w: f64| w.min(s)));
        }
    }
    // Room under the capacity, and under the policy's cap on new recipients.
    let new = |m: usize| {
        let id = mentors[m].id.as_str();
        report
            .mentors
            .iter()
            .find(|l| l.mentor.as_str() == id)
            .map_or(0, |l| l.assigned)
    };
    let cap = cohort.policy().max_new_load;
    let has_room = |m: usize| {
        u64::from(mentors[m].current_load) + held[m] < u64::from(mentors[m].capacity)
            && cap.is_none_or(|cap| new(m) < cap)
    };
    let mut out = Vec::new();
    for (r, recipient) in recipients.iter().enumerate() {
        for (m, score) in eligible.of(r) {
            if mentor_of[r] == Some(m) || score_now[r].is_some_and(|now| now >= score) {
                continue;
            }
            let room = has_room(m);
            if room || worst[m].is_some_and(|w| w < score) {
                out.push(BlockingPair {
                    mentor: mentors[m].id.clone(),
                    recipient: recipient.id.clone(),
                    score,
                    recipient_now: score_now[r],
                    mentor_worst: if room { None } else { worst[m] },
                });
            }
        }
    }
    out
}
